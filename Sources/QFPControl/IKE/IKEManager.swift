import QFPDataplane
import Synchronization

/// The emulated peers, as the router's IKE model reaches them.
public protocol IKEPeerEndpoint: AnyObject, Sendable {
    /// Whether the peer at `address` is up and answers an IKE exchange: an offer of a new IKE
    /// SA when `ikeSA` is nil, else an exchange over that IKE SA (which it may not hold).
    func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool
    /// An IKE message from the router reaches the peer (after the network's delay).
    func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64)
    /// A negotiation with the peer completed: its view becomes this IKE SA (nil when only a
    /// child SA was made) and this child SA pair (nil when only the IKE SA was made, as
    /// invalid-SPI recovery does). The peer sends with `routerInboundSPI` from `usableAt` on and
    /// receives on `peerInboundSPI`.
    func established(peer: IPAddress, ike: IKESA?, routerInboundSPI: UInt32?, peerInboundSPI: UInt32?,
                     purpose: NegotiationPurpose, usableAt: UInt64)
    /// The same, with the whole child SA: its transform and the exchange's values the peer
    /// derives its keys from (`NegotiatedChildSA.keys`). The default calls the SPI-only form.
    func established(peer: IPAddress, ike: IKESA?, child: NegotiatedChildSA?, purpose: NegotiationPurpose, usableAt: UInt64)
    /// The ESP transforms the peer proposes (as initiator) or accepts (as responder), most
    /// preferred first; nil (the default) for a peer configured to match the router, which
    /// takes the router's first transform set.
    func proposals(for peer: IPAddress) -> [ESPTransform]?
    /// Called when the manager is between operations (at the end of `advance()` and
    /// `handle(_:)`): the one place a peer may call back into the manager (`peerInitiates`,
    /// `receive`). The callbacks above run in the middle of the manager's work and must not.
    func settle(_ manager: IKEManager)
}

extension IKEPeerEndpoint {
    public func settle(_ manager: IKEManager) {}
    public func established(peer: IPAddress, ike: IKESA?, routerInboundSPI: UInt32?, peerInboundSPI: UInt32?,
                            purpose: NegotiationPurpose, usableAt: UInt64) {}
    public func established(peer: IPAddress, ike: IKESA?, child: NegotiatedChildSA?, purpose: NegotiationPurpose, usableAt: UInt64) {
        established(peer: peer, ike: ike, routerInboundSPI: child?.routerInboundSPI, peerInboundSPI: child?.routerOutboundSPI,
                    purpose: purpose, usableAt: usableAt)
    }
    public func proposals(for peer: IPAddress) -> [ESPTransform]? { nil }
}

/// Counters of the IKE model: what recovery, DPD and negotiation did, and what the limiter
/// suppressed.
public struct IKECounters: Sendable, Equatable, Codable {
    public var invalidSPIPunts: UInt64 = 0
    /// DELETE (IKEv1) or INVALID_SPI (IKEv2) notifies sent for invalid SPIs.
    public var recoveryNotifiesSent: UInt64 = 0
    /// Notifies the limiter suppressed.
    public var recoveryNotifiesSuppressed: UInt64 = 0
    /// IKE negotiations started for invalid-SPI recovery, and those the limiter suppressed.
    public var recoveryInitiations: UInt64 = 0
    public var recoveryInitiationsSuppressed: UInt64 = 0
    /// Invalid SPIs from senders without an IKE SA that recovery could not or may not serve.
    public var ignoredNoIKESA: UInt64 = 0
    public var negotiationsStarted: UInt64 = 0
    public var negotiationsCompleted: UInt64 = 0
    public var negotiationsFailed: UInt64 = 0
    public var dpdProbesSent: UInt64 = 0
    public var dpdPeersDead: UInt64 = 0
    public var childSAsExpired: UInt64 = 0
    public var ikeMessagesSent: UInt64 = 0
    public var ikeMessagesLost: UInt64 = 0
    /// Child SA negotiations that failed for want of a common transform (phase 2 refused).
    public var childSAProposalsRefused: UInt64 = 0
    public init() {}
}

/// One suspect flow of the blackhole detector, with the likely cause and the remedy.
public struct SuspectFlowReport: Sendable, Equatable, Codable {
    public var source: String
    public var destination: String
    public var spi: UInt32
    public var firstSeenSecondsAgo: UInt64
    public var lastSeenSecondsAgo: UInt64
    public var count: UInt64
    /// The crypto construct that covers the sender (`static-map` …), or nil.
    public var cryptoConfig: String?
    /// Whether the router has an IKE SA to the sender.
    public var ikeSA: Bool
    public var cause: String
    public var remedy: String

    public init(source: String, destination: String, spi: UInt32, firstSeenSecondsAgo: UInt64, lastSeenSecondsAgo: UInt64,
                count: UInt64, cryptoConfig: String?, ikeSA: Bool, cause: String, remedy: String) {
        self.source = source
        self.destination = destination
        self.spi = spi
        self.firstSeenSecondsAgo = firstSeenSecondsAgo
        self.lastSeenSecondsAgo = lastSeenSecondsAgo
        self.count = count
        self.cryptoConfig = cryptoConfig
        self.ikeSA = ikeSA
        self.cause = cause
        self.remedy = remedy
    }
}

/// What the show commands read of the IKE model, published after every change.
public struct IKEModelSnapshot: Sendable, Equatable {
    public var isakmp: [ISAKMPSASnapshot] = []
    public var ikev2: [IKEv2SASnapshot] = []
    public var suspects: [SuspectFlowReport] = []
    public var counters = IKECounters()
    /// Established IKE SAs by peer address, as `show crypto session` prints them.
    public var sessions: [IPAddress: CryptoSessionSnapshot.IKESA] = [:]
    public init() {}
}

