import QFPDataplane

/// The router's IKE SA with one peer, as the IKE model keeps it.
public struct IKESA: Sendable, Equatable {
    public var version: IKEMessage.Version
    /// IKEv1 phase-1 state; `.qmIdle` once established.
    public var state: ISAKMPSASnapshot.State
    /// IKEv2: established (READY) or not (IN-NEG).
    public var established: Bool
    /// Initiator SPI (IKEv1 cookie) and responder SPI.
    public var initiatorSPI: UInt64
    public var responderSPI: UInt64
    public var connectionID: Int
    public var local: IPAddress
    public var remote: IPAddress
    /// Whether this router initiated the IKE SA.
    public var routerInitiated: Bool
    /// Control-clock time it was established (or started, while negotiating).
    public var createdAt: UInt64
    /// Lifetime in seconds (IKEv1 policy lifetime, IKEv2 profile lifetime; default 86400).
    public var lifetimeSeconds: UInt64
    /// Next message ID for Informational exchanges.
    public var nextMessageID: UInt32 = 1
    /// The nonces of the exchange that made it (IKEv1 main mode Ni_b/Nr_b, IKEv2 IKE_SA_INIT
    /// Ni/Nr): with the SPIs and the pre-shared key, what its keys derive from (`IKEKeys`).
    public var initiatorNonce: [UInt8] = []
    public var responderNonce: [UInt8] = []

    /// The same IKE SA as the peer holds it: local and remote swapped, the other side initiator.
    public var mirrored: IKESA {
        var m = self
        m.routerInitiated = !routerInitiated
        swap(&m.local, &m.remote)
        return m
    }

    /// A message on this IKE SA from whoever holds it (`routerInitiated`: the holder initiated it).
    public func message(_ body: IKEMessage.Body, messageID: UInt32, response: Bool = false) -> IKEMessage {
        IKEMessage(version: version, initiatorSPI: initiatorSPI, responderSPI: responderSPI, messageID: messageID,
                   fromInitiator: routerInitiated, isResponse: response, body: body)
    }
}

/// One IKE-negotiated child SA pair as the router holds it.
public struct ChildSA: Sendable, Equatable {
    /// The flow (binding key) it protects.
    public var flowKey: String
    /// The router's inbound SPI (the peer sends with it) and outbound SPI (the peer's inbound).
    public var inboundSPI: UInt32
    public var outboundSPI: UInt32
    public var installedAt: UInt64
    /// When the router starts a rekey (lifetime minus 30 s) and when the SA expires.
    public var rekeyAt: UInt64
    public var expiresAt: UInt64
    /// A newer SA replaced this one (it lives on until `expiresAt`, make-before-break).
    public var superseded = false
    /// The exchange that made it: transform, nonces (the keys derive from them).
    public var negotiated: NegotiatedChildSA?
}

/// Why the router starts an IKE negotiation.
public enum NegotiationPurpose: String, Sendable, Equatable, Codable {
    /// Invalid-SPI recovery: IKE to the sender, then the DELETE.
    case recovery
    /// Outbound traffic hit a protect policy without an SA.
    case acquire
    /// A child SA reached its rekey time.
    case rekey
    /// The peer initiated.
    case peer
}

/// An exchange in progress: a fixed number of messages, alternating between the sides, each
/// delayed by the emulated network and possibly lost and retransmitted.
struct Negotiation: Sendable {
    var purpose: NegotiationPurpose
    var version: IKEMessage.Version
    var routerInitiated: Bool
    /// Whether the exchange creates the IKE SA (main mode / IKE_SA_INIT+IKE_AUTH) or only a
    /// child SA over an existing one (quick mode / CREATE_CHILD_SA).
    var createsIKESA: Bool
    var flowKey: String?
    /// The SPI the peer chose for its inbound SA (the router's outbound), when the peer initiated.
    var peerInboundSPI: UInt32?
    /// The nonces of the child SA exchange (IKEv2 IKE_SA_INIT+IKE_AUTH: the IKE SA's).
    var initiatorNonce: [UInt8] = []
    var responderNonce: [UInt8] = []
    /// Messages delivered so far, and in all.
    var delivered = 0
    var total: Int
    /// Retransmissions of the current message.
    var retransmissions = 0
    var startedAt: UInt64

    /// Messages of each exchange: IKEv1 main mode 6 + quick mode 3; IKEv2 IKE_SA_INIT and
    /// IKE_AUTH (with the first child SA) 4; quick mode alone 3; CREATE_CHILD_SA 2.
    static func messages(_ version: IKEMessage.Version, createsIKESA: Bool, childSA: Bool = true) -> Int {
        if !childSA { return version == .ikev1 ? 6 : 4 }
        return switch (version, createsIKESA) {
        case (.ikev1, true): 9
        case (.ikev1, false): 3
        case (.ikev2, true): 4
        case (.ikev2, false): 2
        }
    }

