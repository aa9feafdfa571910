/// A table of commands, matched the IOS way: unique-prefix keywords, typed arguments,
/// `% Ambiguous command`, `% Invalid input detected at '^' marker.`, `% Incomplete command.`,
/// `?` help and Tab completion — all derived from the syntax strings given to `add`.
///
/// Generic over `Handler`, so the configuration parser and the exec commands share one engine.
/// Built once at start-up; matching is read-only and thread-safe.
public final class CommandTree<Handler>: @unchecked Sendable {
    final class Node {
        let token: SyntaxToken?
        var help: String
        var children: [Node] = []
        var handler: Handler?
        var acceptsPipes = false
        init(token: SyntaxToken?, help: String) {
            self.token = token
            self.help = help
        }
        var keyword: String? {
            if case let .keyword(k)? = token { return k }
            return nil
        }
        var argument: ArgumentKind? {
            if case let .argument(a)? = token { return a }
            return nil
        }
        var label: String {
            switch token {
            case let .keyword(k)?: return k
            case let .argument(a)?: return a.description
            case nil: return ""
            }
        }
    }

    let root = Node(token: nil, help: "")
    let helpTexts: [String: String]
    /// Keywords that, among several a word abbreviates, must be spelled at least this far
    /// (lower case), so that an older, shorter habit keeps working: IOS's `sh log` is `show
    /// logging`, not ambiguous with `show login` (`sh logi` is still `show login`). Set while
    /// building the table.
    public var minimumAbbreviation: [String: Int] = [:]
    /// Whether lines may start with `no` to negate a command declared negatable.
    let negatable: Node

    /// An empty table. `help` maps a keyword (or `parent keyword`, or an argument placeholder
    /// such as `peer A.B.C.D`) to the text `?` shows for it.
    public init(help: [String: String] = [:]) {
        helpTexts = help
        negatable = Node(token: .keyword("no"), help: help["no"] ?? "Negate a command or set its defaults")
    }

    /// Adds a command. `syntax` uses IOS notation (see `SyntaxToken`); every sequence it allows
    /// runs `handler`. `pipes` lets the command's output go through `|` modifiers; `negatable`
    /// also accepts the command behind `no`.
    public func add(_ syntax: String, pipes: Bool = false, negatable canNegate: Bool = false, handler: Handler) {
        for sequence in SyntaxExpander.expand(syntax) {
            if sequence.first == .keyword("no") {
                // An explicit `no ...` command lives under the same `no` node as negated forms.
                attachNegatable()
                insert(Array(sequence.dropFirst()), into: negatable, pipes: false, handler: handler)
                continue
            }
            insert(sequence, into: root, pipes: pipes, handler: handler)
            if canNegate {
                attachNegatable()
                insert(sequence, into: negatable, pipes: false, handler: handler)
            }
        }
    }

    func attachNegatable() {
        if !root.children.contains(where: { $0 === negatable }) { root.children.append(negatable) }
    }

    func insert(_ sequence: [SyntaxToken], into start: Node, pipes: Bool, handler: Handler) {
        var node = start
        var previous = start.keyword
        for token in sequence {
            if let existing = node.children.first(where: { $0.token == token }) {
                node = existing
            } else {
                let label: String
                switch token {
                case let .keyword(k): label = k
                case let .argument(a): label = a.description
                }
                let help = previous.flatMap { helpTexts["\($0) \(label)"] } ?? helpTexts[label] ?? ""
                let child = Node(token: token, help: help)
                node.children.append(child)
                node = child
            }
            previous = node.label
        }
        precondition(node.handler == nil, "two commands share the syntax \(sequence)")
        node.handler = handler
        node.acceptsPipes = pipes
    }

    // MARK: Matching

    /// A token of the input line and the column it starts at.
    struct Word {
        let text: String
        let column: Int
    }

