@testable import QFPSSH
import Testing

@Suite("SSH line discipline")
struct SSHLineDisciplineTests {
    func feed(_ d: inout SSHLineDiscipline, _ text: String) -> [SSHLineDiscipline.Event] {
        text.utf8.compactMap { d.feed($0) }
    }

    @Test("echo, and CR, LF and CRLF each end exactly one line")
    func lineEnds() {
        var d = SSHLineDiscipline()
        #expect(feed(&d, "sh\r") == [.echo([0x73]), .echo([0x68]), .line("sh")])
        #expect(feed(&d, "a\r\nb\nc\n\r") == [.echo([0x61]), .line("a"), .echo([0x62]), .line("b"), .echo([0x63]), .line("c"), .line("")])
    }

    @Test("backspace, Ctrl-U and Ctrl-W edit; escape sequences are swallowed; Ctrl-C drops the line")
    func editing() {
        var d = SSHLineDiscipline()
        let bs: [UInt8] = Array("\u{8} \u{8}".utf8)
        #expect(feed(&d, "shx\u{7F}").last == .echo(bs))
        #expect(d.partial == "sh")
        _ = feed(&d, " run")
        #expect(feed(&d, "\u{17}") == [.echo(bs + bs + bs)] && d.partial == "sh ")
        _ = feed(&d, "\u{1B}[A\u{1B}[1;5C")
        #expect(d.partial == "sh ")
        #expect(feed(&d, "\u{15}") == [.echo(bs + bs + bs)] && d.partial == "")
        _ = feed(&d, "show")
        #expect(feed(&d, "\u{3}") == [.interrupt] && d.partial == "")
        #expect(feed(&d, "\u{1A}") == [.end])
        // A multi-byte character goes in one backspace.
        _ = feed(&d, "é")
        _ = d.feed(0x7F)
        #expect(d.partial == "")
    }

    @Test("? asks for help on the line so far; secret mode echoes nothing and takes ? literally")
    func helpAndSecret() {
        var d = SSHLineDiscipline()
        _ = feed(&d, "show cr")
        #expect(d.feed(UInt8(ascii: "?")) == .help("show cr"))
        var p = SSHLineDiscipline()
        p.secret = true
        #expect(feed(&p, "p?w\u{7F}x\r") == [.line("p?x")])
    }

    @Test("exec-timeout: idle from the last input; a touch restarts it; 0 0 never expires")
    func idleTimer() {
        var t = IdleTimer(seconds: 330, now: 1_000)
        #expect(!t.expired(now: 1_000 + 329_999_999_999))
        #expect(t.expired(now: 1_000 + 330_000_000_000))
        t.touch(now: 200_000_000_000)
        #expect(!t.expired(now: 529_999_999_999) && t.expired(now: 530_000_000_000))
        let never = IdleTimer(seconds: nil, now: 0)
        #expect(never.limit == nil && !never.expired(now: .max))
    }
}
