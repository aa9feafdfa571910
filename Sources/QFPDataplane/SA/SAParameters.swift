/// IPsec mode of an SA (RFC 4301 §4.1).
public enum IPsecMode: UInt8, Sendable, Codable, BitwiseCopyable {
    case tunnel
    case transport
}

/// ESP transform of an SA. Only ESP-NULL (RFC 2410) so far; real ciphers plug in at the
/// decrypt/encrypt stage boundary (`Nodes/ESPDecrypt.swift`, `Nodes/ESPEncrypt.swift`).
public enum ESPTransform: UInt8, Sendable, Codable, BitwiseCopyable {
    /// `esp-null`: no confidentiality, no integrity check value.
    case null = 0

    /// Bytes of initialization vector after the ESP header.
    @inlinable public var ivLength: Int { 0 }
    /// Bytes of integrity check value after the trailer.
    @inlinable public var icvLength: Int { 0 }
    /// Payload + trailer must end on this boundary (4 for ESP-NULL, RFC 4303 §2.4).
    @inlinable public var blockSize: Int { 4 }
}

/// How ESP is carried: directly (IP protocol 50) or in UDP/4500 (RFC 3948, NAT-T).
public enum ESPEncapsulation: UInt8, Sendable, Codable, BitwiseCopyable {
    case esp
    case udp
}

/// The anti-replay setting of an inbound SA.
public enum ReplayProtection: Equatable, Sendable, Codable {
    /// `set security-association replay disable`.
    case disabled
    /// A window of this many packets: 64, 128, 256, 512 or 1024.
    case window(Int)

    /// IOS default: 64 packets.
    public static let `default` = ReplayProtection.window(64)

    /// Window size in 64-bit words (0 when disabled), or nil when the size is not allowed.
    public var words: Int? {
        switch self {
        case .disabled: return 0
        case let .window(n):
            guard ReplayWindow.sizes.contains(n), n % 64 == 0, n & (n - 1) == 0 else { return nil }
            return n / 64
        }
    }
}

/// Packet and byte limits of an SA: the soft limit notifies the control plane once (rekey
/// time), the hard limit ends the SA (drops 18 inbound, 44 outbound).
public struct SALifetime: Equatable, Sendable, Codable {
    public var softPackets: UInt64?
    public var hardPackets: UInt64?
    public var softBytes: UInt64?
    public var hardBytes: UInt64?

    public init(softPackets: UInt64? = nil, hardPackets: UInt64? = nil,
                softBytes: UInt64? = nil, hardBytes: UInt64? = nil) {
        self.softPackets = softPackets
        self.hardPackets = hardPackets
        self.softBytes = softBytes
        self.hardBytes = hardBytes
    }

    /// No limits (time-based lifetimes are the control plane's).
    public static let unlimited = SALifetime()

    /// IOS default volume: 4,608,000 kilobytes hard, soft at 90 % (rekey point).
    public static let iosDefault = SALifetime(softBytes: 4_608_000 * 1024 / 10 * 9, hardBytes: 4_608_000 * 1024)

    func validate() throws(DataplaneError) {
        if let s = softPackets, let h = hardPackets, s > h {
            throw .invalidSA("soft packet lifetime \(s) exceeds hard \(h)")
        }
        if let s = softBytes, let h = hardBytes, s > h {
            throw .invalidSA("soft byte lifetime \(s) exceeds hard \(h)")
        }
    }
}

/// An inbound SA as the control plane installs it.
public struct InboundSAConfig: Equatable, Sendable {
    public var spi: UInt32
    /// Local endpoint the SA's packets are addressed to (the lookup key with SPI and protocol).
    public var destination: IPAddress
    public var mode: IPsecMode
    public var transform: ESPTransform
    public var encapsulation: ESPEncapsulation
    public var replay: ReplayProtection
    public var lifetime: SALifetime

    public init(spi: UInt32, destination: IPAddress, mode: IPsecMode = .tunnel,
                transform: ESPTransform = .null, encapsulation: ESPEncapsulation = .esp,
                replay: ReplayProtection = .default, lifetime: SALifetime = .unlimited) {
        self.spi = spi
        self.destination = destination
        self.mode = mode
        self.transform = transform
        self.encapsulation = encapsulation
        self.replay = replay
        self.lifetime = lifetime
    }
}

/// An outbound SA as the control plane installs it.
public struct OutboundSAConfig: Equatable, Sendable {
    public var spi: UInt32
    public var mode: IPsecMode
    public var transform: ESPTransform
    public var encapsulation: ESPEncapsulation
    /// Tunnel source (this router); used in tunnel mode.
    public var tunnelSource: IPAddress
    /// Tunnel destination (the peer); used in tunnel mode.
    public var tunnelDestination: IPAddress
    /// UDP ports for ESP-in-UDP (source may be NAT-translated; destination normally 4500).
    public var udpSourcePort: UInt16
    public var udpDestinationPort: UInt16
    public var lifetime: SALifetime

    public init(spi: UInt32, mode: IPsecMode = .tunnel, transform: ESPTransform = .null,
                encapsulation: ESPEncapsulation = .esp, tunnelSource: IPAddress,
                tunnelDestination: IPAddress, udpSourcePort: UInt16 = 4500,
                udpDestinationPort: UInt16 = 4500, lifetime: SALifetime = .unlimited) {
        self.spi = spi
        self.mode = mode
        self.transform = transform
        self.encapsulation = encapsulation
        self.tunnelSource = tunnelSource
        self.tunnelDestination = tunnelDestination
        self.udpSourcePort = udpSourcePort
        self.udpDestinationPort = udpDestinationPort
        self.lifetime = lifetime
    }
}