/// The router's IKE control plane: IKE SAs per peer and their child SAs, invalid-SPI handling
/// (syslog, DELETE notify, recovery per the support matrix, the limiter, the blackhole
/// detector), DPD, lifetimes and rekey — all on the injected control clock.
///
/// One thread drives it (`handle(punts:)`, `receive`, `advance`); show commands read
/// `snapshot`, which every call republishes.
public final class IKEManager: @unchecked Sendable {
    public let router: Router
    public let syslog: SyslogBuffer
    public let clock: any ControlClock
    public var network: IKENetwork {
        didSet {
            if network.seed != oldValue.seed {
                random = SplitMix(seed: network.seed)
                nonces = SplitMix(seed: network.seed ^ Self.nonceSeed)
            }
        }
    }
    public var limits: RecoveryLimits
    public weak var peers: (any IKEPeerEndpoint)?
    /// Called with every IKE message the router sends (captures).
    public var onSend: (@Sendable (IKEDatagram, UInt64) -> Void)?

    var sessions: [IPAddress: PeerSession] = [:]
    var detector = BlackholeDetector()
    var counters = IKECounters()
    var timers: [(time: UInt64, order: UInt64, event: Event)] = []
    var timerOrder: UInt64 = 0
    var random: SplitMix
    /// The nonces' own generator, so that they do not shift the SPIs and loss decisions that
    /// `random` makes (scenarios reproduce from the seed).
    var nonces: SplitMix
    static let nonceSeed: UInt64 = 0x4E4F_4E43_4553_0001
    var nextConnectionID = 1001
    var nextSessionID = 1
    let published = Mutex(IKEModelSnapshot())
    let requests = Mutex<[Request]>([])

    /// Operator actions from other threads (CLI sessions), carried out by the driving thread at
    /// its next `advance()`.
    public enum Request: Sendable, Equatable {
        /// `clear crypto sa [peer A]`: the child SAs go, with a DELETE over the IKE SA.
        case clearChildSAs(peer: IPAddress?)
        /// `clear crypto isakmp`: the IKE SAs go, with a DELETE for each.
        case clearIKESAs
        /// `clear crypto session [remote A]`: the child SAs, then the IKE SA, of each session
        /// (or of the one with that peer), each with its DELETE.
        case clearSessions(peer: IPAddress?)
    }

    /// Queues an operator action (thread-safe).
    public func request(_ r: Request) { requests.withLock { $0.append(r) } }

    enum Event {
        /// The current message of `peer`'s negotiation arrives.
        case negotiationMessage(IPAddress)
        /// A message from the router reaches the peer.
        case deliver(IKEDatagram, [UInt8])
        /// The QFP finished programming a negotiated SA pair.
        case install(IPAddress, ChildSA, purpose: NegotiationPurpose)
    }

    public init(router: Router, syslog: SyslogBuffer, clock: any ControlClock, network: IKENetwork = IKENetwork(),
                limits: RecoveryLimits = RecoveryLimits()) {
        self.router = router
        self.syslog = syslog
        self.clock = clock
        self.network = network
        self.limits = limits
        random = SplitMix(seed: network.seed)
        nonces = SplitMix(seed: network.seed ^ Self.nonceSeed)
    }

    /// The model as the show commands print it.
    public var snapshot: IKEModelSnapshot { published.withLock { $0 } }

    /// The running configuration and plan, cached until the router's configuration changes
    /// (classifying every punt against a fresh copy would cost more than the rest of its work).
    var cached: (generation: UInt64, configuration: RouterConfiguration, plan: DataplanePlan)?
    var current: (configuration: RouterConfiguration, plan: DataplanePlan) {
        let generation = router.generation
        if let c = cached, c.generation == generation { return (c.configuration, c.plan) }
        let fresh = router.configurationAndPlan
        cached = fresh
        return (fresh.configuration, fresh.plan)
    }
    var configuration: RouterConfiguration { current.configuration }
    var plan: DataplanePlan { current.plan }

    // MARK: Punts

    /// Handles records the workers punted: invalid SPIs (syslog, detector, recovery) and
    /// acquires (start IKE for a flow without SA).
    public func handle(_ punts: [PuntRecord]) {
        let now = clock.now()
        for p in punts {
            switch p.kind {
            case .invalidSPI: invalidSPI(p, now: now)
            case .acquire: acquire(binding: p.slot, now: now)
            case .replayFailure:
                let id = router.inboundSA(spi: p.spi)?.sa.connectionID ?? 0
                logReplayError(connectionID: id, sequence: p.sequenceNumber)
            case .integrityFailure:
                let id = router.inboundSA(spi: p.spi)?.sa.connectionID ?? 0
                logMACError(connectionID: id, local: p.destination, remote: p.source, spi: p.spi, sequence: p.sequenceNumber)
            case .inboundSoftExpired:
                // Volume (KB) lifetime reached its soft limit: rekey now.
                softExpired(spi: p.spi, now: now)
            case .inboundHardExpired:
                hardExpired(spi: p.spi)
            case .outboundSoftExpired, .outboundHardExpired:
                break
            }
        }
        publish(now)
        peers?.settle(self)
    }

    func interfaceName(receiving address: IPAddress, index: UInt16) -> String? {
        let c = configuration
        if let i = c.orderedInterfaces.first(where: { $0.ipv4?.address == address || $0.ipv6.contains { $0.address == address } }) {
            return i.name
        }
        return index > 0 ? "GigabitEthernet\(index)" : nil
    }

