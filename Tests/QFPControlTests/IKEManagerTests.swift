import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// A peer that answers everything and remembers what reached it.
final class RecordingPeer: IKEPeerEndpoint, @unchecked Sendable {
    var alive = true
    var delivered: [IKEMessage] = []
    var established: [(ike: IKESA?, routerInbound: UInt32?)] = []
    func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool { alive }
    func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64) { delivered.append(datagram.message) }
    func established(peer: IPAddress, ike: IKESA?, routerInboundSPI: UInt32?, peerInboundSPI: UInt32?,
                     purpose: NegotiationPurpose, usableAt: UInt64) {
        established.append((ike, routerInboundSPI))
    }
}

/// The IKE model driven directly with punt records on a virtual clock.
@Suite("IKE model: invalid-SPI handling, limiter, blackhole detector")
struct IKEManagerTests {
    let router = RecoveryMatrixConfigurations.routerAddress
    let peer = RecoveryMatrixConfigurations.peerAddress

    final class World {
        let clock = VirtualClock()
        let pipeline: ManualPipeline
        let controlPlane: ControlPlane
        let endpoint = RecordingPeer()
        var ike: IKEManager { controlPlane.ike }

        init(_ text: String) throws {
            pipeline = try ManualPipeline()
            let configuration: RouterConfiguration
            switch ConfigurationLanguage.shared.load(text, source: "test") {
            case let .success(l): configuration = l.configuration
            case let .failure(f): throw f
            }
            let router = try Router(pipeline: pipeline.pipeline, clock: clock, configuration: configuration)
            controlPlane = ControlPlane(router: router, clock: clock, wallClock: DerivedWallClock(start: 1_795_000_000, clock: clock))
            controlPlane.ike.peers = endpoint
            _ = pipeline.drain()
        }

        func punt(_ spi: UInt32, from source: IPAddress, to destination: IPAddress) -> PuntRecord {
            var r = PuntRecord(kind: .invalidSPI, worker: 0, time: clock.now())
            r.spi = spi
            r.source = source
            r.destination = destination
            r.protocolNumber = 50
            r.ipVersion = 4
            return r
        }

        /// Advances virtual time in steps, running the IKE model's timers.
        func run(seconds: Double, step: Double = 0.01) {
            var t = 0.0
            while t < seconds {
                clock.advance(by: .milliseconds(Int64(step * 1000)))
                ike.advance()
                _ = pipeline.drain()
                t += step
            }
        }

