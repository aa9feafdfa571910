import QFPCommandLanguage
import QFPControl

/// One IOS CLI session (a shell, a one-shot call, later an SSH channel): its mode, terminal
/// settings and configuration edit in progress. Not thread-safe: one connection drives it.
public final class CLISession {
    public let controlPlane: ControlPlane
    /// Who the session is, for `%SYS-5-CONFIG_I: Configured from ...`.
    public let origin: String
    /// `terminal length` (0: no paging).
    public var terminalLength: Int
    /// `terminal width`.
    public var terminalWidth = 80
    var editor: ConfigEditor?
    public private(set) var closed = false
    /// A `[confirm]` question's action, run when the next line is empty or `y`/`yes`.
    var pendingConfirmation: (() -> String)?
    /// The privilege level: 15 runs every command (prompt `Router#`); 0 and 1 are user EXEC
    /// (`Router>`: show commands, `terminal`, `enable`, `exit`). Levels 2–14 show `#` but,
    /// as on IOS with default command levels, run only the user EXEC commands.
    public var privilege: Int
    /// Whether `enable` asks for `enable secret` (an SSH line) or, with no secret set, goes
    /// straight to level 15 (the console, as IOS's console line does).
    public let enableNeedsSecret: Bool
    /// `enable` asked for a password: the next line is its answer (see `enable(password:)`).
    var awaitingEnableSecret = false
    /// This session's id in `controlPlane.sessions` (`show users` marks it with `*`); each
    /// line run counts as input for its idle time. Nil: not listed (EEM, one-off callers).
    public var registration: Int?

    /// Longest line accepted (IOS rejects what its line buffer cannot hold).
    public static let maximumLineLength = 4096

    public init(controlPlane: ControlPlane, origin: String = "console by console", interactive: Bool,
                privilege: Int = 15, enableNeedsSecret: Bool = false) {
        self.controlPlane = controlPlane
        self.origin = origin
        terminalLength = interactive ? 24 : 0
        self.privilege = privilege
        self.enableNeedsSecret = enableNeedsSecret
    }

    /// What `enable` prints while it waits for the secret.
    public static let passwordPrompt = "Password: "
    /// IOS's answer to a wrong `enable` secret.
    static let badSecret = "% Bad secrets\n"

    /// The exec commands.
    static let exec = ExecCommands.table

    /// The prompt: `Router#`, or `Router(config-if)#` in configuration mode.
    public var prompt: String {
        let host = controlPlane.router.configuration.hostname
        if let editor { return "\(host)(\(editor.mode.promptName))#" }
        return privilege <= 1 ? "\(host)>" : "\(host)#"
    }

    /// Answers `enable`'s `Password:`: level 15 when `password` is the `enable secret`.
    public func enable(password: String) -> CommandResponse {
        awaitingEnableSecret = false
        let secret = controlPlane.router.configuration.control.access.enableSecret
        if let secret, IOSSecret.verify(password, against: secret) {
            privilege = 15
            return response("", failed: false)
        }
        return response(Self.badSecret, failed: true)
    }

    /// `enable`: level 15 now, or a password prompt (`CommandResponse.passwordPrompt`).
    func requestEnable() throws -> CommandOutput {
        guard privilege < 15 else { return CommandOutput("") }
        guard controlPlane.router.configuration.control.access.enableSecret != nil else {
            if enableNeedsSecret { throw CommandFailure("% No password set") }
            privilege = 15
            return CommandOutput("")
        }
        awaitingEnableSecret = true
        return CommandOutput("")
    }

    func response(_ text: String, failed: Bool) -> CommandResponse {
        CommandResponse(output: text, failed: failed, prompt: prompt, terminalLength: terminalLength, closed: closed,
                        passwordPrompt: awaitingEnableSecret ? Self.passwordPrompt : nil)
    }

    /// Exec commands that need level 15, by their first word (and `show running-config`).
    static let privilegedWords: Set<String> = ["configure", "clear", "debug", "undebug", "no", "event", "more"]

