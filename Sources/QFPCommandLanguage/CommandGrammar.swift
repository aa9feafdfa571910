/// One token of a command's syntax, as written in the command table.
///
/// Syntax strings use IOS conventions: `keyword`, `{a | b}` (one of), `[a | b]` and `[a b]`
/// (optional), and argument placeholders `WORD`, `LINE` (rest of the line), `A.B.C.D`,
/// `X:X:X:X::X`, `<lo-hi>` (a number in range), `HEX`.
public enum SyntaxToken: Hashable, Sendable {
    case keyword(String)
    case argument(ArgumentKind)
}

/// What an argument position accepts.
public enum ArgumentKind: Hashable, Sendable, CustomStringConvertible {
    /// Any single word.
    case word
    /// The rest of the line, spaces included.
    case line
    /// A dotted-quad IPv4 address.
    case ipv4
    /// An IPv6 address.
    case ipv6
    /// An integer in a range.
    case number(ClosedRange<UInt64>)
    /// Hexadecimal digits.
    case hex

    /// The placeholder as IOS shows it in `?` help.
    public var description: String {
        switch self {
        case .word: "WORD"
        case .line: "LINE"
        case .ipv4: "A.B.C.D"
        case .ipv6: "X:X:X:X::X"
        case let .number(r): "<\(r.lowerBound)-\(r.upperBound)>"
        case .hex: "HEX"
        }
    }

    /// Whether `token` is acceptable here.
    public func accepts(_ token: String) -> Bool {
        switch self {
        case .word, .line:
            return !token.isEmpty
        case .ipv4:
            // The same parser as the handlers' (inet_pton): what matches here always converts.
            return QFPAddressText.isIPv4(token)
        case .ipv6:
            return token.contains(":") && QFPAddressText.isIPv6(token)
        case let .number(r):
            guard let v = UInt64(token) else { return false }
            return r.contains(v)
        case .hex:
            let digits = token.hasPrefix("0x") || token.hasPrefix("0X") ? token.dropFirst(2) : Substring(token)
            return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
        }
    }

    static func parse(_ text: String) -> ArgumentKind? {
        switch text {
        case "WORD": return .word
        case "LINE": return .line
        case "A.B.C.D": return .ipv4
        case "X:X:X:X::X": return .ipv6
        case "HEX": return .hex
        default:
            guard text.hasPrefix("<"), text.hasSuffix(">") else { return nil }
            let body = text.dropFirst().dropLast().split(separator: "-")
            guard body.count == 2, let lo = UInt64(body[0]), let hi = UInt64(body[1]), lo <= hi else { return nil }
            return .number(lo...hi)
        }
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (never truncated).
    public func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Address syntax checks without Foundation.
enum QFPAddressText {
    /// Dotted quad, four decimal parts 0-255 without leading zeros (inet_pton's rules).
    static func isIPv4(_ text: String) -> Bool {
        text.withCString { p in
            var storage = [UInt8](repeating: 0, count: 4)
            return storage.withUnsafeMutableBytes { inet_pton(AF_INET, p, $0.baseAddress) } == 1
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        text.withCString { p in
            var storage = [UInt8](repeating: 0, count: 16)
            return storage.withUnsafeMutableBytes { inet_pton(AF_INET6, p, $0.baseAddress) } == 1
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Expands a command's syntax string into every linear sequence of tokens it allows.
///
/// `show crypto ipsec sa [detail] [peer A.B.C.D]` becomes four sequences. Malformed syntax is
/// a programming error in the command table and traps at start-up (a test builds the table).
enum SyntaxExpander {
    indirect enum Pattern {
        case token(SyntaxToken)
        case sequence([Pattern])
        case choice([Pattern])
        case optional(Pattern)
    }

    static func expand(_ syntax: String) -> [[SyntaxToken]] {
        var lexemes = lex(syntax)[...]
        let pattern = parseSequence(&lexemes, until: nil)
        precondition(lexemes.isEmpty, "unbalanced syntax: \(syntax)")
        return sequences(pattern)
    }

    static func lex(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in s {
            if "{}[]|".contains(ch) {
                if !current.isEmpty { out.append(current); current = "" }
                out.append(String(ch))
            } else if ch == " " {
                if !current.isEmpty { out.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func parseSequence(_ lx: inout ArraySlice<String>, until close: String?) -> Pattern {
        var alternatives: [[Pattern]] = [[]]
        while let next = lx.first {
            if next == close { break }
            lx.removeFirst()
            switch next {
            case "|":
                alternatives.append([])
            case "{":
                alternatives[alternatives.count - 1].append(parseSequence(&lx, until: "}"))
                precondition(lx.first == "}", "missing }")
                lx.removeFirst()
            case "[":
                alternatives[alternatives.count - 1].append(.optional(parseSequence(&lx, until: "]")))
                precondition(lx.first == "]", "missing ]")
                lx.removeFirst()
            case "}", "]":
                preconditionFailure("unexpected \(next)")
            default:
                let token: SyntaxToken = ArgumentKind.parse(next).map { .argument($0) } ?? .keyword(next)
                alternatives[alternatives.count - 1].append(.token(token))
            }
        }
        let seqs = alternatives.map { Pattern.sequence($0) }
        return seqs.count == 1 ? seqs[0] : .choice(seqs)
    }

    static func sequences(_ p: Pattern) -> [[SyntaxToken]] {
        switch p {
        case let .token(t): return [[t]]
        case let .optional(inner): return [[]] + sequences(inner)
        case let .choice(options): return options.flatMap(sequences)
        case let .sequence(items):
            var result: [[SyntaxToken]] = [[]]
            for item in items {
                let tails = sequences(item)
                result = result.flatMap { head in tails.map { head + $0 } }
            }
            return result
        }
    }
}
