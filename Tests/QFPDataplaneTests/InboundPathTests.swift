import QFPDataplane
import QFPGenerator
import Testing

@Suite("Inbound ESP path")
struct InboundPathTests {
    @Test("a valid tunnel-mode ESP packet is decapsulated to its inner datagram")
    func tunnelDecapsulation() throws {
        let p = try makePipeline()
        let sa = try p.control.installInbound(InboundSAConfig(spi: 0x1000, destination: Net.router))
        p.drain()
        let inner = Net.inner()
        #expect(p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x1000, sequence: 1, inner: inner)))
        p.drain()
        #expect(p.transmittedPackets() == [inner])
        let t = p.statistics.totals()
        #expect(t[.decapsulated] == 1)
        #expect(t.totalDropped == 0)
        #expect(p.control.counters(sa)?[.decapsulatedPackets] == 1)
        p.expectConservation()
    }

    @Test("transport mode restores the IP header with the protocol from the trailer")
    func transportDecapsulation() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x2000, destination: Net.router, mode: .transport))
        p.drain()
        let udp = PacketBuilder.udpDatagram(sourcePort: 5000, destinationPort: 53, payload: Array(repeating: 7, count: 11))
        let packet = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x2000, sequence: 1,
                                       inner: udp, mode: .transport, transportProtocol: 17)
        p.inject(packet)
        p.drain()
        let expected = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 17, payload: udp)
        #expect(p.transmittedPackets() == [expected])
        p.expectConservation()
    }

    @Test("IPv6 with extension headers and ESP-in-UDP are decapsulated")
    func ipv6AndNATTraversal() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x3000, destination: Net.router6))
        try p.control.installInbound(InboundSAConfig(spi: 0x3001, destination: Net.router, encapsulation: .udp))
        p.drain()
        let inner6 = PacketBuilder.clear(source: IPAddress("2001:db8:9::1")!, destination: IPAddress("2001:db8:8::1")!)
        var v6 = PacketBuilder.esp(source: Net.peer6, destination: Net.router6, spi: 0x3000, sequence: 1, inner: inner6)
        // Insert a Hop-by-Hop and a Destination Options header before ESP.
        let extensionHeaders: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0] + [50, 0, 1, 4, 0, 0, 0, 0]
        v6[6] = 0
        v6.insert(contentsOf: extensionHeaders, at: 40)
        let payloadLength = v6.count - 40
        v6[4] = UInt8(payloadLength >> 8); v6[5] = UInt8(truncatingIfNeeded: payloadLength)
        p.inject(v6)
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x3001, sequence: 1,
                                   inner: Net.inner(), udp: true, udpSourcePort: 61000))
        p.drain()
        let out = p.transmittedPackets()
        #expect(out.count == 2)
        #expect(out.contains(inner6))
        #expect(out.contains(Net.inner()))
        p.expectConservation()
    }

    @Test("unknown SPI: IpsecInput plus feature drop 4, 7 (transport endpoint) or 12 (IPv6), and a punt record")
    func unknownSPI() throws {
        let p = try makePipeline()
        try p.control.setLocalEndpoint(Net.routerTransport, mode: .transport)
        p.drain()
        p.setTime(5_000_000_000)
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0xB761_863E, sequence: 9, inner: Net.inner()),
                 inputInterface: 3)
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.routerTransport, spi: 0x4444, sequence: 1, inner: Net.inner()))
        p.inject(PacketBuilder.esp(source: Net.peer6, destination: Net.router6, spi: 0x6666, sequence: 1, inner: Net.inner()))
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x7777, sequence: 1, inner: Net.inner(), udp: true))
        p.drain()
        let t = p.statistics.totals()
        #expect(t.globalDrops == ["IpsecInput": 4])
        #expect(t.featureDrops == [4: 2, 7: 1, 12: 1])
        let punts = p.control.drainPunts()
        #expect(punts.count == 4)
        let first = try #require(punts.first { $0.spi == 0xB761_863E })
        #expect(first.kind == .invalidSPI)
        #expect(first.source == Net.peer && first.destination == Net.router)
        #expect(first.protocolNumber == 50 && first.inputInterface == 3 && first.sequenceNumber == 9)
        #expect(first.time == 5_000_000_000)
        #expect(punts.first { $0.spi == 0x7777 }?.protocolNumber == 17)
        p.expectConservation()
    }

    @Test("reserved SPIs 0-255 are dropped as not found but never punted")
    func reservedSPIs() throws {
        let p = try makePipeline()
        for spi: UInt32 in [0, 1, 255] {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: spi, sequence: 1, inner: Net.inner()))
        }
        p.drain()
        #expect(p.statistics.totals().featureDrops == [4: 3])
        #expect(p.control.drainPunts().isEmpty)
        #expect(throws: DataplaneError.reservedSPI(255)) {
            try p.control.installInbound(InboundSAConfig(spi: 255, destination: Net.router))
        }
        p.expectConservation()
    }

    @Test("invalid-SPI punts are rate limited per worker; every drop is still counted")
    func puntRateLimit() throws {
        let p = try makePipeline(workers: 1) { $0.puntRatePerSecond = 10; $0.puntBurst = 3 }
        p.setTime(1_000_000_000)
        for i in 0..<20 {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x9000 + UInt32(i), sequence: 1, inner: Net.inner()))
        }
        p.drain()
        #expect(p.control.drainPunts().count == 3)
        var t = p.statistics.totals()
        #expect(t.packets(.inUsV4PktSaNotFoundSpi) == 20)
        #expect(t[.puntRateLimited] == 17)
        p.setTime(1_200_000_000)  // 0.2 s at 10/s: two more tokens
        for i in 0..<5 {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0xA000 + UInt32(i), sequence: 1, inner: Net.inner()))
        }
        p.drain()
        #expect(p.control.drainPunts().count == 2)
        t = p.statistics.totals()
        #expect(t.packets(.inUsV4PktSaNotFoundSpi) == 25)
        p.expectConservation()
    }

    @Test("anti-replay: duplicate is 19, left of the window is 116, both on the SA's counters")
    func antiReplay() throws {
        let p = try makePipeline()
        let sa = try p.control.installInbound(InboundSAConfig(spi: 0x5000, destination: Net.router))
        p.drain()
        func send(_ seq: UInt32) {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x5000, sequence: seq, inner: Net.inner()))
            p.drain()
        }
        for seq: UInt32 in [1, 2, 100, 50, 50, 36, 37, 0, 99, 164, 100] { send(seq) }
        // 1, 2, 100, 50 and 37 fresh (window 64 ends at 100: 37...100);
        // 50 again duplicate; 36 too old; 0 never valid; 99 fresh; 164 fresh; 100 now too old.
        let t = p.statistics.totals()
        #expect(t[.decapsulated] == 7)
        #expect(t.featureDrops == [19: 1, 116: 3])
        #expect(t.globalDrops == ["IpsecInput": 4])
        let c = try #require(p.control.counters(sa))
        #expect(c[.replayDuplicates] == 1 && c[.replayTooOld] == 3 && c[.decapsulatedPackets] == 7)
        p.expectConservation()
    }

    @Test("a 1024-packet window accepts what a 64-packet window rejects; disabled accepts replays")
    func windowSizes() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x5100, destination: Net.router, replay: .window(1024)))
        try p.control.installInbound(InboundSAConfig(spi: 0x5200, destination: Net.router, replay: .disabled))
        #expect(throws: DataplaneError.self) {
            try p.control.installInbound(InboundSAConfig(spi: 0x5300, destination: Net.router, replay: .window(100)))
        }
        p.drain()
        for seq: UInt32 in [2000, 1000, 977, 976, 1000] {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x5100, sequence: seq, inner: Net.inner()))
            p.drain()
        }
        for seq: UInt32 in [5, 5, 1] {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x5200, sequence: seq, inner: Net.inner()))
            p.drain()
        }
        let t = p.statistics.totals()
        // 1024 window ending at 2000 covers 977...2000: 1000 and 977 fresh, 976 too old, 1000 duplicate.
        #expect(t.featureDrops == [19: 1, 116: 1])
        #expect(t[.decapsulated] == 6)
        p.expectConservation()
    }

    @Test("lifetimes: soft notifies once, hard drops with 18 and IpsecInvalidSa")
    func lifetimes() throws {
        let p = try makePipeline()
        let sa = try p.control.installInbound(InboundSAConfig(
            spi: 0x6000, destination: Net.router, lifetime: SALifetime(softPackets: 3, hardPackets: 5)))
        p.drain()
        for seq: UInt32 in 1...8 {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x6000, sequence: seq, inner: Net.inner()))
            p.drain()
        }
        let t = p.statistics.totals()
        #expect(t[.decapsulated] == 5)
        #expect(t.featureDrops == [18: 3])
        #expect(t.globalDrops == ["IpsecInvalidSa": 3])
        let events = p.control.drainPunts().map(\.kind)
        #expect(events == [.inboundSoftExpired, .inboundHardExpired])
        #expect(p.control.counters(sa)?[.hardExpiryDrops] == 3)
        p.expectConservation()
    }

    @Test("byte lifetime counts packet octets")
    func byteLifetime() throws {
        let p = try makePipeline()
        let packet = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x6100, sequence: 1, inner: Net.inner())
        try p.control.installInbound(InboundSAConfig(
            spi: 0x6100, destination: Net.router, lifetime: SALifetime(hardBytes: UInt64(packet.count * 2))))
        p.drain()
        for seq: UInt32 in 1...3 {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x6100, sequence: seq, inner: Net.inner()))
            p.drain()
        }
        #expect(p.statistics.totals()[.decapsulated] == 2)
        #expect(p.statistics.totals().featureDrops == [18: 1])
        p.expectConservation()
    }

    @Test("trailer checks: bad padding 23, next header 65, inner version 89, dummy 59 consumed")
    func trailerChecks() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x7000, destination: Net.router))
        p.drain()
        let inner = Net.inner()  // 46 bytes: pad 0
        var seq: UInt32 = 0
        func send(_ trailer: [UInt8]?, inner i: [UInt8] = inner) {
            seq += 1
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x7000, sequence: seq, inner: i, trailer: trailer))
        }
        send([9, 9, 2, 4])        // padding not 1, 2
        send([200, 4])            // pad length beyond payload
        send([47])                // payload too short for a trailer? no: 1 byte trailer -> pad len 47 -> 23
        send([1, 2, 2, 17])       // next header 17 in tunnel mode -> 65
        send([1, 2, 2, 41])       // says IPv6, inner is IPv4 -> 89
        send([1, 2, 2, 59])       // dummy packet
        send(nil)                 // good
        p.drain()
        let t = p.statistics.totals()
        #expect(t.featureDrops == [23: 3, 65: 1, 89: 1])
        #expect(t[.consumed] == 1)
        #expect(t[.decapsulated] == 1)
        p.expectConservation()
    }

    @Test("an ESP-in-UDP SA rejects plain ESP and the reverse (63 IN_NAT_DEMUX_FAIL)")
    func encapsulationMismatch() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x7100, destination: Net.router, encapsulation: .udp))
        try p.control.installInbound(InboundSAConfig(spi: 0x7200, destination: Net.router))
        p.drain()
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x7100, sequence: 1, inner: Net.inner()))
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x7200, sequence: 1, inner: Net.inner(), udp: true))
        p.drain()
        #expect(p.statistics.totals().featureDrops == [63: 2])
        p.expectConservation()
    }

    @Test("IKE is punted whole, NAT keepalives consumed, neither counted as a drop")
    func ikeAndKeepalive() throws {
        let p = try makePipeline()
        p.inject(PacketBuilder.ike(source: Net.peer, destination: Net.router), inputInterface: 2)
        p.inject(PacketBuilder.ike(source: Net.peer, destination: Net.router, natTraversal: true))
        p.inject(PacketBuilder.natKeepalive(source: Net.peer, destination: Net.router))
        p.drain()
        let frames = p.control.drainFrames()
        #expect(frames.count == 2)
        #expect(frames.map(\.packet).contains(PacketBuilder.ike(source: Net.peer, destination: Net.router)))
        let t = p.statistics.totals()
        #expect(t[.punted] == 2 && t[.consumed] == 1 && t.totalDropped == 0)
        p.expectConservation()
    }

    @Test("malformed, truncated and fragmented packets are counted under named causes")
    func malformedInput() throws {
        let p = try makePipeline()
        let good = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x8000, sequence: 1, inner: Net.inner())
        p.inject(Array(good.prefix(10)))                               // truncated IPv4 header
        var badVersion = good; badVersion[0] = 0x55; p.inject(badVersion)
        var badIHL = good; badIHL[0] = 0x44; p.inject(badIHL)
        var longTotal = good; longTotal[3] &+= 40; p.inject(longTotal) // total length beyond the data
        p.inject([])                                                   // empty
        p.inject(PacketBuilder.fragmentIPv4(good))                     // ESP fragment
        let runt = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 50, payload: [1, 2, 3, 4, 5])
        p.inject(runt)                                                 // ESP shorter than SPI + seq
        var udpBad = PacketBuilder.natKeepalive(source: Net.peer, destination: Net.router)
        udpBad[25] = 200; p.inject(udpBad)                             // UDP length beyond datagram
        p.drain()
        let t = p.statistics.totals()
        #expect(t.globalDrops == ["IpFormatErr": 6, "IpFragErr": 1, "IpsecInput": 1])
        #expect(t.featureDrops == [70: 1, 23: 1])
        p.expectConservation()
    }

    @Test("IPv4 options are skipped to reach ESP")
    func ipv4Options() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x8100, destination: Net.router))
        p.drain()
        var packet = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x8100, sequence: 1, inner: Net.inner())
        packet.insert(contentsOf: [1, 1, 1, 0], at: 20)   // NOP NOP NOP EOL
        packet[0] = 0x46
        let total = packet.count
        packet[2] = UInt8(total >> 8); packet[3] = UInt8(truncatingIfNeeded: total)
        packet.withUnsafeMutableBytes { IPv4Header.updateChecksum($0.baseAddress!) }
        p.inject(packet)
        p.drain()
        #expect(p.transmittedPackets() == [Net.inner()])
        p.expectConservation()
    }
}
