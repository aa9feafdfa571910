import QFPCommandLanguage

/// The IOS configuration language qfp understands: one command table per sub-mode, used both
/// to load a configuration file and for `configure terminal`, so both accept the same lines,
/// abbreviations included, and fail the same way.
public final class ConfigurationLanguage: Sendable {
    /// The language, built once.
    public static let shared = ConfigurationLanguage()

    let trees: [ConfigMode.Kind: CommandTree<ConfigHandler>]

    init() {
        var trees: [ConfigMode.Kind: CommandTree<ConfigHandler>] = [:]
        for kind in ConfigMode.Kind.allCases {
            let tree = CommandTree<ConfigHandler>(help: ConfigHelp.texts)
            switch kind {
            case .global: GlobalConfigCommands.register(tree)
            case .interface: InterfaceConfigCommands.register(tree)
            case .transformSet: CryptoConfigCommands.registerTransformSet(tree)
            case .ipsecProfile: CryptoConfigCommands.registerProfile(tree)
            case .cryptoMap: CryptoConfigCommands.registerMap(tree, dynamic: false)
            case .dynamicMap: CryptoConfigCommands.registerMap(tree, dynamic: true)
            case .accessList: AccessListConfigCommands.registerNamed(tree)
            case .isakmpPolicy: IKEConfigCommands.registerISAKMPPolicy(tree)
            case .ikev2Proposal: IKEConfigCommands.registerIKEv2Proposal(tree)
            case .ikev2Policy: IKEConfigCommands.registerIKEv2Policy(tree)
            case .ikev2Keyring: IKEConfigCommands.registerIKEv2Keyring(tree)
            case .ikev2KeyringPeer: IKEConfigCommands.registerIKEv2KeyringPeer(tree)
            case .ikev2Profile: IKEConfigCommands.registerIKEv2Profile(tree)
            case .ezvpn: IKEConfigCommands.registerEzVPN(tree)
            case .applet: EventManagerCommands.registerApplet(tree)
            case .line: AccessConfigCommands.registerLine(tree)
            }
            if kind != .global {
                tree.add("exit", handler: { e, _ in e.mode = e.mode.parent ?? .global })
            } else {
                // At the terminal, `exit` in global mode leaves configuration mode like `end`.
                tree.add("exit", handler: { e, _ in e.finished = true })
            }
            tree.add("end", handler: { e, _ in
                e.mode = .global
                e.finished = true
            })
            trees[kind] = tree
        }
        self.trees = trees
    }

    /// The outcome of one line.
    public enum LineResult: Equatable, Sendable {
        case applied
        /// The line failed; the text is the IOS error (caret line included, aligned to `prefix`).
        case failed(String)
    }

    /// Applies one line to `editor` in its current mode. A line that fits no command of the
    /// current mode is tried in the enclosing modes (a global command typed in a sub-mode leaves
    /// the sub-mode first, as IOS does). `prefix` is what precedes the line on screen.
    public func execute(_ line: String, in editor: inout ConfigEditor, prefix: String = "") -> LineResult {
        apply(line, in: &editor, prefix: prefix).result
    }

