import Foundation
import Glibc
import Testing

/// `qfp shell` on a pseudo-terminal (80 × 24): what an engineer at a console types and sees.
func shellOnTerminal(socket: String) throws -> QFPOnPTY {
    try QFPOnPTY(["shell", "--socket", socket], rows: 24, columns: 80)
}

@Suite("qfp shell on a terminal")
struct ShellTerminalTests {
    @Test("prompt, abbreviations, ? help, Tab completion, history, --More-- paging, exit")
    func console() throws {
        let d = try Daemon()
        let t = try shellOnTerminal(socket: d.socket)
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
