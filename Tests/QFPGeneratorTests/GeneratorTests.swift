import QFPDataplane
import QFPGenerator
import Testing

@Suite("Packet building and traffic generation")
struct GeneratorTests {
    let router = IPAddress("192.0.2.1")!
    let peer = IPAddress("198.51.100.7")!

    func classify(_ b: [UInt8]) -> PacketClassification {
        b.withUnsafeBytes { PacketClassifier.classify($0.baseAddress!, length: $0.count) }
    }

    @Test("ESP of a given length (rounded down to the 4-byte ESP alignment), 64 to 1500")
    func espLengths() {
        for length in 64...1500 {
            let p = PacketBuilder.espOfLength(length, source: peer, destination: router, spi: 0x1234, sequence: 9)
            #expect(p.count == length & ~3, "length \(length)")
            let c = classify(p)
            #expect(c.kind == .esp && c.spi == 0x1234 && c.sequenceNumber == 9)
            p.withUnsafeBytes { #expect(IPv4Header($0.baseAddress!).checksumIsValid) }
        }
    }

    @Test("SPI sequences are distinct, never reserved, and disjoint across index ranges")
    func spiSequence() {
        let s = SPISequence(seed: 3)
        let (a, next) = s.spis(count: 200_000)
        let b = s.spis(count: 50_000, from: next).spis
        #expect(Set(a).count == a.count && a.allSatisfy { $0 >= 256 })
        #expect(Set(a).isDisjoint(with: b))
    }

    @Test("inbound traffic: per-SA sequence numbers count up, the unknown share is close to asked")
    func inboundTraffic() throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        let p = try ManualPipeline(c)
        let known: [UInt32] = [0x1000, 0x2000, 0x3000]
        var traffic = InboundESPTraffic(spis: known, unknownSPIs: [0x9999], unknownFraction: 0.25,
                                        length: 96, peer: peer, router: router, seed: 1)
        defer { traffic.deallocate() }
        var lastSequence: [UInt32: UInt32] = [:]
        var unknown = 0
        let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32)
        defer { handles.deallocate() }
        for _ in 0..<100 {
            let bytes: [[UInt8]] = p.withSource { source in
                let n = source.allocate(into: handles, maximum: 32)
                traffic.fill(source, handles, n, now: 7)
                let out = (0..<n).map { i -> [UInt8] in
                    let b = source.buffer(handles[i])
                    #expect(b.length == 96 && b.timestamp == 7)
                    return Array(UnsafeRawBufferPointer(start: b.data, count: b.length))
                }
                source.free(handles, count: n)
                return out
            }
            for packet in bytes {
                let c = classify(packet)
                if c.spi == 0x9999 { unknown += 1; continue }
                #expect(known.contains(c.spi))
                #expect(c.sequenceNumber == (lastSequence[c.spi] ?? 0) + 1)
                lastSequence[c.spi] = c.sequenceNumber
            }
        }
        #expect((600...1000).contains(unknown), "unknown \(unknown) of 3200")
    }

    @Test("outbound traffic: destinations from the list, valid IPv4 checksums")
    func outboundTraffic() throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        let p = try ManualPipeline(c)
        let destinations: [UInt32] = [0x0B00_0001, 0x0B00_0002]
        var traffic = OutboundClearTraffic(destinations: destinations, pendingDestinations: [0x0C00_0001],
                                           pendingFraction: 0.5, length: 64, source: IPAddress("10.1.1.1")!, seed: 2)
        defer { traffic.deallocate() }
        let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32)
        defer { handles.deallocate() }
        let seen: Set<UInt32> = p.withSource { source in
            let n = source.allocate(into: handles, maximum: 32)
            traffic.fill(source, handles, n, now: 0)
            var seen = Set<UInt32>()
            for i in 0..<n {
                let b = source.buffer(handles[i])
                let h = IPv4Header(b.data)
                #expect(h.checksumIsValid)
                seen.insert(h.destination.ipv4)
            }
            source.free(handles, count: n)
            return seen
        }
        #expect(seen.isSubset(of: Set(destinations + [0x0C00_0001])) && seen.count >= 2)
    }

    @Test("a short end-to-end run on real threads conserves every packet and counts the unknown SPIs")
    func throughputSmoke() throws {
        for generation in ThroughputWorkload.Generation.allCases {
            var w = ThroughputWorkload()
            w.workers = 2
            w.generation = generation
            w.securityAssociations = 2000
            w.seconds = 0.2
            w.warmupSeconds = 0.05
            let r = try ThroughputRun.run(w)
            #expect(r.conserved)
            #expect(r.counters[.offered] > 0 && r.mppsTotal > 0)
            #expect(r.counters.packets(.inUsV4PktSaNotFoundSpi) > 0)
            #expect(r.counters.totalDropped == r.counters.packets(.ipsecInput))
        }
        var out = ThroughputWorkload()
        out.direction = .outbound
        out.workers = 1
        out.securityAssociations = 500
        out.seconds = 0.2
        let r = try ThroughputRun.run(out)
        #expect(r.conserved && r.counters[.encapsulated] > 0 && r.counters.packets(.outV4PktHitIkeStartSp) > 0)
    }

    @Test("ring and lookup benchmarks report sane figures")
    func microbenchmarks() throws {
        let ring = try RingBenchmark.run(.handle, elements: 1 << 18)
        #expect(ring.inOrder && ring.medianNanosecondsPerElement > 0)
        let lookup = try LookupBenchmark.run(securityAssociations: 1000, lookups: 100_000)
        #expect(lookup.allFound && lookup.nanosecondsPerLookup > 0)
    }
}
