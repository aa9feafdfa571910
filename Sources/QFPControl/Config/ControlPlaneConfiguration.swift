import QFPDataplane

// The IKE, logging and EEM parts of the configuration: what the control plane (IKE model,
// invalid-SPI recovery, DPD, syslog, EEM) reads. Plain values, printed by `show running-config`
// and built by the configuration parser.

/// `crypto isakmp policy N` and its sub-mode lines. A nil field is the IOS default and is not
/// printed by `show running-config`.
public struct ISAKMPPolicy: Equatable, Sendable {
    public var priority: Int
    /// `encr aes 256`, `encr 3des` … as written after `encr`/`encryption`.
    public var encryption: String?
    /// `hash sha256` …
    public var hash: String?
    /// `authentication pre-share|rsa-sig|rsa-encr`.
    public var authentication: String?
    /// `group 14` …
    public var group: Int?
    /// `lifetime <60-86400>` seconds (IOS default 86400).
    public var lifetime: Int?

    public init(priority: Int) { self.priority = priority }

    public static let defaultLifetime = 86400
}

/// `crypto isakmp key KEY address A.B.C.D [MASK] [no-xauth]`.
public struct ISAKMPKey: Equatable, Sendable {
    public var key: String
    public var address: IPAddress
    /// The mask when one is given (`0.0.0.0` matches every peer).
    public var mask: IPAddress?
    public var noXauth = false
    /// Written as `crypto isakmp key 6 KEY …`: the key is in IOS type-6 (encrypted) form.
    public var encrypted = false

    public init(key: String, address: IPAddress, mask: IPAddress? = nil, noXauth: Bool = false) {
        self.key = key
        self.address = address
        self.mask = mask
        self.noXauth = noXauth
    }
}

/// `crypto isakmp keepalive SECS [RETRY] [periodic | on-demand]` (DPD, RFC 3706).
public struct DPDSettings: Equatable, Sendable {
    public enum Mode: String, Equatable, Sendable {
        /// Probe only when there is traffic to send and nothing was heard (IOS default).
        case onDemand = "on-demand"
        /// Probe every interval.
        case periodic
    }
    /// 10–3600.
    public var seconds: Int
    /// 2–60; IOS default 2.
    public var retry: Int
    public var mode: Mode
    /// Whether the mode keyword was written (`on-demand` is the default and IOS omits it).
    public init(seconds: Int, retry: Int = 2, mode: Mode = .onDemand) {
        self.seconds = seconds
        self.retry = retry
        self.mode = mode
    }
    /// Probes before a peer is declared dead (IOS: 5 retransmissions).
    public static let probesBeforeDead = 5
}

/// `crypto ikev2 proposal NAME`.
public struct IKEv2Proposal: Equatable, Sendable {
    public var name: String
    /// `encryption aes-cbc-256 …`.
    public var encryption: [String] = []
    /// `integrity sha256 …`.
    public var integrity: [String] = []
    /// `prf sha256 …`.
    public var prf: [String] = []
    /// `group 14 19 …`.
    public var groups: [Int] = []
    public init(name: String) { self.name = name }
}

/// `crypto ikev2 policy NAME`.
public struct IKEv2Policy: Equatable, Sendable {
    public var name: String
    /// `proposal NAME` lines.
    public var proposals: [String] = []
    /// `match address local A.B.C.D`.
    public var matchLocalAddresses: [IPAddress] = []
    public init(name: String) { self.name = name }
}

/// `crypto ikev2 keyring NAME` with its `peer NAME` blocks.
public struct IKEv2Keyring: Equatable, Sendable {
    public struct Peer: Equatable, Sendable {
        public var name: String
        /// `address A.B.C.D [MASK]` as a prefix.
        public var address: IPPrefix?
        /// `pre-shared-key KEY`.
        public var preSharedKey: String?
        /// Written as `pre-shared-key 6 KEY`: the key is in IOS type-6 (encrypted) form.
        public var preSharedKeyEncrypted = false
        public init(name: String) { self.name = name }
    }
    public var name: String
    public var peers: [Peer] = []
    public init(name: String) { self.name = name }
}

/// `crypto ikev2 profile NAME`.
public struct IKEv2Profile: Equatable, Sendable {
    public var name: String
    /// `match identity remote address A.B.C.D [MASK]`.
    public var matchRemoteAddresses: [IPPrefix] = []
    /// `identity local address A.B.C.D`.
    public var localIdentity: IPAddress?
    /// `authentication remote pre-share|rsa-sig`.
    public var authenticationRemote: String?
    /// `authentication local pre-share|rsa-sig`.
    public var authenticationLocal: String?
    /// `keyring local NAME`.
    public var keyring: String?
    /// `lifetime <120-86400>` (IOS default 86400).
    public var lifetime: Int?
    /// `dpd INTERVAL RETRY {on-demand | periodic}`.
    public var dpd: DPDSettings?
    public init(name: String) { self.name = name }
}

/// `crypto ipsec client ezvpn NAME` (Easy VPN remote).
public struct EzVPNClient: Equatable, Sendable {
    public enum Connect: String, Equatable, Sendable { case auto, manual }
    public enum Mode: String, Equatable, Sendable {
        case client
        case networkExtension = "network-extension"
        case networkPlus = "network-plus"
    }
    public var name: String
    public var connect: Connect = .auto
    /// `group NAME key KEY`.
    public var group: String?
    public var groupKey: String?
    public var mode: Mode = .client
    /// `peer A.B.C.D` lines (the Easy VPN servers).
    public var peers: [IPAddress] = []
    /// `xauth userid mode interactive|local`.
    public var xauthUserIDMode: String?
    public init(name: String) { self.name = name }
}

