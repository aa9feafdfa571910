@testable import QFPCLI
import Testing

/// A delegate answering from tables and recording what it was asked.
final class ScriptedDelegate: LineEditorDelegate {
    var helpText = ""
    var completions: [String: String] = [:]
    private(set) var helpAsked: [String] = []
    private(set) var completionAsked: [String] = []

    func help(for line: String) -> String {
        helpAsked.append(line)
        return helpText
    }

    func complete(_ line: String) -> String? {
        completionAsked.append(line)
        return completions[line]
    }
}

/// Key bytes, for readable scripts.
enum Key {
    static let up = "\u{1B}[A", down = "\u{1B}[B", right = "\u{1B}[C", left = "\u{1B}[D"
    static let home = "\u{1B}[H", end = "\u{1B}[F", delete = "\u{1B}[3~"
    static let ctrlA = "\u{01}", ctrlC = "\u{03}", ctrlD = "\u{04}", ctrlE = "\u{05}", ctrlK = "\u{0B}"
    static let ctrlN = "\u{0E}", ctrlP = "\u{10}", ctrlU = "\u{15}", ctrlW = "\u{17}", ctrlY = "\u{19}"
    static let ctrlZ = "\u{1A}", backspace = "\u{7F}", tab = "\t", enter = "\r"
}

/// Redraw of the line: back to column 0 of the prompt's row, erase to the end of the screen.
let redraw = "\r\u{1B}[J"

/// Reads lines typed as `keys` until the editor returns nil (or `count` lines).
/// Returns them, the output, and the editor (for its history).
func edit(_ keys: String, prompt: String = "R#", width: Int = 80, count: Int = .max,
          delegate: ScriptedDelegate? = nil, historySize: Int = LineHistory.defaultSize) throws -> ([LineEditor.Entry], String, LineEditor) {
    let terminal = MemoryTerminal(input: keys)
    let editor = LineEditor(input: terminal, output: terminal, historySize: historySize)
    editor.width = width
    editor.delegate = delegate
    var entries: [LineEditor.Entry] = []
    while entries.count < count, let entry = try editor.readLine(prompt: prompt) {
        entries.append(entry)
    }
    return (entries, terminal.outputText, editor)
}

@Suite("LineEditor: exact bytes written for each key, on a scripted terminal")
struct TerminalLineEditorTests {
    @Test("typing then Enter echoes each character and ends with CR LF")
    func typing() throws {
        let (entries, out, _) = try edit("show ip\r", count: 1)
        #expect(entries == [.line("show ip")])
        #expect(out == "R#show ip\r\n")
    }

    @Test("insertion in the middle redraws the line and moves back with backspaces")
    func insertMiddle() throws {
        let (entries, out, _) = try edit("sow" + Key.left + Key.left + "h" + Key.enter, prompt: "Router#", count: 1)
        #expect(entries == [.line("show")])
        // Left is "\b"; the insert redraws; Enter first moves to the end by rewriting "ow".
        #expect(out == "Router#sow\u{8}\u{8}" + redraw + "Router#show\u{8}\u{8}" + "ow\r\n")
    }

