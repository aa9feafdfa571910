/// An IOS regular expression (the argument of `| include` and friends).
///
/// IOS patterns are POSIX-style regular expressions searched in each line (unanchored,
/// case-sensitive) with one addition: `_` outside a bracket expression matches the start or
/// end of the line, a space, a comma, a brace or a parenthesis — so `| exclude _0_` hides rows
/// with a standalone `0`.
public struct IOSRegex: @unchecked Sendable {  // Regex is an immutable value; matching does not mutate it
    public let pattern: String
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; nil when it is not a valid expression.
    public init?(_ pattern: String) {
        self.pattern = pattern
        guard let r = try? Regex(Self.translate(pattern)) else { return nil }
        regex = r
    }

    /// The pattern with IOS `_` turned into its meaning.
    static func translate(_ p: String) -> String {
        var out = ""
        var inBracket = false
        var escaped = false
        for ch in p {
            if escaped {
                out.append(ch)
                escaped = false
                continue
            }
            switch ch {
            case "\\":
                escaped = true
                out.append(ch)
            case "[":
                inBracket = true
                out.append(ch)
            case "]":
                inBracket = false
                out.append(ch)
            case "_" where !inBracket:
                out += "(?:^|$|[ ,{}()\\t])"
            default:
                out.append(ch)
            }
        }
        return out
    }

    /// Whether the pattern occurs in `line`.
    public func matches(_ line: Substring) -> Bool {
        (try? regex.firstMatch(in: line)) != nil
    }
}