    func invalidSPI(_ p: PuntRecord, now: UInt64) {
        counters.invalidSPIPunts &+= 1
        let protocolNumber: UInt8 = 50   // ESP-in-UDP is reported like ESP (CSCsq59183 fixed)
        detector.record(source: p.source, destination: p.destination, spi: p.spi, protocolNumber: protocolNumber, now: now)
        let logged = logInvalidSPI(destination: p.destination, spi: p.spi, source: p.source,
                                   interface: interfaceName(receiving: p.destination, index: p.inputInterface))
        let sender = p.source
        if var session = sessions[sender], let ike = session.ike, ike.established {
            // An SPI this router negotiated but has not programmed yet (the rekey race) is
            // known to the control plane: no DELETE for it.
            if session.pendingInstall.contains(where: { $0.inboundSPI == p.spi })
                || session.children.contains(where: { $0.inboundSPI == p.spi }) {
                debugISAKMP("ISAKMP: (\(ike.connectionID)):SPI 0x\(hex(p.spi)) from \(sender) is being installed; no delete notify")
                return
            }
            notifyInvalidSPI(p.spi, session: &session, now: now)
            sessions[sender] = session
            return
        }
        let c = configuration
        let who = SenderClassification.classify(sender: sender, local: p.destination, configuration: c, plan: plan)
        guard c.control.invalidSPIRecovery, who.recoveryPossible else {
            counters.ignoredNoIKESA &+= 1
            // The debug line accompanies the (rate-limited) syslog message, as in IOS captures.
            if logged { debugISAKMP("ISAKMP-ERROR: (0):ignoring request to send delete notify (no ISAKMP sa) src \(p.destination) dst \(sender) for SPI 0x\(hex(p.spi))") }
            return
        }
        var session = sessions[sender] ?? PeerSession(address: sender, local: p.destination, now: now, limits: limits)
        if !session.pendingDeletes.contains(p.spi) {
            if session.negotiation != nil {
                session.pendingDeletes.append(p.spi)
            } else if session.initiationBucket.take(now: now) {
                session.pendingDeletes.append(p.spi)
                counters.recoveryInitiations &+= 1
                debugISAKMP("ISAKMP: (0):invalid-spi-recovery: SPI 0x\(hex(p.spi)) from \(sender), no ISAKMP sa; initiating IKE to \(sender)")
                startNegotiation(&session, purpose: .recovery, routerInitiated: true, createsIKESA: true,
                                 version: who.ikev2 ? .ikev2 : .ikev1, flowKey: who.flowKey, now: now)
            } else {
                counters.recoveryInitiationsSuppressed &+= 1
            }
        }
        sessions[sender] = session
    }

    /// Sends the DELETE (IKEv1) or INVALID_SPI notify (IKEv2) for `spi` over the IKE SA, within
    /// the limiter.
    func notifyInvalidSPI(_ spi: UInt32, session: inout PeerSession, now: UInt64) {
        let perSPI = UInt64(limits.secondsPerSPI * 1e9)
        if let last = session.lastDeleteForSPI[spi], now &- last < perSPI {
            counters.recoveryNotifiesSuppressed &+= 1
            return
        }
        guard session.deleteBucket.take(now: now), let ike = session.ike else {
            counters.recoveryNotifiesSuppressed &+= 1
            return
        }
        session.lastDeleteForSPI[spi] = now
        counters.recoveryNotifiesSent &+= 1
        let body: IKEMessage.Body = ike.version == .ikev1 ? .deleteESP(spis: [spi]) : .invalidSPI(spi: spi)
        debugISAKMP(ike.version == .ikev1
            ? "ISAKMP: (\(ike.connectionID)):sending DELETE notify for IPSEC SA with SPI 0x\(hex(spi)) to \(session.address)"
            : "IKEv2:(SESSION ID = \(ike.connectionID),SA ID = 1):Sending INVALID_SPI notify for SPI 0x\(hex(spi)) to \(session.address)")
        send(body, session: &session, now: now)
    }

    func softExpired(spi: UInt32, now: UInt64) {
        guard let (address, child) = child(inboundSPI: spi), var session = sessions[address], session.negotiation == nil,
              !child.superseded else { return }
        debugIPsec("IPSEC(key_engine): request timer fired: count = 1, (identity) local= \(session.local), remote= \(address) (volume lifetime)")
        startRekey(child, &session, now: now)
        sessions[address] = session
    }

    /// The router rekeys `child` (its seconds or volume lifetime is nearly used): quick mode over
    /// the IKE SA, or a new IKE SA when there is none. The child is not rekeyed twice.
    func startRekey(_ child: ChildSA, _ session: inout PeerSession, now: UInt64) {
        if let i = session.children.firstIndex(of: child) { session.children[i].rekeyAt = .max }
        let hasIKE = session.ike?.established == true
        startNegotiation(&session, purpose: .rekey, routerInitiated: true, createsIKESA: !hasIKE,
                         version: session.ike?.version ?? .ikev1, flowKey: child.flowKey, now: now)
    }

    func hardExpired(spi: UInt32) {
        guard let (address, child) = child(inboundSPI: spi), var session = sessions[address] else { return }
        counters.childSAsExpired &+= 1
        removeChild(child, &session)
        sessions[address] = session
    }

    func child(inboundSPI spi: UInt32) -> (IPAddress, ChildSA)? {
        for (address, session) in sessions {
            if let c = session.children.first(where: { $0.inboundSPI == spi }) { return (address, c) }
        }
        return nil
    }

    func acquire(binding: UInt32, now: UInt64) {
        guard let key = router.flowKey(binding: binding),
              let flow = plan.flows.first(where: { $0.bindingKey == key }), let peer = flow.peer,
              !flow.manual else { return }
        var session = sessions[peer] ?? PeerSession(address: peer, local: flow.localAddress, now: now, limits: limits)
        guard session.negotiation == nil else { return }
        let hasIKE = session.ike?.established == true
        if hasIKE && session.children.contains(where: { $0.flowKey == key && !$0.superseded }) { return }
        let who = SenderClassification.classify(sender: peer, local: flow.localAddress, configuration: configuration, plan: plan)
        startNegotiation(&session, purpose: .acquire, routerInitiated: true, createsIKESA: !hasIKE,
                         version: session.ike?.version ?? (who.ikev2 ? .ikev2 : .ikev1), flowKey: key, now: now)
        sessions[peer] = session
    }

    // MARK: Negotiation

