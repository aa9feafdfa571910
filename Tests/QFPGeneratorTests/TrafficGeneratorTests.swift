import Foundation
import QFPControl
import QFPDataplane
@testable import QFPGenerator
import Testing

/// The default router on a hand-stepped pipeline, a generator on its source, virtual time.
final class GeneratorRig {
    let manual: ManualPipeline
    let router: Router
    let generator: TrafficGenerator
    var now: UInt64 = 1_000_000_000

    init(configuration text: String = DefaultConfiguration.text) throws {
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        c.sourcePoolBuffers = 4096
        c.inputRingSlots = 1024
        manual = try ManualPipeline(c)
        guard case let .success(loaded) = ConfigurationLanguage.shared.load(text, source: "test") else {
            throw GeneratorError("configuration did not load")
        }
        let router = try Router(pipeline: manual.pipeline, clock: VirtualClock(), configuration: loaded.configuration)
        self.router = router
        generator = TrafficGenerator(pipeline: manual.pipeline) { RouterView(router: router) }
        manual.setTime(now)
        _ = manual.drain()
    }

    /// Steps the generator and the workers every `tick` nanoseconds for `seconds`.
    func run(seconds: Double, tick: UInt64 = 1_000_000) {
        let end = now + UInt64(seconds * 1e9)
        manual.withSource { _ = generator.step(&$0, now: now) }
        while now < end {
            now += tick
            manual.setTime(now)
            manual.withSource { _ = generator.step(&$0, now: now) }
            _ = manual.drain()
        }
        // Collect what the workers forwarded last, and publish.
        manual.withSource { _ = generator.step(&$0, now: now) }
        generator.publish(now: now)
    }

    var counters: CounterSnapshot { manual.statistics.totals() }
}

@Suite("Traffic generator")
struct TrafficGeneratorTests {
    @Test("The default profile: in-sync sites forward, stale peers hit invalid SPI, every packet accounted for")
    func defaultProfile() throws {
        let rig = try GeneratorRig()
        let started = try rig.generator.start(DefaultProfile.profile)
        #expect(started == ["site-b-data", "site-c-voice", "hub-east-stale", "vti-west-stale"])
        rig.run(seconds: 10)
        let status = rig.generator.status()
        func stream(_ name: String) -> StreamStatus { status.streams.first { $0.name == name }! }
        #expect(stream("site-b-data").txPackets == 20_000)
        #expect(stream("site-c-voice").txPackets == 5_000)
        #expect(stream("hub-east-stale").txPackets == 200)
        #expect(stream("vti-west-stale").txPackets == 50)
        let c = rig.counters
        #expect(c[.offered] == 25_250)
        #expect(c[.offered] == c.accountedFor)
        // The stale peers' SPIs are unknown to the router: drop 4, under IpsecInput.
        #expect(c.packets(.inUsV4PktSaNotFoundSpi) == 250)
        // site-b's replays are anti-replay drops; everything else of the sites is forwarded.
        let replays = stream("site-b-data").kinds["replay"] ?? 0
        #expect(replays > 0)
        #expect(c.packets(.inCdSwIpsecAntiReplayFail) == replays)
        #expect(c.packets(.ipsecInput) == 250 + replays)
        #expect(stream("site-b-data").rxPackets == 20_000 - replays)
        #expect(stream("site-c-voice").rxPackets == 5_000)
        #expect(stream("hub-east-stale").rxPackets == 0)
        let latency = try #require(stream("site-c-voice").latency)
        #expect(latency.samples == 5_000)
        #expect(latency.p50 <= latency.p99 && latency.p99 <= latency.p999 && latency.p999 <= latency.max)
        // IMIX: 7:4:1 of 64, 576 and 1500 bytes.
        let octets = stream("site-b-data").txOctets
        let average = Double(octets) / 20_000
        #expect(abs(average - (7 * 64 + 4 * 576 + 1500) / 12.0) < 10)
    }

