import QFPCommandLanguage

/// `event manager applet NAME` and its sub-mode: one `event` line and labelled `action` lines.
///
/// The command table takes an event's or action's tail as LINE, because its strings are
/// double-quoted and may hold spaces; `EEMTokens` splits the tail, keeping each quoted
/// string's inner text exactly, and reports a bad token at its column.
enum EventManagerCommands {
    /// EEM `syslog priority` names.
    static let priorities = ["emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"]

    static func registerGlobal(_ t: CommandTree<ConfigHandler>) {
        t.add("event manager applet WORD [authorization bypass]", negatable: true) { e, p in
            let name = p.arguments[0]
            if p.isNegated { e.configuration.control.applets[name] = nil; return }
            var applet = e.configuration.control.applets[name] ?? EventManagerApplet(name: name)
            applet.authorizationBypass = p.has("bypass")
            e.configuration.control.applets[name] = applet
            e.mode = .applet(name)
        }
    }

    static func registerApplet(_ t: CommandTree<ConfigHandler>) {
        // The event types are keywords of the table (not a LINE after `event`), so that
        // `event manager applet NEXT` still reaches the global command.
        for kind in ["syslog", "none", "timer"] {
            t.add(kind == "none" ? "event none [LINE]" : "event \(kind) LINE") { e, p in
                let column = p.argumentColumns.first ?? 0
                let (event, maxrun) = try parseEvent(kind, p.arguments.first ?? "", column: column)
                try e.withApplet { applet in
                    applet.event = event
                    applet.maxrun = maxrun
                }
            }
        }
        t.add("no event [LINE]") { e, _ in
            try e.withApplet { applet in
                applet.event = nil
                applet.maxrun = nil
            }
        }
        t.add("action WORD LINE") { e, p in
            let label = p.arguments[0]
            let action = try parseAction(p.arguments[1], column: p.argumentColumns[1])
            try e.withApplet { applet in
                if let i = applet.actions.firstIndex(where: { $0.label == label }) {
                    applet.actions[i].action = action
                } else {
                    // Kept in label order, as IOS keeps (and prints) them.
                    let at = applet.actions.firstIndex { $0.label > label } ?? applet.actions.endIndex
                    applet.actions.insert(EventManagerApplet.LabeledAction(label: label, action: action), at: at)
                }
            }
        }
        t.add("no action WORD [LINE]") { e, p in
            let label = p.arguments[0]
            try e.withApplet { applet in applet.actions.removeAll { $0.label == label } }
        }
    }

    /// The event of an `event KIND …` line and its `maxrun`; `text` is what follows KIND and
    /// starts at `column` of the line.
    static func parseEvent(_ kind: String, _ text: String, column: Int) throws(ConfigError) -> (EventManagerApplet.Event, Double?) {
        var t = try EEMTokens(text, column: column)
        var maxrun: Double?
        let event: EventManagerApplet.Event
        switch kind {
        case "syslog":
            var pattern: String?
            var occurs: Int?
            var period: Double?
            var ratelimit: Double?
            while !t.isAtEnd {
                let column = t.column
                let option = try t.keyword(["occurs", "period", "pattern", "maxrun", "ratelimit"])
                switch option {
                case "occurs":
                    guard occurs == nil else { throw .invalid(column: column) }
                    occurs = try t.integer(1...32000)
                case "period":
                    guard period == nil else { throw .invalid(column: column) }
                    period = try t.seconds()
                case "pattern":
                    guard pattern == nil else { throw .invalid(column: column) }
                    pattern = try t.string()
                case "maxrun":
                    guard maxrun == nil else { throw .invalid(column: column) }
                    maxrun = try t.seconds()
                default:
                    guard ratelimit == nil else { throw .invalid(column: column) }
                    ratelimit = try t.seconds()
                }
            }
            guard let pattern else { throw EEMTokens.incomplete }
            event = .syslog(pattern: pattern, occurs: occurs, period: period, ratelimit: ratelimit)
        case "none":
            event = .none
            maxrun = try t.optionalMaxrun()
        default:
            let watchdog = try t.keyword(["countdown", "watchdog"]) == "watchdog"
            _ = try t.keyword(["time"])
            let seconds = try t.seconds()
            event = watchdog ? .watchdog(seconds: seconds) : .countdown(seconds: seconds)
            maxrun = try t.optionalMaxrun()
        }
        try t.finish()
        return (event, maxrun)
    }

