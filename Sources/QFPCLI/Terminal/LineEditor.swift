import Glibc

/// Reads command lines as IOS does: editing in place, history, `?` help and Tab completion.
///
/// Interactive mode edits on a terminal (in raw mode for the duration of each `readLine`, when
/// given a `RawTerminal`) and writes only what is needed to show the line: echo at the end of
/// the line, "\b" to move left, "\b \b" to erase the last character, and otherwise a redraw
/// (cursor up to the prompt's row, "\r", erase to end of screen, prompt and line, cursor back).
/// Keys: printable characters insert at the cursor; Backspace (DEL or ^H), Delete (Esc [3~,
/// or ^D on a non-empty line) delete; Left/Right and ^B/^F, Home/End and ^A/^E, Esc B/Esc F
/// move; ^K kills to the end, ^U and ^X to the start (IOS), ^W the word before the cursor,
/// ^Y yanks the last kill; Up/Down and ^P/^N walk the history; ^L and ^R show the line again;
/// `?` asks the delegate for help, Tab for completion; Enter returns the line, ^C an empty
/// line, ^Z `.end`, ^D on an empty line nil. Other control bytes and sequences are ignored.
/// Each character is taken as one column wide.
///
/// Plain mode (input not a terminal, e.g. `qfp shell < commands.txt`) reads LF-terminated lines
/// (a CR before the LF dropped), writes nothing, and keeps `?` and every byte as typed.
/// Not thread-safe.
public final class LineEditor {
    /// What one `readLine` returns besides end of input (nil).
    public enum Entry: Equatable, Sendable {
        /// A line entered with Enter (empty after Ctrl-C).
        case line(String)
        /// Ctrl-Z: IOS `end`, leave configuration mode.
        case end
    }

    /// How lines are read.
    public enum Mode: Equatable, Sendable {
        /// Editing on a terminal.
        case interactive
        /// Lines from a file or pipe, as they are.
        case plain
    }

    /// How lines are read.
    public let mode: Mode
    /// Help and completion; without one, `?` prints nothing but the line again and Tab rings.
    public weak var delegate: (any LineEditorDelegate)?
    /// The lines entered so far (interactive mode only); set `history.size` for
    /// `terminal history size`.
    public var history: LineHistory
    /// Columns of the screen; nil asks the terminal each line (80 without one).
    public var width: Int?

    let input: any TerminalInput
    let output: any TerminalOutput
    let terminal: RawTerminal?
    var decoder = KeyDecoder()
    var prompt: [UInt8] = []
    var promptWidth = 0
    var columns = RawTerminal.defaultWidth
    var line: [Unicode.Scalar] = []
    var cursor = 0
    /// Row of the terminal cursor, counted from the prompt's first row.
    var cursorRow = 0
    var killed: [Unicode.Scalar] = []
    /// Position in `history.entries` while walking it; `entries.count` is the line being typed.
    var historyIndex = 0
    var typedLine: [Unicode.Scalar] = []
    /// The last line ended with CR; an LF right after it is the rest of a CRLF, not a new line.
    var skipLineFeed = false

    /// An editor reading `input` and writing `output`; with a `terminal`, each interactive
    /// `readLine` runs in raw mode and the width is asked of it.
    public init(input: any TerminalInput, output: any TerminalOutput, terminal: RawTerminal? = nil,
                mode: Mode = .interactive, historySize: Int = LineHistory.defaultSize) {
        self.input = input
        self.output = output
        self.terminal = terminal
        self.mode = mode
        self.history = LineHistory(size: historySize)
    }

    /// An editor on standard input: interactive when it is a terminal (writing to standard
    /// output), plain otherwise.
    public static func standardInput(historySize: Int = LineHistory.defaultSize) -> LineEditor {
        let input = FileDescriptorStream(fd: STDIN_FILENO)
        let terminal = try? RawTerminal(fd: STDIN_FILENO)
        return LineEditor(input: input, output: FileDescriptorStream(fd: STDOUT_FILENO), terminal: terminal,
                          mode: terminal == nil ? .plain : .interactive, historySize: historySize)
    }

    /// Reads one line after writing `prompt` (interactive mode); nil at end of input or Ctrl-D
    /// on an empty line. The terminal is back in its previous mode when this returns or throws.
    public func readLine(prompt: String) throws -> Entry? {
        switch mode {
        case .plain:
            return try readPlainLine()
        case .interactive:
            if let terminal {
                return try terminal.withRawMode { try readEditedLine(prompt: prompt) }
            }
            return try readEditedLine(prompt: prompt)
        }
    }

    private func readPlainLine() throws -> Entry? {
        var bytes: [UInt8] = []
        while let b = try input.readByte() {
            if b == 0x0A {
                if bytes.last == 0x0D { bytes.removeLast() }
                return .line(Self.text(bytes))
            }
            bytes.append(b)
        }
        return bytes.isEmpty ? nil : .line(Self.text(bytes))
    }

    /// UTF-8 text with invalid bytes left out.
    static func text(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        return String(String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0 != "\u{FFFD}" })
    }

    private func readEditedLine(prompt: String) throws -> Entry? {
        self.prompt = Array(prompt.utf8)
        promptWidth = prompt.unicodeScalars.count
        columns = max(1, width ?? terminal?.width ?? RawTerminal.defaultWidth)
        line = []
        cursor = 0
        historyIndex = history.entries.count
        typedLine = []
        cursorRow = 0
        try draw(fresh: true)
        while true {
            guard let key = try decoder.next(from: input) else {
                try finish(echo: [])
                return nil
            }
            if skipLineFeed {
                skipLineFeed = false
                if key == .control(0x0A) { continue }
            }
            if let entry = try handle(key) { return entry }
        }
    }

    /// Applies one key. Returns nil to keep editing, or `.some(what readLine returns)`.
    private func handle(_ key: TerminalKey) throws -> Entry?? {
        switch key {
        case .character("?"): try showHelp()
        case .character(let c): try insert([c])
        case .control(0x0D), .control(0x0A):
            skipLineFeed = key == .control(0x0D)
            try finish(echo: [])
            let text = String(String.UnicodeScalarView(line))
            history.add(text)
            return .some(.line(text))
        case .control(0x03):
            try finish(echo: TerminalControl.interruptEcho)
            return .some(.line(""))
        case .control(0x1A):
            try finish(echo: TerminalControl.endEcho)
            return .some(.end)
        case .control(0x04):
            if line.isEmpty {
                try finish(echo: [])
                return .some(nil)
            }
            try deleteForward()
        case .control(0x01), .home: try moveCursor(to: 0)
        case .control(0x05), .end: try moveCursor(to: line.count)
        case .control(0x02), .left: try moveCursor(to: cursor - 1)
        case .control(0x06), .right: try moveCursor(to: cursor + 1)
        case .wordLeft: try moveCursor(to: wordStart(before: cursor))
        case .wordRight: try moveCursor(to: wordEnd(after: cursor))
        case .control(0x08), .control(0x7F): try backspace()
        case .delete: try deleteForward()
        case .control(0x09): try complete()
        case .control(0x0B): try kill(cursor..<line.count)
        case .control(0x15), .control(0x18): try kill(0..<cursor)
        case .control(0x17): try kill(wordStart(before: cursor)..<cursor)
        case .control(0x19): try insert(killed)
        case .control(0x10), .up: try recall(historyIndex - 1)
        case .control(0x0E), .down: try recall(historyIndex + 1)
        case .control(0x0C), .control(0x12): try redisplay()
        default: break
        }
        return nil
    }
}

@available(*, unavailable, message: "holds one line's editing state; use from one thread")
extension LineEditor: Sendable {}