    @Test("Rates: pps, bps and percent of the port are met exactly on the generator's clock", arguments: [
        ("rate: 100kpps\n    size: 64", 1.0, 100_000),
        ("rate: 10Mbps\n    size: 1000", 2.0, 2_500),
        ("rate: 1%\n    size: 1000", 2.0, 2_408),   // 1% of 1 Gb/s at layer 1: (1000 + 38) × 8 bits per packet
        ("rate: 5kpps\n    count: 777", 1.0, 777),
        ("rate: 5kpps\n    duration: 250ms", 1.0, 1_250),
    ])
    func rates(stream: String, seconds: Double, expected: UInt64) throws {
        let rig = try GeneratorRig()
        let profile = try ProfileParser.parse("""
            port-speed: 1Gbps
            peers: [{name: b, address: 198.51.100.7}]
            streams:
              - name: s
                peer: b
                \(stream)
            """)
        try rig.generator.start(profile)
        rig.run(seconds: seconds, tick: 100_000)
        let s = try #require(rig.generator.status().streams.first)
        #expect(s.txPackets + 1 >= expected && s.txPackets <= expected + 1, "sent \(s.txPackets), expected \(expected)")
        #expect(rig.counters[.offered] == s.txPackets)
        #expect(rig.counters.accountedFor == s.txPackets)
    }