    func startNegotiation(_ session: inout PeerSession, purpose: NegotiationPurpose, routerInitiated: Bool, createsIKESA: Bool,
                          version: IKEMessage.Version, flowKey: String?, peerInboundSPI: UInt32? = nil, now: UInt64) {
        counters.negotiationsStarted &+= 1
        session.negotiation = Negotiation(
            purpose: purpose, version: version, routerInitiated: routerInitiated, createsIKESA: createsIKESA,
            flowKey: flowKey, peerInboundSPI: peerInboundSPI,
            total: Negotiation.messages(version, createsIKESA: createsIKESA, childSA: purpose != .recovery), startedAt: now)
        if createsIKESA {
            var ike = IKESA(
                version: version, state: .mmNoState, established: false,
                initiatorSPI: random.next() | 1, responderSPI: 0, connectionID: 0,
                local: session.local, remote: session.address, routerInitiated: routerInitiated, createdAt: now,
                lifetimeSeconds: ikeLifetime(version, peer: session.address))
            ike.initiatorNonce = IKEKeys.nonce(using: &nonces)
            ike.responderNonce = IKEKeys.nonce(using: &nonces)
            session.ike = ike
        }
        // IKEv2's first child SA keys from the IKE_SA_INIT nonces; every other child SA
        // exchange (quick mode, CREATE_CHILD_SA) has its own.
        if createsIKESA && version == .ikev2, let ike = session.ike {
            session.negotiation?.initiatorNonce = ike.initiatorNonce
            session.negotiation?.responderNonce = ike.responderNonce
        } else {
            session.negotiation?.initiatorNonce = IKEKeys.nonce(using: &nonces)
            session.negotiation?.responderNonce = IKEKeys.nonce(using: &nonces)
        }
        schedule(now &+ seconds(network.latencySeconds), .negotiationMessage(session.address))
    }

    func ikeLifetime(_ version: IKEMessage.Version, peer: IPAddress) -> UInt64 {
        let c = configuration.control
        if version == .ikev2 {
            let profile = c.ikev2Profiles.values.first { $0.matchRemoteAddresses.contains { $0.contains(peer) } }
            return UInt64(profile?.lifetime ?? 86400)
        }
        return UInt64(c.isakmpPolicies.values.sorted { $0.priority < $1.priority }.first?.lifetime ?? ISAKMPPolicy.defaultLifetime)
    }

    /// The peer starts a negotiation with the router: a new IKE SA (with its first child SA),
    /// or a child SA (new or rekey) over the IKE SA it believes in. Returns false when the
    /// router refuses (a child SA request without an IKE SA: `%CRYPTO-4-IKMP_NO_SA`).
    @discardableResult
    public func peerInitiates(from peer: IPAddress, to local: IPAddress, version: IKEMessage.Version, createsIKESA: Bool,
                              peerInboundSPI: UInt32, purpose: NegotiationPurpose = .peer) -> Bool {
        let now = clock.now()
        defer { publish(now) }
        var session = sessions[peer] ?? PeerSession(address: peer, local: local, now: now, limits: limits)
        if !createsIKESA && session.ike?.established != true {
            syslog.log("%CRYPTO-4-IKMP_NO_SA: IKE message from \(peer) has no SA and is not an initialization offer")
            return false
        }
        if session.negotiation != nil {
            // Collision: the router's own exchange wins; the peer's is dropped (it retries).
            return false
        }
        let who = SenderClassification.classify(sender: peer, local: local, configuration: configuration, plan: plan)
        startNegotiation(&session, purpose: purpose, routerInitiated: false, createsIKESA: createsIKESA, version: version,
                         flowKey: who.flowKey ?? "dynamic \(peer)", peerInboundSPI: peerInboundSPI, now: now)
        sessions[peer] = session
        return true
    }

    func negotiationMessage(_ peer: IPAddress, now: UInt64) {
        guard var session = sessions[peer], var n = session.negotiation else { return }
        let alive = peers?.answersIKE(peer, over: n.createsIKESA ? nil : session.ike) ?? false
        let lost = !alive || random.unit() < network.lossRate
        if lost {
            counters.ikeMessagesLost &+= 1
            n.retransmissions += 1
            if n.retransmissions > network.maximumRetransmissions {
                counters.negotiationsFailed &+= 1
                let state = session.ike?.state.rawValue ?? "QM_IDLE"
                debugISAKMP("ISAKMP: (\(session.ike?.connectionID ?? 0)):deleting SA reason \"Death by retransmission P\(n.createsIKESA ? 1 : 2)\" state (\(n.routerInitiated ? "I" : "R")) \(state) (peer \(peer))")
                if n.createsIKESA { session.ike = nil }
                session.negotiation = nil
                session.pendingDeletes.removeAll()
                sessions[peer] = session
                return
            }
            session.negotiation = n
            sessions[peer] = session
            schedule(now &+ seconds(network.retransmitSeconds), .negotiationMessage(peer))
            return
        }
        n.delivered += 1
        n.retransmissions = 0
        if n.createsIKESA, var ike = session.ike {
            if ike.responderSPI == 0 && n.delivered >= 2 { ike.responderSPI = random.next() | 1 }
            ike.state = n.version == .ikev1 ? n.ikev1State : (n.delivered >= 2 ? .qmIdle : .mmNoState)
            if n.delivered >= min(n.total, n.version == .ikev1 ? 6 : 4) && !ike.established {
                ike.established = true
                ike.state = .qmIdle
                ike.createdAt = now
                ike.connectionID = nextConnectionID
                nextConnectionID += 1
                session.derivationKey = ike.derivationKey(preSharedKey: configuration.preSharedKey(for: peer, version: ike.version))
            }
            session.ike = ike
        }
        session.dpd.lastHeard = now
        if n.delivered < n.total {
            session.negotiation = n
            sessions[peer] = session
            schedule(now &+ seconds(network.latencySeconds), .negotiationMessage(peer))
            return
        }
        complete(&session, n, now: now)
        sessions[peer] = session
    }

