import QFPDataplane
import QFPGenerator
import Testing

@Suite("Header views and classifier")
struct HeaderTests {
    func classify(_ bytes: [UInt8]) -> PacketClassification {
        bytes.withUnsafeBytes { raw in
            PacketClassifier.classify(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, length: raw.count)
        }
    }

    @Test("IPv4 validation names each defect")
    func ipv4Validation() {
        let good = PacketBuilder.clear(source: Net.peer, destination: Net.router)
        func check(_ b: [UInt8]) -> IPv4Header.Check { b.withUnsafeBytes { IPv4Header.validate($0.baseAddress!, available: $0.count) } }
        #expect(check(good) == .valid)
        #expect(check(Array(good.prefix(19))) == .truncated)
        var v = good; v[0] = 0x65; #expect(check(v) == .badVersion)
        var ihl = good; ihl[0] = 0x43; #expect(check(ihl) == .badHeaderLength)
        var short = good; short[2] = 0; short[3] = 10; #expect(check(short) == .badTotalLength)
        var long = good; long[3] &+= 1; #expect(check(long) == .truncated)
        good.withUnsafeBytes { raw in
            let h = IPv4Header(raw.baseAddress!)
            #expect(h.checksumIsValid)
            #expect(h.source == Net.peer && h.destination == Net.router && h.protocolNumber == 17)
            #expect(!h.isFragment && h.ttl == 64 && h.headerLength == 20 && h.totalLength == good.count)
        }
    }

    @Test("classifier: ESP, ESP-in-UDP, IKE (500, 4500 marker), keepalive, clear, runts")
    func kinds() {
        let esp = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0xDEAD_BEEF, sequence: 42, inner: Net.inner())
        var c = classify(esp)
        #expect(c.kind == .esp && c.spi == 0xDEAD_BEEF && c.sequenceNumber == 42 && c.espOffset == 20 && c.ipVersion == 4)
        c = classify(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 9999, sequence: 3, inner: Net.inner(), udp: true))
        #expect(c.kind == .espInUDP && c.spi == 9999 && c.espOffset == 28)
        #expect(classify(PacketBuilder.ike(source: Net.peer, destination: Net.router)).kind == .ike)
        #expect(classify(PacketBuilder.ike(source: Net.peer, destination: Net.router, natTraversal: true)).kind == .ike)
        #expect(classify(PacketBuilder.natKeepalive(source: Net.peer, destination: Net.router)).kind == .natKeepalive)
        let tcp = classify(PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost, protocolNumber: 6, sourcePort: 1234, destinationPort: 443))
        #expect(tcp.kind == .clear && tcp.sourcePort == 1234 && tcp.destinationPort == 443 && tcp.protocolNumber == 6)
        let runt = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 50, payload: [0, 0, 1])
        #expect(classify(runt).kind == .espRunt)
        let udpRunt = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 17,
                                       payload: PacketBuilder.udpDatagram(sourcePort: 4500, destinationPort: 4500, payload: [1, 2, 3, 4, 5]))
        #expect(classify(udpRunt).kind == .espRunt)
        let zeroPayload = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 17,
                                           payload: PacketBuilder.udpDatagram(sourcePort: 4500, destinationPort: 4500, payload: []))
        #expect(classify(zeroPayload).kind == .espRunt)
        let shortUDP = PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: 17, payload: [0x11, 0x94, 0x11])
        #expect(classify(shortUDP).kind == .malformed)
    }

    @Test("link padding after the IP datagram is ignored")
    func trailingBytes() {
        let esp = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x1234, sequence: 1, inner: Net.inner())
        let c = classify(esp + [0, 0, 0, 0, 0, 0])
        #expect(c.kind == .esp && Int(c.ipLength) == esp.count)
    }

    @Test("fragments: first and later ESP fragments, later UDP fragments are clear")
    func fragments() {
        let esp = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x1234, sequence: 1, inner: Net.inner())
        #expect(classify(PacketBuilder.fragmentIPv4(esp)).kind == .fragment)
        #expect(classify(PacketBuilder.fragmentIPv4(esp, offset8: 100)).kind == .fragment)
        let udp = PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost)
        #expect(classify(PacketBuilder.fragmentIPv4(udp, offset8: 3)).kind == .clear)
        let nat = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x1234, sequence: 1, inner: Net.inner(), udp: true)
        #expect(classify(PacketBuilder.fragmentIPv4(nat)).kind == .fragment)
    }

    @Test("IPv6 walks Hop-by-Hop, Routing, Fragment and Destination Options headers")
    func ipv6Walk() {
        let inner = Net.inner()
        let base = PacketBuilder.esp(source: Net.peer6, destination: Net.router6, spi: 0x6001, sequence: 5, inner: inner)
        func withExtensions(_ ext: [UInt8], first: UInt8) -> [UInt8] {
            var p = base
            p[6] = first
            p.insert(contentsOf: ext, at: 40)
            let length = p.count - 40
            p[4] = UInt8(length >> 8); p[5] = UInt8(truncatingIfNeeded: length)
            return p
        }
        let chain: [UInt8] = [43, 0, 0, 0, 0, 0, 0, 0] + [60, 0, 0, 0, 0, 0, 0, 0] + [50, 1] + Array(repeating: 0, count: 14)
        var c = classify(withExtensions(chain, first: 0))
        #expect(c.kind == .esp && c.spi == 0x6001 && c.espOffset == 40 + 32 && c.ipVersion == 6)
        let fragment: [UInt8] = [50, 0, 0, 1, 0, 0, 0, 1]
        c = classify(withExtensions(fragment, first: 44))
        #expect(c.kind == .fragment)
        // An extension header that runs past the packet.
        var broken = withExtensions([50, 200, 0, 0, 0, 0, 0, 0], first: 60)
        #expect(classify(broken).kind == .malformed)
        // Too long a chain.
        let loop = (0..<10).flatMap { _ in [60, 0, 0, 0, 0, 0, 0, 0] as [UInt8] }
        broken = withExtensions(loop, first: 60)
        #expect(classify(broken).kind == .malformed)
        // Payload length beyond the data, and zero (jumbogram).
        var long = base; long[5] &+= 8
        #expect(classify(long).kind == .malformed)
        var jumbo = base; jumbo[4] = 0; jumbo[5] = 0
        #expect(classify(jumbo).kind == .malformed)
    }

    @Test("random bytes never trap and always get a kind")
    func randomInput() {
        var rng = SplitMix64(seed: 0x5EED)
        var kinds = Set<UInt8>()
        for _ in 0..<100_000 {
            let length = Int(rng.next() % 96)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if length > 0 { bytes[0] = [0x45, 0x46, 0x4F, 0x60, 0x00][Int(rng.next() % 5)] }
            if length > 9, rng.next() % 2 == 0 { bytes[9] = [50, 17, 6][Int(rng.next() % 3)] }
            kinds.insert(classify(bytes).kind.rawValue)
        }
        #expect(kinds.contains(PacketKind.malformed.rawValue))
    }

    @Test("address text round-trips and prefixes mask")
    func addresses() {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("300.1.1.1") == nil && IPAddress("hello") == nil)
        let p = IPPrefix("10.2.3.4/16")!
        #expect(p.description == "10.2.0.0/16" && p.contains(IPAddress("10.2.200.1")!) && !p.contains(IPAddress("10.3.0.1")!))
        #expect(p.contains(IPAddress("::ffff:10.2.0.1")!))  // IPv4-mapped is IPv4
        #expect(IPPrefix("10.0.0.0/33") == nil)
        #expect(!IPPrefix.any(ipv4: true).contains(Net.router6))
    }
}

/// A small deterministic generator for tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
