import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

@Suite("Router: configuration drives the data plane")
struct RouterTests {
    let language = ConfigurationLanguage.shared
    let peer = IPAddress("198.51.100.9")!
    let router = IPAddress("192.0.2.1")!

    func configuration(_ text: String = sampleConfiguration) throws -> RouterConfiguration {
        switch language.load(text, source: "t") {
        case let .success(l): return l.configuration
        case let .failure(f): throw f
        }
    }

    func makeRouter(_ text: String = sampleConfiguration) throws -> (ManualPipeline, Router) {
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        let p = try ManualPipeline(c)
        let r = try Router(pipeline: p.pipeline, clock: VirtualClock(), configuration: try configuration(text))
        p.drain()
        return (p, r)
    }

    func transmitted(_ p: ManualPipeline) -> [[UInt8]] {
        (0..<p.workers.count).flatMap { p.takeTransmitted(worker: $0) }
    }

    @Test("a manual crypto map installs its SAs: inbound decapsulates, outbound encapsulates, both ways")
    func manualKeying() throws {
        let (p, r) = try makeRouter()
        #expect(r.plan.inboundManual.map(\.spi) == [4096] && r.plan.outboundManual.map(\.spi) == [8192])
        // Transport mode (TS-NULL): inbound to 192.0.2.1 with SPI 4096.
        let udp = PacketBuilder.udpDatagram(sourcePort: 9, destinationPort: 9, payload: [1, 2, 3, 4])
        p.inject(PacketBuilder.esp(source: peer, destination: router, spi: 4096, sequence: 1, inner: udp, mode: .transport))
        // Clear traffic SITE-C protects: 10.1/16 -> 10.3/16, encapsulated with SPI 8192.
        p.inject(PacketBuilder.clear(source: IPAddress("10.1.5.5")!, destination: IPAddress("10.3.6.6")!))
        p.drain()
        let out = transmitted(p)
        #expect(out.count == 2)
        let spis = out.compactMap { b -> UInt32? in
            let c = b.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: $0.count) }
            return c.kind == .esp ? c.spi : nil
        }
        #expect(spis == [8192])
        #expect(p.statistics.totals()[.decapsulated] == 1)
        let (inbound, outbound) = r.installedSAs(flow: "map VPN 20 #0")
        #expect(inbound.map(\.spi) == [4096] && outbound?.spi == 8192)
        #expect(inbound.first?.connectionID != outbound?.connectionID)
    }

    @Test("isakmp maps and tunnel routes protect traffic that has no SA yet: 33 and IpsecIkeIndicate")
    func noSAYet() throws {
        let (p, _) = try makeRouter()
        p.inject(PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.2.3.4")!))   // ACL 101 permit
        p.inject(PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.5.3.4")!))   // route via Tunnel10
        // Only the deny line of ACL 101 matches this one (the permit line covers 10.1/16 sources): bypass.
        p.inject(PacketBuilder.clear(source: IPAddress("10.9.9.9")!, destination: IPAddress("10.2.0.53")!, destinationPort: 53))
        p.drain()
        let t = p.statistics.totals()
        #expect(t.packets(.outV4PktHitIkeStartSp) == 2 && t.packets(.ipsecIkeIndicate) == 2 && t[.bypassed] == 1)
        #expect(p.control.drainPunts().filter { $0.kind == .acquire }.count == 2)
    }

    @Test("unknown SPIs count as 7 at an endpoint whose maps are all transport mode, else 4")
    func transportEndpoint() throws {
        let (p, r) = try makeRouter()
        let unknown = PacketBuilder.esp(source: peer, destination: router, spi: 0x7777, sequence: 1, inner: [1, 2, 3, 4], mode: .transport)
        p.inject(unknown)   // VPN 10 is tunnel mode, VPN 20 transport: a tunnel endpoint
        p.drain()
        #expect(p.statistics.totals().featureDrops4And7 == (1, 0))
        // Leave only transport-mode users of 192.0.2.1 (the tunnels use it too).
        var c = r.configuration
        c.cryptoMaps["VPN"]?[10] = nil
        c.interfaces["Tunnel10"]?.tunnel.protectionProfile = nil
        c.interfaces["Tunnel20"]?.tunnel.protectionProfile = nil
        try r.apply(c)
        p.drain()
        p.inject(unknown)
        p.drain()
        #expect(p.statistics.totals().featureDrops4And7 == (1, 1))
    }

    @Test("reconfiguration removes what is gone and keeps what stays")
    func reconfigure() throws {
        let (p, r) = try makeRouter()
        let before = r.installedSAs(flow: "map VPN 20 #0")
        var c = r.configuration
        c.hostname = "renamed"
        try r.apply(c)
        p.drain()
        #expect(r.installedSAs(flow: "map VPN 20 #0").inbound == before.inbound)
        c.cryptoMaps["VPN"]?[20] = nil
        try r.apply(c)
        p.drain()
        #expect(r.installedSAs(flow: "map VPN 20 #0").inbound.isEmpty)
        p.inject(PacketBuilder.esp(source: peer, destination: router, spi: 4096, sequence: 2, inner: [1, 2, 3, 4], mode: .transport))
        p.drain()
        #expect(p.statistics.totals().packets(.inUsV4PktSaNotFoundSpi) == 1)
    }

    @Test("clear crypto sa reinstalls manual SAs with fresh state")
    func clearSA() throws {
        let (p, r) = try makeRouter()
        let before = r.installedSAs(flow: "map VPN 20 #0")
        try r.clearSAs(peer: peer)
        p.drain()
        let after = r.installedSAs(flow: "map VPN 20 #0")
        #expect(after.inbound.map(\.spi) == [4096] && after.inbound != before.inbound)
    }

    @Test("what the data plane cannot do is refused, and nothing changes")
    func refusal() throws {
        let (_, r) = try makeRouter()
        var c = r.configuration
        c.cryptoMaps["VPN"]?[20]?.transformSets = ["TS-AES"]
        #expect(throws: DataplanePlan.Refusal.self) { try r.apply(c) }
        #expect(r.configuration.cryptoMaps["VPN"]?[20]?.transformSets == ["TS-NULL"])
    }
}

extension CounterSnapshot {
    var featureDrops4And7: (UInt64, UInt64) { (packets(.inUsV4PktSaNotFoundSpi), packets(.inTransV4IpsecPktNotFoundSpi)) }
}
