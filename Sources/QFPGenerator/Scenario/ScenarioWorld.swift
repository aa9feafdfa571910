import Foundation
import QFPControl
import QFPDataplane

/// A scenario's world: a virtual clock, the real data plane stepped by hand, the router's
/// control plane (configuration through the IOS parser, syslog, the IKE model) and one
/// emulated peer, with traffic both ways.
final class ScenarioWorld: @unchecked Sendable {
    let options: ScenarioOptions
    let clock = VirtualClock()
    let pipeline: ManualPipeline
    let controlPlane: ControlPlane
    let manager: IKEManager
    var peer: ScenarioPeer!
    let routerAddress = RecoveryMatrixConfigurations.routerAddress
    let peerAddress = RecoveryMatrixConfigurations.peerAddress
    /// Whether the router has a flow (and so an outbound policy) towards the peer.
    let routerSends: Bool
    let lifetimeNanoseconds: UInt64
    /// The peer rekeys this long before its SA ends (the router: 30 s), so the peer initiates.
    let peerRekeyLead: UInt64 = 40_000_000_000

    var timeline: [TimelineEntry] = []
    /// The IKE messages as a pcap (raw IP), after `run()`.
    var ikeCapture = IKECaptureWriter()
    var sent: UInt64 = 0
    var delivered: UInt64 = 0
    var firstLoss: UInt64?
    var lastLoss: UInt64?
    var endCause: BlackholeEnd?
    var restoredAt: UInt64?
    var random = SystemRandomNumberGenerator()
    var spiState: UInt64 = 0x5EED
    var loggedLines = 0
    var invalidSPIMessages = 0
    var inner: [UInt8]
    var clear: [UInt8]
    /// Router-encrypted packets whose ICV the peer's keys did not verify.
    var peerICVFailures: UInt64 = 0
    /// The pre-shared key the peer holds (the router's `crypto isakmp key`, as configured).
    let preSharedKey = Array(RecoveryMatrixConfigurations.preSharedKey.utf8)
    /// The step of the world: 100 ms, finer at high rates so that the rekey race's window
    /// (the QFP programming delay) is resolved.
    let step: UInt64

    init(_ options: ScenarioOptions) throws {
        self.options = options
        step = UInt64(min(0.1, max(0.001, 10.0 / Double(max(options.packetsPerSecond, 1)))) * 1e9)
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        c.sourcePoolBuffers = 4096
        c.inputRingSlots = 1024
        c.transmitRingSlots = 1024
        c.puntRingSlots = 1024
        c.puntRatePerSecond = 1000
        pipeline = try ManualPipeline(c)
        var text = RecoveryMatrixConfigurations.text(options.cryptoConfig, recovery: options.recovery, keepalive: options.keepalive,
                                                     transformSet: options.transformSet)
        if options.lifetimeSeconds != RouterConfiguration.defaultLifetimeSeconds {
            text = text.replacingOccurrences(of: "!\ncrypto ipsec transform-set",
                                             with: "crypto ipsec security-association lifetime seconds \(options.lifetimeSeconds)\n!\ncrypto ipsec transform-set")
        }
        if options.ikev2 {
            text = text.replacingOccurrences(of: "crypto ipsec transform-set TS", with: """
                crypto ikev2 profile IKEV2
                 match identity remote address \(RecoveryMatrixConfigurations.peerAddress) 255.255.255.255
                 authentication remote pre-share
                 authentication local pre-share
                !
                crypto ipsec transform-set TS
                """)
        }
        let configuration: RouterConfiguration
        switch ConfigurationLanguage.shared.load(text, source: "scenario-\(options.cryptoConfig.rawValue)") {
        case let .success(l): configuration = l.configuration
        case let .failure(f): throw GeneratorError("scenario configuration refused:\n\(f)")
        }
        let router = try Router(pipeline: pipeline.pipeline, clock: clock, configuration: configuration)
        controlPlane = ControlPlane(router: router, clock: clock, wallClock: DerivedWallClock(start: 1_795_000_000, clock: clock))
        manager = controlPlane.ike
        manager.network = options.network
        // The timeline shows what an engineer sees with `debug crypto isakmp` on.
        if options.debug { controlPlane.syslog.setDebug(.cryptoISAKMP, true) }
        let capture = self.capture
        manager.onSend = { datagram, time in capture.append(time, datagram) }
        // Traffic runs one way, from the side the scenario is about: the peer's site sends
        // (telemetry, a one-way stream) except in dead-peer, where the router's site sends.
        // Two-way traffic would let the router's own packets start IKE and end the blackhole
        // however recovery is set.
        routerSends = options.kind == .deadPeer && router.plan.flows.contains { $0.peer == RecoveryMatrixConfigurations.peerAddress }
        lifetimeNanoseconds = UInt64(options.lifetimeSeconds) * 1_000_000_000
        inner = PacketBuilder.clear(source: IPAddress("10.2.0.5")!, destination: IPAddress("10.1.0.5")!, payloadLength: 32)
        clear = PacketBuilder.clear(source: IPAddress("10.1.0.5")!, destination: IPAddress("10.2.0.5")!, payloadLength: 32)
        peer = ScenarioPeer(address: peerAddress, routerAddress: routerAddress, version: options.ikev2 ? .ikev2 : .ikev1, world: self)
        manager.peers = peer
        pipeline.setTime(0)
        _ = pipeline.drain()
    }