    /// IKEv1 phase-1 state after `delivered` messages of main mode.
    var ikev1State: ISAKMPSASnapshot.State {
        switch delivered {
        case ..<2: .mmNoState
        case 2..<4: .mmSASetup
        case 4..<5: .mmKeyExchange
        case 5..<6: .mmKeyAuth
        default: .qmIdle
        }
    }

    /// Whether the next message goes from the router to the peer.
    var nextFromRouter: Bool { (delivered % 2 == 0) == routerInitiated }
}

/// DPD (RFC 3706) state of one peer.
struct DPDState: Sendable {
    /// Last time anything was heard from the peer (IKE message or decapsulated ESP).
    var lastHeard: UInt64 = 0
    /// Decapsulated and encapsulated packet counts at the last look (traffic detection).
    var decaps: UInt64 = 0
    var encaps: UInt64 = 0
    /// Last time the router sent ESP to the peer.
    var lastSent: UInt64 = 0
    /// Outstanding probe: sequence number, probes sent, when the last went out.
    var outstanding: UInt32?
    var probes = 0
    var lastProbe: UInt64 = 0
    var sequence: UInt32 = 0
}

/// A token bucket on control-plane time (the limiter of recovery actions per peer).
struct ControlTokenBucket: Sendable {
    var tokens: Double
    let capacity: Double
    let perSecond: Double
    var last: UInt64

    init(capacity: Double, perSecond: Double, now: UInt64) {
        tokens = capacity
        self.capacity = capacity
        self.perSecond = perSecond
        last = now
    }

    mutating func take(now: UInt64) -> Bool {
        if now > last {
            tokens = min(capacity, tokens + Double(now - last) / 1e9 * perSecond)
            last = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Everything the router knows about one peer.
struct PeerSession: Sendable {
    var address: IPAddress
    var local: IPAddress
    var ike: IKESA?
    var children: [ChildSA] = []
    /// Negotiated child SAs the QFP is still being programmed with.
    var pendingInstall: [ChildSA] = []
    var negotiation: Negotiation?
    var dpd = DPDState()
    /// Invalid SPIs waiting for an IKE SA to send their DELETE over (recovery).
    var pendingDeletes: [UInt32] = []
    var deleteBucket: ControlTokenBucket
    var initiationBucket: ControlTokenBucket
    /// When the last DELETE for each SPI went out (one per SPI per interval).
    var lastDeleteForSPI: [UInt32: UInt64] = [:]
    /// The IKE SA's key-derivation key (SKEYID_d / SK_d), once it is established.
    var derivationKey: [UInt8] = []

    init(address: IPAddress, local: IPAddress, now: UInt64, limits: RecoveryLimits) {
        self.address = address
        self.local = local
        deleteBucket = ControlTokenBucket(capacity: limits.deleteBurst, perSecond: limits.deletesPerSecond, now: now)
        initiationBucket = ControlTokenBucket(capacity: 1, perSecond: 1 / limits.secondsBetweenInitiations, now: now)
    }
}

/// The limiter of invalid-SPI recovery (reference §7: IOS has a built-in limiter; its numbers
/// are not published, so these are qfp's [I]): per peer, DELETE notifies at most `deleteBurst`
/// at once and `deletesPerSecond` after, one per SPI per `secondsPerSPI`; IKE initiations for
/// recovery at most one per `secondsBetweenInitiations`.
public struct RecoveryLimits: Sendable, Equatable {
    public var deleteBurst: Double = 5
    public var deletesPerSecond: Double = 1
    public var secondsPerSPI: Double = 10
    public var secondsBetweenInitiations: Double = 30
    public init() {}
}

/// The emulated network between the router and its peers, as the IKE model sees it.
public struct IKENetwork: Sendable, Equatable {
    /// One-way delay of every IKE message.
    public var latencySeconds: Double = 0.02
    /// Probability that an IKE message is lost (0...1).
    public var lossRate: Double = 0
    /// Retransmission interval of an unanswered negotiation message, and how many before the
    /// exchange fails (IOS: "Death by retransmission").
    public var retransmitSeconds: Double = 2
    public var maximumRetransmissions = 5
    /// How long the router takes to program a negotiated SA into the QFP (the window of the
    /// rekey race).
    public var installDelaySeconds: Double = 0.05
    /// Seed of the loss decisions.
    public var seed: UInt64 = 1
    public init() {}
}
