import Foundation
import Glibc
import Testing

/// `qfp shell` on a pseudo-terminal: what an engineer at a console types and sees.
final class ShellOnTerminal {
    let master: Int32
    let slave: Int32
    let process = Process()
    var seen = [UInt8]()

    init(socket: String) throws {
        var m: Int32 = -1, s: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw Daemon.DaemonError(description: "openpty failed") }
        master = m
        slave = s
        process.executableURL = qfpBinary()
        process.arguments = ["shell", "--socket", socket]
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

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads the terminal until `text` has appeared after what earlier waits consumed; returns
    /// everything read up to and including it. Bounded by 20 s so a regression fails, not hangs.
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
        }
        return nil
    }
}

@Suite("qfp shell on a terminal")
struct ShellTerminalTests {
    @Test("prompt, abbreviations, ? help, Tab completion, history, --More-- paging, exit")
    func console() throws {
        let d = try Daemon()
        let t = try ShellOnTerminal(socket: d.socket)
        #expect(t.wait(for: "qfp-asr1k#") != nil)

        t.type("sh cry isa sa\r")
        #expect(t.wait(for: "IPv4 Crypto ISAKMP SA") != nil)
        #expect(t.wait(for: "qfp-asr1k#") != nil)

        // Tab completes a unique prefix; ? lists what may follow and redisplays the line.
        t.type("show cr\t")
        #expect(t.wait(for: "show crypto ") != nil)
        t.type("?")
        let help = t.wait(for: "qfp-asr1k#show crypto ")
        #expect(help?.contains("isakmp   Show ISAKMP") == true)
        t.type("\u{15}")   // Ctrl-U: kill the line

        // Up-arrow recalls the last command.
        t.type("\u{1B}[A")
        #expect(t.wait(for: "sh cry isa sa") != nil)
        t.type("\u{15}")

        // Paging at terminal length 24 (the interactive default): the first page, then q.
        t.type("show running-config\r")
        #expect(t.wait(for: "--More--") != nil)
        t.type("q")
        #expect(t.wait(for: "qfp-asr1k#") != nil)
        // terminal length 0: no paging at all.
        t.type("terminal length 0\r")
        #expect(t.wait(for: "qfp-asr1k#") != nil)
        t.type("show running-config\r")
        let whole = t.wait(for: "\nend")
        #expect(whole != nil && whole?.contains("--More--") == false)

        t.type("exit\r")
        t.process.waitUntilExit()
        #expect(t.process.terminationStatus == 0)
    }
}
