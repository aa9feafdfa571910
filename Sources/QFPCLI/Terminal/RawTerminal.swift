import Glibc

/// A terminal file descriptor that can be put in raw mode, and is always put back.
///
/// Raw mode is what line editors use (linenoise, readline): no echo, no line buffering, no
/// signals from Ctrl-C / Ctrl-Z (they arrive as bytes 0x03 / 0x1A), no CR-to-NL translation,
/// no output processing (callers write "\r\n"), reads return as soon as one byte is there.
///
/// The settings found on entry are put back: when the outermost `withRawMode` returns or
/// throws; by `leaveRawMode()`; at deinit; on SIGINT, SIGTERM, SIGHUP, SIGQUIT and crash
/// signals before their previous disposition runs; on SIGTSTP (raw mode comes back on
/// SIGCONT); and at `exit()`. Only `_exit` and SIGKILL skip it, as nothing can run then.
/// Entering and leaving nest. Not thread-safe: use one instance from one thread.
public final class RawTerminal {
    /// Columns assumed when the terminal does not tell its size.
    public static let defaultWidth = 80

    /// The terminal's descriptor (not owned: never closed here).
    public let fd: Int32
    private var depth = 0
    private var slot: Int?
    private var saved = termios()

    /// A handle on `fd`; throws `TerminalError.notATerminal` when `fd` is not a tty.
    public init(fd: Int32) throws {
        guard Self.isTerminal(fd) else { throw TerminalError.notATerminal(fd: fd) }
        self.fd = fd
    }

    deinit {
        if depth > 0 {
            depth = 1
            leaveRawMode()
        }
    }

    /// True when `fd` is a terminal (`isatty`).
    public static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// The terminal's width in columns (TIOCGWINSZ), or `defaultWidth` when it reports none.
    public var width: Int {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return Self.defaultWidth }
        return Int(size.ws_col)
    }

    /// The size of the terminal on `fd` (TIOCGWINSZ), or nil when it is not a terminal or
    /// reports none.
    public static func size(of fd: Int32) -> (columns: Int, rows: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// True between entering raw mode and leaving it.
    public var isRaw: Bool {
        depth > 0
    }

    /// Runs `body` in raw mode and puts the previous settings back however it ends.
    public func withRawMode<T>(_ body: () throws -> T) throws -> T {
        try enterRawMode()
        defer { leaveRawMode() }
        return try body()
    }

    /// Enters raw mode (or counts one more level when already raw). Pair with `leaveRawMode()`.
    public func enterRawMode() throws {
        if depth > 0 {
            depth += 1
            return
        }
        var current = termios()
        guard tcgetattr(fd, &current) == 0 else { throw TerminalError.lastError("tcgetattr") }
        var raw = Self.rawSettings(from: current)
        RawModeSignals.install()
        // Published before the change, so a signal arriving from here on restores.
        let slot = try RawModeTable.claim(fd: fd, saved: current, raw: raw)
        // TCSADRAIN, not TCSAFLUSH: keys typed ahead while a command ran are kept, as IOS does.
        guard tcsetattr(fd, TCSADRAIN, &raw) == 0 else {
            let error = TerminalError.lastError("tcsetattr")
            _ = tcsetattr(fd, TCSADRAIN, &current)
            RawModeTable.release(slot)
            throw error
        }
        saved = current
        self.slot = slot
        depth = 1
    }

    /// Leaves one level of raw mode; the outermost puts the settings found on entry back.
    public func leaveRawMode() {
        guard depth > 0 else { return }
        depth -= 1
        guard depth == 0, let slot else { return }
        // Restored before the slot is released, so no signal finds the terminal raw and unlisted.
        while tcsetattr(fd, TCSADRAIN, &saved) != 0 && errno == EINTR {}
        RawModeTable.release(slot)
        self.slot = nil
    }

    /// `current` with the raw-mode changes of linenoise's `enableRawMode` (8-bit characters).
    static func rawSettings(from current: termios) -> termios {
        var raw = current
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_oflag &= ~tcflag_t(OPOST)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        return raw
    }
}

@available(*, unavailable, message: "tracks raw-mode nesting; use from one thread")
extension RawTerminal: Sendable {}
