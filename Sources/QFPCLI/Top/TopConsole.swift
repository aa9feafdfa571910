import Glibc
import QFPDataplane

/// The interactive `qfp top`: the alternate screen, redrawn every `interval` from a fresh
/// snapshot, keys read in raw mode between refreshes.
///
/// The terminal is put back on every way out: `q`, Ctrl-C or Ctrl-D (raw mode makes them
/// bytes), an error from the daemon, SIGINT/SIGTERM/SIGHUP (then the signal ends the process
/// as it would have), and crashes (`RawModeSignals`). SIGWINCH redraws at the new size.
/// Refreshes are scheduled on the monotonic clock; rates use the daemon's timestamps.
public final class TopConsole {
    /// Where keys come from (needs to be a terminal for raw mode; otherwise no keys).
    let input: Int32
    /// Where the screen goes.
    let output: Int32
    let interval: UInt64
    let iterations: Int?
    let fetch: () throws -> TopSnapshot
    let clearRouter: () throws -> String
    let now: () -> UInt64
    public private(set) var model = TopModel()

    /// A console reading keys on `input` and drawing on `output`; `interval` in nanoseconds;
    /// stops by itself after `iterations` refreshes when given. `fetch` takes a snapshot,
    /// `clearRouter` clears the router's drop counters and says what it did.
    public init(input: Int32, output: Int32, interval: UInt64, iterations: Int? = nil,
                fetch: @escaping () throws -> TopSnapshot, clearRouter: @escaping () throws -> String,
                now: @escaping () -> UInt64 = MonotonicClock.nanoseconds) {
        self.input = input
        self.output = output
        self.interval = interval
        self.iterations = iterations
        self.fetch = fetch
        self.clearRouter = clearRouter
        self.now = now
    }

    /// Runs until a quit key, the iteration count or a signal. Returns the ending signal (the
    /// caller re-raises it once everything is put back), nil for a normal quit.
    public func run() throws -> Int32? {
        let signals = TopSignals.install()
        defer { TopSignals.uninstall(signals) }
        let terminal = RawTerminal.isTerminal(input) ? try RawTerminal(fd: input) : nil
        try terminal?.enterRawMode()
        defer { terminal?.leaveRawMode() }
        let screen = FileDescriptorStream(fd: output)
        try screen.write(TerminalControl.enterAlternateScreen + TerminalControl.hideCursor)
        defer { try? screen.write(TerminalControl.showCursor + TerminalControl.leaveAlternateScreen) }

        var keysOpen = terminal != nil
        var decoder = KeyDecoder()
        var refreshes = 0
        var due = now()
        try draw(screen)
        while true {
            let signal = TopSignals.received.load(ordering: .relaxed)
            if signal != 0 { return signal }
            if now() >= due {
                model.ingest(try fetch())
                refreshes += 1
                due = max(due &+ interval, now())
                try draw(screen)
                if let iterations, refreshes >= iterations { return nil }
            }
            if TopSignals.resized.exchange(false, ordering: .relaxed) { try draw(screen) }

            let current = now()
            let wait = due > current ? due - current : 0
            var fds = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, keysOpen ? 1 : 0, Int32(min(wait / 1_000_000 + 1, 60_000)))
            guard ready > 0, fds.revents != 0 else { continue }   // timeout, or EINTR from a signal
            var bytes = [UInt8](repeating: 0, count: 64)
            let n = bytes.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n == 0 || (errno != EINTR && errno != EAGAIN) { keysOpen = false }
                continue
            }
            let keys = MemoryTerminal(input: Array(bytes[..<n]))
            while let key = try decoder.next(from: keys) {
                let byte: UInt8
                switch key {
                case let .character(c) where c.isASCII: byte = UInt8(c.value)
                case let .control(b): byte = b
                default: continue
                }
                switch model.handle(byte) {
                case .none: continue
                case .quit: return nil
                case .redraw: try draw(screen)
                case .clearRouter:
                    do {
                        model.message = try clearRouter()
                        model.useRouterBaseline()
                    } catch {
                        model.message = "could not clear the router's counters: \(error)"
                    }
                    due = now()   // show the cleared counters at once
                }
            }
        }
    }

    /// Writes one frame at the terminal's current size.
    func draw(_ screen: FileDescriptorStream) throws {
        let size = RawTerminal.size(of: output) ?? (RawTerminal.defaultWidth, 24)
        try screen.write(Self.frame(TopScreen.render(model.view, width: size.columns, height: size.rows)))
    }

    /// The bytes of one frame: home, each line erased to its end, the rest of the screen erased.
    static func frame(_ lines: [String]) -> [UInt8] {
        var bytes = TerminalControl.cursorHome
        for (i, line) in lines.enumerated() {
            if i > 0 { bytes += TerminalControl.newline }
            bytes += Array(line.utf8) + TerminalControl.clearToEndOfLine
        }
        return bytes + TerminalControl.clearToEndOfScreen
    }
}

@available(*, unavailable, message: "drives one terminal from one thread")
extension TopConsole: Sendable {}