    // MARK: Callbacks

    func note(_ time: UInt64, _ text: String) {
        timeline.append(TimelineEntry(seconds: Double(time) / 1e9, text: text))
    }

    func ended(by cause: BlackholeEnd, at time: UInt64) {
        if firstLoss != nil && restoredAt == nil { endCause = endCause ?? cause }
    }

    func freshSPI() -> UInt32 {
        spiState = spiState &* 6364136223846793005 &+ 1442695040888963407
        return UInt32(truncatingIfNeeded: spiState >> 32) | 0x1000_0000
    }

    /// The peer answers the router (DPD): the message reaches the router after the network's delay.
    func answer(from peer: ScenarioPeer, _ body: IKEMessage.Body, messageID: UInt32, at time: UInt64) {
        guard let ike = peer.ike else { return }
        let message = ike.message(body, messageID: messageID, response: true)
        let datagram = IKEDatagram(source: peer.address, destination: peer.routerAddress, message: message)
        capture.append(time, datagram)
        // Through the wire format, as the router would read it.
        guard let parsed = try? IKEWire.parseDatagram(IKEWire.datagram(datagram)) else { return }
        pendingToRouter.append((time &+ UInt64(options.network.latencySeconds * 1e9), parsed))
    }
    var pendingToRouter: [(UInt64, IKEDatagram)] = []

    /// Every IKE message on the wire (the router's and the peer's answers), in time order.
    final class Captured: @unchecked Sendable {
        var datagrams: [(UInt64, IKEDatagram)] = []
        func append(_ time: UInt64, _ d: IKEDatagram) { datagrams.append((time, d)) }
    }
    let capture = Captured()

    // MARK: Running

