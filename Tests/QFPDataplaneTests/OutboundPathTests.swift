@testable import QFPDataplane
import QFPGenerator
import Testing

@Suite("Outbound path")
struct OutboundPathTests {
    static let protectedNet = IPPrefix("10.2.0.0/16")!
    static let insideNet = IPPrefix("10.1.0.0/16")!

    func clear(to destination: IPAddress = Net.remoteHost, port: UInt16 = 80, proto: UInt8 = 17) -> [UInt8] {
        PacketBuilder.clear(source: Net.insideHost, destination: destination, protocolNumber: proto, destinationPort: port)
    }

    @Test("no policy database: clear traffic is forwarded untouched")
    func noPolicies() throws {
        let p = try makePipeline()
        p.inject(clear())
        p.drain()
        #expect(p.transmittedPackets() == [clear()])
        #expect(p.statistics.totals()[.bypassed] == 1)
        p.expectConservation()
    }

    @Test("deny drops with 35 (IPv4) and 40 (IPv6) and IpsecDenyDrop; bypass forwards")
    func denyAndBypass() throws {
        let p = try makePipeline()
        try p.control.installPolicies([
            SecurityPolicy(source: Self.insideNet, destination: IPPrefix("10.2.9.0/24")!, action: .bypass),
            SecurityPolicy(source: .any(ipv4: true), destination: Self.protectedNet, action: .deny),
            SecurityPolicy(source: .any(ipv4: false), destination: .any(ipv4: false), action: .deny),
        ])
        p.drain()
        p.inject(clear(to: IPAddress("10.2.9.1")!))
        p.inject(clear())
        p.inject(PacketBuilder.clear(source: IPAddress("2001:db8:5::1")!, destination: IPAddress("2001:db8:6::1")!))
        p.drain()
        let t = p.statistics.totals()
        #expect(t.globalDrops == ["IpsecDenyDrop": 2])
        #expect(t.featureDrops == [35: 1, 40: 1])
        #expect(t[.bypassed] == 1)
        p.expectConservation()
    }

    @Test("protect without SA: 33 and IpsecIkeIndicate, and an acquire record naming the binding")
    func protectWithoutSA() throws {
        let p = try makePipeline()
        try p.control.installPolicies([SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, action: .protect(binding: 7))])
        p.drain()
        p.inject(clear())
        p.drain()
        let t = p.statistics.totals()
        #expect(t.globalDrops == ["IpsecIkeIndicate": 1])
        #expect(t.featureDrops == [33: 1])
        let acquire = try #require(p.control.drainPunts().first)
        #expect(acquire.kind == .acquire && acquire.slot == 7 && acquire.destination == Net.remoteHost)
        p.expectConservation()
    }

    @Test("protect with an SA encapsulates; the result decapsulates back to the original in a peer pipeline")
    func encapsulationRoundTrip() throws {
        for (mode, udp) in [(IPsecMode.tunnel, false), (.tunnel, true), (.transport, false)] {
            let p = try makePipeline()
            try p.control.installPolicies([SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, action: .protect(binding: 1))])
            let out = try p.control.installOutbound(OutboundSAConfig(
                spi: 0xC0DE, mode: mode, encapsulation: udp ? .udp : .esp, tunnelSource: Net.router, tunnelDestination: Net.peer))
            try p.control.bind(1, to: out)
            p.drain()
            let originals = (0..<3).map { clear(port: 1000 + UInt16($0)) }
            for o in originals { p.inject(o) }
            p.drain()
            let sent = p.transmittedPackets()
            #expect(sent.count == 3)
            let sequences = sent.map { bytes -> UInt32 in
                bytes.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: bytes.count).sequenceNumber }
            }
            #expect(Set(sequences) == [1, 2, 3])
            #expect(p.control.counters(out)?[.encapsulatedPackets] == 3)

            // The peer: an inbound SA with the same SPI at the tunnel destination (or, in
            // transport mode, at the original destination).
            let peer = try makePipeline()
            let destination = mode == .tunnel ? Net.peer : Net.remoteHost
            try peer.control.installInbound(InboundSAConfig(spi: 0xC0DE, destination: destination, mode: mode,
                                                            encapsulation: udp ? .udp : .esp))
            peer.drain()
            for s in sent { peer.inject(s) }
            peer.drain()
            let back = peer.transmittedPackets()
            #expect(Set(back) == Set(originals), "mode \(mode) udp \(udp)")
            p.expectConservation()
            peer.expectConservation()
        }
    }

    @Test("IPv6 over an IPv6 tunnel, and IPv4 inside IPv6")
    func ipv6Tunnels() throws {
        let p = try makePipeline()
        try p.control.installPolicies([SecurityPolicy(source: .any(ipv4: true), destination: .any(ipv4: true), action: .protect(binding: 2))])
        let out = try p.control.installOutbound(OutboundSAConfig(spi: 0xBEEF, tunnelSource: Net.router6, tunnelDestination: Net.peer6))
        try p.control.bind(2, to: out)
        p.drain()
        p.inject(clear())
        p.drain()
        let sent = try #require(p.transmittedPackets().first)
        #expect(sent[0] >> 4 == 6)
        let peer = try makePipeline()
        try peer.control.installInbound(InboundSAConfig(spi: 0xBEEF, destination: Net.peer6))
        peer.drain()
        peer.inject(sent)
        peer.drain()
        #expect(peer.transmittedPackets() == [clear()])
        p.expectConservation()
    }

    @Test("outbound hard packet lifetime drops with 44; soft and hard are each reported once")
    func outboundLifetime() throws {
        let p = try makePipeline()
        try p.control.installPolicies([SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, action: .protect(binding: 3))])
        let out = try p.control.installOutbound(OutboundSAConfig(
            spi: 0xAAAA, tunnelSource: Net.router, tunnelDestination: Net.peer, lifetime: SALifetime(softPackets: 2, hardPackets: 4)))
        try p.control.bind(3, to: out)
        p.drain()
        for i in 0..<7 { p.inject(clear(port: UInt16(2000 + i))) }
        p.drain()
        let t = p.statistics.totals()
        #expect(t[.encapsulated] == 4)
        #expect(t.featureDrops == [44: 3])
        #expect(t.globalDrops == ["IpsecInvalidSa": 3])
        #expect(p.control.drainPunts().map(\.kind) == [.outboundSoftExpired, .outboundHardExpired])
        #expect(p.control.counters(out)?[.hardExpiryDrops] == 3)
        p.expectConservation()
    }

    @Test("rebinding switches SAs (outbound rekey); deleting an SA unbinds it")
    func outboundRekey() throws {
        let p = try makePipeline()
        try p.control.installPolicies([SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, action: .protect(binding: 4))])
        let old = try p.control.installOutbound(OutboundSAConfig(spi: 0x1111, tunnelSource: Net.router, tunnelDestination: Net.peer))
        try p.control.bind(4, to: old)
        p.drain()
        p.inject(clear())
        p.drain()
        let new = try p.control.installOutbound(OutboundSAConfig(spi: 0x2222, tunnelSource: Net.router, tunnelDestination: Net.peer))
        try p.control.bind(4, to: new)
        try p.control.deleteOutbound(old)
        p.drain()
        p.inject(clear())
        p.drain()
        let spis = p.transmittedPackets().map { b in b.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: b.count).spi } }
        #expect(spis == [0x1111, 0x2222])
        #expect(p.control.counters(old) == nil)
        try p.control.deleteOutbound(new)
        p.drain()
        p.inject(clear())
        p.drain()
        #expect(p.statistics.totals().featureDrops == [33: 1])
        p.expectConservation()
    }

    @Test("first match wins across prefix lengths, protocols and port ranges")
    func firstMatch() throws {
        let p = try makePipeline()
        try p.control.installPolicies([
            SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, protocolNumber: 6,
                           destinationPorts: 20...23, action: .deny),
            SecurityPolicy(source: Self.insideNet, destination: IPPrefix("10.2.2.20/32")!, protocolNumber: 17,
                           destinationPorts: 53...53, action: .bypass),
            SecurityPolicy(source: Self.insideNet, destination: Self.protectedNet, action: .protect(binding: 9)),
        ])
        p.drain()
        p.inject(clear(port: 22, proto: 6))   // deny
        p.inject(clear(port: 53))             // bypass
        p.inject(clear(port: 80, proto: 6))   // protect, no SA
        p.drain()
        let t = p.statistics.totals()
        #expect(t.featureDrops == [35: 1, 33: 1])
        #expect(t[.bypassed] == 1)
        p.expectConservation()
    }
}