    func complete(_ session: inout PeerSession, _ n: Negotiation, now: UInt64) {
        session.negotiation = nil
        let peer = session.address
        if n.purpose == .recovery {
            counters.negotiationsCompleted &+= 1
            // Recovery makes the IKE SA only (phase 1): it has no traffic selectors for a child
            // SA. The DELETE goes over it; the peer then renegotiates its SAs.
            peers?.established(peer: peer, ike: session.ike, child: nil, purpose: n.purpose, usableAt: now)
            let pending = session.pendingDeletes
            session.pendingDeletes.removeAll()
            for spi in pending { notifyInvalidSPI(spi, session: &session, now: now) }
            return
        }
        let key = n.flowKey ?? SenderClassification.classify(sender: peer, local: session.local, configuration: configuration,
                                                              plan: plan).flowKey ?? "dynamic \(peer)"
        let flow = plan.flows.first { $0.bindingKey == key } ?? Router.dynamicFlow(key: key, configuration: configuration, plan: plan)
        let chosen: (transform: ESPTransform, set: TransformSet?)
        switch chooseTransform(flow, peer: peer, routerInitiated: n.routerInitiated) {
        case let .success(c): chosen = c
        case let .failure(refusal):
            refuseChildSA(&session, n, refusal, now: now)
            return
        }
        counters.negotiationsCompleted &+= 1
        let lifetime = UInt64(flow?.lifetimeSeconds ?? configuration.lifetimeSeconds)
        let inbound = freshSPI()
        let outbound = n.peerInboundSPI ?? freshSPI()
        let installAt = now &+ seconds(network.installDelaySeconds)
        let negotiated = NegotiatedChildSA(
            version: n.version, routerInboundSPI: inbound, routerOutboundSPI: outbound, transform: chosen.transform,
            transformSet: chosen.set, initiatorNonce: n.initiatorNonce, responderNonce: n.responderNonce,
            routerInitiated: n.routerInitiated)
        var child = ChildSA(flowKey: key, inboundSPI: inbound, outboundSPI: outbound, installedAt: installAt,
                            rekeyAt: installAt &+ (lifetime > 30 ? lifetime - 30 : lifetime / 2) * 1_000_000_000,
                            expiresAt: installAt &+ lifetime * 1_000_000_000)
        child.negotiated = negotiated
        let trans = chosen.set?.transforms.joined(separator: " ") ?? chosen.transform.iosName
        debugIPsec("IPSEC(create_sa): sa created, (sa) sa_dest= \(peer), sa_proto= 50, sa_spi= 0x\(hex(outbound))(\(outbound)), sa_trans= \(trans) , sa_conn_id= \(session.ike?.connectionID ?? 0)")
        debugIPsec("IPSEC(create_sa): sa created, (sa) sa_dest= \(session.local), sa_proto= 50, sa_spi= 0x\(hex(inbound))(\(inbound)), sa_trans= \(trans) , sa_conn_id= \(session.ike?.connectionID ?? 0)")
        // The peer that initiated a rekey sends on the new SA as soon as it has sent its last
        // message: before this router has programmed it (the rekey race). Otherwise the peer
        // starts once the router is ready.
        let usableAt = n.purpose == .rekey && !n.routerInitiated ? now : installAt
        peers?.established(peer: peer, ike: n.createsIKESA ? session.ike : nil, child: negotiated, purpose: n.purpose,
                           usableAt: usableAt)
        session.pendingInstall.append(child)
        schedule(installAt, .install(peer, child, purpose: n.purpose))
        // Recovery: the DELETEs that waited for this IKE SA.
        let pending = session.pendingDeletes
        session.pendingDeletes.removeAll()
        for spi in pending { notifyInvalidSPI(spi, session: &session, now: now) }
    }

    func install(_ peer: IPAddress, _ child: ChildSA, now: UInt64) {
        guard var session = sessions[peer], session.pendingInstall.contains(child) else { return }
        session.pendingInstall.removeAll { $0 == child }
        sessions[peer] = session
        do {
            let keys = child.negotiated?.keys(derivationKey: session.derivationKey) ?? (.none, .none)
            try router.installNegotiated(flow: child.flowKey, peer: peer, local: session.local,
                                         inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI,
                                         transform: child.negotiated?.transform ?? .null, transformSet: child.negotiated?.transformSet,
                                         inboundKeys: keys.routerInbound, outboundKeys: keys.routerOutbound)
        } catch {
            syslog.log("%CRYPTO-4-RECVD_PKT_NOT_IPSEC: qfp could not program SA 0x\(hex(child.inboundSPI)) for \(peer): \(error)")
            return
        }
        for i in session.children.indices where session.children[i].flowKey == child.flowKey {
            session.children[i].superseded = true
        }
        session.children.append(child)
        sessions[peer] = session
    }

    func freshSPI() -> UInt32 {
        while true {
            let spi = UInt32(truncatingIfNeeded: random.next())
            if spi >= 0x1000 && !sessions.values.contains(where: { $0.children.contains { $0.inboundSPI == spi } }) { return spi }
        }
    }

    // MARK: Messages

    func send(_ body: IKEMessage.Body, session: inout PeerSession, now: UInt64, response: Bool = false, messageID: UInt32? = nil) {
        guard var ike = session.ike else { return }
        let id: UInt32
        if let messageID { id = messageID } else {
            id = ike.version == .ikev1 ? UInt32(truncatingIfNeeded: random.next()) | 1 : ike.nextMessageID
            if ike.version == .ikev2 { ike.nextMessageID &+= 1 }
        }
        session.ike = ike
        let datagram = IKEDatagram(source: session.local, destination: session.address,
                                   message: ike.message(body, messageID: id, response: response))
        counters.ikeMessagesSent &+= 1
        onSend?(datagram, now)
        // Delivered to a live peer whatever IKE SA it holds: it judges the message itself.
        let alive = peers?.answersIKE(session.address, over: nil) ?? false
        if !alive || random.unit() < network.lossRate {
            counters.ikeMessagesLost &+= 1
            return
        }
        schedule(now &+ seconds(network.latencySeconds), .deliver(datagram, IKEWire.datagram(datagram)))
    }