    @Test("Each fault lands on its own counter; faults and valid packets add up")
    func faults() throws {
        let rig = try GeneratorRig()
        let profile = try ProfileParser.parse("""
            peers: [{name: b, address: 198.51.100.7}]
            streams:
              - {name: s, peer: b, size: 100, rate: 50kpps, count: 50000,
                 faults: {unknown-spi: 4%, replay: 3%, too-old: 2%, truncated: 1%, malformed: 1%}}
            """)
        try rig.generator.start(profile)
        rig.run(seconds: 1.2, tick: 200_000)
        let s = try #require(rig.generator.status().streams.first)
        let k = s.kinds
        #expect(s.txPackets == 50_000)
        #expect(k.values.reduce(0, +) == 50_000)
        for kind in PacketKind.allCases { #expect((k[kind.name] ?? 0) > 0, "no \(kind.name) packets") }
        let c = rig.counters
        #expect(c.packets(.inUsV4PktSaNotFoundSpi) == k["unknown-spi"])
        #expect(c.packets(.inCdSwIpsecAntiReplayFail) == k["replay"])
        #expect(c.packets(.cdInPktOutOfWindow) == k["too-old"])
        #expect(c.packets(.ipFormatErr) == (k["truncated"] ?? 0) + (k["malformed"] ?? 0))
        #expect(s.rxPackets == k["valid"])
        #expect(c[.offered] == c.accountedFor)
        // The router's SA saw every valid sequence number in order.
    }

    @Test("Streams start and stop while others run; bad requests change nothing")
    func control() throws {
        let rig = try GeneratorRig()
        let profile = DefaultProfile.profile
        try rig.generator.start(profile, streams: ["site-b-data"])
        rig.run(seconds: 0.5)
        #expect(throws: GeneratorError("stream 'site-b-data' was already started and is running or done (stop it first: qfp gen stop site-b-data)")) {
            try rig.generator.start(profile, streams: ["site-c-voice", "site-b-data"])
        }
        #expect(throws: GeneratorError("no stream named 'nope' in the profile (streams: site-b-data, site-c-voice, hub-east-stale, vti-west-stale)")) {
            try rig.generator.start(profile, streams: ["nope"])
        }
        try rig.generator.start(profile, streams: ["site-c-voice"])
        rig.run(seconds: 0.5)
        #expect(try rig.generator.stop(["site-b-data"]) == ["site-b-data"])
        rig.run(seconds: 0.5)
        let status = rig.generator.status()
        #expect(status.streams.map(\.name) == ["site-c-voice"])
        #expect(status.streams[0].txPackets == 500)
        #expect(throws: GeneratorError("no stream named 'site-b-data' is running (running: site-c-voice)")) {
            try rig.generator.stop(["site-b-data"])
        }
        #expect(try rig.generator.stop() == ["site-c-voice"])
        rig.run(seconds: 0.1)
        #expect(rig.generator.status().streams.isEmpty)
        #expect(rig.counters[.offered] == rig.counters.accountedFor)
    }

    @Test("Desynchronisation from state: the router re-keys its manual SA, the peer keeps the SPI it learned")
    func desynchronisation() throws {
        let rig = try GeneratorRig()
        try rig.generator.start(DefaultProfile.profile, streams: ["site-b-data"])
        rig.run(seconds: 1)
        #expect(rig.counters.packets(.inUsV4PktSaNotFoundSpi) == 0)
        // The operator changes the router's inbound SPI for site B; nobody tells the peer.
        let rekeyed = DefaultConfiguration.text.replacingOccurrences(
            of: "set session-key inbound esp 4096 cipher 00", with: "set session-key inbound esp 5000 cipher 00")
        guard case let .success(loaded) = ConfigurationLanguage.shared.load(rekeyed, source: "rekeyed") else {
            Issue.record("the changed configuration does not load")
            return
        }
        try rig.router.apply(loaded.configuration)
        let before = rig.counters
        rig.run(seconds: 1)
        let after = rig.counters.subtracting(before)
        #expect(after[.offered] == 2_000)
        // Every one of site B's packets now hits an SPI the router no longer knows.
        #expect(after.packets(.inUsV4PktSaNotFoundSpi) == 2_000)
        #expect(after[.forwarded] == 0)
        // A stream started now learns the new SPI: back in sync.
        try rig.generator.stop()
        rig.run(seconds: 0.01)
        try rig.generator.start(DefaultProfile.profile, streams: ["site-b-data"])
        let resynced = rig.counters
        rig.run(seconds: 1)
        #expect(rig.counters.subtracting(resynced).packets(.inUsV4PktSaNotFoundSpi) == 0)
    }

    @Test("Streams from two profiles on one peer's SA share its sequence numbers: no replay drops")
    func sharedSA() throws {
        let rig = try GeneratorRig()
        try rig.generator.start(DefaultProfile.profile, streams: ["site-c-voice"])
        rig.run(seconds: 1)
        try rig.generator.start(try ProfileParser.parse("""
            peers: [{name: other-name, address: 198.51.100.9}]
            streams: [{name: extra, peer: other-name, rate: 3kpps}]
            """))
        rig.run(seconds: 1)
        let c = rig.counters
        #expect(c[.offered] == 500 + 500 + 3000)
        #expect(c[.forwarded] == c[.offered])
        #expect(c.packets(.ipsecInput) == 0)
    }

    @Test("A peer that believes in no SA, and a router address of the wrong family, are refused")
    func refusals() throws {
        let rig = try GeneratorRig()
        let profile = try ProfileParser.parse("""
            peers: [{name: x, address: 198.51.100.200}, {name: v6, address: "2001:db8::9"}]
            streams: [{name: s, peer: x}, {name: t, peer: v6, spi: 300}]
            """)
        #expect(throws: GeneratorError("stream 's': peer 'x' believes in no SA (the router has none for 198.51.100.200); give the peer sas: or the stream spi:")) {
            try rig.generator.start(profile, streams: ["s"])
        }
        #expect(throws: GeneratorError("peer 'v6': no router address to send to (the router has no IPv6 address for it; set router:)")) {
            try rig.generator.start(profile, streams: ["t"])
        }
        #expect(rig.generator.status().streams.isEmpty)
    }

    @Test("Templates: IPv4/IPv6, ESP or ESP-in-UDP, tunnel or transport, each length achievable")
    func templates() {
        let v4 = PeerView(name: "a", address: IPAddress("198.51.100.7")!, router: IPAddress("192.0.2.1")!, sas: [])
        let v6 = PeerView(name: "b", address: IPAddress("2001:db8::7")!, router: IPAddress("2001:db8::1")!, sas: [])
        for peer in [v4, v6] {
            for mode in [IPsecMode.tunnel, .transport] {
                for udp in [false, true] {
                    for length in stride(from: 20, through: 1500, by: 7) {
                        var p = StreamEngine.template(length: length, peer: peer, mode: mode, udp: udp)
                        // SPI zero in UDP/4500 is the non-ESP marker (IKE); the generator patches a real one.
                        let at = (peer.address.isIPv4 ? 20 : 40) + (udp ? 8 : 0)
                        p[at + 2] = 0x10
                        let expected = StreamEngine.achievableLength(length, ipv4: peer.address.isIPv4, mode: mode, udp: udp)
                        #expect(p.count == expected)
                        #expect(p.count == length / 4 * 4 || length < p.count)
                        let c = p.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: $0.count) }
                        #expect(c.kind == (udp ? .espInUDP : .esp), "\(peer.address) \(mode) udp \(udp) \(length)")
                    }
                }
            }
        }
    }
}