    /// Where a user EXEC session's `^` goes for `parsed`, or nil when the level allows it.
    func refusedColumn(_ parsed: ParsedCommand, line: String) -> Int? {
        guard privilege < 15, let first = parsed.keywords.first else { return nil }
        if Self.privilegedWords.contains(first) { return line.prefix { $0 == " " }.count }
        if first == "show", parsed.keywords.dropFirst().first == "running-config" {
            // Under the second word, as IOS marks it.
            var words = 0, inWord = false
            for (i, ch) in line.enumerated() {
                if ch != " " && !inWord { words += 1; if words == 2 { return i } }
                inWord = ch != " "
            }
        }
        return nil
    }

    /// Whether the session is in configuration mode.
    public var isConfiguring: Bool { editor != nil }

    /// Runs one line. `echo` puts `prompt + line` before an error, as a terminal shows it, so
    /// the `^` marker lines up in one-shot output too.
    public func execute(_ line: String, echo: Bool = false) -> CommandResponse {
        if let registration { controlPlane.sessions.touch(registration) }
        // The answer to `enable`'s `Password:` is not a command.
        if awaitingEnableSecret { return enable(password: line) }
        let promptBefore = prompt
        var text: String
        var failed = false
        if let action = pendingConfirmation {
            // IOS's [confirm]: Return or y goes ahead, anything else cancels.
            pendingConfirmation = nil
            // (`qfp cli --json` sends the answer as ` | json`: the same empty answer.)
            var answer = String(line.filter { $0 != " " && $0 != "\t" }).lowercased()
            if answer.hasSuffix("|json") { answer.removeLast(5) }
            let text = answer.isEmpty || (answer.count <= 3 && "yes".hasPrefix(answer)) ? action() : ""
            return CommandResponse(output: text, failed: false, prompt: prompt, terminalLength: terminalLength, closed: closed)
        }
        if line.count > Self.maximumLineLength {
            text = "% Input line too long (\(line.count) characters; at most \(Self.maximumLineLength))\n"
            failed = true
        } else if let control = line.unicodeScalars.firstIndex(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
            let column = line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: control)
            text = CommandTree<Int>.errorText(.invalid(column: column), line: line, prefix: promptBefore)
            failed = true
        } else if editor != nil {
            (text, failed) = configure(line, prompt: promptBefore)
        } else {
            (text, failed) = run(line, prompt: promptBefore)
        }
        if failed && echo && text.contains("^") { text = promptBefore + line + "\n" + text }
        return response(text, failed: failed)
    }

    /// An exec line (pipes allowed).
    func run(_ line: String, prompt: String) -> (String, Bool) {
        let (command, modifierText) = OutputModifier.split(line)
        switch Self.exec.match(command) {
        case .empty:
            return (modifierText == nil ? "" : CommandTree<Int>.errorText(.invalid(column: line.distance(from: line.startIndex, to: line.firstIndex(of: "|")!)), line: line, prefix: prompt), modifierText != nil)
        case let .failure(f):
            return (CommandTree<ExecHandler>.errorText(f, line: command, prefix: prompt), true)
        case let .command(handler, parsed, acceptsPipes):
            if let column = refusedColumn(parsed, line: command) {
                return (CommandTree<Int>.errorText(.invalid(column: column), line: line, prefix: prompt), true)
            }
            var modifier: OutputModifier?
            if let m = modifierText {
                guard acceptsPipes else {
                    return (CommandTree<Int>.errorText(.invalid(column: m.column - 1), line: line, prefix: prompt), true)
                }
                switch OutputModifier.parse(m.text, column: m.column) {
                case let .success(parsedModifier): modifier = parsedModifier
                case let .failure(error): return (Self.text(error, line: line, prompt: prompt), true)
                }
            }
            do {
                let output = try handler(ExecContext(session: self), parsed)
                if case .json = modifier {
                    guard let data = output.json else { return ("% qfp: this command has no JSON form\n", true) }
                    return (try JSONOutput.encode(data) + "\n", false)
                }
                if let target = modifier?.fileTarget {
                    // `| append` / `| redirect`: to a file, nothing on the terminal.
                    do {
                        if target.append {
                            try controlPlane.flash.append(output.text, to: target.url)
                        } else {
                            try controlPlane.flash.write(output.text, to: target.url)
                        }
                    } catch {
                        return ("\(error)\n", true)
                    }
                    return ("", false)
                }
                return (modifier?.apply(to: output.text) ?? output.text, false)
            } catch let failure as CommandFailure {
                return (failure.text, true)
            } catch let invalid as InvalidInput {
                return (CommandTree<Int>.errorText(.invalid(column: invalid.column), line: line, prefix: prompt), true)
            } catch {
                return ("% \(error)\n", true)
            }
        }
    }

    static func text(_ e: OutputModifier.ParseError, line: String, prompt: String) -> String {
        switch e {
        case let .invalid(column): CommandTree<Int>.errorText(.invalid(column: column), line: line, prefix: prompt)
        case .ambiguous: "% Ambiguous command:  \"\(line)\"\n"
        case .incomplete: "% Incomplete command.\n\n"
        case let .badExpression(re): "% Invalid regular expression: \(re)\n"
        }
    }

    /// A configuration-mode line.
    func configure(_ line: String, prompt: String) -> (String, Bool) {
        let words = line.split(separator: " ")
        if let first = words.first, "do".hasPrefix(first.lowercased()) && first.count >= 2, words.count > 1 {
            let rest = String(line.drop { $0 == " " }.dropFirst(first.count).drop { $0 == " " })
            return run(rest, prompt: prompt + String(repeating: " ", count: line.count - rest.count))
        }
        guard var e = editor else { return ("", false) }
        let before = e.configuration
        let notesBefore = e.notes.count
        let result = ConfigurationLanguage.shared.execute(line, in: &e, prefix: prompt)
        let text = e.notes[notesBefore...].map { $0 + "\n" }.joined()
        if case let .failed(message) = result {
            return (text + message, true)
        }
        if e.configuration != before {
            do {
                try controlPlane.apply(e.configuration)
            } catch {
                // The data plane cannot do it: the line is not applied.
                return (text + "\(error)\n", true)
            }
        }
        if e.finished {
            editor = nil
            // IOS logs every exit from configuration mode, changed or not.
            controlPlane.syslog.log("%SYS-5-CONFIG_I: Configured from \(origin)")
        } else {
            editor = e
        }
        return (text, false)
    }

    /// Asks `[confirm]` (the command prints the question): `action` runs on the session's next
    /// line when it is empty or `y`/`yes`; anything else cancels it.
    func confirm(then action: @escaping () -> String) {
        pendingConfirmation = action
    }

    /// Enters configuration mode (`configure terminal`).
    func enterConfiguration() {
        editor = ConfigEditor(controlPlane.router.configuration)
    }

    /// Ends the session (`exit` in exec mode).
    func close() { closed = true }

    /// What `?` prints after `line` in the current mode.
    public func help(_ line: String) -> String {
        if let editor {
            let words = line.split(separator: " ")
            if let first = words.first, first.lowercased() == "do", line.count > 3 {
                return helpExec(String(line.dropFirst(3)))
            }
            return ConfigurationLanguage.shared.help(line, mode: editor.mode, prompt: prompt)
        }
        return helpExec(line)
    }

    func helpExec(_ line: String) -> String {
        let (command, modifier) = OutputModifier.split(line)
        if let modifier { return OutputModifier.help(modifier.text) }
        return Self.exec.help(command, prompt: prompt)
    }

    /// Tab completion of `line` in the current mode.
    public func complete(_ line: String) -> String? {
        if let editor { return ConfigurationLanguage.shared.complete(line, mode: editor.mode) }
        return Self.exec.complete(line)
    }
}

/// What an exec handler gets.
public struct ExecContext {
    public let session: CLISession
    public var controlPlane: ControlPlane { session.controlPlane }
}

/// A handler of one exec command.
public typealias ExecHandler = @Sendable (ExecContext, ParsedCommand) throws -> CommandOutput