@Suite("Outbound limits")
struct OutboundLimitTests {
    func setUp() throws -> (ManualPipeline, OutboundSAHandle) {
        let p = try makePipeline(workers: 1)
        try p.control.installPolicies([SecurityPolicy(source: IPPrefix("10.1.0.0/16")!, destination: IPPrefix("10.2.0.0/16")!,
                                                      action: .protect(binding: 0))])
        let sa = try p.control.installOutbound(OutboundSAConfig(spi: 0x5151, tunnelSource: Net.router, tunnelDestination: Net.peer))
        try p.control.bind(0, to: sa)
        p.drain()
        return (p, sa)
    }

    @Test("the last sequence number is 2^32-1; after it packets drop with 46 and the SA is reported once")
    func sequenceOverflow() throws {
        let (p, sa) = try setUp()
        p.control.setSequenceNumberForTesting(sa, to: UInt64(UInt32.max) - 2)
        for _ in 0..<5 { p.inject(PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost)) }
        p.drain()
        let sent = p.transmittedPackets()
        let sequences = sent.map { b in b.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: b.count).sequenceNumber } }
        #expect(sequences == [UInt32.max - 1, UInt32.max])
        let t = p.statistics.totals()
        #expect(t.featureDrops == [46: 3])
        #expect(t.globalDrops == ["IpsecOutput": 3])
        #expect(p.control.counters(sa)?[.sequenceOverflowDrops] == 3)
        #expect(p.control.drainPunts().map(\.kind) == [.outboundHardExpired])
        p.expectConservation()
    }

    @Test("a packet received without headroom is rebuilt in the worker's own pool and encapsulated")
    func noHeadroom() throws {
        let (p, _) = try setUp()
        let clear = PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost)
        p.withSource { source in
            var h: PacketHandle = 0
            _ = source.allocate(into: &h, maximum: 1)
            let b = source.buffer(h)
            b.reset(length: clear.count, inputInterface: 4, timestamp: 0)
            b.dataOffset = PacketBuffer.metadataSize   // no headroom at all
            clear.withUnsafeBytes { b.data.copyMemory(from: $0.baseAddress!, byteCount: clear.count) }
            source.send(&h, count: 1)
        }
        p.drain()
        let sent = p.transmittedPackets()
        #expect(sent.count == 1)
        #expect(sent.first.map { Array($0.suffix(from: 28).prefix(clear.count)) } == clear)
        #expect(p.statistics.totals()[.encapsulated] == 1)
        p.expectConservation()
    }

    @Test("a datagram that cannot fit once encapsulated drops with 51 (IPv4)")
    func tooBig() throws {
        let (p, _) = try setUp()
        p.inject(PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost, payloadLength: PacketBuffer.maximumLength - 28))
        p.drain()
        #expect(p.statistics.totals().featureDrops == [51: 1])
        p.expectConservation()
    }
}
