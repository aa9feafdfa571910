/// One IKEv2 SA of `show crypto ikev2 sa [detail]`: the row, the proposal and lifetime lines,
/// and the fields that only `detail` prints.
public struct IKEv2SASnapshot: Sendable, Equatable, Codable {
    /// `NAT-T is …` in the detail form.
    public enum NATTraversal: String, Sendable, Equatable, Codable {
        case notDetected = "not detected"
        /// This router is behind the NAT.
        case detectedInside = "detected inside"
        /// The peer is behind the NAT.
        case detectedOutside = "detected outside"
    }

    /// `Tunnel-id`.
    public var tunnelID: Int
    /// Local address (the row prints `address/port`).
    public var localAddress: String
    public var localPort: UInt16
    public var remoteAddress: String
    public var remotePort: UInt16
    /// Front-door VRF; `none` in the `fvrf/ivrf` column when nil.
    public var fvrf: String?
    /// Inside VRF; `none` when nil.
    public var ivrf: String?
    /// `Status`: `READY`, `IN-NEG`, `DELETE`.
    public var status: String
    /// `Encr:` (`AES-CBC`, `AES-GCM`).
    public var encryption: String
    /// `keysize:` in bits.
    public var keySize: Int
    /// `PRF:` (`SHA256`).
    public var prf: String
    /// `Hash:` (`SHA256`; `None` with GCM).
    public var hash: String
    /// `DH Grp:` number.
    public var dhGroup: Int
    /// `Auth sign:` (`PSK`, `RSA`).
    public var authSign: String
    /// `Auth verify:`.
    public var authVerify: String
    /// `PQC Key Exchange:` line after the proposal (IOS XE 17.15+); nil leaves it out.
    public var pqcKeyExchange: String?
    /// Configured lifetime in seconds (`Life/Active Time: 86400/735 sec`).
    public var lifetimeSeconds: UInt64
    /// Seconds since the SA was established.
    public var activeSeconds: UInt64
    /// `CE id:` (crypto engine id).
    public var ceID: Int
    /// `Session-id:`.
    public var sessionID: Int
    /// Local IKE SPI, printed as 16 upper-case hex digits.
    public var localSPI: UInt64
    /// Remote IKE SPI.
    public var remoteSPI: UInt64

    // Detail-only fields.

    /// `Status Description:` (`Negotiation done`).
    public var statusDescription: String
    /// `Local id:` (an address, FQDN or e-mail).
    public var localID: String
    /// `Remote id:`.
    public var remoteID: String
    /// `Local req msg id:` / `Remote req msg id:`.
    public var localRequestMessageID: UInt32
    public var remoteRequestMessageID: UInt32
    /// `Local next msg id:` / `Remote next msg id:`.
    public var localNextMessageID: UInt32
    public var remoteNextMessageID: UInt32
    /// `Local req queued:` / `Remote req queued:`.
    public var localRequestsQueued: UInt32
    public var remoteRequestsQueued: UInt32
    /// `Local window:` / `Remote window:`.
    public var localWindow: UInt32
    public var remoteWindow: UInt32
    /// `DPD configured for N seconds, retry R`; 0 and 0 when DPD is off.
    public var dpdIntervalSeconds: Int
    public var dpdRetrySeconds: Int
    /// `Fragmentation not  configured.` (double space is IOS's) when false.
    public var fragmentation: Bool
    /// `Dynamic Route Update: enabled|disabled`.
    public var dynamicRouteUpdate: Bool
    /// `Extended Authentication not configured.` when false.
    public var extendedAuthentication: Bool
    public var natTraversal: NATTraversal
    /// `Cisco Trust Security SGT is enabled|disabled`.
    public var trustSecSGT: Bool
    /// `Initiator of SA : Yes|No`.
    public var initiator: Bool
    /// `PEER TYPE:` (`IOS-XE`, `Other`).
    public var peerType: String