    func run() throws -> ScenarioResult {
        let eventAt = UInt64(options.eventAt * 1e9)
        let end = UInt64(options.maximumSeconds * 1e9)
        var eventDone = false
        var upAgainAt: UInt64 = .max
        note(0, "peer \(peerAddress) starts IKE to the router (\(options.ikev2 ? "IKEv2" : "IKEv1"))")
        while clock.now() < end {
            // IKE events inside the step happen at their own times, so the timeline and the
            // log stamps are exact.
            let target = clock.now() &+ step
            while let t = manager.nextTimer, t <= target {
                if t > clock.now() { clock.advance(by: .nanoseconds(Int64(t - clock.now()))) }
                manager.advance()
                logNew()
                watchIKE(clock.now())
            }
            clock.advance(by: .nanoseconds(Int64(target - clock.now())))
            let now = clock.now()
            pipeline.setTime(now)
            // The out-of-sync event.
            if !eventDone && now >= eventAt && peer.hasSA {
                eventDone = true
                try outOfSync(now, upAgainAt: &upAgainAt)
            }
            if now >= upAgainAt {
                upAgainAt = .max
                peer.alive = true
                peer.sends = false
                note(now, "peer \(peerAddress) is back up, without SAs; it waits for the router (responder only)")
            }
            // IKE messages from the peer.
            while let i = pendingToRouter.firstIndex(where: { $0.0 <= now }) {
                manager.receive(pendingToRouter.remove(at: i).1)
            }
            manager.advance()
            peer.tick(now)
            traffic(now)
            logNew()
            watchIKE(now)
            if let restoredAt, eventDone, now &- restoredAt > 20_000_000_000 { break }
            if eventDone && firstLoss == nil && now > eventAt &+ 120_000_000_000 && options.kind != .rekeyRace { break }
            if options.kind == .rekeyRace && eventDone && firstLoss == nil && now > lifetimeNanoseconds &+ 60_000_000_000 { break }
        }
        let totals = pipeline.statistics.totals()
        let lost = sent &- delivered
        var blackhole = 0.0
        if let first = firstLoss, let last = lastLoss { blackhole = Double(last &- first &+ step) / 1e9 }
        let cause: BlackholeEnd = firstLoss == nil ? .none : (restoredAt == nil ? .never : (endCause ?? .recovery))
        if let restoredAt { note(restoredAt, "traffic flows again (ended by \(cause.rawValue))") }
        else if firstLoss != nil { note(clock.now(), "still blackholed when the scenario stops") }
        timeline.sort { $0.seconds < $1.seconds }
        let counters = manager.currentCounters
        var writer = IKECaptureWriter()
        for (time, d) in capture.datagrams.sorted(by: { $0.0 < $1.0 }) { writer.append(d, timestampNanoseconds: 1_795_000_000_000_000_000 &+ time) }
        ikeCapture = writer
        return ScenarioResult(
            scenario: options.kind.rawValue, cryptoConfig: options.cryptoConfig.rawValue, recovery: options.recovery,
            recoverySupport: options.cryptoConfig.recoverySupport.rawValue, keepalive: options.keepalive,
            packetsSent: sent, packetsLost: lost, blackholeSeconds: blackhole, endedBy: cause,
            invalidSPIDrops: totals.packets(.inUsV4PktSaNotFoundSpi),
            invalidSPIMessages: invalidSPIMessages,
            transform: options.transformSet, integrityFailures: totals.packets(.inCdSwIpsecMacException),
            peerICVFailures: peerICVFailures, childSAProposalsRefused: counters.childSAProposalsRefused,
            recoveryNotifiesSent: counters.recoveryNotifiesSent, recoveryNotifiesSuppressed: counters.recoveryNotifiesSuppressed,
            simulatedSeconds: Double(clock.now()) / 1e9, timeline: timeline)
    }

    func outOfSync(_ now: UInt64, upAgainAt: inout UInt64) throws {
        switch options.kind {
        case .peerReload:
            note(now, "router reloads: all its IKE and IPsec SAs are gone; the peer keeps SPI 0x\(hexSPI(peer.outboundSPI ?? 0))")
            try manager.forgetAll()
        case .missedDelete:
            let saved = manager.network
            manager.network.lossRate = 1
            note(now, "router: clear crypto sa peer \(peerAddress); its DELETE notify is lost")
            try manager.clearChildSAs(peer: peerAddress)
            manager.network = saved
        case .rekeyRace:
            note(now, "SAs established; the peer will rekey \(peerRekeyLead / 1_000_000_000) s before its lifetime ends, ahead of the router")
        case .deadPeer:
            note(now, "peer \(peerAddress) goes down (power loss) for \(Int(options.downSeconds)) s; its SAs are lost")
            peer.alive = false
            peer.reboot()
            upAgainAt = now &+ UInt64(options.downSeconds * 1e9)
        }
    }

