import QFPDataplane

/// The router's configuration as IOS would hold it: what `show running-config` prints and what
/// the configuration parser builds, file and `configure terminal` alike. A plain value; the
/// `Router` turns it into data-plane state.
public struct RouterConfiguration: Equatable, Sendable {
    public var hostname = "Router"
    /// Interfaces by canonical name (`GigabitEthernet1`, `Tunnel10`).
    public var interfaces: [String: InterfaceConfiguration] = [:]
    public var transformSets: [String: TransformSet] = [:]
    public var ipsecProfiles: [String: IPsecProfile] = [:]
    /// Crypto maps by name, entries by sequence number.
    public var cryptoMaps: [String: [Int: CryptoMapEntry]] = [:]
    /// Dynamic crypto maps by name, entries by sequence number.
    public var dynamicMaps: [String: [Int: CryptoMapEntry]] = [:]
    /// Extended access lists by number (`101`) or name.
    public var accessLists: [String: AccessList] = [:]
    public var staticRoutes: [StaticRoute] = []
    /// `crypto ipsec security-association lifetime seconds` (IOS default 3600).
    public var lifetimeSeconds = 3600
    /// `crypto ipsec security-association lifetime kilobytes` (IOS default 4,608,000).
    public var lifetimeKilobytes = 4_608_000
    /// `crypto ipsec security-association replay window-size` (IOS default 64).
    public var replayWindow = 64
    /// IKE, DPD, invalid-SPI recovery, logging, timestamps and EEM.
    public var control = ControlConfiguration()

    public init() {}

    public static let defaultLifetimeSeconds = 3600
    public static let defaultLifetimeKilobytes = 4_608_000
    public static let defaultReplayWindow = 64

    /// Interfaces in IOS order: by type, then by number.
    public var orderedInterfaces: [InterfaceConfiguration] {
        interfaces.values.sorted { InterfaceName.order($0.name, $1.name) }
    }
}

/// One `interface` block.
public struct InterfaceConfiguration: Equatable, Sendable {
    public var name: String
    public var description: String?
    /// `ip address A.B.C.D M.M.M.M`.
    public var ipv4: InterfaceAddress?
    /// `ipv6 address X:X::X/len`.
    public var ipv6: [InterfaceAddress] = []
    /// `ip mtu N`.
    public var ipMTU: Int?
    /// `crypto map NAME`.
    public var cryptoMap: String?
    /// `crypto ipsec client ezvpn NAME [inside]`: the Easy VPN client and whether this is its
    /// inside interface.
    public var ezvpn: (name: String, inside: Bool)? {
        get { ezvpnName.map { ($0, ezvpnInside) } }
        set { ezvpnName = newValue?.name; ezvpnInside = newValue?.inside ?? false }
    }
    public var ezvpnName: String?
    public var ezvpnInside = false
    public var shutdown = false
    /// `qfp port linux DEV` (a qfp extension, not IOS): the Linux network device that is this
    /// interface's port under `qfp run`.
    public var linuxDevice: String?
    /// Tunnel settings (Tunnel interfaces only).
    public var tunnel = TunnelConfiguration()

    public init(name: String) { self.name = name }

    public var isTunnel: Bool { name.hasPrefix("Tunnel") }

    /// N of `GigabitEthernetN` (1...65535): the input-interface index packets received on this
    /// interface carry. Nil for other interface names.
    public var portIndex: UInt16? {
        let prefix = "GigabitEthernet"
        guard name.hasPrefix(prefix), let n = UInt16(name.dropFirst(prefix.count)), n >= 1,
              name.dropFirst(prefix.count).allSatisfy(\.isNumber) else { return nil }
        return n
    }
}

/// An interface address and its prefix length (host bits kept).
public struct InterfaceAddress: Equatable, Sendable, Hashable {
    public var address: IPAddress
    public var length: Int
    public init(address: IPAddress, length: Int) {
        self.address = address
        self.length = length
    }
    /// The connected network.
    public var network: IPPrefix { IPPrefix(address, length: length)! }
}