    /// An IKE message from a peer reaches the router.
    public func receive(_ datagram: IKEDatagram) {
        let now = clock.now()
        defer { publish(now) }
        let peer = datagram.source
        let m = datagram.message
        guard var session = sessions[peer], let ike = session.ike, ike.established,
              ike.initiatorSPI == m.initiatorSPI, ike.responderSPI == m.responderSPI else {
            syslog.log("%CRYPTO-4-IKMP_NO_SA: IKE message from \(peer) has no SA and is not an initialization offer")
            return
        }
        session.dpd.lastHeard = now
        switch m.body {
        case let .dpdRequest(sequence):
            send(.dpdResponse(sequence: sequence), session: &session, now: now, response: true, messageID: m.messageID)
        case let .dpdResponse(sequence):
            if session.dpd.outstanding == sequence {
                session.dpd.outstanding = nil
                session.dpd.probes = 0
            }
        case let .deleteESP(spis):
            // The peer deleted its inbound SAs: drop the pairs whose outbound SPI they were.
            for spi in spis {
                if let child = session.children.first(where: { $0.outboundSPI == spi }) {
                    removeChild(child, &session)
                }
            }
        case let .invalidSPI(spi):
            if let child = session.children.first(where: { $0.outboundSPI == spi }) { removeChild(child, &session) }
        case .deleteIKE:
            session.ike = nil
        }
        sessions[peer] = session
    }

    /// Removes every child SA of a session from the data plane, whole flows at a time.
    func removeAllChildren(_ session: inout PeerSession) throws {
        for key in Set(session.children.map(\.flowKey)) { try router.removeNegotiated(flow: key) }
        session.children.removeAll()
    }

    func removeChild(_ child: ChildSA, _ session: inout PeerSession) {
        let siblings = session.children.filter { $0.flowKey == child.flowKey }
        session.children.removeAll { $0.flowKey == child.flowKey }
        do {
            if child.superseded {
                try router.removeNegotiatedInbound(flow: child.flowKey, spi: child.inboundSPI)
                session.children += siblings.filter { $0 != child }
            } else {
                try router.removeNegotiated(flow: child.flowKey)
            }
        } catch {
            syslog.log("%CRYPTO-4-RECVD_PKT_NOT_IPSEC: qfp could not remove SA 0x\(hex(child.inboundSPI)): \(error)")
        }
    }

    /// Deletes the established IKE SA with `address`, telling the peer (DELETE).
    func deleteIKESA(_ address: IPAddress, now: UInt64) {
        guard var session = sessions[address], session.ike?.established == true else { return }
        send(.deleteIKE, session: &session, now: now)
        session.ike = nil
        sessions[address] = session
    }

    // MARK: Time

    /// Runs everything due by now: network deliveries, negotiation steps, SA installs, DPD
    /// probes and verdicts, rekeys and expiries.
    public func advance() {
        let now = clock.now()
        for r in requests.withLock({ q in defer { q.removeAll() }; return q }) {
            switch r {
            case let .clearChildSAs(peer):
                for address in Array(sessions.keys) where peer == nil || peer == address { try? clearChildSAs(peer: address) }
            case .clearIKESAs:
                for address in Array(sessions.keys) { deleteIKESA(address, now: now) }
            case let .clearSessions(peer):
                for address in Array(sessions.keys) where peer == nil || peer == address {
                    try? clearChildSAs(peer: address)
                    deleteIKESA(address, now: now)
                }
            }
        }
        while let first = timers.first, first.time <= now {
            timers.removeFirst()
            switch first.event {
            case let .negotiationMessage(peer): negotiationMessage(peer, now: first.time)
            case let .deliver(datagram, wire): peers?.deliver(datagram, wire: wire, at: first.time)
            case let .install(peer, child, _): install(peer, child, now: first.time)
            }
        }
        for peer in Array(sessions.keys) {
            guard var session = sessions[peer] else { continue }
            lifetimes(&session, now: now)
            dpd(&session, now: now)
            sessions[peer] = session
        }
        detector.expire(now: now)
        publish(now)
        peers?.settle(self)
    }

    /// When the next timer is due (the daemon and scenarios step to it).
    public var nextTimer: UInt64? { timers.first?.time }

    func lifetimes(_ session: inout PeerSession, now: UInt64) {
        for child in session.children where now >= child.expiresAt {
            counters.childSAsExpired &+= 1
            debugIPsec("IPSEC(delete_sa): deleting SA, (sa) sa_dest= \(session.local), sa_proto= 50, sa_spi= 0x\(hex(child.inboundSPI))(\(child.inboundSPI)) (lifetime expired)")
            removeChild(child, &session)
        }
        if session.negotiation == nil,
           let due = session.children.first(where: { !$0.superseded && now >= $0.rekeyAt }) {
            startRekey(due, &session, now: now)
        }
        if let ike = session.ike, ike.established, now &- ike.createdAt >= ike.lifetimeSeconds * 1_000_000_000 {
            session.ike = nil
        }
    }