    static func words(_ line: String) -> [Word] {
        var out: [Word] = []
        var current = ""
        var start = 0
        for (i, ch) in line.enumerated() {
            if ch == " " || ch == "\t" {
                if !current.isEmpty { out.append(Word(text: current, column: start)); current = "" }
            } else {
                if current.isEmpty { start = i }
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(Word(text: current, column: start)) }
        return out
    }

    enum Step {
        case node(Node)
        case ambiguous
        case noMatch
    }

    /// The child of `node` that `word` selects.
    func step(_ node: Node, _ word: String) -> Step {
        let lower = word.lowercased()
        var prefixed: [Node] = []
        for child in node.children {
            guard let k = child.keyword else { continue }
            let kl = k.lowercased()
            if kl == lower { return .node(child) }
            if kl.hasPrefix(lower) { prefixed.append(child) }
        }
        if prefixed.count > 1 {
            // Ambiguous: keywords abbreviated shorter than their minimum step aside.
            prefixed.removeAll { lower.count < minimumAbbreviation[$0.keyword!.lowercased(), default: 1] }
        }
        if prefixed.count == 1 { return .node(prefixed[0]) }
        if prefixed.count > 1 { return .ambiguous }
        for child in node.children {
            if let a = child.argument, a.accepts(word) { return .node(child) }
        }
        return .noMatch
    }

    /// Walks `line` as far as it goes.
    func walk(_ line: String) -> (node: Node, parsed: ParsedCommand, failure: MatchFailure?) {
        let words = Self.words(line)
        var node = root
        var parsed = ParsedCommand()
        var i = 0
        while i < words.count {
            let w = words[i]
            switch step(node, w.text) {
            case let .node(next):
                node = next
                if node === negatable {
                    parsed.isNegated = true
                } else if let k = next.keyword {
                    parsed.keywords.append(k)
                } else if next.argument == .line {
                    let rest = String(line.dropFirst(w.column))
                    parsed.arguments.append(rest)
                    parsed.argumentKeywords.append(parsed.keywords.last ?? "")
                    parsed.argumentColumns.append(w.column)
                    return (node, parsed, nil)
                } else {
                    parsed.arguments.append(w.text)
                    parsed.argumentKeywords.append(parsed.keywords.last ?? "")
                    parsed.argumentColumns.append(w.column)
                }
            case .ambiguous:
                return (node, parsed, .ambiguous)
            case .noMatch:
                return (node, parsed, .invalid(column: w.column))
            }
            i += 1
        }
        return (node, parsed, nil)
    }

    /// How a line failed to match.
    public enum MatchFailure: Equatable, Sendable {
        case invalid(column: Int)
        case ambiguous
        case incomplete
        /// A lone first keyword that needs more (`show` → `% Type "show ?" ...`).
        case needsSubcommand(String)
    }

    /// The result of matching a whole line.
    public enum Match {
        case command(Handler, ParsedCommand, acceptsPipes: Bool)
        case empty
        case failure(MatchFailure)
    }

    /// Matches a whole command line (without output modifiers).
    public func match(_ line: String) -> Match {
        if Self.words(line).isEmpty { return .empty }
        let (node, parsed, failure) = walk(line)
        if let failure { return .failure(failure) }
        if let handler = node.handler { return .command(handler, parsed, acceptsPipes: node.acceptsPipes) }
        if parsed.keywords.count == 1 && parsed.arguments.isEmpty && !parsed.isNegated {
            return .failure(.needsSubcommand(parsed.keywords[0]))
        }
        return .failure(.incomplete)
    }

    /// IOS error text for a failed line (`prefix` is what precedes the line on the screen,
    /// e.g. the prompt, so the caret lines up).
    public static func errorText(_ failure: MatchFailure, line: String, prefix: String) -> String {
        switch failure {
        case let .invalid(column):
            return String(repeating: " ", count: prefix.count + column) + "^\n% Invalid input detected at '^' marker.\n\n"
        case .ambiguous:
            return "% Ambiguous command:  \"\(line)\"\n"
        case .incomplete:
            return "% Incomplete command.\n\n"
        case let .needsSubcommand(keyword):
            return "% Type \"\(keyword) ?\" for a list of subcommands\n"
        }
    }

    // MARK: Help and completion

    /// What `?` prints at the end of `line` (the `?` itself not included).
    public func help(_ line: String, prompt: String = "") -> String {
        let endsWithSpace = line.isEmpty || line.last == " " || line.last == "\t"
        let words = Self.words(line)
        let complete = endsWithSpace ? line : String(line.dropLast(words.last?.text.count ?? 0))
        let (node, _, failure) = walk(complete)
        if let failure {
            switch failure {
            case .ambiguous: return "% Ambiguous command:  \"\(line)\"\n"
            default: return Self.errorText(failure, line: line, prefix: prompt)
            }
        }
        if node.argument == .line { return "  LINE  \(node.help)\n" }
        if endsWithSpace {
            var rows: [(String, String)] = node.children.map { ($0.label, $0.help) }
            rows.sort { a, b in
                let (aa, bb) = (a.0.first?.isLetter ?? false, b.0.first?.isLetter ?? false)
                return aa == bb ? a.0 < b.0 : !aa && bb ? false : aa
            }
            if node.handler != nil {
                if node.acceptsPipes { rows.append(("|", "Output modifiers")) }
                rows.append(("<cr>", "<cr>"))
            }
            if rows.isEmpty { return "% Unrecognized command\n" }
            let width = rows.map(\.0.count).max() ?? 0
            var out = ""
            for (label, text) in rows { out += "  " + label.padded(to: width) + "  " + text + "\n" }
            return out
        }
        let partial = (words.last?.text ?? "").lowercased()
        var names = node.children.compactMap { $0.keyword }.filter { $0.lowercased().hasPrefix(partial) }.sorted()
        if names.isEmpty, node.children.contains(where: { $0.argument?.accepts(partial) ?? false }) {
            names = node.children.compactMap { $0.argument.map(\.description) }
        }
        if names.isEmpty { return "% Unrecognized command\n" }
        return wrap(names, width: 79) + "\n"
    }

    func wrap(_ words: [String], width: Int) -> String {
        var lines: [String] = []
        var current = ""
        for w in words {
            let piece = w + "  "
            if !current.isEmpty && current.count + piece.count > width {
                lines.append(current)
                current = ""
            }
            current += piece
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }

    /// Tab completion: the line with its last word completed to the unique keyword it begins
    /// (plus a space), or nil when there is no unique completion.
    public func complete(_ line: String) -> String? {
        guard let last = line.last, last != " " else { return nil }
        let words = Self.words(line)
        guard let partial = words.last else { return nil }
        let prefix = String(line.dropLast(partial.text.count))
        let (node, _, failure) = walk(prefix)
        if failure != nil { return nil }
        let lower = partial.text.lowercased()
        let names = node.children.compactMap { $0.keyword }.filter { $0.lowercased().hasPrefix(lower) }
        guard names.count == 1 else { return nil }
        return prefix + names[0] + " "
    }

    /// Every syntax sequence in the table, as text (for tests and documentation).
    public var allCommands: [String] {
        var out: [String] = []
        func visit(_ n: Node, _ path: [String]) {
            let here = n === root ? path : path + [n.label]
            if n.handler != nil { out.append(here.joined(separator: " ")) }
            for c in n.children where c !== negatable || n === root { visit(c, here) }
        }
        visit(root, [])
        return out
    }
}

/// What a matched line said: its keywords (full spellings) and arguments, in order.
public struct ParsedCommand: Equatable, Sendable {
    /// Matched keywords, fully spelled, in order (abbreviations resolved).
    public var keywords: [String] = []
    /// Arguments in order (a `LINE` argument is the rest of the line verbatim).
    public var arguments: [String] = []
    /// For each argument, the keyword that preceded it.
    public var argumentKeywords: [String] = []
    /// For each argument, the column it starts at (for `^` markers on semantic errors).
    public var argumentColumns: [Int] = []
    /// The line began with `no`.
    public var isNegated = false

    public init() {}

    /// Whether `keyword` was given.
    public func has(_ keyword: String) -> Bool { keywords.contains(keyword) }

    /// The argument that follows `keyword`, if any.
    public func argument(after keyword: String) -> String? {
        argumentKeywords.firstIndex(of: keyword).map { arguments[$0] }
    }

    /// The column of the argument that follows `keyword` (0 when absent).
    public func column(after keyword: String) -> Int {
        argumentKeywords.firstIndex(of: keyword).map { argumentColumns[$0] } ?? 0
    }
}