/// The `tunnel ...` and `ip nhrp ...` lines of a Tunnel interface.
public struct TunnelConfiguration: Equatable, Sendable {
    public enum Mode: String, Equatable, Sendable, CaseIterable {
        /// `tunnel mode gre ip` (the IOS default): point-to-point GRE.
        case greIP = "gre ip"
        /// `tunnel mode gre multipoint`: mGRE (DMVPN).
        case greMultipoint = "gre multipoint"
        /// `tunnel mode ipsec ipv4`: static VTI.
        case ipsecIPv4 = "ipsec ipv4"
        /// `tunnel mode ipsec ipv6`: static VTI over IPv6.
        case ipsecIPv6 = "ipsec ipv6"
    }
    public var mode: Mode = .greIP
    /// `tunnel source` as an address.
    public var sourceAddress: IPAddress?
    /// `tunnel source` as an interface name.
    public var sourceInterface: String?
    public var destination: IPAddress?
    /// `tunnel protection ipsec profile NAME`.
    public var protectionProfile: String?
    /// `ip nhrp network-id N`.
    public var nhrpNetworkID: Int?
    /// `ip nhrp map TUNNEL-IP NBMA-IP`: static NHRP entries (mGRE).
    public var nhrpMaps: [NHRPMapping] = []
    /// `ip nhrp nhs ADDRESS`.
    public var nhrpServers: [IPAddress] = []

    public init() {}
}

/// A static NHRP mapping.
public struct NHRPMapping: Equatable, Sendable, Hashable {
    public var tunnelAddress: IPAddress
    public var nbmaAddress: IPAddress
    public init(tunnelAddress: IPAddress, nbmaAddress: IPAddress) {
        self.tunnelAddress = tunnelAddress
        self.nbmaAddress = nbmaAddress
    }
}

/// `crypto ipsec transform-set NAME transform...` and its `mode`.
public struct TransformSet: Equatable, Sendable {
    public var name: String
    /// The transforms as written (`esp-aes 256`, `esp-sha256-hmac`).
    public var transforms: [String]
    public var mode: IPsecMode = .tunnel

    public init(name: String, transforms: [String], mode: IPsecMode = .tunnel) {
        self.name = name
        self.transforms = transforms
        self.mode = mode
    }

    /// The data-plane transform, when the data plane implements it: `esp-null`, `esp-gcm
    /// [128|256]` (IOS default 128), or `esp-aes [128|256]` (default 128) with `esp-sha-hmac` or
    /// `esp-sha256-hmac`, in any order. Anything else (AH, 3DES, 192-bit keys, compression,
    /// GCM with an HMAC, CBC without one) is nil.
    public var espTransform: ESPTransform? {
        var words = transforms.flatMap { $0.split(separator: " ").map { $0.lowercased() } }[...]
        var cipher: (name: String, bits: Int)?
        var hmac: String?
        while let word = words.popFirst() {
            switch word {
            case "esp-null", "esp-gcm", "esp-aes":
                guard cipher == nil else { return nil }
                var bits = 128
                if let next = words.first, let n = Int(next) {
                    bits = n
                    words.removeFirst()
                }
                guard word == "esp-null" ? bits == 128 : (bits == 128 || bits == 256) else { return nil }
                cipher = (word, bits)
            case "esp-sha-hmac", "esp-sha256-hmac":
                guard hmac == nil else { return nil }
                hmac = word
            default:
                return nil
            }
        }
        switch (cipher?.name, cipher?.bits, hmac) {
        case ("esp-null", _, nil): return .null
        case ("esp-gcm", 128, nil): return .aesGCM128
        case ("esp-gcm", 256, nil): return .aesGCM256
        case ("esp-aes", 128, "esp-sha-hmac"): return .aesCBC128SHA1
        case ("esp-aes", 256, "esp-sha-hmac"): return .aesCBC256SHA1
        case ("esp-aes", 128, "esp-sha256-hmac"): return .aesCBC128SHA256
        case ("esp-aes", 256, "esp-sha256-hmac"): return .aesCBC256SHA256
        default: return nil
        }
    }
}

/// `crypto ipsec profile NAME`.
public struct IPsecProfile: Equatable, Sendable {
    public var name: String
    public var transformSets: [String] = []
    /// `set ikev2-profile NAME`.
    public var ikev2Profile: String?
    public var lifetimeSeconds: Int?
    public var lifetimeKilobytes: Int?
    public var pfsGroup: String?
    public init(name: String) { self.name = name }
}

/// Why a session key cannot be used with its transform set.
public struct SessionKeyError: Error, Equatable, Sendable {
    public var message: String
}

/// Anti-replay setting of a crypto map entry.
public enum ReplaySetting: Equatable, Sendable {
    case global
    case window(Int)
    case disabled
}

