/// What an exec command produced: IOS text, and the same data for `| json`.
public struct CommandOutput: Sendable {
    public var text: String
    /// The command's data; nil for commands without a JSON form (configuration changes).
    public var json: (any Encodable & Sendable)?

    public init(_ text: String, json: (any Encodable & Sendable)? = nil) {
        self.text = text
        self.json = json
    }
}

/// The answer to one line, as the control socket carries it.
public struct CommandResponse: Codable, Equatable, Sendable {
    /// Text to show (IOS output or error).
    public var output: String
    /// Whether the line failed (IOS error); `qfp cli` then exits non-zero.
    public var failed: Bool
    /// The prompt for the next line (`Router#`, `Router(config-if)#`).
    public var prompt: String
    /// `terminal length` now (0: no paging).
    public var terminalLength: Int
    /// The session ended (`exit`, `quit`, `logout` in exec mode).
    public var closed: Bool
    /// Set when the next line is a password (`enable`'s `Password: `): read it without echo
    /// and answer with `CLISession.enable(password:)`.
    public var passwordPrompt: String?

    public init(output: String, failed: Bool, prompt: String, terminalLength: Int, closed: Bool, passwordPrompt: String? = nil) {
        self.output = output
        self.failed = failed
        self.prompt = prompt
        self.terminalLength = terminalLength
        self.closed = closed
        self.passwordPrompt = passwordPrompt
    }
}

/// A command's failure with IOS-style text.
public struct CommandFailure: Error, Sendable {
    public var text: String
    public init(_ text: String) { self.text = text.hasSuffix("\n") ? text : text + "\n" }
}

/// IOS's `% Invalid input detected at '^' marker.` for a command that parsed but names
/// something that does not exist (an interface), the caret at `column` of the command.
public struct InvalidInput: Error, Sendable {
    public var column: Int
    public init(column: Int) { self.column = column }
}
