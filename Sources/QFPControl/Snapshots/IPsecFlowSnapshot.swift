/// One flow (proxy-identity pair) of a crypto map interface in `show crypto ipsec sa`: the
/// block from `protected vrf:` to `outbound pcp sas:`.
///
/// A flow without SAs (not negotiated yet, or deleted) still prints, with
/// `current outbound spi: 0x0(0)` and empty SA lists.
public struct IPsecFlowSnapshot: Sendable, Equatable, Codable {
    /// `protected vrf:`; nil prints `(none)`.
    public var protectedVRF: String?
    /// `local  ident (addr/mask/prot/port):`.
    public var localIdentity: IPsecTrafficSelector
    /// `remote ident (addr/mask/prot/port):`.
    public var remoteIdentity: IPsecTrafficSelector
    /// `current_peer` address.
    public var currentPeer: String
    /// `port` after the peer: 500, or 4500 once NAT-T is in use.
    public var peerPort: UInt16
    /// The words inside `PERMIT, flags={…}`, each printed followed by a comma
    /// (`["origin_is_acl"]` prints `flags={origin_is_acl,}`).
    public var permitFlags: [String]
    /// The `#pkts` counters.
    public var counters: IPsecFlowCounters
    /// `local crypto endpt.`.
    public var localEndpoint: String
    /// `remote crypto endpt.`.
    public var remoteEndpoint: String
    /// `plaintext mtu`: the largest clear packet that fits after ESP overhead.
    public var plaintextMTU: Int
    /// `path mtu`.
    public var pathMTU: Int
    /// `ip mtu`.
    public var ipMTU: Int
    /// `ip mtu idb`: the interface the ESP packets leave by.
    public var ipMTUInterface: String
    /// `current outbound spi:`; 0 when the flow has no outbound SA.
    public var currentOutboundSPI: UInt32
    /// `PFS (Y/N):`.
    public var pfs: Bool
    /// `DH group:` (`group20`); nil prints `none`.
    public var dhGroup: String?
    /// `, PQC Key Exchange: ML-KEM-1024` after the DH group (IOS XE 17.15+); nil leaves it out.
    public var pqcKeyExchange: String?
    /// `inbound esp sas:`, oldest first (two during a rekey overlap).
    public var inboundESP: [IPsecSASnapshot]
    /// `outbound esp sas:`, oldest first.
    public var outboundESP: [IPsecSASnapshot]

    public init(
        protectedVRF: String? = nil, localIdentity: IPsecTrafficSelector, remoteIdentity: IPsecTrafficSelector,
        currentPeer: String, peerPort: UInt16 = 500, permitFlags: [String] = ["origin_is_acl"],
        counters: IPsecFlowCounters = IPsecFlowCounters(), localEndpoint: String, remoteEndpoint: String,
        plaintextMTU: Int, pathMTU: Int = 1500, ipMTU: Int = 1500, ipMTUInterface: String,
        currentOutboundSPI: UInt32 = 0, pfs: Bool = false, dhGroup: String? = nil, pqcKeyExchange: String? = nil,
        inboundESP: [IPsecSASnapshot] = [], outboundESP: [IPsecSASnapshot] = []
    ) {
        self.protectedVRF = protectedVRF
        self.localIdentity = localIdentity
        self.remoteIdentity = remoteIdentity
        self.currentPeer = currentPeer
        self.peerPort = peerPort
        self.permitFlags = permitFlags
        self.counters = counters
        self.localEndpoint = localEndpoint
        self.remoteEndpoint = remoteEndpoint
        self.plaintextMTU = plaintextMTU
        self.pathMTU = pathMTU
        self.ipMTU = ipMTU
        self.ipMTUInterface = ipMTUInterface
        self.currentOutboundSPI = currentOutboundSPI
        self.pfs = pfs
        self.dhGroup = dhGroup
        self.pqcKeyExchange = pqcKeyExchange
        self.inboundESP = inboundESP
        self.outboundESP = outboundESP
    }

    enum CodingKeys: String, CodingKey {
        case protectedVRF = "protected_vrf"
        case localIdentity = "local_ident"
        case remoteIdentity = "remote_ident"
        case currentPeer = "current_peer"
        case peerPort = "peer_port"
        case permitFlags = "permit_flags"
        case counters
        case localEndpoint = "local_crypto_endpt"
        case remoteEndpoint = "remote_crypto_endpt"
        case plaintextMTU = "plaintext_mtu"
        case pathMTU = "path_mtu"
        case ipMTU = "ip_mtu"
        case ipMTUInterface = "ip_mtu_idb"
        case currentOutboundSPI = "current_outbound_spi"
        case pfs
        case dhGroup = "dh_group"
        case pqcKeyExchange = "pqc_key_exchange"
        case inboundESP = "inbound_esp_sas"
        case outboundESP = "outbound_esp_sas"
    }
}
