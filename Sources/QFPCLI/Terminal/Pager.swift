/// Shows command output a screen at a time, as IOS does under `terminal length N`.
///
/// Writes N-1 lines, then ` --More-- ` on the next row and waits for a key: Space (or any key
/// not listed) shows the next N-1 lines, Enter (CR or LF) one more line, q, Q or Ctrl-C (or
/// end of input) stops with nothing more shown. After the key the prompt is erased as IOS
/// erases it (9 backspaces, 8 spaces, 9 backspaces: `TerminalControl.moreErase`), leaving the
/// cursor at the start of that row. Length 0 shows everything at once. Lines are counted as
/// "\n"-separated text, whatever their width.
///
/// Output keeps "\n" line ends: the terminal is expected in its normal (cooked) mode, which
/// sends them as "\r\n"; with a `RawTerminal`, raw mode is entered only to read the key.
/// Not thread-safe.
public final class Pager {
    /// How `show` ended.
    public enum Outcome: Equatable, Sendable {
        /// All the text was shown.
        case completed
        /// The user stopped it at ` --More-- `.
        case stopped
    }

    /// IOS's `terminal length` when the terminal does not say (24 rows).
    public static let defaultLength = 24

    /// Rows per screen (IOS `terminal length`, 0–512); 0 turns paging off.
    public var length: Int

    private let input: any TerminalInput
    private let output: any TerminalOutput
    private let terminal: RawTerminal?
    private var decoder = KeyDecoder()

    /// A pager writing to `output` and reading keys from `input` (in raw mode on `terminal`).
    public init(length: Int = defaultLength, input: any TerminalInput, output: any TerminalOutput, terminal: RawTerminal? = nil) {
        self.length = length
        self.input = input
        self.output = output
        self.terminal = terminal
    }

    /// Shows `text`, pausing at each screenful; returns whether the user stopped it.
    @discardableResult
    public func show(_ text: String) throws -> Outcome {
        let bytes = Array(text.utf8)
        guard length > 0 else {
            try output.write(bytes)
            return .completed
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }   // the empty piece after the final "\n"
        let page = max(1, length - 1)
        var budget = page
        var pending: [UInt8] = []
        for (i, line) in lines.enumerated() {
            if budget == 0 {
                try output.write(pending + TerminalControl.morePrompt)
                pending = []
                let key = try readKey()
                try output.write(TerminalControl.moreErase)
                switch key {
                case nil, .character("q"), .character("Q"), .control(0x03): return .stopped
                case .control(0x0D), .control(0x0A): budget = 1
                default: budget = page
                }
            }
            pending += line
            if i < lines.count - 1 || bytes.last == 0x0A { pending.append(0x0A) }
            budget -= 1
        }
        try output.write(pending)
        return .completed
    }

    private func readKey() throws -> TerminalKey? {
        if let terminal {
            return try terminal.withRawMode { try decoder.next(from: input) }
        }
        return try decoder.next(from: input)
    }
}

@available(*, unavailable, message: "reads keys from one input; use from one thread")
extension Pager: Sendable {}
