import Foundation
import Glibc
import Testing

/// `qfp top` on a pseudo-terminal opened by the test: its bytes, and the pty's settings after.
final class TopOnPTY {
    let master: Int32
    let slave: Int32
    let process = Process()
    var seen = [UInt8]()
    /// Everything read from the pty.
    var transcript = [UInt8]()
    /// The slave's settings before `qfp top` started.
    var before = termios()

    init(socket: String, arguments: [String] = []) throws {
        var m: Int32 = -1, s: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw Daemon.DaemonError(description: "openpty failed") }
        master = m
        slave = s
        tcgetattr(slave, &before)
        process.executableURL = qfpBinary()
        process.arguments = ["top", "--socket", socket] + arguments
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = tty
        process.standardOutput = tty
        process.standardError = tty
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        close(master)
        close(slave)
    }

    func type(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads until `text` appears after what earlier waits consumed (bounded by 20 s).
    @discardableResult
    func wait(for text: String) -> String? {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(20)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            if let range = seen.firstRange(of: needle) {
                let upTo = Array(seen[..<range.upperBound])
                seen.removeSubrange(..<range.upperBound)
                return String(decoding: upTo, as: UTF8.self)
            }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&fds, 1, 100) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            seen += buffer[..<n]
            transcript += buffer[..<n]
        }
        return nil
    }

    /// Waits (bounded) for the process to end.
    func waitForExit() -> Bool {
        let deadline = Date().addingTimeInterval(20)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while process.isRunning && Date() < deadline {
            // Keeps draining the pty, so a write blocked on a full pty cannot hang it.
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&fds, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n > 0 {
                seen += buffer[..<n]
                transcript += buffer[..<n]
            }
        }
        if process.isRunning { return false }
        process.waitUntilExit()
        // What it wrote last, still in the pty.
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&fds, 1, 0) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            seen += buffer[..<n]
            transcript += buffer[..<n]
        }
        return true
    }

    /// Whether the pty's settings are those found before `qfp top` started.
    var restored: Bool {
        var now = termios()
        tcgetattr(slave, &now)
        return now.c_iflag == before.c_iflag && now.c_oflag == before.c_oflag && now.c_lflag == before.c_lflag
            && now.c_cflag == before.c_cflag
            && withUnsafeBytes(of: now.c_cc) { a in withUnsafeBytes(of: before.c_cc) { b in a.elementsEqual(b) } }
    }

    /// Whether the slave is in raw mode now (no ICANON, no ECHO).
    var raw: Bool {
        var now = termios()
        tcgetattr(slave, &now)
        return now.c_lflag & tcflag_t(ICANON | ECHO) == 0
    }
}

@Suite("qfp top on a pseudo-terminal")
struct TopPTYTests {
    static let footer = "s sort: rate  p pause  c clear (top)  C clear (router)  q quit"

    @Test("alternate screen and raw mode while it runs; SIGWINCH redraws at the new width; Ctrl-C puts the terminal back")
    func resizeAndCtrlC() throws {
        let d = try Daemon()
        // One refresh an hour: after the first frame, only the resize can redraw.
        let t = try TopOnPTY(socket: d.socket, arguments: ["--interval", "3600"])
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
        let t = try TopOnPTY(socket: d.socket)
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
        let t = try TopOnPTY(socket: d.socket, arguments: ["--interval", "0.2"])
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
