import Foundation
import Glibc
import Testing

/// `qfp top` on a pseudo-terminal opened by the test (100 × 40).
func topOnPTY(socket: String, arguments: [String] = []) throws -> QFPOnPTY {
    try QFPOnPTY(["top", "--socket", socket] + arguments, rows: 40, columns: 100)
}

@Suite("qfp top on a pseudo-terminal")
struct TopPTYTests {
    static let footer = "s sort: rate  p pause  c clear (top)  C clear (router)  q quit"

    @Test("alternate screen and raw mode while it runs; SIGWINCH redraws at the new width; Ctrl-C puts the terminal back")
    func resizeAndCtrlC() throws {
        let d = try Daemon()
        // One refresh an hour: after the first frame, only the resize can redraw.
        let t = try topOnPTY(socket: d.socket, arguments: ["--interval", "3600"])
        let first = try #require(t.wait(for: "qfp top - qfp-asr1k  up "))
        #expect(first.hasPrefix("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H"))
        #expect(t.wait(for: Self.footer + "\u{1B}[K\u{1B}[J") != nil)
        #expect(t.raw)

        var size = winsize(ws_row: 20, ws_col: 40, ws_xpixel: 0, ws_ypixel: 0)
        #expect(ioctl(t.master, UInt(TIOCSWINSZ), &size) == 0)
        // The pty is not its controlling terminal, so the kernel's SIGWINCH goes elsewhere: send it.
        kill(t.process.processIdentifier, SIGWINCH)
        #expect(t.wait(for: "\r\n" + String(Self.footer.prefix(40)) + "\u{1B}[K\u{1B}[J") != nil)

        t.type([0x03])
        #expect(t.waitForExit())
        #expect(t.process.terminationReason == .exit && t.process.terminationStatus == 0)
        #expect(String(decoding: t.transcript, as: UTF8.self).hasSuffix("\u{1B}[?25h\u{1B}[?1049l"))
        #expect(t.restored)
    }

    @Test("SIGTERM: the screen and the terminal are put back, then the signal ends it")
    func sigterm() throws {
        let d = try Daemon()
        let t = try topOnPTY(socket: d.socket)
        #expect(t.wait(for: Self.footer) != nil)
        #expect(t.raw)
        kill(t.process.processIdentifier, SIGTERM)
        #expect(t.waitForExit())
        #expect(t.process.terminationReason == .uncaughtSignal && t.process.terminationStatus == SIGTERM)
        #expect(String(decoding: t.transcript, as: UTF8.self).hasSuffix("\u{1B}[?25h\u{1B}[?1049l"))
        #expect(t.restored)
    }

    @Test("the daemon going away: the terminal is put back and the error is one line")
    func daemonGone() throws {
        let d = try Daemon()
        let t = try topOnPTY(socket: d.socket, arguments: ["--interval", "0.2"])
        #expect(t.wait(for: Self.footer) != nil)
        _ = d.stop()
        #expect(t.waitForExit())
        #expect(t.process.terminationStatus == 1)
        let text = String(decoding: t.transcript, as: UTF8.self)
        #expect(text.contains("\u{1B}[?25h\u{1B}[?1049l"))
        #expect(text.hasSuffix("qfp: the qfp daemon closed the connection\r\n") || text.hasSuffix("qfp: the qfp daemon closed the connection\n"), "\(text.suffix(200))")
        #expect(t.restored)
    }
}

@Suite("qfp top without a terminal")
struct TopPlainTests {
    @Test("stdout not a terminal: a block of plain lines per refresh, rates from the second snapshot on")
    func plainBlocks() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        for _ in 0..<40 {
            if try d.cli("show platform hardware qfp active statistics drop").stdout.contains("IpsecInput") { break }
            usleep(100_000)
        }
        let r = try runQFP(["top", "--socket", d.socket, "--interval", "0.5", "-n", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let blocks = r.stdout.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(blocks.count == 2, "\(r.stdout)")
        var totals: [UInt64] = []
        for block in blocks {
            let lines = block.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("top qfp-asr1k uptime ") == true)
            #expect(lines.contains { $0.hasPrefix("worker 0 load ") })
            let global = try #require(lines.first { $0.hasPrefix("global IpsecInput rate ") }, "\(block)")
            #expect(!global.contains("rate - pps"))
            #expect(lines.contains { $0.hasPrefix("ipsec 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI rate ") })
            let fields = global.split(separator: " ")
            totals.append(UInt64(fields[fields.firstIndex(of: "total")! + 1]) ?? 0)
        }
        #expect(totals.count == 2 && totals[1] > totals[0], "\(r.stdout)")
    }

    @Test("bad options and no daemon: one clear line, no screen")
    func errors() throws {
        let interval = try runQFP(["top", "--interval", "0"])
        #expect(interval.status != 0 && interval.stderr.contains("--interval 0.0: must be between 0.1 and 3600 seconds"), "\(interval.stderr)")
        let count = try runQFP(["top", "-n", "0"])
        #expect(count.status != 0 && count.stderr.contains("--iterations 0: must be 1 or more"))
        let none = try runQFP(["top", "--socket", "/tmp/qfp-nobody-\(getpid())/qfp.sock", "-n", "1"])
        #expect(none.status == 1 && none.stderr == "qfp: no qfp daemon at /tmp/qfp-nobody-\(getpid())/qfp.sock (start one with 'qfp run')\n")
        #expect(none.stdout.isEmpty)
    }
}