    /// The action of an `action LABEL …` tail (`text` starts at `column` of the line).
    static func parseAction(_ text: String, column: Int) throws(ConfigError) -> EventManagerApplet.Action {
        var t = try EEMTokens(text, column: column)
        let action: EventManagerApplet.Action
        switch try t.keyword(["cli", "syslog", "regexp", "puts", "set"]) {
        case "cli":
            _ = try t.keyword(["command"])
            let command = try t.string()
            var pattern: String?
            if !t.isAtEnd {
                _ = try t.keyword(["pattern"])
                pattern = try t.string()
            }
            action = .cliCommand(command, pattern: pattern)
        case "syslog":
            var priority: String?
            if try t.keyword(["priority", "msg"]) == "priority" {
                priority = try t.keyword(priorities)
                _ = try t.keyword(["msg"])
            }
            action = .syslogMessage(try t.string(), priority: priority)
        case "regexp":
            let pattern = try t.string()
            let input = try t.string()
            var variables: [String] = []
            while !t.isAtEnd { variables.append(try t.word()) }
            action = .regexp(pattern: pattern, input: input, variables: variables)
        case "puts":
            action = .puts(try t.string())
        default:
            let variable = try t.word()
            action = .set(variable: variable, value: try t.string())
        }
        try t.finish()
        return action
    }
}

/// The words and double-quoted strings of an EEM `event` or `action` tail, with their columns.
struct EEMTokens {
    struct Token {
        var text: String
        var column: Int
        var quoted: Bool
    }

    static let incomplete = ConfigError.message("% Incomplete command.\n\n")

    var tokens: ArraySlice<Token>

    /// Splits `text`, which starts at `column` of the line. A quoted string runs to the next
    /// `"` and must be followed by a space or the end; an unterminated one is invalid at its
    /// opening quote, and a `"` inside a word is invalid where it stands.
    init(_ text: String, column: Int) throws(ConfigError) {
        let chars = Array(text)
        var out: [Token] = []
        var i = 0
        func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }
        while i < chars.count {
            if isSpace(chars[i]) { i += 1; continue }
            if chars[i] == "\"" {
                var j = i + 1
                while j < chars.count && chars[j] != "\"" { j += 1 }
                guard j < chars.count else { throw .invalid(column: column + i) }
                if j + 1 < chars.count && !isSpace(chars[j + 1]) { throw .invalid(column: column + j + 1) }
                out.append(Token(text: String(chars[(i + 1)..<j]), column: column + i, quoted: true))
                i = j + 1
            } else {
                var j = i
                while j < chars.count && !isSpace(chars[j]) {
                    if chars[j] == "\"" { throw .invalid(column: column + j) }
                    j += 1
                }
                out.append(Token(text: String(chars[i..<j]), column: column + i, quoted: false))
                i = j
            }
        }
        tokens = out[...]
    }

    var isAtEnd: Bool { tokens.isEmpty }

    /// The column of the next token.
    var column: Int { tokens.first?.column ?? 0 }

    mutating func next() throws(ConfigError) -> Token {
        guard let t = tokens.popFirst() else { throw Self.incomplete }
        return t
    }

    /// One of `options`, written in full or as a unique prefix (any case).
    mutating func keyword(_ options: [String]) throws(ConfigError) -> String {
        let t = try next()
        let lower = t.text.lowercased()
        guard !t.quoted else { throw .invalid(column: t.column) }
        if let exact = options.first(where: { $0 == lower }) { return exact }
        let matches = options.filter { $0.hasPrefix(lower) }
        guard matches.count == 1 else { throw .invalid(column: t.column) }
        return matches[0]
    }

    /// A quoted string's inner text, or a single unquoted word.
    mutating func string() throws(ConfigError) -> String { try next().text }

    /// An unquoted word (a variable name).
    mutating func word() throws(ConfigError) -> String {
        let t = try next()
        guard !t.quoted, !t.text.isEmpty else { throw .invalid(column: t.column) }
        return t.text
    }

    mutating func integer(_ range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let t = try next()
        guard !t.quoted, t.text.allSatisfy(\.isASCII), let n = Int(t.text), range.contains(n) else { throw .invalid(column: t.column) }
        return n
    }

    /// Seconds as IOS writes them: `SS[.mmm]`.
    mutating func seconds() throws(ConfigError) -> Double {
        let t = try next()
        let parts = t.text.split(separator: ".", omittingEmptySubsequences: false)
        guard !t.quoted, (1...2).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[0].count <= 10, let value = Double(t.text) else {
            throw .invalid(column: t.column)
        }
        return value
    }

    /// `[maxrun S]` at the end of an event.
    mutating func optionalMaxrun() throws(ConfigError) -> Double? {
        guard !isAtEnd else { return nil }
        _ = try keyword(["maxrun"])
        return try seconds()
    }

    /// Nothing may follow.
    func finish() throws(ConfigError) {
        if let extra = tokens.first { throw .invalid(column: extra.column) }
    }
}
