/// One crypto session (one peer on one interface) of `show crypto session [detail]`.
public struct CryptoSessionSnapshot: Sendable, Equatable, Codable {
    /// `Session status:`.
    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        /// IKE SA and IPsec SAs up.
        case upActive = "UP-ACTIVE"
        /// IKE SA up, no IPsec SA.
        case upIdle = "UP-IDLE"
        /// IPsec SAs without an IKE SA: the state in which SPIs drift out of sync.
        case upNoIKE = "UP-NO-IKE"
        /// IKE negotiation in progress.
        case downNegotiating = "DOWN-NEGOTIATING"
        case down = "DOWN"
    }

    /// One IKE SA line (`IKEv1 SA: local A/500 remote B/500 Active`) and, with `detail`, its
    /// `Capabilities:` line.
    public struct IKESA: Sendable, Equatable, Codable {
        /// 1 or 2.
        public var version: Int
        public var localAddress: String
        public var localPort: UInt16
        public var remoteAddress: String
        public var remotePort: UInt16
        /// `Active`, `Inactive`.
        public var state: String
        /// Capability letters from the legend (`D` DPD, `N` NAT-T, `U` route update…), `""` if none.
        public var capabilities: String
        /// `connid:`.
        public var connectionID: Int
        /// Remaining IKE SA lifetime in seconds (`lifetime:05:50:03`).
        public var remainingSeconds: UInt64

        public init(
            version: Int, localAddress: String, localPort: UInt16 = 500, remoteAddress: String,
            remotePort: UInt16 = 500, state: String = "Active", capabilities: String = "",
            connectionID: Int, remainingSeconds: UInt64
        ) {
            self.version = version
            self.localAddress = localAddress
            self.localPort = localPort
            self.remoteAddress = remoteAddress
            self.remotePort = remotePort
            self.state = state
            self.capabilities = capabilities
            self.connectionID = connectionID
            self.remainingSeconds = remainingSeconds
        }

        enum CodingKeys: String, CodingKey {
            case version
            case localAddress = "local"
            case localPort = "local_port"
            case remoteAddress = "remote"
            case remotePort = "remote_port"
            case state = "sa_status"
            case capabilities
            case connectionID = "conn_id"
            case remainingSeconds = "lifetime"
        }
    }

    /// One direction of an IPsec flow in the detail form:
    /// `Inbound:  #pkts dec'ed N drop N life (KB/Sec) K/S`.
    public struct FlowDirection: Sendable, Equatable, Codable {
        /// Packets decrypted (inbound) or encrypted (outbound).
        public var packets: UInt64
        /// Packets dropped.
        public var drops: UInt64
        /// Remaining kilobytes; nil prints `KB Vol Rekey Disabled`.
        public var remainingKilobytes: UInt64?
        /// Remaining seconds.
        public var remainingSeconds: UInt64

        public init(packets: UInt64, drops: UInt64 = 0, remainingKilobytes: UInt64?, remainingSeconds: UInt64) {
            self.packets = packets
            self.drops = drops
            self.remainingKilobytes = remainingKilobytes
            self.remainingSeconds = remainingSeconds
        }

        enum CodingKeys: String, CodingKey {
            case packets = "pkts"
            case drops = "drop"
            case remainingKilobytes = "life_kb"
            case remainingSeconds = "life_secs"
        }
    }

    /// One `IPSEC FLOW:` entry.
    public struct IPsecFlow: Sendable, Equatable, Codable {
        /// The flow as IOS words it after `IPSEC FLOW: `, e.g. `permit 47 host 11.0.1.2 host 11.0.1.1`,
        /// `permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0`, `permit ipv6 ::/0 ::/0`.
        public var text: String
        /// `Active SAs:` (inbound plus outbound).
        public var activeSAs: Int
        /// `origin:` (`crypto map`).
        public var origin: String
        public var inbound: FlowDirection
        public var outbound: FlowDirection

        public init(text: String, activeSAs: Int, origin: String = "crypto map", inbound: FlowDirection, outbound: FlowDirection) {
            self.text = text
            self.activeSAs = activeSAs
            self.origin = origin
            self.inbound = inbound
            self.outbound = outbound
        }

        enum CodingKeys: String, CodingKey {
            case text = "flow"
            case activeSAs = "active_sas"
            case origin, inbound, outbound
        }
    }

    /// `Interface:`.
    public var interface: String
    /// `Profile:` (IKEv2 profile or ISAKMP profile); nil leaves the line out.
    public var profile: String?
    /// Seconds since the session came up (`Uptime:`, detail only).
    public var uptimeSeconds: UInt64
    public var status: Status
    /// `Peer:` address.
    public var peer: String
    /// `port` after the peer.
    public var peerPort: UInt16
    /// Front-door VRF (detail `fvrf:`); nil prints `(none)`.
    public var fvrf: String?
    /// Inside VRF (detail `ivrf:`); nil prints `(none)`.
    public var ivrf: String?
    /// `Phase1_id:` (detail): the peer's IKE identity.
    public var phase1ID: String
    /// `Desc:` (detail); nil prints `(none)`.
    public var peerDescription: String?
    /// SD-WAN: `System IP: 13.13.13.11  Interface: Tu1` under the peer; nil leaves it out.
    public var systemIP: String?
    /// SD-WAN: the short interface name on the `System IP` line.
    public var systemInterface: String?
    /// `Session ID:`.
    public var sessionID: Int
    public var ikeSAs: [IKESA]
    public var ipsecFlows: [IPsecFlow]

    public init(
        interface: String, profile: String? = nil, uptimeSeconds: UInt64 = 0, status: Status = .upActive,
        peer: String, peerPort: UInt16 = 500, fvrf: String? = nil, ivrf: String? = nil, phase1ID: String,
        peerDescription: String? = nil, systemIP: String? = nil, systemInterface: String? = nil,
        sessionID: Int, ikeSAs: [IKESA], ipsecFlows: [IPsecFlow]
    ) {
        self.interface = interface
        self.profile = profile
        self.uptimeSeconds = uptimeSeconds
        self.status = status
        self.peer = peer
        self.peerPort = peerPort
        self.fvrf = fvrf
        self.ivrf = ivrf
        self.phase1ID = phase1ID
        self.peerDescription = peerDescription
        self.systemIP = systemIP
        self.systemInterface = systemInterface
        self.sessionID = sessionID
        self.ikeSAs = ikeSAs
        self.ipsecFlows = ipsecFlows
    }

    enum CodingKeys: String, CodingKey {
        case interface, profile
        case uptimeSeconds = "uptime"
        case status = "session_status"
        case peer
        case peerPort = "port"
        case fvrf, ivrf
        case phase1ID = "phase1_id"
        case peerDescription = "desc"
        case systemIP = "system_ip"
        case systemInterface = "system_interface"
        case sessionID = "session_id"
        case ikeSAs = "ike_sa"
        case ipsecFlows = "ipsec_flow"
    }
}

/// Everything `show crypto session [detail]` prints.
public struct CryptoSessionTableSnapshot: Sendable, Equatable, Codable {
    /// Sessions in IOS order (by interface).
    public var sessions: [CryptoSessionSnapshot]

    public init(sessions: [CryptoSessionSnapshot] = []) {
        self.sessions = sessions
    }
}
