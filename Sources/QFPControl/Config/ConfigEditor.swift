import QFPCommandLanguage

/// The configuration sub-mode a line is read in (what `configure terminal` shows in its
/// prompt, and what decides which commands apply).
public enum ConfigMode: Equatable, Sendable {
    case global
    case interface(String)
    case transformSet(String)
    case ipsecProfile(String)
    case cryptoMap(String, Int)
    case dynamicMap(String, Int)
    case accessList(String)

    /// The prompt suffix IOS shows: `Router(config-if)#`.
    public var promptName: String {
        switch self {
        case .global: "config"
        case .interface: "config-if"
        case .transformSet: "cfg-crypto-trans"
        case .ipsecProfile: "ipsec-profile"
        case .cryptoMap: "config-crypto-map"
        case .dynamicMap: "config-crypto-map"
        case .accessList: "config-ext-nacl"
        }
    }

    var kind: Kind {
        switch self {
        case .global: .global
        case .interface: .interface
        case .transformSet: .transformSet
        case .ipsecProfile: .ipsecProfile
        case .cryptoMap: .cryptoMap
        case .dynamicMap: .dynamicMap
        case .accessList: .accessList
        }
    }

    enum Kind: CaseIterable {
        case global, interface, transformSet, ipsecProfile, cryptoMap, dynamicMap, accessList
    }
}

/// A failure to apply one configuration line, in IOS terms.
public enum ConfigError: Error, Equatable, Sendable {
    /// `% Invalid input detected at '^' marker.` at this column of the line.
    case invalid(column: Int)
    /// A message IOS prints as is (`% ...`).
    case message(String)
}

/// A configuration being edited line by line: the value, the current sub-mode, and the notes
/// (IOS warnings and qfp's "ignored" reports) the lines produced.
public struct ConfigEditor: Sendable {
    public var configuration: RouterConfiguration
    public var mode: ConfigMode = .global
    public var notes: [String] = []
    /// Set by `end` (and `exit` at the top): leave configuration mode.
    public var finished = false
    /// Whether a person types the lines (`configure terminal`): hints meant for someone
    /// entering a block line by line are given only then, not when a file is loaded.
    public var interactive = true

    public init(_ configuration: RouterConfiguration) {
        self.configuration = configuration
    }

    /// The crypto map entry of the current mode (crypto map or dynamic map).
    mutating func withMapEntry(_ body: (inout CryptoMapEntry) throws -> Void) throws {
        switch mode {
        case let .cryptoMap(name, seq):
            guard var e = configuration.cryptoMaps[name]?[seq] else { throw ConfigError.message("% crypto map \(name) \(seq) no longer exists") }
            try body(&e)
            configuration.cryptoMaps[name]![seq] = e
        case let .dynamicMap(name, seq):
            guard var e = configuration.dynamicMaps[name]?[seq] else { throw ConfigError.message("% dynamic map \(name) \(seq) no longer exists") }
            try body(&e)
            configuration.dynamicMaps[name]![seq] = e
        default:
            throw ConfigError.invalid(column: 0)
        }
    }

    mutating func withInterface(_ body: (inout InterfaceConfiguration) throws -> Void) throws {
        guard case let .interface(name) = mode, var i = configuration.interfaces[name] else { throw ConfigError.invalid(column: 0) }
        try body(&i)
        configuration.interfaces[name] = i
    }
}

/// A handler of one configuration command.
public typealias ConfigHandler = @Sendable (inout ConfigEditor, ParsedCommand) throws -> Void
