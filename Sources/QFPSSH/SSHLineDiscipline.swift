/// The terminal side of an SSH shell, as a vty line does it: echo of typed characters, line
/// editing (backspace, Ctrl-U, Ctrl-W), CR, LF or CRLF ending a line, `?` asking for help,
/// Ctrl-C dropping the line, Ctrl-Z ending configuration mode, escape sequences (arrow keys)
/// ignored. A value: feed it bytes, act on the events. No I/O, so tests drive it directly.
public struct SSHLineDiscipline: Sendable {
    /// What a byte produced.
    public enum Event: Equatable, Sendable {
        /// Bytes to send back (echo, erase).
        case echo([UInt8])
        /// A complete line (without its end).
        case line(String)
        /// `?` typed after `partial` (IOS shows help at once, then the line again).
        case help(String)
        /// Ctrl-C: the line is dropped.
        case interrupt
        /// Ctrl-Z: `end` (leave configuration mode).
        case end
    }

    var buffer: [UInt8] = []
    var lastWasCR = false
    /// 0: normal; 1: after ESC; 2: inside a CSI sequence (`ESC [` … final byte).
    var escape = 0
    /// Typed characters are not echoed (`enable`'s `Password:`).
    public var secret = false
    /// Longest line kept; more is dropped (with a bell) rather than grown without bound.
    public static let maximumLine = 4096

    public init() {}

    /// The line typed so far.
    public var partial: String { String(decoding: buffer, as: UTF8.self) }

    /// Feeds one byte.
    public mutating func feed(_ byte: UInt8) -> Event? {
        let afterCR = lastWasCR
        lastWasCR = false
        switch escape {
        case 1:
            escape = byte == UInt8(ascii: "[") || byte == UInt8(ascii: "O") ? 2 : 0
            return nil
        case 2:
            if (0x40...0x7E).contains(byte) { escape = 0 }
            return nil
        default: break
        }
        switch byte {
        case 0x0D:
            lastWasCR = true
            return finishLine()
        case 0x0A:
            // The LF of a CRLF pair ended nothing new.
            return afterCR ? nil : finishLine()
        case 0x08, 0x7F:
            guard !buffer.isEmpty else { return nil }
            // Back over a whole UTF-8 character.
            while let b = buffer.popLast(), b & 0xC0 == 0x80 {}
            return secret ? nil : .echo(Array("\u{8} \u{8}".utf8))
        case 0x15:
            let count = partial.count
            buffer.removeAll()
            return secret || count == 0 ? nil : .echo(erase(count))
        case 0x17:
            let text = partial
            let kept = text.reversed().drop { $0 == " " }.drop { $0 != " " }
            let removed = text.count - kept.count
            buffer = Array(String(kept.reversed()).utf8)
            return secret || removed == 0 ? nil : .echo(erase(removed))
        case 0x03:
            buffer.removeAll()
            return .interrupt
        case 0x1A:
            buffer.removeAll()
            return .end
        case 0x1B:
            escape = 1
            return nil
        case UInt8(ascii: "?") where !secret:
            return .help(partial)
        case 0x09:
            // Tab completion is the interactive shell's (qfp shell); a vty just ignores it.
            return nil
        case 0x00..<0x20:
            return nil
        default:
            guard buffer.count < Self.maximumLine else { return .echo([0x07]) }
            buffer.append(byte)
            return secret ? nil : .echo([byte])
        }
    }

    mutating func finishLine() -> Event {
        let line = partial
        buffer.removeAll()
        return .line(line)
    }

    func erase(_ count: Int) -> [UInt8] {
        Array(String(repeating: "\u{8} \u{8}", count: count).utf8)
    }

    /// Puts `text` back as the line being typed (after `?` help).
    public mutating func restore(_ text: String) { buffer = Array(text.utf8) }
}