    /// One step of traffic both ways through the data plane.
    func traffic(_ now: UInt64) {
        let perStep = max(1, Int(UInt64(options.packetsPerSecond) * step / 1_000_000_000))
        var stepSent = 0
        var stepDelivered = 0
        // Peer → router: ESP on the SPI the peer believes in.
        if peer.alive && peer.sends && options.kind != .deadPeer {
            for _ in 0..<perStep {
                stepSent += 1
                guard let spi = peer.outboundSPI, now >= peer.outboundUsableAt else { continue }
                pipeline.inject(peer.packet(inner: inner, spi: spi), inputInterface: 1)
            }
        }
        // Router → peer: clear traffic from the inside that the router's policy protects.
        if routerSends {
            for _ in 0..<perStep {
                stepSent += 1
                pipeline.inject(clear, inputInterface: 2)
            }
        }
        _ = pipeline.drain()
        for w in 0..<pipeline.workers.count {
            for packet in pipeline.takeTransmitted(worker: w) {
                if packet.count > 20 && packet[9] == 50 {
                    // ESP towards the peer: it accepts only SPIs it holds.
                    let spi = UInt32(packet[20]) << 24 | UInt32(packet[21]) << 16 | UInt32(packet[22]) << 8 | UInt32(packet[23])
                    if peer.alive {
                        let (accepted, icvFailed) = peer.accepts(packet, spi: spi)
                        if accepted { stepDelivered += 1 }
                        if icvFailed { peerICVFailures &+= 1 }
                    }
                } else {
                    stepDelivered += 1
                }
            }
        }
        manager.handle(pipeline.control.drainPunts())  // advance() ran earlier in the step
        // Before the event the world is still converging (the first negotiation): not counted.
        guard now >= UInt64(options.eventAt * 1e9) else { return }
        sent &+= UInt64(stepSent)
        delivered &+= UInt64(stepDelivered)
        if stepDelivered < stepSent {
            if firstLoss == nil { firstLoss = now }
            lastLoss = now
            restoredAt = nil
        } else if firstLoss != nil && restoredAt == nil && stepSent > 0 {
            restoredAt = now
            if endCause == nil { endCause = options.kind == .rekeyRace ? .rekeyCompleted : inferredEnd() }
        }
    }

    /// What ended a blackhole when no peer-side event said so: DPD or the router's lifetime.
    func inferredEnd() -> BlackholeEnd {
        let c = manager.currentCounters
        if c.dpdPeersDead > 0 { return .dpd }
        if c.childSAsExpired > 0 { return .lifetimeExpiry }
        return .renegotiated
    }

    var lastIKE: Bool?

    /// Notes when the router's IKE SA with the peer comes and goes.
    func watchIKE(_ now: UInt64) {
        let hasIKE = manager.ikeSA(peer: peerAddress)?.established == true
        guard hasIKE != lastIKE else { return }
        if let ike = manager.ikeSA(peer: peerAddress), hasIKE {
            note(now, "router: IKE SA with \(peerAddress) \(ike.version == .ikev1 ? "QM_IDLE" : "READY"), conn-id \(ike.connectionID)")
        } else if lastIKE == true {
            note(now, "router: no IKE SA with \(peerAddress)")
        }
        lastIKE = hasIKE
    }

    /// Copies new syslog lines into the timeline.
    func logNew() {
        let entries = controlPlane.syslog.entries
        let count = Int(controlPlane.syslog.messagesLogged)
        guard count > loggedLines else { return }
        let fresh = entries.suffix(min(entries.count, count - loggedLines))
        loggedLines = count
        for e in fresh {
            if e.message.contains("%CRYPTO-4-RECVD_PKT_INV_SPI") { invalidSPIMessages += 1 }
            note(clock.now(), "log: " + e.line)
        }
    }
}
