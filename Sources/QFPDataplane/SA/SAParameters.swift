/// IPsec mode of an SA (RFC 4301 §4.1).
public enum IPsecMode: UInt8, Sendable, Codable, BitwiseCopyable {
    case tunnel
    case transport
}

/// ESP transform of an SA: cipher and integrity algorithm together (IOS transform sets).
///
/// The data plane knows each transform's sizes; the cryptography itself lives behind a per-SA
/// crypto context (`ESPCryptoContext`), made by an `ESPCryptoProvider` (module QFPCrypto) when
/// the SA is installed. Raw values fit the four transform bits of `SAFlags`.
public enum ESPTransform: UInt8, Sendable, Codable, BitwiseCopyable, CaseIterable {
    /// `esp-null` (RFC 2410): no confidentiality, no integrity check value.
    case null = 0
    /// `esp-gcm 128` (RFC 4106): AES-128-GCM, 8-byte explicit IV, 16-byte ICV.
    case aesGCM128 = 1
    /// `esp-gcm 256` (RFC 4106): AES-256-GCM.
    case aesGCM256 = 2
    /// `esp-aes 128 esp-sha-hmac`: AES-128-CBC (RFC 3602) with HMAC-SHA1-96 (RFC 2404).
    case aesCBC128SHA1 = 3
    /// `esp-aes 256 esp-sha-hmac`.
    case aesCBC256SHA1 = 4
    /// `esp-aes 128 esp-sha256-hmac`: AES-128-CBC with HMAC-SHA256-128 (RFC 4868).
    case aesCBC128SHA256 = 5
    /// `esp-aes 256 esp-sha256-hmac`.
    case aesCBC256SHA256 = 6

    /// Combined-mode (AEAD) transform: the ICV check and decryption are one operation.
    @inlinable public var isAEAD: Bool { self == .aesGCM128 || self == .aesGCM256 }

    /// Bytes of initialization vector after the ESP header.
    @inlinable public var ivLength: Int {
        switch self {
        case .null: 0
        case .aesGCM128, .aesGCM256: 8
        case .aesCBC128SHA1, .aesCBC256SHA1, .aesCBC128SHA256, .aesCBC256SHA256: 16
        }
    }

    /// Bytes of integrity check value after the trailer.
    @inlinable public var icvLength: Int {
        switch self {
        case .null: 0
        case .aesGCM128, .aesGCM256, .aesCBC128SHA256, .aesCBC256SHA256: 16
        case .aesCBC128SHA1, .aesCBC256SHA1: 12
        }
    }

    /// Payload + trailer must end on this boundary: the cipher block for CBC, else 4 (RFC 4303 §2.4).
    @inlinable public var blockSize: Int {
        switch self {
        case .null, .aesGCM128, .aesGCM256: 4
        case .aesCBC128SHA1, .aesCBC256SHA1, .aesCBC128SHA256, .aesCBC256SHA256: 16
        }
    }

    /// Bytes of cipher key material: the AES key, plus the 4-byte salt for GCM (RFC 4106 §8.1).
    public var cipherKeyLength: Int {
        switch self {
        case .null: 0
        case .aesGCM128: 20
        case .aesGCM256: 36
        case .aesCBC128SHA1, .aesCBC128SHA256: 16
        case .aesCBC256SHA1, .aesCBC256SHA256: 32
        }
    }

    /// Bytes of integrity key (HMAC-SHA1: 20, HMAC-SHA256: 32; none for GCM and NULL).
    public var authenticatorKeyLength: Int {
        switch self {
        case .null, .aesGCM128, .aesGCM256: 0
        case .aesCBC128SHA1, .aesCBC256SHA1: 20
        case .aesCBC128SHA256, .aesCBC256SHA256: 32
        }
    }

    /// The IOS transform-set words (`esp-gcm 128`, `esp-aes 256 esp-sha-hmac`).
    public var iosName: String {
        switch self {
        case .null: "esp-null"
        case .aesGCM128: "esp-gcm 128"
        case .aesGCM256: "esp-gcm 256"
        case .aesCBC128SHA1: "esp-aes 128 esp-sha-hmac"
        case .aesCBC256SHA1: "esp-aes 256 esp-sha-hmac"
        case .aesCBC128SHA256: "esp-aes 128 esp-sha256-hmac"
        case .aesCBC256SHA256: "esp-aes 256 esp-sha256-hmac"
        }
    }

    /// Checks that `keys` has the lengths this transform needs; the error names the transform,
    /// the key and both lengths.
    public func validate(_ keys: ESPKeys) throws(DataplaneError) {
        if keys.cipher.count != cipherKeyLength {
            let what = isAEAD ? "cipher key (AES key + 4-byte salt)" : "cipher key"
            throw .invalidSA("\(iosName): \(what) is \(keys.cipher.count) bytes, needs \(cipherKeyLength)")
        }
        if keys.authenticator.count != authenticatorKeyLength {
            throw .invalidSA("\(iosName): authenticator key is \(keys.authenticator.count) bytes, needs \(authenticatorKeyLength)")
        }
    }
}

/// Key material of one SA: the cipher key (for GCM with its 4-byte salt at the end, RFC 4106
/// §8.1) and the integrity key. Manual SAs take them from `set session-key`; the IKE model
/// will derive them (RFC 7296 §2.17) and pass them the same way.
public struct ESPKeys: Hashable, Sendable {
    public var cipher: [UInt8]
    public var authenticator: [UInt8]

    public init(cipher: [UInt8] = [], authenticator: [UInt8] = []) {
        self.cipher = cipher
        self.authenticator = authenticator
    }

    /// No keys (ESP-NULL).
    public static let none = ESPKeys()
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
    /// Keys for `transform` (validated against its lengths at install).
    public var keys: ESPKeys

    public init(spi: UInt32, destination: IPAddress, mode: IPsecMode = .tunnel,
                transform: ESPTransform = .null, encapsulation: ESPEncapsulation = .esp,
                replay: ReplayProtection = .default, lifetime: SALifetime = .unlimited,
                keys: ESPKeys = .none) {
        self.keys = keys
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
    /// Keys for `transform` (validated against its lengths at install).
    public var keys: ESPKeys

    public init(spi: UInt32, mode: IPsecMode = .tunnel, transform: ESPTransform = .null,
                encapsulation: ESPEncapsulation = .esp, tunnelSource: IPAddress,
                tunnelDestination: IPAddress, udpSourcePort: UInt16 = 4500,
                udpDestinationPort: UInt16 = 4500, lifetime: SALifetime = .unlimited,
                keys: ESPKeys = .none) {
        self.keys = keys
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