    /// `execute`, also telling whether the line was valid IOS that qfp does not model (and so
    /// was only noted).
    func apply(_ line: String, in editor: inout ConfigEditor, prefix: String) -> (result: LineResult, unsupported: Bool) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty || trimmed.hasPrefix("!") { return (.applied, false) }
        var mode: ConfigMode? = editor.mode
        while let m = mode {
            let tree = self.tree(m)
            if case .command = tree.match(line) {
                if m == editor.mode { return (run(line, tree: tree, editor: &editor, prefix: prefix), false) }
                var escaped = editor
                escaped.mode = m
                let result = run(line, tree: tree, editor: &escaped, prefix: prefix)
                if result == .applied { editor = escaped }
                return (result, false)
            }
            mode = m.parent
        }
        // No command of any enclosing mode fits: valid IOS that qfp does not model is noted,
        // anything else is an error of the current mode.
        if let note = UnsupportedIOS.note(for: String(trimmed), global: tree(.global)) {
            editor.notes.append(note)
            return (.applied, true)
        }
        // The error is the one of the mode whose commands got furthest (the current mode's on
        // a tie), as IOS marks the furthest point any of its parsers reached.
        var best: (failure: CommandTree<ConfigHandler>.MatchFailure, reach: Int)?
        mode = editor.mode
        while let m = mode {
            if case let .failure(f) = tree(m).match(line) {
                let reach: Int
                if case let .invalid(column) = f { reach = column } else { reach = line.count }
                if reach > (best?.reach ?? -1) { best = (f, reach) }
            }
            mode = m.parent
        }
        guard let best else { return (.failed("% Invalid input detected.\n"), false) }
        return (.failed(CommandTree<ConfigHandler>.errorText(best.failure, line: line, prefix: prefix)), false)
    }

    func tree(_ mode: ConfigMode) -> CommandTree<ConfigHandler> {
        // Every kind has a tree (built in init from `Kind.allCases`).
        trees[mode.kind]!
    }

    func run(_ line: String, tree: CommandTree<ConfigHandler>, editor: inout ConfigEditor, prefix: String) -> LineResult {
        switch tree.match(line) {
        case .empty:
            return .applied
        case let .failure(f):
            return .failed(CommandTree<ConfigHandler>.errorText(f, line: line, prefix: prefix))
        case let .command(handler, parsed, _):
            var attempt = editor
            do {
                try handler(&attempt, parsed)
                editor = attempt
                return .applied
            } catch let ConfigError.invalid(column) {
                return .failed(CommandTree<ConfigHandler>.errorText(.invalid(column: column), line: line, prefix: prefix))
            } catch let ConfigError.message(text) {
                return .failed(text.hasSuffix("\n") ? text : text + "\n")
            } catch {
                return .failed("% \(error)\n")
            }
        }
    }

    /// `?` help for `line` in `mode`.
    public func help(_ line: String, mode: ConfigMode, prompt: String = "") -> String {
        tree(mode).help(line, prompt: prompt)
    }

    /// Tab completion for `line` in `mode`.
    public func complete(_ line: String, mode: ConfigMode) -> String? {
        tree(mode).complete(line)
    }

    /// One error found while loading a file.
    public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
        public var source: String
        public var line: Int
        public var text: String
        public var message: String
        public var description: String {
            let head = "\(source):\(line): "
            // Re-align the caret (computed against an empty prefix) under the echoed line.
            let body = message.split(separator: "\n", omittingEmptySubsequences: false).map { l -> String in
                l.hasSuffix("^") ? String(repeating: " ", count: head.count) + l : String(l)
            }.joined(separator: "\n")
            return head + text + "\n" + body
        }
    }

    /// Every error of a file that failed to load.
    public struct LoadFailure: Error, Equatable, Sendable, CustomStringConvertible {
        public var errors: [LoadError]
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    /// A loaded configuration and the notes its lines produced.
    public struct Loaded: Sendable {
        public var configuration: RouterConfiguration
        public var notes: [String]
    }

    /// Loads a whole configuration file on top of `base`. Every line must apply; on any error
    /// nothing is returned but the errors, so a file is never half-applied.
    public func load(_ text: String, source: String, base: RouterConfiguration = RouterConfiguration()) -> Result<Loaded, LoadFailure> {
        var editor = ConfigEditor(base)
        editor.interactive = false   // a file completes each block on the lines that follow
        var errors: [LoadError] = []
        var inUnsupportedBlock = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let indented = line.first == " " || line.first == "\t"
            if inUnsupportedBlock && indented { continue }
            inUnsupportedBlock = false
            if line.trimmingSpaces == "end" { break }
            // `show running-config` output saved to a file starts with two lines that are not
            // configuration; accept them so a saved show-run loads as it is.
            if line == "Building configuration..." || line.hasPrefix("Current configuration : ") { continue }
            let before = editor.notes.count
            let (result, unsupported) = apply(line, in: &editor, prefix: "")
            if case let .failed(message) = result {
                errors.append(LoadError(source: source, line: index + 1, text: line, message: message))
            }
            // The indented lines under an unmodelled top-level command are its sub-mode's.
            inUnsupportedBlock = unsupported && !indented
            for i in before..<editor.notes.count { editor.notes[i] = "\(source):\(index + 1): \(editor.notes[i])" }
            // A top-level `exit` in a file only closes the block before it; the file goes on.
            editor.finished = false
        }
        return errors.isEmpty ? .success(Loaded(configuration: editor.configuration, notes: editor.notes)) : .failure(LoadFailure(errors: errors))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
