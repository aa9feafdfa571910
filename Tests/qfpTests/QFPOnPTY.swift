import Foundation
import Glibc

/// `qfp ARGUMENTS` on a pseudo-terminal opened by the test (`qfp shell`, `qfp top`): what it
/// draws, typed input, and the pty's settings after it ended.
final class QFPOnPTY {
    let master: Int32
    let slave: Int32
    let process = Process()
    var seen = [UInt8]()
    /// Everything read from the pty.
    var transcript = [UInt8]()
    /// The slave's settings before the process started.
    var before = termios()

    init(_ arguments: [String], rows: UInt16, columns: UInt16) throws {
        var m: Int32 = -1, s: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw Daemon.DaemonError(description: "openpty failed") }
        master = m
        slave = s
        tcgetattr(slave, &before)
        process.executableURL = qfpBinary()
        process.arguments = arguments
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

    func type(_ text: String) { type(Array(text.utf8)) }

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

    /// Whether the pty's settings are those found before the process started.
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