/// A manual-keying session key (`set session-key inbound|outbound esp SPI ...`).
public struct SessionKey: Equatable, Sendable {
    /// The key bytes of `cipher` and `authenticator` for `transform`, or a message naming what
    /// is wrong (not hex, wrong length). ESP-NULL takes no keys: whatever is configured is ignored.
    public func keys(for transform: ESPTransform) -> Result<ESPKeys, SessionKeyError> {
        if transform == .null { return .success(.none) }
        guard let cipherBytes = Self.bytes(fromHex: cipher ?? "") else {
            return .failure(SessionKeyError(message: "cipher key is not hexadecimal"))
        }
        guard let authenticatorBytes = Self.bytes(fromHex: authenticator ?? "") else {
            return .failure(SessionKeyError(message: "authenticator key is not hexadecimal"))
        }
        let keys = ESPKeys(cipher: cipherBytes, authenticator: authenticatorBytes)
        do throws(DataplaneError) {
            try transform.validate(keys)
        } catch {
            guard case let .invalidSA(reason) = error else { return .failure(SessionKeyError(message: error.description)) }
            return .failure(SessionKeyError(message: reason))
        }
        return .success(keys)
    }

    /// Bytes of an even-length hex string (nil when it is not one).
    static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public var spi: UInt32
    public var cipher: String?
    public var authenticator: String?
    public init(spi: UInt32, cipher: String? = nil, authenticator: String? = nil) {
        self.spi = spi
        self.cipher = cipher
        self.authenticator = authenticator
    }
}

/// One entry of a crypto map (or of a dynamic map).
public struct CryptoMapEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `ipsec-isakmp`: SAs negotiated by IKE.
        case isakmp
        /// `ipsec-isakmp dynamic NAME`: accepts peers through a dynamic map.
        case dynamic(String)
        /// `ipsec-manual`: SAs from `set session-key`.
        case manual
    }
    public var map: String
    public var sequence: Int
    public var kind: Kind
    public var peers: [IPAddress] = []
    public var transformSets: [String] = []
    /// `match address` ACL number or name.
    public var matchAddress: String?
    public var lifetimeSeconds: Int?
    public var lifetimeKilobytes: Int?
    public var replay: ReplaySetting = .global
    public var pfsGroup: String?
    public var inboundKeys: [SessionKey] = []
    public var outboundKey: SessionKey?

    public init(map: String, sequence: Int, kind: Kind) {
        self.map = map
        self.sequence = sequence
        self.kind = kind
    }
}

/// An IP access list: extended, or standard (sources only: `access-list 1-99`).
public struct AccessList: Equatable, Sendable {
    public var name: String
    /// Numbered (`access-list 101 ...`) or named (`ip access-list extended NAME`).
    public var isNumbered: Bool
    /// A standard list (`access-list 1-99|1300-1999`): entries match the source only.
    public var isStandard = false
    public var entries: [AccessListEntry] = []
    public init(name: String, isNumbered: Bool, isStandard: Bool = false) {
        self.name = name
        self.isNumbered = isNumbered
        self.isStandard = isStandard
    }

    /// Whether a connection from `source` is permitted, as `access-class` and `login
    /// quiet-mode access-class` use a list: the first entry whose source holds the address (and
    /// whose protocol is IP or TCP) decides; no entry matching is the implicit deny.
    /// Destinations and ports are not looked at.
    public func permits(source: IPAddress) -> Bool {
        for e in entries where e.protocolNumber == nil || e.protocolNumber == 6 {
            if e.source.contains(source) { return e.action == .permit }
        }
        return false
    }
}

/// One line of an extended access list.
public struct AccessListEntry: Equatable, Sendable {
    public enum Action: String, Equatable, Sendable { case permit, deny }
    public enum PortMatch: Equatable, Sendable {
        case any
        case eq(UInt16)
        case range(UInt16, UInt16)
        case lt(UInt16)
        case gt(UInt16)
        /// The ports this matches.
        public var ports: ClosedRange<UInt16> {
            switch self {
            case .any: 0...UInt16.max
            case let .eq(p): p...p
            case let .range(a, b): a...b
            case let .lt(p): 0...(p == 0 ? 0 : p - 1)
            case let .gt(p): (p == UInt16.max ? p : p + 1)...UInt16.max
            }
        }
    }
    public var sequence: Int
    public var action: Action
    /// nil = `ip` (any protocol).
    public var protocolNumber: UInt8?
    public var source: IPPrefix
    public var sourcePorts: PortMatch = .any
    public var destination: IPPrefix
    public var destinationPorts: PortMatch = .any

    public init(sequence: Int, action: Action, protocolNumber: UInt8?, source: IPPrefix, destination: IPPrefix) {
        self.sequence = sequence
        self.action = action
        self.protocolNumber = protocolNumber
        self.source = source
        self.destination = destination
    }
}

/// `ip route PREFIX MASK {NEXT-HOP | INTERFACE}`.
public struct StaticRoute: Equatable, Sendable {
    public var prefix: IPPrefix
    public var nextHop: IPAddress?
    public var interface: String?
    public init(prefix: IPPrefix, nextHop: IPAddress? = nil, interface: String? = nil) {
        self.prefix = prefix
        self.nextHop = nextHop
        self.interface = interface
    }
}