    public init(
        tunnelID: Int, localAddress: String, localPort: UInt16 = 500, remoteAddress: String, remotePort: UInt16 = 500,
        fvrf: String? = nil, ivrf: String? = nil, status: String = "READY",
        encryption: String, keySize: Int, prf: String, hash: String, dhGroup: Int,
        authSign: String = "PSK", authVerify: String = "PSK", pqcKeyExchange: String? = nil,
        lifetimeSeconds: UInt64 = 86_400, activeSeconds: UInt64, ceID: Int = 0, sessionID: Int,
        localSPI: UInt64, remoteSPI: UInt64, statusDescription: String = "Negotiation done",
        localID: String, remoteID: String,
        localRequestMessageID: UInt32 = 0, remoteRequestMessageID: UInt32 = 0,
        localNextMessageID: UInt32 = 0, remoteNextMessageID: UInt32 = 0,
        localRequestsQueued: UInt32 = 0, remoteRequestsQueued: UInt32 = 0,
        localWindow: UInt32 = 5, remoteWindow: UInt32 = 5,
        dpdIntervalSeconds: Int = 0, dpdRetrySeconds: Int = 0, fragmentation: Bool = false,
        dynamicRouteUpdate: Bool = false, extendedAuthentication: Bool = false,
        natTraversal: NATTraversal = .notDetected, trustSecSGT: Bool = false, initiator: Bool,
        peerType: String = "IOS-XE"
    ) {
        self.tunnelID = tunnelID
        self.localAddress = localAddress
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.fvrf = fvrf
        self.ivrf = ivrf
        self.status = status
        self.encryption = encryption
        self.keySize = keySize
        self.prf = prf
        self.hash = hash
        self.dhGroup = dhGroup
        self.authSign = authSign
        self.authVerify = authVerify
        self.pqcKeyExchange = pqcKeyExchange
        self.lifetimeSeconds = lifetimeSeconds
        self.activeSeconds = activeSeconds
        self.ceID = ceID
        self.sessionID = sessionID
        self.localSPI = localSPI
        self.remoteSPI = remoteSPI
        self.statusDescription = statusDescription
        self.localID = localID
        self.remoteID = remoteID
        self.localRequestMessageID = localRequestMessageID
        self.remoteRequestMessageID = remoteRequestMessageID
        self.localNextMessageID = localNextMessageID
        self.remoteNextMessageID = remoteNextMessageID
        self.localRequestsQueued = localRequestsQueued
        self.remoteRequestsQueued = remoteRequestsQueued
        self.localWindow = localWindow
        self.remoteWindow = remoteWindow
        self.dpdIntervalSeconds = dpdIntervalSeconds
        self.dpdRetrySeconds = dpdRetrySeconds
        self.fragmentation = fragmentation
        self.dynamicRouteUpdate = dynamicRouteUpdate
        self.extendedAuthentication = extendedAuthentication
        self.natTraversal = natTraversal
        self.trustSecSGT = trustSecSGT
        self.initiator = initiator
        self.peerType = peerType
    }

    /// Whether the SA is between IPv6 peers (listed under `IPv6 Crypto IKEv2  SA`).
    public var isIPv6: Bool { localAddress.contains(":") }

    enum CodingKeys: String, CodingKey {
        case tunnelID = "tunnel_id"
        case localAddress = "local"
        case localPort = "local_port"
        case remoteAddress = "remote"
        case remotePort = "remote_port"
        case fvrf, ivrf, status
        case encryption = "encryption_method"
        case keySize = "keysize"
        case prf
        case hash = "hash_algo"
        case dhGroup = "dh_group"
        case authSign = "auth_sign"
        case authVerify = "auth_verify"
        case pqcKeyExchange = "pqc_key_exchange"
        case lifetimeSeconds = "life_time"
        case activeSeconds = "active_time"
        case ceID = "ce_id"
        case sessionID = "session_id"
        case localSPI = "local_spi"
        case remoteSPI = "remote_spi"
        case statusDescription = "status_description"
        case localID = "local_id"
        case remoteID = "remote_id"
        case localRequestMessageID = "local_req_msg_id"
        case remoteRequestMessageID = "remote_req_msg_id"
        case localNextMessageID = "local_next_msg_id"
        case remoteNextMessageID = "remote_next_msg_id"
        case localRequestsQueued = "local_req_queued"
        case remoteRequestsQueued = "remote_req_queued"
        case localWindow = "local_window"
        case remoteWindow = "remote_window"
        case dpdIntervalSeconds = "dpd_configured_time"
        case dpdRetrySeconds = "dpd_retry_time"
        case fragmentation
        case dynamicRouteUpdate = "dynamic_route_update"
        case extendedAuthentication = "extended_authentication"
        case natTraversal = "nat_t"
        case trustSecSGT = "cts_sgt"
        case initiator = "initiator_of_sa"
        case peerType = "peer_type"
    }
}

/// Everything `show crypto ikev2 sa [detail]` prints: the IKEv2 SAs, IPv4 and IPv6 together
/// (the renderer splits them by address family).
public struct CryptoIKEv2SASnapshot: Sendable, Equatable, Codable {
    /// SAs in tunnel-id order.
    public var sas: [IKEv2SASnapshot]

    public init(sas: [IKEv2SASnapshot] = []) {
        self.sas = sas
    }
}