/// `service timestamps {log | debug} {datetime [msec] [localtime] [show-timezone] [year] | uptime}`.
public struct ServiceTimestamps: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case datetime, uptime }
    public var kind: Kind
    public var msec: Bool
    public var localtime: Bool
    public var showTimezone: Bool
    public var year: Bool
    /// False with `no service timestamps log`.
    public var enabled: Bool

    public init(kind: Kind = .datetime, msec: Bool = true, localtime: Bool = false, showTimezone: Bool = false,
                year: Bool = false, enabled: Bool = true) {
        self.kind = kind
        self.msec = msec
        self.localtime = localtime
        self.showTimezone = showTimezone
        self.year = year
        self.enabled = enabled
    }

    /// IOS XE's default: `service timestamps log datetime msec` (and the same for debug).
    public static let iosDefault = ServiceTimestamps()
}

/// IOS syslog severities, 0 (emergencies) to 7 (debugging).
public enum SyslogSeverity: Int, Equatable, Sendable, CaseIterable, Comparable {
    case emergencies = 0, alerts, critical, errors, warnings, notifications, informational, debugging

    public var name: String {
        ["emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"][rawValue]
    }

    public init?(name: String) {
        guard let i = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = i
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// `logging host A.B.C.D [transport udp port N]`.
public struct LoggingHost: Equatable, Sendable, Hashable {
    public var address: IPAddress
    /// UDP port (default 514).
    public var port: UInt16
    public init(address: IPAddress, port: UInt16 = 514) {
        self.address = address
        self.port = port
    }
}

/// `logging buffered [SIZE] [LEVEL]`, `logging host …`, `logging trap LEVEL`.
public struct LoggingConfiguration: Equatable, Sendable {
    /// Buffer size in bytes (`logging buffered 4096–2147483647`); nil = not configured.
    public var bufferedSize: Int?
    /// Buffer level (IOS default debugging).
    public var bufferedLevel: SyslogSeverity = .debugging
    /// `no logging buffered`.
    public var bufferedDisabled = false
    public var hosts: [LoggingHost] = []
    /// `logging trap LEVEL` (IOS default informational).
    public var trapLevel: SyslogSeverity = .informational
    public init() {}

    /// IOS XE's default buffer size when `logging buffered` gives none.
    public static let defaultBufferedSize = 4096 * 8
}

/// `event manager applet NAME [authorization bypass]` and its event and actions.
public struct EventManagerApplet: Equatable, Sendable {
    public enum Event: Equatable, Sendable {
        /// `event syslog [occurs N] [period S] pattern "RE" [maxrun S] [ratelimit S]`.
        case syslog(pattern: String, occurs: Int?, period: Double?, ratelimit: Double?)
        /// `event none`: run by `event manager run NAME`.
        case none
        /// `event timer countdown time N`.
        case countdown(seconds: Double)
        /// `event timer watchdog time N`.
        case watchdog(seconds: Double)
    }

    public enum Action: Equatable, Sendable {
        /// `cli command "…" [pattern "RE"]`.
        case cliCommand(String, pattern: String?)
        /// `syslog [priority P] msg "…"`.
        case syslogMessage(String, priority: String?)
        /// `regexp "RE" "INPUT" [match [sub …]]`: variables set from the match.
        case regexp(pattern: String, input: String, variables: [String])
        /// `puts "…"`.
        case puts(String)
        /// `set VAR "VALUE"`.
        case set(variable: String, value: String)
    }

    public struct LabeledAction: Equatable, Sendable {
        /// The label as written (`1.0`); actions run in label order compared as strings.
        public var label: String
        public var action: Action
        public init(label: String, action: Action) {
            self.label = label
            self.action = action
        }
    }

    public var name: String
    public var authorizationBypass = false
    public var event: Event?
    /// `maxrun S` on the event line (IOS default 20 s).
    public var maxrun: Double?
    public var actions: [LabeledAction] = []
    public init(name: String) { self.name = name }

    /// Actions in the order IOS runs them: labels sorted as strings (`1.10` before `1.2`).
    public var orderedActions: [LabeledAction] { actions.sorted { $0.label < $1.label } }

    public static let defaultMaxrun = 20.0
}

/// The part of `RouterConfiguration` the IKE model, syslog and EEM read.
public struct ControlConfiguration: Equatable, Sendable {
    public var isakmpPolicies: [Int: ISAKMPPolicy] = [:]
    public var isakmpKeys: [ISAKMPKey] = []
    /// `crypto isakmp invalid-spi-recovery`.
    public var invalidSPIRecovery = false
    /// `crypto isakmp keepalive …`.
    public var keepalive: DPDSettings?
    public var ikev2Proposals: [String: IKEv2Proposal] = [:]
    public var ikev2Policies: [String: IKEv2Policy] = [:]
    public var ikev2Keyrings: [String: IKEv2Keyring] = [:]
    public var ikev2Profiles: [String: IKEv2Profile] = [:]
    public var ezvpnClients: [String: EzVPNClient] = [:]
    public var timestampsLog = ServiceTimestamps.iosDefault
    public var timestampsDebug = ServiceTimestamps.iosDefault
    public var logging = LoggingConfiguration()
    /// Applets by name.
    public var applets: [String: EventManagerApplet] = [:]
    /// Accounts, `enable secret`, the SSH listener and `login delay`.
    public var access = AccessConfiguration()
    public init() {}
}