        /// The peer starts IKE; runs until the SAs are installed.
        func establish(from peer: IPAddress, to router: IPAddress) {
            ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0001)
            run(seconds: 1)
        }
    }

    func config(_ type: CryptoConfigType = .staticMap, recovery: Bool) -> String {
        RecoveryMatrixConfigurations.text(type, recovery: recovery)
    }

    @Test("Without an IKE SA and without recovery, the invalid SPI is only logged and counted")
    func ignoredWithoutIKESA() throws {
        let w = try World(config(recovery: false))
        w.ike.handle([w.punt(0x3EA7_1AED, from: peer, to: router)])
        #expect(w.ike.currentCounters.ignoredNoIKESA == 1)
        #expect(w.ike.currentCounters.recoveryNotifiesSent == 0 && w.ike.currentCounters.negotiationsStarted == 0)
        #expect(w.controlPlane.syslog.entries.contains { $0.message.contains("spi=0x3EA71AED(1051138797), srcaddr=198.51.100.7, input interface=GigabitEthernet1") })
        #expect(w.endpoint.delivered.isEmpty)
    }

    @Test("An unknown SPI in ESP-in-UDP (NAT-T) punts from the data plane and is logged like plain ESP (prot=50)")
    func natTraversalReportedLikeESP() throws {
        let w = try World(config(recovery: false))
        let inner = PacketBuilder.clear(source: IPAddress("10.2.0.5")!, destination: IPAddress("10.1.0.5")!)
        w.pipeline.inject(PacketBuilder.esp(source: peer, destination: router, spi: 0xB761_8640, sequence: 1, inner: inner, udp: true),
                          inputInterface: 1)
        _ = w.pipeline.drain()
        let punts = w.pipeline.control.drainPunts()
        #expect(punts.count == 1 && punts.first?.protocolNumber == 17)
        w.ike.handle(punts)
        #expect(w.pipeline.statistics.totals().packets(.inUsV4PktSaNotFoundSpi) == 1)
        let line = w.controlPlane.syslog.entries.last { $0.message.contains("RECVD_PKT_INV_SPI") }?.message
        #expect(line == "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50, "
            + "spi=0xB7618640(3076621888), srcaddr=198.51.100.7, input interface=GigabitEthernet1")
    }

    @Test("Recovery on, static peer, no IKE SA: IKE to the sender, then the DELETE for the offending SPI")
    func recoveryInitiatesIKE() throws {
        let w = try World(config(recovery: true))
        w.ike.handle([w.punt(0x3EA7_1AED, from: peer, to: router)])
        #expect(w.ike.currentCounters.recoveryInitiations == 1)
        #expect(w.endpoint.delivered.isEmpty, "the DELETE waits for the IKE SA")
        w.run(seconds: 1)
        #expect(w.ike.ikeSA(peer: peer)?.established == true)
        #expect(w.endpoint.delivered.map(\.body) == [.deleteESP(spis: [0x3EA7_1AED])])
        #expect(w.controlPlane.ike.snapshot.isakmp.first?.state == .qmIdle)
    }

    @Test("Recovery on but a dynamic crypto map: no IKE can be started; ignored")
    func recoveryUnsupported() throws {
        let w = try World(config(.dynamicMap, recovery: true))
        w.ike.handle([w.punt(0x1234_5678, from: peer, to: router)])
        #expect(w.ike.currentCounters.ignoredNoIKESA == 1 && w.ike.currentCounters.negotiationsStarted == 0)
    }

    @Test("A flood of invalid SPIs cannot make the router a flood source: the limiter bounds and counts")
    func limiter() throws {
        let w = try World(config(recovery: true))
        w.establish(from: peer, to: router)
        #expect(w.ike.ikeSA(peer: peer)?.established == true)
        w.endpoint.delivered.removeAll()
        // 10,000 distinct invalid SPIs over 10 s from the peer that has an IKE SA.
        var handled: UInt64 = 0
        for second in 0..<10 {
            w.ike.handle((0..<1000).map { w.punt(0x1000_0000 + UInt32(second * 1000 + $0), from: peer, to: router) })
            handled += 1000
            w.run(seconds: 1, step: 0.1)
        }
        let c = w.ike.currentCounters
        #expect(c.recoveryNotifiesSent + c.recoveryNotifiesSuppressed == handled, "every punt is either answered or counted")
        // Burst of 5, then 1 per second.
        #expect(c.recoveryNotifiesSent >= 5 && c.recoveryNotifiesSent <= 16, "\(c.recoveryNotifiesSent)")
        #expect(UInt64(w.endpoint.delivered.count) == c.recoveryNotifiesSent)
    }

    @Test("A flood without an IKE SA starts at most one IKE negotiation per 30 s")
    func initiationLimiter() throws {
        let w = try World(config(recovery: true))
        w.endpoint.alive = false   // IKE never completes
        for i in 0..<100 {
            w.ike.handle([w.punt(0x2000_0000 + UInt32(i), from: peer, to: router)])
            w.run(seconds: 1, step: 0.5)
        }
        let c = w.ike.currentCounters
        #expect(c.recoveryInitiations >= 3 && c.recoveryInitiations <= 5, "\(c.recoveryInitiations)")
        #expect(c.recoveryInitiations + c.recoveryInitiationsSuppressed + UInt64(0) <= 100)
        #expect(c.negotiationsFailed >= 2, "death by retransmission")
    }

    @Test("Blackhole detector: a flow recurring past 60 s is a suspect, with cause and remedy from the matrix")
    func detector() throws {
        let w = try World(config(recovery: false))
        for _ in 0..<13 {
            w.ike.handle([w.punt(0xB761_863E, from: peer, to: router)])
            w.run(seconds: 5, step: 1)
        }
        // A one-off (rekey race) from another source is not a suspect.
        w.ike.handle([w.punt(0x0101_0101, from: IPAddress("203.0.113.9")!, to: router)])
        let s = w.ike.snapshot.suspects
        #expect(s.count == 1)
        #expect(s.first?.spi == 0xB761_863E && s.first?.count == 13 && s.first?.cryptoConfig == "static-map" && s.first?.ikeSA == false)
        #expect(s.first?.remedy.contains("crypto isakmp invalid-spi-recovery") == true)
        #expect(s.first?.cause.hasPrefix("ended") == false)
        // The flow stops (its sender moved to another SA): after 10 s without it the row says
        // so instead of still diagnosing a blackhole.
        w.run(seconds: 10, step: 1)
        let ended = try #require(w.ike.snapshot.suspects.first)
        #expect(ended.cause.hasPrefix("ended: no packet on this SPI for "), "\(ended.cause)")
        #expect(ended.remedy.hasPrefix("none"))
    }

    @Test("Blackhole suspects are listed by source address and SPI, not by which punt was drained first")
    func detectorOrder() throws {
        let w = try World(config(recovery: false))
        let later = IPAddress("203.0.113.77")!, earlier = IPAddress("203.0.113.5")!
        for _ in 0..<7 {
            // The .77 flow is always seen first, and its SPI is the smaller one.
            w.ike.handle([w.punt(0x0BAD_F00D, from: later, to: router)])
            w.ike.handle([w.punt(0x5A3C_11E7, from: earlier, to: router)])
            w.ike.handle([w.punt(0x5A3C_11E6, from: earlier, to: router)])
            w.run(seconds: 10, step: 1)
        }
        let s = w.ike.snapshot.suspects
        #expect(s.map { "\($0.source) \($0.spi)" } == ["203.0.113.5 \(0x5A3C_11E6)", "203.0.113.5 \(0x5A3C_11E7)", "203.0.113.77 \(0x0BAD_F00D)"])
    }

    @Test("The support matrix", arguments: CryptoConfigType.allCases)
    func classification(type: CryptoConfigType) throws {
        let w = try World(config(type, recovery: true))
        let c = SenderClassification.classify(sender: peer, local: router, configuration: w.controlPlane.router.configuration,
                                              plan: w.controlPlane.router.plan)
        #expect(c.type == type)
        #expect(c.recoveryPossible == [.staticMap, .greTunnelProtection, .mgreStaticNHRP, .staticVTI].contains(type))
        let stranger = SenderClassification.classify(sender: IPAddress("203.0.113.9")!, local: router,
                                                     configuration: w.controlPlane.router.configuration, plan: w.controlPlane.router.plan)
        #expect(!stranger.recoveryPossible)
    }

    @Test("Child SAs expire at their lifetime and leave the data plane")
    func lifetimeExpiry() throws {
        let w = try World(RecoveryMatrixConfigurations.text(.staticMap, recovery: false)
            .replacingOccurrences(of: "hostname qfp-hub", with: "hostname qfp-hub\ncrypto ipsec security-association lifetime seconds 120"))
        w.endpoint.alive = true
        w.establish(from: peer, to: router)
        let key = w.ike.childSAs(peer: peer).first?.flowKey
        #expect(key != nil)
        #expect(w.controlPlane.router.negotiatedSPIs(flow: key!).inbound.count == 1)
        // The router rekeys at 90 s (the peer answers), and the first SA expires at 120 s.
        w.run(seconds: 125, step: 0.5)
        #expect(w.ike.currentCounters.childSAsExpired >= 1)
        #expect(w.controlPlane.router.negotiatedSPIs(flow: key!).inbound.count == 1, "the rekeyed SA remains")
        #expect(w.endpoint.established.count == 2)
    }

    @Test("Volume lifetime: at 90 % of the kilobytes the data plane punts and the router rekeys")
    func volumeRekey() throws {
        let w = try World(RecoveryMatrixConfigurations.text(.staticMap, recovery: false)
            .replacingOccurrences(of: "hostname qfp-hub", with: "hostname qfp-hub\ncrypto ipsec security-association lifetime kilobytes 2560"))
        w.establish(from: peer, to: router)
        let spi = try #require(w.endpoint.established.last?.routerInbound)
        let inner = PacketBuilder.clear(source: IPAddress("10.2.0.5")!, destination: IPAddress("10.1.0.5")!, payloadLength: 1300)
        var sequence: UInt32 = 0
        // 2560 KB: the soft limit (90 %) falls after about 1,735 packets of 1,360 bytes, the
        // hard one after about 1,928.
        for _ in 0..<18 {
            for _ in 0..<100 {
                sequence += 1
                w.pipeline.inject(PacketBuilder.esp(source: peer, destination: router, spi: spi, sequence: sequence, inner: inner))
            }
            _ = w.pipeline.drain()
            w.ike.handle(w.pipeline.control.drainPunts())
        }
        w.run(seconds: 1)
        #expect(w.endpoint.established.count == 2, "rekeyed once")
        #expect(w.ike.childSAs(peer: peer).count == 2 && w.ike.childSAs(peer: peer).first?.superseded == true)
    }

    @Test("Replay failures punt and log %CRYPTO-4-PKT_REPLAY_ERR with the SA's connection id, rate-limited")
    func replayError() throws {
        let w = try World(config(recovery: false))
        w.establish(from: peer, to: router)
        let spi = try #require(w.endpoint.established.last?.routerInbound)
        let inner = PacketBuilder.clear(source: IPAddress("10.2.0.5")!, destination: IPAddress("10.1.0.5")!)
        for _ in 0..<3 { w.pipeline.inject(PacketBuilder.esp(source: peer, destination: router, spi: spi, sequence: 7, inner: inner)) }
        _ = w.pipeline.drain()
        let punts = w.pipeline.control.drainPunts()
        #expect(punts.filter { $0.kind == .replayFailure }.count == 2)
        w.ike.handle(punts)
        let id = try #require(w.controlPlane.router.inboundSA(spi: spi)?.sa.connectionID)
        let lines = w.controlPlane.syslog.entries.filter { $0.message.hasPrefix("%CRYPTO-4-PKT_REPLAY_ERR") }
        #expect(lines.first?.message == "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=\(id), sequence number=7")
    }
}
