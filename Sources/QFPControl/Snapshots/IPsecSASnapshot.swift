/// One ESP security association as `show crypto ipsec sa` lists it under `inbound esp sas:` or
/// `outbound esp sas:` (spi, transform, in-use settings, conn id, lifetime, IV, replay, status).
///
/// A plain value: the router runtime fills it from its SA database and the per-SA counters;
/// `QFPCLI.ShowCryptoIPsecSA` renders it.
public struct IPsecSASnapshot: Sendable, Equatable, Codable {
    /// Encapsulation mode, the first word inside `in use settings ={…}`.
    public enum Mode: String, Sendable, Equatable, Codable {
        case tunnel = "Tunnel"
        case transport = "Transport"
    }

    /// The SPI, printed `0x658F7C11(1703902225)` (upper-case hex, not zero-padded, then decimal).
    public var spi: UInt32
    /// The transform as IOS names it, printed before ` ,`: `esp-256-aes esp-sha256-hmac`,
    /// `esp-gcm 256`, `esp-gcm`.
    public var transform: String
    /// Tunnel or transport mode.
    public var mode: Mode
    /// NAT-T: ESP in UDP/4500 (`{Tunnel UDP-Encaps, }`).
    public var udpEncapsulated: Bool
    /// Extended sequence numbers negotiated (`{Tunnel, esn}`).
    public var extendedSequenceNumbers: Bool
    /// `conn id:` — the crypto engine connection id.
    public var connectionID: Int
    /// `flow_id:` as printed, a crypto-engine prefix and a number: `CSR:76`, `HW:16001`,
    /// `Onboard VPN:124`. The prefix names the engine; choose one per platform.
    public var flowID: String
    /// `sibling_flags`, printed in upper-case hex without padding (`FFFFFFFF80000048`, `80000000`).
    public var siblingFlags: UInt64
    /// The crypto map the SA belongs to (`Tunnel0-head-0` for tunnel protection).
    public var cryptoMap: String
    /// `, initiator : True|False` after the crypto map; nil for releases that do not print it.
    /// Releases that print it also indent the `(k/sec)` lifetime line by one more space
    /// (see `ShowCryptoIPsecSA`).
    public var initiator: Bool?
    /// Remaining kilobytes before the volume rekey; nil when volume rekey is disabled
    /// (`Kilobyte Volume Rekey has been disabled`).
    public var remainingKilobytes: UInt64?
    /// Remaining seconds of the SA's lifetime.
    public var remainingSeconds: UInt64
    /// `IV size: N bytes` (16 for AES-CBC, 8 for GCM).
    public var ivSizeBytes: Int
    /// `replay detection support: Y|N`.
    public var replayDetection: Bool
    /// `  replay window size: N` after the replay flag; nil for releases that do not print it.
    public var replayWindowSize: Int?
    /// `Status:` text; `ACTIVE(ACTIVE)` for an installed SA in every capture.
    public var status: String

    public init(
        spi: UInt32, transform: String, mode: Mode = .tunnel, udpEncapsulated: Bool = false,
        extendedSequenceNumbers: Bool = false, connectionID: Int, flowID: String, siblingFlags: UInt64,
        cryptoMap: String, initiator: Bool? = nil, remainingKilobytes: UInt64?, remainingSeconds: UInt64,
        ivSizeBytes: Int, replayDetection: Bool = true, replayWindowSize: Int? = nil,
        status: String = "ACTIVE(ACTIVE)"
    ) {
        self.spi = spi
        self.transform = transform
        self.mode = mode
        self.udpEncapsulated = udpEncapsulated
        self.extendedSequenceNumbers = extendedSequenceNumbers
        self.connectionID = connectionID
        self.flowID = flowID
        self.siblingFlags = siblingFlags
        self.cryptoMap = cryptoMap
        self.initiator = initiator
        self.remainingKilobytes = remainingKilobytes
        self.remainingSeconds = remainingSeconds
        self.ivSizeBytes = ivSizeBytes
        self.replayDetection = replayDetection
        self.replayWindowSize = replayWindowSize
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case spi, transform, mode, status, initiator
        case udpEncapsulated = "udp_encapsulated"
        case extendedSequenceNumbers = "esn"
        case connectionID = "conn_id"
        case flowID = "flow_id"
        case siblingFlags = "sibling_flags"
        case cryptoMap = "crypto_map"
        case remainingKilobytes = "remaining_key_lifetime_kb"
        case remainingSeconds = "remaining_key_lifetime_sec"
        case ivSizeBytes = "iv_size_bytes"
        case replayDetection = "replay_detection"
        case replayWindowSize = "replay_window_size"
    }
}