    @Test("Backspace at the end erases with \\b \\b; Delete and Ctrl-D in the middle redraw")
    func deleting() throws {
        let keys = "shxw" + Key.backspace + Key.backspace + "ow" + Key.home + Key.delete + Key.ctrlD + Key.enter
        let (entries, out, _) = try edit(keys, count: 1)
        #expect(entries == [.line("ow")])
        #expect(out == "R#shxw\u{8} \u{8}\u{8} \u{8}ow" + "\u{8}\u{8}\u{8}\u{8}"
            + redraw + "R#how\u{8}\u{8}\u{8}" + redraw + "R#ow\u{8}\u{8}" + "ow\r\n")
    }

    @Test("Ctrl-A/Ctrl-E and Home/End move to the ends; Ctrl-B/Ctrl-F and arrows by one")
    func moves() throws {
        let keys = "abc" + Key.ctrlA + "\u{06}" + Key.right + "\u{02}" + Key.end + "d" + Key.enter
        let (entries, out, _) = try edit(keys, count: 1)
        #expect(entries == [.line("abcd")])
        #expect(out == "R#abc" + "\u{8}\u{8}\u{8}" + "a" + "b" + "\u{8}" + "bc" + "d" + "\r\n")
    }

    @Test("Ctrl-W kills a word, Ctrl-Y yanks it, Ctrl-K kills to the end, Ctrl-U to the start")
    func killing() throws {
        let keys = "show crypto ipsec" + Key.ctrlW + Key.ctrlY + Key.ctrlA + Key.ctrlK + Key.ctrlY + Key.ctrlU + Key.enter
        let (entries, out, _) = try edit(keys, count: 1)
        #expect(entries == [.line("")])
        #expect(out == "R#show crypto ipsec" + redraw + "R#show crypto " + "ipsec"
            + String(repeating: "\u{8}", count: 17) + redraw + "R#" + "show crypto ipsec" + redraw + "R#" + "\r\n")
    }

    @Test("Up/Down and Ctrl-P/Ctrl-N walk the history; the line being typed comes back")
    func history() throws {
        let keys = "show a\r" + "show b\r" + "sh" + Key.up + Key.ctrlP + Key.ctrlP + Key.down + Key.ctrlN + Key.enter
        let (entries, out, _) = try edit(keys, count: 3)
        #expect(entries == [.line("show a"), .line("show b"), .line("sh")])
        #expect(out == "R#show a\r\n" + "R#show b\r\n" + "R#sh" + redraw + "R#show b" + redraw + "R#show a"
            + "\u{7}" + redraw + "R#show b" + redraw + "R#sh" + "\r\n")
    }

    @Test("history is bounded and skips a line equal to the one before it and blank lines")
    func historyBounds() throws {
        let (_, _, editor) = try edit("a\ra\r\rb\rc\r", historySize: 2)
        #expect(editor.history.entries == ["b", "c"])
        var history = LineHistory()
        for i in 0..<25 { history.add("show \(i)") }
        #expect(history.entries.count == LineHistory.defaultSize)
        #expect(history.entries.first == "show 5")
        history.size = 3
        #expect(history.entries == ["show 22", "show 23", "show 24"])
    }

    @Test("? asks for help on the line up to the cursor, prints it below and shows the line again")
    func help() throws {
        let delegate = ScriptedDelegate()
        delegate.helpText = "  brief   Brief\n  detail  Detail\n"
        let (entries, out, _) = try edit("show ip" + Key.left + Key.left + "?" + Key.enter, count: 1, delegate: delegate)
        #expect(entries == [.line("show ip")])
        #expect(delegate.helpAsked == ["show "])
        #expect(out == "R#show ip\u{8}\u{8}" + "ip" + "?\r\n" + "  brief   Brief\r\n  detail  Detail\r\n"
            + "R#show ip\u{8}\u{8}" + "ip\r\n")
    }

    @Test("? help text without a final newline still ends its row")
    func helpWithoutNewline() throws {
        let delegate = ScriptedDelegate()
        delegate.helpText = "  <cr>"
        let (_, out, _) = try edit("show?\r", count: 1, delegate: delegate)
        #expect(out == "R#show?\r\n  <cr>\r\nR#show\r\n")
    }

    @Test("Tab replaces the line with the delegate's completion, or rings the bell")
    func completion() throws {
        let delegate = ScriptedDelegate()
        delegate.completions = ["sh": "show "]
        let (entries, out, _) = try edit("sh\t\t\r", count: 1, delegate: delegate)
        #expect(entries == [.line("show ")])
        #expect(delegate.completionAsked == ["sh", "show "])
        #expect(out == "R#sh" + redraw + "R#show " + "\u{7}" + "\r\n")
    }

    @Test("Ctrl-C abandons the line (empty line, not in history); Ctrl-Z is end; Ctrl-D on an empty line is nil")
    func controlKeys() throws {
        let (entries, out, editor) = try edit("show" + Key.ctrlC + "conf" + Key.ctrlZ + Key.ctrlD + "never read\r")
        #expect(entries == [.line(""), .end])
        #expect(out == "R#show^C\r\n" + "R#conf^Z\r\n" + "R#\r\n")
        #expect(editor.history.entries.isEmpty)
    }

    @Test("end of input returns nil; CR LF is one Enter")
    func endOfInputAndCRLF() throws {
        let (entries, out, _) = try edit("a\r\nb\r\n")
        #expect(entries == [.line("a"), .line("b")])
        #expect(out == "R#a\r\nR#b\r\nR#\r\n")
    }

    @Test("invalid UTF-8, C1 controls and unknown escape sequences are ignored; valid UTF-8 is kept")
    func garbage() throws {
        let bytes: [UInt8] = Array("a".utf8) + [0xFF, 0xC3, 0x28] + Array("b\u{1B}[200~c".utf8) + [0xC3, 0xA9]
            + Array("\u{1B}OZ".utf8) + [0xC0, 0x80, 0xC2, 0x85, 0xED, 0xA0, 0x80] + Array("\u{1B}[99999999999999999999A".utf8)
            + Array("\u{1B}\rx\r".utf8)
        let terminal = MemoryTerminal(input: bytes)
        let editor = LineEditor(input: terminal, output: terminal)
        #expect(try editor.readLine(prompt: "R#") == .line("a(bcé"))
        #expect(try editor.readLine(prompt: "R#") == .line("x"))
        #expect(terminal.outputText == "R#a(bcé\r\nR#x\r\n")
    }

    @Test("Esc then Enter is still Enter; Esc B / Esc F move by words")
    func escapeThenEnter() throws {
        let (entries, out, _) = try edit("ab cd" + "\u{1B}b" + "\u{1B}b" + "\u{1B}f" + "\u{1B}\r", count: 1)
        #expect(entries == [.line("ab cd")])
        #expect(out == "R#ab cd" + "\u{8}\u{8}" + "\u{8}\u{8}\u{8}" + "ab" + " cd" + "\r\n")
    }

    @Test("a line wider than the terminal wraps; moves across rows use ESC[nA, LF, CR and ESC[nC")
    func longLine() throws {
        let keys = "abcdefgh" + "ij" + Key.ctrlA + "X" + Key.ctrlE + Key.backspace + Key.enter
        let (entries, out, _) = try edit(keys, width: 10, count: 1)
        #expect(entries == [.line("Xabcdefghi")])
        #expect(out == "R#abcdefg" + redraw + "R#abcdefgh\r\n" + "ij"
            + "\u{1B}[1A\r\u{1B}[2C"                         // Ctrl-A: up one row, column 2
            + redraw + "R#Xabcdefghij" + "\u{1B}[1A\r\u{1B}[3C"  // insert: redraw, back up to column 3
            + "\n\r\u{1B}[3C"                                  // Ctrl-E: down one row, column 3
            + "\u{8} \u{8}" + "\r\n")
    }

    @Test("a redraw of a wrapped line goes up from the cursor's row; Backspace over the margin redraws")
    func longLineRedraw() throws {
        let keys = "abcdefghij" + Key.left + Key.ctrlK + Key.backspace + Key.backspace + Key.enter
        let (entries, out, _) = try edit(keys, width: 10, count: 1)
        #expect(entries == [.line("abcdefg")])
        #expect(out == "R#abcdefg" + redraw + "R#abcdefgh\r\n" + "ij"
            + "\u{8}" + "\u{1B}[1A" + redraw + "R#abcdefghi"   // Left, then Ctrl-K redraws from the prompt's row
            + "\u{8} \u{8}"                                     // Backspace within the second row
            + "\u{1B}[1A" + redraw + "R#abcdefg" + "\r\n")     // Backspace back over the margin redraws
    }

    @Test("plain mode reads lines as they are: '?' is a character, CR LF and a last line without LF")
    func plainMode() throws {
        let terminal = MemoryTerminal(input: "show ?\r\nshow ip\n\u{1A}\nlast")
        let editor = LineEditor(input: terminal, output: terminal, mode: .plain)
        var entries: [LineEditor.Entry] = []
        while let entry = try editor.readLine(prompt: "R#") { entries.append(entry) }
        #expect(entries == [.line("show ?"), .line("show ip"), .line("\u{1A}"), .line("last")])
        #expect(terminal.output.isEmpty)
        let invalid = MemoryTerminal(input: [0x73, 0xFF, 0x68, 0x0A])
        #expect(try LineEditor(input: invalid, output: invalid, mode: .plain).readLine(prompt: "") == .line("sh"))
    }

    @Test("history size 0 keeps nothing: Up rings the bell")
    func noHistory() throws {
        let (entries, out, editor) = try edit("a\r" + Key.up + "\r", historySize: 0)
        #expect(entries == [.line("a"), .line("")])
        #expect(out == "R#a\r\nR#\u{7}\r\nR#\r\n")
        #expect(editor.history.entries.isEmpty)
    }
}
