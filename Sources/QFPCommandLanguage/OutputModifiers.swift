/// The `|` output modifiers of a show command: `include`, `exclude`, `begin`, `section`,
/// `count` (each with an IOS regular expression), `append URL` and `redirect URL` (the output
/// goes to a file instead of the terminal; the caller writes it) and `json` (a qfp extension:
/// the command's data as JSON). Keywords take any unique abbreviation (`| i`, `| inc`).
///
/// As in IOS, everything after the modifier keyword is the expression, `|` included (it is
/// regex alternation there), so one modifier applies per command.
public enum OutputModifier: Sendable {
    case include(IOSRegex)
    case exclude(IOSRegex)
    case begin(IOSRegex)
    case section(IOSRegex)
    case count(IOSRegex)
    /// `| append URL`: add the output to the end of a file.
    case append(String)
    /// `| redirect URL`: replace a file with the output.
    case redirect(String)
    case json

    static let keywords: [(String, String)] = [
        ("append", "Append redirected output to URL (URLs supporting append operation only)"),
        ("begin", "Begin with the line that matches"),
        ("count", "Count number of lines which match regexp"),
        ("exclude", "Exclude lines that match"),
        ("include", "Include lines that match"),
        ("json", "Show the command's data as JSON (qfp extension)"),
        ("redirect", "Redirect output to URL"),
        ("section", "Filter a section of output"),
    ]

    /// A failure to understand the text after `|`.
    public enum ParseError: Error, Equatable, Sendable {
        /// The word at `column` (from the start of the whole line) is not a modifier.
        case invalid(column: Int)
        case ambiguous
        case incomplete
        case badExpression(String)
    }

    /// Splits a command line at its first `|`: the command, and the modifier text after the bar.
    public static func split(_ line: String) -> (command: String, modifier: (text: String, column: Int)?) {
        guard let bar = line.firstIndex(of: "|") else { return (line, nil) }
        let column = line.distance(from: line.startIndex, to: bar) + 1
        return (String(line[..<bar]), (String(line[line.index(after: bar)...]), column))
    }

    /// Parses the text after `|` (`column` is where that text starts in the whole line).
    public static func parse(_ text: String, column: Int) -> Result<OutputModifier, ParseError> {
        let leading = text.prefix { $0 == " " }.count
        let body = text.dropFirst(leading)
        guard !body.isEmpty else { return .failure(.incomplete) }
        let word = body.prefix { $0 != " " }
        let candidates = keywords.map(\.0).filter { $0.hasPrefix(word.lowercased()) }
        if candidates.count > 1 && !candidates.contains(word.lowercased()) { return .failure(.ambiguous) }
        guard let keyword = candidates.count == 1 ? candidates[0] : candidates.first(where: { $0 == word.lowercased() }) else {
            return .failure(.invalid(column: column + leading))
        }
        let rest = body.dropFirst(word.count).drop { $0 == " " }
        if keyword == "json" {
            return rest.isEmpty ? .success(.json) : .failure(.invalid(column: column + leading + word.count + 1))
        }
        guard !rest.isEmpty else { return .failure(.incomplete) }
        if keyword == "append" || keyword == "redirect" {
            let url = rest.prefix { $0 != " " }
            let after = rest.dropFirst(url.count)
            if let extra = after.firstIndex(where: { $0 != " " }) {
                return .failure(.invalid(column: column + text.distance(from: text.startIndex, to: extra)))
            }
            return .success(keyword == "append" ? .append(String(url)) : .redirect(String(url)))
        }
        guard let regex = IOSRegex(String(rest)) else { return .failure(.badExpression(String(rest))) }
        switch keyword {
        case "include": return .success(.include(regex))
        case "exclude": return .success(.exclude(regex))
        case "begin": return .success(.begin(regex))
        case "section": return .success(.section(regex))
        default: return .success(.count(regex))
        }
    }

    /// `?` help after `|`: the keywords, the completions of a partial keyword, or what follows
    /// a keyword (`LINE` for the regular expression, `<cr>` after `json`).
    public static func help(_ text: String) -> String {
        let words = text.split(separator: " ")
        let atNewWord = text.isEmpty || text.last == " "
        guard let first = words.first else {
            let width = keywords.map(\.0.count).max()!
            return keywords.map { "  " + $0.0.padded(to: width) + "  " + $0.1 + "\n" }.joined()
        }
        let names = keywords.map(\.0).filter { $0.hasPrefix(first.lowercased()) }
        if words.count == 1 && !atNewWord {
            return names.isEmpty ? "% Unrecognized command\n" : names.joined(separator: "  ") + "  \n"
        }
        guard names.count == 1 else {
            return names.isEmpty ? "% Unrecognized command\n" : "% Ambiguous command: \"\(first)\"\n"
        }
        if names[0] == "json" { return words.count == 1 ? "  <cr>  <cr>\n" : "% Unrecognized command\n" }
        if names[0] == "append" || names[0] == "redirect" {
            return words.count == 1 ? "  WORD  Output URL (bootflash:NAME, flash:NAME, harddisk:NAME)\n" : "  <cr>  <cr>\n"
        }
        return words.count == 1 ? "  LINE  Regular Expression\n" : "  LINE  <cr>\n"
    }

    /// The file `append`/`redirect` write to, and whether they append; nil for the others.
    public var fileTarget: (url: String, append: Bool)? {
        switch self {
        case let .append(url): (url, true)
        case let .redirect(url): (url, false)
        default: nil
        }
    }

    /// Applies the modifier to rendered text (JSON and files are the caller's business: returns
    /// the text as is).
    public func apply(to text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A trailing newline yields one empty last element; keep the line structure intact.
        let body = text.hasSuffix("\n") ? Array(lines.dropLast()) : lines
        func join(_ ls: [Substring]) -> String { ls.isEmpty ? "" : ls.joined(separator: "\n") + "\n" }
        switch self {
        case let .include(r): return join(body.filter { r.matches($0) })
        case let .exclude(r): return join(body.filter { !r.matches($0) })
        case let .begin(r):
            guard let first = body.firstIndex(where: { r.matches($0) }) else { return "" }
            return join(Array(body[first...]))
        case let .count(r):
            return "Number of lines which match regexp = \(body.filter { r.matches($0) }.count)\n"
        case let .section(r):
            var out: [Substring] = []
            var i = 0
            while i < body.count {
                if r.matches(body[i]) {
                    let indent = body[i].prefix { $0 == " " }.count
                    out.append(body[i])
                    var j = i + 1
                    while j < body.count, !body[j].isEmpty, body[j].prefix(while: { $0 == " " }).count > indent {
                        out.append(body[j])
                        j += 1
                    }
                    i = j
                } else {
                    i += 1
                }
            }
            return join(out)
        case .json, .append, .redirect:
            return text
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
