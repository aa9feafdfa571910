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
    /// `crypto isakmp policy N`.
    case isakmpPolicy(Int)
    /// `crypto ikev2 proposal NAME`.
    case ikev2Proposal(String)
    /// `crypto ikev2 policy NAME`.
    case ikev2Policy(String)
    /// `crypto ikev2 keyring NAME`.
    case ikev2Keyring(String)
    /// `peer NAME` inside `crypto ikev2 keyring KEYRING`.
    case ikev2KeyringPeer(keyring: String, peer: String)
    /// `crypto ikev2 profile NAME`.
    case ikev2Profile(String)
    /// `crypto ipsec client ezvpn NAME`.
    case ezvpn(String)
    /// `event manager applet NAME`.
    case applet(String)
    /// `line vty 0 4`: the block's kind and range.
    case line(TerminalLines.Kind, Int, Int)

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
        case .isakmpPolicy: "config-isakmp"
        case .ikev2Proposal: "config-ikev2-proposal"
        case .ikev2Policy: "config-ikev2-policy"
        case .ikev2Keyring: "config-ikev2-keyring"
        case .ikev2KeyringPeer: "config-ikev2-keyring-peer"
        case .ikev2Profile: "config-ikev2-profile"
        case .ezvpn: "crypto-ezvpn"
        case .applet: "config-applet"
        case .line: "config-line"
        }
    }

    /// The mode `exit` returns to, and whose commands a line that fits no command of this
    /// mode is tried against next (IOS falls back through the enclosing modes).
    public var parent: ConfigMode? {
        switch self {
        case .global: nil
        case let .ikev2KeyringPeer(keyring, _): .ikev2Keyring(keyring)
        default: .global
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
        case .isakmpPolicy: .isakmpPolicy
        case .ikev2Proposal: .ikev2Proposal
        case .ikev2Policy: .ikev2Policy
        case .ikev2Keyring: .ikev2Keyring
        case .ikev2KeyringPeer: .ikev2KeyringPeer
        case .ikev2Profile: .ikev2Profile
        case .ezvpn: .ezvpn
        case .applet: .applet
        case .line: .line
        }
    }

    enum Kind: CaseIterable {
        case global, interface, transformSet, ipsecProfile, cryptoMap, dynamicMap, accessList
        case isakmpPolicy, ikev2Proposal, ikev2Policy, ikev2Keyring, ikev2KeyringPeer, ikev2Profile, ezvpn, applet, line
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

    /// The `line` block of the current mode.
    mutating func withLines(_ body: (inout LineSettings) throws -> Void) throws {
        guard case let .line(kind, first, last) = mode,
              let i = configuration.control.access.lines.lastIndex(where: { $0.kind == kind && $0.range == first...last }) else {
            throw ConfigError.invalid(column: 0)
        }
        try body(&configuration.control.access.lines[i].settings)
    }

    mutating func withInterface(_ body: (inout InterfaceConfiguration) throws -> Void) throws {
        guard case let .interface(name) = mode, var i = configuration.interfaces[name] else { throw ConfigError.invalid(column: 0) }
        try body(&i)
        configuration.interfaces[name] = i
    }
}

/// A handler of one configuration command.
public typealias ConfigHandler = @Sendable (inout ConfigEditor, ParsedCommand) throws -> Void