    func dpd(_ session: inout PeerSession, now: UInt64) {
        guard let settings = dpdSettings(session.address), let ike = session.ike, ike.established else { return }
        // Traffic: decapsulated packets mean the peer is alive; encapsulated ones that the
        // router sends are what on-demand DPD protects.
        var decaps: UInt64 = 0
        var encaps: UInt64 = 0
        for key in Set(session.children.map(\.flowKey)) {
            let (inbound, outbound) = router.installedSAs(flow: key)
            for sa in inbound { if case let .inbound(h) = sa.handle { decaps &+= router.dataplane.counters(h)?[.decapsulatedPackets] ?? 0 } }
            if let sa = outbound, case let .outbound(h) = sa.handle { encaps &+= router.dataplane.counters(h)?[.encapsulatedPackets] ?? 0 }
        }
        if decaps != session.dpd.decaps { session.dpd.lastHeard = now }
        if encaps != session.dpd.encaps { session.dpd.lastSent = now }
        session.dpd.decaps = decaps
        session.dpd.encaps = encaps
        let interval = UInt64(settings.seconds) * 1_000_000_000
        let retry = UInt64(settings.retry) * 1_000_000_000
        if session.dpd.outstanding != nil {
            guard now &- session.dpd.lastProbe >= retry else { return }
            if session.dpd.probes > DPDSettings.probesBeforeDead {
                counters.dpdPeersDead &+= 1
                debugISAKMP("ISAKMP: (\(ike.connectionID)):DPD: peer \(session.address) not responding, deleting IKE and IPsec SAs")
                syslog.log("%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. Peer \(session.address):500 Id: \(session.address)")
                do { try removeAllChildren(&session) } catch {
                    syslog.log("%CRYPTO-4-RECVD_PKT_NOT_IPSEC: qfp could not remove the SAs of \(session.address): \(error)")
                }
                session.ike = nil
                session.dpd = DPDState()
                return
            }
            probe(&session, settings, now: now)
            return
        }
        let idle = now &- session.dpd.lastHeard >= interval
        let due: Bool
        switch settings.mode {
        case .periodic: due = idle && now &- session.dpd.lastProbe >= interval
        case .onDemand: due = idle && session.dpd.lastSent > session.dpd.lastHeard
        }
        if due { probe(&session, settings, now: now) }
    }

    func probe(_ session: inout PeerSession, _ settings: DPDSettings, now: UInt64) {
        session.dpd.sequence &+= 1
        // IKEv2 liveness checks carry no sequence number: the message ID is the sequence.
        if let ike = session.ike, ike.version == .ikev2 { session.dpd.sequence = ike.nextMessageID }
        session.dpd.outstanding = session.dpd.sequence
        session.dpd.probes += 1
        session.dpd.lastProbe = now
        counters.dpdProbesSent &+= 1
        debugISAKMP("ISAKMP: (\(session.ike?.connectionID ?? 0)):DPD/R_U_THERE sequence 0x\(hex(session.dpd.sequence)) to \(session.address)")
        send(.dpdRequest(sequence: session.dpd.sequence), session: &session, now: now)
    }

    func dpdSettings(_ peer: IPAddress) -> DPDSettings? {
        let c = configuration.control
        if let p = c.ikev2Profiles.values.first(where: { $0.matchRemoteAddresses.contains { $0.contains(peer) } }), let d = p.dpd {
            return d
        }
        return c.keepalive
    }

    // MARK: Operator actions

    /// The router loses all IKE and IPsec state without telling anyone (a reload): no DELETE
    /// goes out.
    public func forgetAll() throws {
        let now = clock.now()
        for var session in sessions.values { try removeAllChildren(&session) }
        sessions.removeAll()
        timers.removeAll()
        publish(now)
    }

    /// `clear crypto sa peer ADDRESS`: deletes the router's child SAs with the peer and sends
    /// the DELETE over the IKE SA (which the network may lose).
    public func clearChildSAs(peer: IPAddress) throws {
        let now = clock.now()
        guard var session = sessions[peer] else { return }
        let spis = session.children.map(\.inboundSPI)
        try removeAllChildren(&session)
        if !spis.isEmpty { send(.deleteESP(spis: spis), session: &session, now: now) }
        sessions[peer] = session
        publish(now)
    }

    /// The router's current child SAs with a peer.
    public func childSAs(peer: IPAddress) -> [ChildSA] { sessions[peer]?.children ?? [] }

    /// The router's IKE SA with a peer.
    public func ikeSA(peer: IPAddress) -> IKESA? { sessions[peer]?.ike }

    public var currentCounters: IKECounters { counters }

    // MARK: Helpers

    func schedule(_ time: UInt64, _ event: Event) {
        timerOrder &+= 1
        let entry = (time: time, order: timerOrder, event: event)
        let i = timers.firstIndex { ($0.time, $0.order) > (time, timerOrder) } ?? timers.endIndex
        timers.insert(entry, at: i)
    }

    func seconds(_ s: Double) -> UInt64 { UInt64(max(0, s) * 1e9) }

