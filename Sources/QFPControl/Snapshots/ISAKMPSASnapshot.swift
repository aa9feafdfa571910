/// One IKEv1 (ISAKMP) SA row of `show crypto isakmp sa`.
public struct ISAKMPSASnapshot: Sendable, Equatable, Codable {
    /// Phase 1 / quick-mode state as IOS names it.
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        /// Main mode started, nothing exchanged (also a freshly deleted SA's state).
        case mmNoState = "MM_NO_STATE"
        /// Main mode SA proposal exchanged.
        case mmSASetup = "MM_SA_SETUP"
        /// Main mode key exchange done.
        case mmKeyExchange = "MM_KEY_EXCH"
        /// Main mode authentication done.
        case mmKeyAuth = "MM_KEY_AUTH"
        /// Aggressive mode started.
        case agNoState = "AG_NO_STATE"
        /// Aggressive mode first exchange.
        case agInitExchange = "AG_INIT_EXCH"
        /// Aggressive mode authenticated.
        case agAuth = "AG_AUTH"
        /// Phase 1 complete, ready for quick mode.
        case qmIdle = "QM_IDLE"
    }

    /// The `status` column.
    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        case active = "ACTIVE"
        /// Being torn down (DELETE sent or received), kept until its timer expires.
        case activeDeleted = "ACTIVE (deleted)"
    }

    /// `dst`: the responder's address (the peer when the router initiated).
    public var destination: String
    /// `src`: the initiator's address.
    public var source: String
    public var state: State
    /// `conn-id`.
    public var connectionID: Int
    public var status: Status

    /// What `show crypto isakmp sa detail` adds: the router's and the peer's address, the
    /// phase 1 transforms (IOS's short names: `aes`, `sha256`, `psk`), the DH group, the
    /// seconds left of the SA's lifetime and the capabilities (`D`: dead peer detection).
    public struct Detail: Sendable, Equatable, Codable {
        public var local: String
        public var remote: String
        public var encryption: String
        public var hash: String
        public var authentication: String
        public var dhGroup: Int
        public var lifetimeRemainingSeconds: UInt64
        public var capabilities: String

        public init(local: String, remote: String, encryption: String, hash: String, authentication: String, dhGroup: Int,
                    lifetimeRemainingSeconds: UInt64, capabilities: String) {
            self.local = local
            self.remote = remote
            self.encryption = encryption
            self.hash = hash
            self.authentication = authentication
            self.dhGroup = dhGroup
            self.lifetimeRemainingSeconds = lifetimeRemainingSeconds
            self.capabilities = capabilities
        }

        enum CodingKeys: String, CodingKey {
            case local, remote, encryption = "encr_algo", hash = "hash_algo", authentication = "auth_type", dhGroup = "dh_group"
            case lifetimeRemainingSeconds = "lifetime_remaining_seconds", capabilities
        }
    }
    public var detail: Detail?

    public init(destination: String, source: String, state: State, connectionID: Int, status: Status = .active, detail: Detail? = nil) {
        self.destination = destination
        self.source = source
        self.state = state
        self.connectionID = connectionID
        self.status = status
        self.detail = detail
    }

    /// Whether the SA is between IPv6 peers (listed under `IPv6 Crypto ISAKMP SA`).
    public var isIPv6: Bool { destination.contains(":") }

    enum CodingKeys: String, CodingKey {
        case destination = "dst"
        case source = "src"
        case state
        case connectionID = "conn_id"
        case status
        case detail
    }
}

/// Everything `show crypto isakmp sa` prints: the IKEv1 SAs, IPv4 and IPv6 together (the
/// renderer splits them by address family).
public struct CryptoISAKMPSASnapshot: Sendable, Equatable, Codable {
    /// SAs in IOS order (newest first in the captures).
    public var sas: [ISAKMPSASnapshot]

    public init(sas: [ISAKMPSASnapshot] = []) {
        self.sas = sas
    }
}
