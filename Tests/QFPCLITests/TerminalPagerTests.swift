@testable import QFPCLI
import Testing

/// ` --More-- ` and IOS's erasure of it, as the tests spell them.
let more = " --More-- "
let erase = String(repeating: "\u{8}", count: 9) + String(repeating: " ", count: 8) + String(repeating: "\u{8}", count: 9)

/// Lines "1" to "n", each ending in "\n".
func numbered(_ n: Int) -> String {
    (1...n).map { "\($0)\n" }.joined()
}

/// Shows `text` on a scripted terminal typing `keys`; returns the outcome and the output.
func page(_ text: String, length: Int, keys: String) throws -> (Pager.Outcome, String) {
    let terminal = MemoryTerminal(input: keys)
    let outcome = try Pager(length: length, input: terminal, output: terminal).show(text)
    return (outcome, terminal.outputText)
}

@Suite("Pager: IOS --More-- paging on a scripted terminal")
struct TerminalPagerTests {
    @Test("the erase sequence is IOS's: 9 backspaces, 8 spaces, 9 backspaces")
    func eraseBytes() {
        #expect(TerminalControl.moreErase == Array(erase.utf8))
        #expect(TerminalControl.morePrompt == Array(more.utf8))
    }

    @Test("N-1 lines, --More--; Space shows N-1 more, Enter one more, q stops with nothing more")
    func spaceEnterQuit() throws {
        let (outcome, out) = try page(numbered(10), length: 4, keys: " \rq")
        #expect(outcome == .stopped)
        #expect(out == "1\n2\n3\n" + more + erase + "4\n5\n6\n" + more + erase + "7\n" + more + erase)
    }

    @Test("Q and Ctrl-C stop too; any other key is the next page")
    func otherKeys() throws {
        #expect(try page(numbered(10), length: 3, keys: "Q") == (.stopped, "1\n2\n" + more + erase))
        #expect(try page(numbered(10), length: 3, keys: "\u{3}") == (.stopped, "1\n2\n" + more + erase))
        let (outcome, out) = try page(numbered(5), length: 3, keys: "x\u{1B}[A")
        #expect(outcome == .completed)
        #expect(out == "1\n2\n" + more + erase + "3\n4\n" + more + erase + "5\n")
    }

    @Test("no --More-- when the rest fits; a last line without newline stays without one")
    func lastPage() throws {
        #expect(try page(numbered(3), length: 4, keys: "") == (.completed, "1\n2\n3\n"))
        #expect(try page("1\n2\n3\n4", length: 4, keys: " ") == (.completed, "1\n2\n3\n" + more + erase + "4"))
        #expect(try page("", length: 4, keys: "") == (.completed, ""))
    }

    @Test("terminal length 0 shows everything without waiting for a key")
    func lengthZero() throws {
        #expect(try page(numbered(100), length: 0, keys: "") == (.completed, numbered(100)))
    }

    @Test("end of input at --More-- stops")
    func endOfInput() throws {
        #expect(try page(numbered(5), length: 2, keys: "") == (.stopped, "1\n" + more + erase))
    }

    @Test("terminal length 1 still moves one line per screen")
    func lengthOne() throws {
        #expect(try page(numbered(2), length: 1, keys: " ") == (.completed, "1\n" + more + erase + "2\n"))
    }
}