    func publish(_ now: UInt64) {
        var s = IKEModelSnapshot()
        s.counters = counters
        var sessionID = 1
        let configuration = current.configuration
        for session in sessions.values.sorted(by: { $0.address < $1.address }) {
            guard let ike = session.ike else { continue }
            let source = ike.routerInitiated ? ike.local : ike.remote
            let destination = ike.routerInitiated ? ike.remote : ike.local
            if ike.version == .ikev1 {
                let t = ISAKMPTransforms(configuration: configuration)
                let age = (now &- ike.createdAt) / 1_000_000_000
                let detail = ISAKMPSASnapshot.Detail(
                    local: ike.local.description, remote: ike.remote.description, encryption: t.encryption, hash: t.hash,
                    authentication: t.authentication, dhGroup: t.group,
                    lifetimeRemainingSeconds: ike.lifetimeSeconds > age ? ike.lifetimeSeconds - age : 0,
                    capabilities: dpdSettings(ike.remote) == nil ? "" : "D")
                s.isakmp.append(ISAKMPSASnapshot(destination: destination.description, source: source.description,
                                                 state: ike.state, connectionID: ike.connectionID, detail: detail))
            } else {
                let t = IKEv2Transforms(configuration: configuration, local: ike.local)
                s.ikev2.append(IKEv2SASnapshot(
                    tunnelID: sessionID, localAddress: ike.local.description, remoteAddress: ike.remote.description,
                    status: ike.established ? "READY" : "IN-NEG", encryption: t.encryption, keySize: t.keySize, prf: t.prf,
                    hash: t.hash, dhGroup: t.group, lifetimeSeconds: ike.lifetimeSeconds,
                    activeSeconds: (now &- ike.createdAt) / 1_000_000_000, sessionID: sessionID,
                    localSPI: ike.routerInitiated ? ike.initiatorSPI : ike.responderSPI,
                    remoteSPI: ike.routerInitiated ? ike.responderSPI : ike.initiatorSPI,
                    localID: ike.local.description, remoteID: ike.remote.description,
                    dpdIntervalSeconds: dpdSettings(ike.remote)?.seconds ?? 0, dpdRetrySeconds: dpdSettings(ike.remote)?.retry ?? 0,
                    initiator: ike.routerInitiated))
            }
            if ike.established {
                let age = (now &- ike.createdAt) / 1_000_000_000
                s.sessions[session.address] = CryptoSessionSnapshot.IKESA(
                    version: Int(ike.version.rawValue), localAddress: ike.local.description, remoteAddress: ike.remote.description,
                    capabilities: dpdSettings(ike.remote) == nil ? "" : "D", connectionID: ike.connectionID,
                    remainingSeconds: ike.lifetimeSeconds > age ? ike.lifetimeSeconds - age : 0)
            }
            sessionID += 1
        }
        let (c, plan) = current
        for f in detector.suspects {
            let who = SenderClassification.classify(sender: f.source, local: f.destination, configuration: c, plan: plan)
            let hasIKE = sessions[f.source]?.ike?.established == true
            let idle = (now &- f.lastSeen) / 1_000_000_000
            let (cause, remedy) = idle >= Self.flowEndedSeconds
                ? Self.ended(idleSeconds: idle, sender: f.source, ikeSA: hasIKE)
                : Self.diagnose(who, ikeSA: hasIKE, recovery: c.control.invalidSPIRecovery, sender: f.source)
            s.suspects.append(SuspectFlowReport(
                source: f.source.description, destination: f.destination.description, spi: f.spi,
                firstSeenSecondsAgo: (now &- f.firstSeen) / 1_000_000_000, lastSeenSecondsAgo: (now &- f.lastSeen) / 1_000_000_000,
                count: f.count, cryptoConfig: who.type?.rawValue, ikeSA: hasIKE, cause: cause, remedy: remedy))
        }
        published.withLock { $0 = s }
    }

    /// A flagged flow not seen for this long has ended: its sender moved to another SA. (A
    /// flow still arriving is seen about once a second or more: the punt limiter passes
    /// 1,000 invalid-SPI punts a second per worker.)
    static let flowEndedSeconds: UInt64 = 10

    /// The cause and remedy shown for a flagged flow that stopped arriving (kept until it has
    /// been idle for the detector's `forgetAfter`).
    static func ended(idleSeconds: UInt64, sender: IPAddress, ikeSA: Bool) -> (String, String) {
        ("ended: no packet on this SPI for \(idleSeconds) s; the sender moved to another SA" + (ikeSA ? " (it has an IKE SA with this router)" : ""),
         "none; the row stays until the flow has been idle 10 minutes")
    }

    /// The likely cause and remedy of a recurring invalid SPI, from the recovery matrix and the
    /// IKE state.
    static func diagnose(_ who: SenderClassification, ikeSA: Bool, recovery: Bool, sender: IPAddress) -> (String, String) {
        guard let type = who.type else {
            return ("no crypto configuration covers \(sender): it is not a peer of this router",
                    "check the sender's configuration (wrong peer address?); the drops are harmless to this router")
        }
        if ikeSA {
            return ("the peer still sends on an SA this router deleted (a DELETE notify was lost?); DELETE notifies are sent over the IKE SA",
                    "if it persists the peer ignores DELETE: clear crypto sa peer \(sender) on the peer; enable DPD")
        }
        switch type.recoverySupport {
        case .yes where recovery:
            return ("SAs out of sync with no IKE SA (\(type.displayName)); invalid-SPI recovery is initiating IKE to the sender",
                    "if it persists IKE to \(sender) fails: check reachability and the ISAKMP policy and keys")
        case .yes:
            return ("SAs out of sync with no IKE SA (\(type.displayName)); recovery is off, so the peer is never told",
                    "configure crypto isakmp invalid-spi-recovery, or clear crypto sa peer on the sender; enable DPD on the peer")
        case .no:
            return ("SAs out of sync with no IKE SA; invalid-SPI recovery cannot reach a \(type.displayName) peer",
                    "clear crypto sa on the sender, and enable DPD (crypto isakmp keepalive) on it so it detects the loss")
        case .notApplicable:
            return ("SAs out of sync with no IKE SA; recovery does not apply to an EzVPN client",
                    "clear crypto ipsec client ezvpn; the client reconnects to its server")
        }
    }
}

/// A small deterministic generator (SplitMix64) for SPIs, cookies and loss decisions, and for
/// tests that must reproduce.
public struct SplitMix: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

// MARK: Logging

extension IKEManager {
    @discardableResult
    func logInvalidSPI(destination: IPAddress, spi: UInt32, source: IPAddress, interface: String?) -> Bool {
        // ESP-in-UDP is reported like ESP, prot=50 (IOS after CSCsq59183).
        syslog.log(.invalidSPI(destination: destination, protocolNumber: 50, spi: spi, source: source, inputInterface: interface))
    }

    func logReplayError(connectionID: Int, sequence: UInt32) {
        _ = syslog.log(.replayError(connectionID: connectionID, sequence: sequence))
    }

    func logMACError(connectionID: Int, local: IPAddress, remote: IPAddress, spi: UInt32, sequence: UInt32) {
        _ = syslog.log(.macError(connectionID: connectionID, local: local, remote: remote, spi: spi, sequence: sequence))
    }

    // The line is only built when its debug is on.
    func debugISAKMP(_ line: @autoclosure () -> String) {
        if syslog.debugs.contains(.cryptoISAKMP) { _ = syslog.debug(.cryptoISAKMP, line()) }
    }
    func debugIPsec(_ line: @autoclosure () -> String) {
        if syslog.debugs.contains(.cryptoIPsec) { _ = syslog.debug(.cryptoIPsec, line()) }
    }
}

/// An SPI as IOS prints it: upper-case hex, not zero-padded.
func hex(_ v: UInt32) -> String { String(v, radix: 16, uppercase: true) }
