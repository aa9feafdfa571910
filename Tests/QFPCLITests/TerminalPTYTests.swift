import Glibc
@testable import QFPCLI
import Testing

/// A pseudo-terminal pair: the code under test uses the slave as its tty, the test types into
/// and reads from the master. Closed on deinit.
final class PseudoTerminal {
    let master: Int32
    let slave: Int32
    private static let marker = Array("<<end of output>>".utf8)

    init(columns: UInt16 = 80) throws {
        var m: Int32 = -1
        var s: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw TerminalError.lastError("openpty") }
        master = m
        slave = s
    }

    deinit {
        close(master)
        close(slave)
    }

    /// The slave's settings now.
    var settings: Settings {
        Settings(fd: slave)
    }

    /// Puts the slave in raw mode (cfmakeraw) so that keys typed before the code under test
    /// reads them are neither echoed nor line-edited by the kernel.
    func makeRaw() {
        var t = termios()
        tcgetattr(slave, &t)
        cfmakeraw(&t)
        tcsetattr(slave, TCSANOW, &t)
    }

    /// Types `text` on the keyboard (writes it to the master).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Everything the slave side wrote so far: a marker is written after it and the master is
    /// read until the marker comes out, so no waiting on time is needed.
    func output() -> String {
        _ = Self.marker.withUnsafeBytes { write(slave, $0.baseAddress, $0.count) }
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !(got.count >= Self.marker.count && Array(got.suffix(Self.marker.count)) == Self.marker) {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            got += buffer[0..<n]
        }
        return String(decoding: got.dropLast(Self.marker.count), as: UTF8.self)
    }

    /// The termios fields, comparable (padding left out).
    struct Settings: Equatable {
        var flags: [tcflag_t]
        var line: cc_t
        var cc: [cc_t]
        var speeds: [speed_t]

        init(fd: Int32) {
            var t = termios()
            tcgetattr(fd, &t)
            flags = [t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag]
            line = t.c_line
            cc = withUnsafeBytes(of: t.c_cc) { Array($0) }
            speeds = [t.c_ispeed, t.c_ospeed]
        }

        var isRaw: Bool {
            flags[3] & tcflag_t(ICANON | ECHO | ISIG) == 0 && flags[1] & tcflag_t(OPOST) == 0 && cc[Int(VMIN)] == 1
        }
    }
}

/// Decodes a `waitpid` status: (exit code, terminating signal, stopping signal).
func waitStatus(_ status: Int32) -> (exited: Int32?, signaled: Int32?, stopped: Int32?) {
    if status & 0xFF == 0x7F { return (nil, nil, (status >> 8) & 0xFF) }
    if status & 0x7F == 0 { return ((status >> 8) & 0xFF, nil, nil) }
    return (nil, status & 0x7F, nil)
}

/// Unblocks `signal` in the calling thread (async-signal-safe: usable in a forked child).
func unblock(_ signal: Int32) {
    var mask = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, signal)
    pthread_sigmask(SIG_UNBLOCK, &mask, nil)
}

struct ReadFailure: Error {}

/// An input whose read fails, checking on the way that the terminal is raw at that moment.
final class FailingInput: TerminalInput {
    let tty: Int32
    private(set) var sawRaw = false
    init(tty: Int32) { self.tty = tty }
    func readByte() throws -> UInt8? {
        sawRaw = PseudoTerminal.Settings(fd: tty).isRaw
        throw ReadFailure()
    }
}

