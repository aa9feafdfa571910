/// Turns terminal input bytes into keys: UTF-8 characters, control bytes, and the VT100/xterm
/// escape sequences of arrows, Home, End and Delete.
///
/// An escape sequence or UTF-8 sequence it does not understand becomes `.unknown`, never a
/// crash; a control byte that interrupts one is kept for the next key, so Esc then Enter is
/// still Enter. A lone Esc waits for the next byte, as IOS does (Esc is its prefix key).
struct KeyDecoder {
    /// Longest CSI parameter/intermediate run of a key; longer sequences are read and ignored.
    static let maxSequenceLength = 16
    private var pending: UInt8?

    /// The next key; nil at end of input (a sequence cut short by the end is dropped).
    mutating func next(from input: any TerminalInput) throws -> TerminalKey? {
        guard let b = try byte(input) else { return nil }
        switch b {
        case TerminalControl.escape: return try escape(input)
        case 0x00..<0x20, 0x7F: return .control(b)
        case 0x20..<0x7F: return .character(Unicode.Scalar(b))
        case 0xC2...0xF4: return try utf8(lead: b, input)
        default: return .unknown
        }
    }

    private mutating func byte(_ input: any TerminalInput) throws -> UInt8? {
        if let b = pending {
            pending = nil
            return b
        }
        return try input.readByte()
    }

    private mutating func utf8(lead: UInt8, _ input: any TerminalInput) throws -> TerminalKey? {
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var bytes = [lead]
        while bytes.count < length {
            guard let b = try byte(input) else { return nil }
            guard b & 0xC0 == 0x80 else {
                pending = b
                return .unknown
            }
            bytes.append(b)
        }
        // Rejects overlong forms, surrogates and values past U+10FFFF.
        guard let text = String(validating: bytes, as: UTF8.self),
              let scalar = text.unicodeScalars.first,
              scalar.value >= 0xA0   // C1 controls (U+0080–U+009F) are not printable
        else { return .unknown }
        return .character(scalar)
    }

    private mutating func escape(_ input: any TerminalInput) throws -> TerminalKey? {
        guard let b = try byte(input) else { return nil }
        switch b {
        case UInt8(ascii: "["): return try controlSequence(input)
        case UInt8(ascii: "O"):
            guard let final = try byte(input) else { return nil }
            return key(final: final, parameters: [])
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return .wordLeft
        case UInt8(ascii: "f"), UInt8(ascii: "F"): return .wordRight
        case 0x00..<0x20, 0x7F:
            pending = b
            return .unknown
        default: return .unknown
        }
    }

    /// CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
    private mutating func controlSequence(_ input: any TerminalInput) throws -> TerminalKey? {
        var parameters: [UInt8] = []
        parameters.reserveCapacity(Self.maxSequenceLength)
        while true {
            guard let b = try byte(input) else { return nil }
            switch b {
            case 0x20...0x3F:
                parameters.append(b)
            case 0x40...0x7E:
                // Too long to be a key: consumed whole, but not a key.
                return parameters.count > Self.maxSequenceLength ? .unknown : key(final: b, parameters: parameters)
            default:
                pending = b
                return .unknown
            }
        }
    }

    private func key(final: UInt8, parameters: [UInt8]) -> TerminalKey {
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch String(decoding: parameters, as: UTF8.self) {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return .unknown
            }
        default: return .unknown
        }
    }
}