// Serialized: a forked child restores every terminal the table lists, so raw-mode tests must
// not overlap with it.
@Suite("RawTerminal, LineEditor and Pager on a pseudo-terminal", .serialized, .timeLimit(.minutes(1)))
struct TerminalPTYTests {
    @Test("a pipe is not a terminal")
    func notATerminal() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(throws: TerminalError.notATerminal(fd: fds[0])) { try RawTerminal(fd: fds[0]) }
    }

    @Test("width comes from TIOCGWINSZ, 80 when the terminal reports 0 columns")
    func width() throws {
        let wide = try PseudoTerminal(columns: 132)
        #expect(try RawTerminal(fd: wide.slave).width == 132)
        let unknown = try PseudoTerminal(columns: 0)
        #expect(try RawTerminal(fd: unknown.slave).width == 80)
    }

    @Test("withRawMode is raw inside and restores the exact settings on return and on throw; levels nest")
    func withRawMode() throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        #expect(!before.isRaw)
        let terminal = try RawTerminal(fd: pty.slave)
        try terminal.withRawMode {
            #expect(pty.settings.isRaw)
            try terminal.withRawMode { #expect(terminal.isRaw) }
            #expect(pty.settings.isRaw)
        }
        #expect(pty.settings == before)
        #expect(throws: ReadFailure.self) {
            try terminal.withRawMode { throw ReadFailure() }
        }
        #expect(pty.settings == before)
        #expect(!terminal.isRaw)
    }

    @Test("deinit restores a terminal left in raw mode")
    func deinitRestores() throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        do {
            let terminal = try RawTerminal(fd: pty.slave)
            try terminal.enterRawMode()
            #expect(pty.settings.isRaw)
        }
        #expect(pty.settings == before)
    }

    @Test("LineEditor.readLine restores the terminal when the read throws")
    func readThrows() throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        let input = FailingInput(tty: pty.slave)
        let editor = LineEditor(input: input, output: MemoryTerminal(), terminal: try RawTerminal(fd: pty.slave))
        #expect(throws: ReadFailure.self) { try editor.readLine(prompt: "Router#") }
        #expect(input.sawRaw)
        #expect(pty.settings == before)
    }

    @Test("LineEditor on a tty: the same bytes as on the scripted terminal, settings as before")
    func editorOnTTY() throws {
        let pty = try PseudoTerminal()
        pty.makeRaw()
        let before = pty.settings
        let stream = FileDescriptorStream(fd: pty.slave)
        let editor = LineEditor(input: stream, output: stream, terminal: try RawTerminal(fd: pty.slave))
        let delegate = ScriptedDelegate()
        delegate.helpText = "  ip  IP\n"
        editor.delegate = delegate
        pty.type("sow" + Key.left + Key.left + "h" + Key.end + " ?" + Key.enter + Key.up + Key.ctrlC + Key.ctrlD)
        #expect(try editor.readLine(prompt: "Router#") == .line("show "))
        #expect(try editor.readLine(prompt: "Router#") == .line(""))
        #expect(try editor.readLine(prompt: "Router#") == nil)
        #expect(pty.output() == "Router#sow\u{8}\u{8}" + redraw + "Router#show\u{8}\u{8}" + "ow" + " "
            + "?\r\n  ip  IP\r\nRouter#show " + "\r\n"
            + "Router#" + redraw + "Router#show " + "^C\r\n" + "Router#\r\n")
        #expect(pty.settings == before)
    }

    @Test("Pager on a tty reads keys in raw mode and leaves the settings as they were")
    func pagerOnTTY() throws {
        let pty = try PseudoTerminal()
        pty.makeRaw()
        let before = pty.settings
        let stream = FileDescriptorStream(fd: pty.slave)
        let pager = Pager(length: 3, input: stream, output: stream, terminal: try RawTerminal(fd: pty.slave))
        pty.type(" \rq")
        #expect(try pager.show(numbered(9)) == .stopped)
        #expect(pty.output() == "1\n2\n" + more + erase + "3\n4\n" + more + erase + "5\n" + more + erase)
        #expect(pty.settings == before)
    }

    @Test("a terminal in raw mode is restored when the process is killed", arguments: [SIGTERM, SIGINT, SIGHUP])
    func killed(signal: Int32) throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        let terminal = try RawTerminal(fd: pty.slave)
        try terminal.withRawMode {
            guard RawModeSignals.isHooked(signal) else {
                // Only an ignored signal is left alone: it cannot end the process.
                var current = sigaction()
                sigaction(signal, nil, &current)
                #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
                return
            }
            let child = fork()
            if child == 0 {
                unblock(signal)   // test threads (Swift's cooperative pool) block signals
                _ = raise(signal)
                _exit(99)   // not reached: the hook re-raises with the default action
            }
            var status: Int32 = 0
            #expect(waitpid(child, &status, 0) == child)
            #expect(waitStatus(status).signaled == signal)
            #expect(pty.settings == before)
        }
        #expect(pty.settings == before)
    }

    @Test("with two handles on one tty in raw mode, a kill restores the settings found by the first")
    func killedWithTwoHandles() throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        let outer = try RawTerminal(fd: pty.slave)
        let inner = try RawTerminal(fd: pty.slave)
        try outer.withRawMode {
            try inner.withRawMode {
                try #require(RawModeSignals.isHooked(SIGTERM))
                let child = fork()
                if child == 0 {
                    unblock(SIGTERM)
                    _ = raise(SIGTERM)
                    _exit(99)
                }
                var status: Int32 = 0
                #expect(waitpid(child, &status, 0) == child)
                #expect(waitStatus(status).signaled == SIGTERM)
                #expect(pty.settings == before)
            }
        }
        #expect(pty.settings == before)
    }

    @Test("SIGTSTP restores the terminal before stopping; SIGCONT puts raw mode back")
    func stopped() throws {
        let pty = try PseudoTerminal()
        let before = pty.settings
        let terminal = try RawTerminal(fd: pty.slave)
        try terminal.withRawMode {
            let raw = pty.settings
            try #require(RawModeSignals.isHooked(SIGTSTP))
            let child = fork()
            if child == 0 {
                // Own process group, so the stop is not discarded if the test's group is orphaned.
                _ = setpgid(0, 0)
                unblock(SIGTSTP)
                _ = raise(SIGTSTP)
                _exit(7)
            }
            var status: Int32 = 0
            #expect(waitpid(child, &status, WUNTRACED) == child)
            #expect(waitStatus(status).stopped == SIGTSTP)
            #expect(pty.settings == before)
            kill(child, SIGCONT)
            #expect(waitpid(child, &status, 0) == child)
            #expect(waitStatus(status).exited == 7)
            #expect(pty.settings == raw)
        }
        #expect(pty.settings == before)
    }
}
