import QFPCrypto
@testable import QFPDataplane
import QFPGenerator
import Testing

@Suite("Sealed inbound traffic (the crypto benchmark's generator)")
struct SealedTrafficTests {
    @Test("two laps of the ring all decrypt and forward with anti-replay disabled; lengths as the benchmark reports them",
          arguments: testedProviders, [(ESPTransform.aesGCM128, 64), (.aesGCM128, 1500), (.aesCBC128SHA1, 64), (.aesCBC128SHA1, 1500)])
    func ringDecrypts(_ provider: CryptoProviderChoice, _ run: (transform: ESPTransform, size: Int)) throws {
        let (transform, size) = run
        let p = try makeCryptoPipeline(provider)
        let keys = testKeys(transform)
        let spis: [UInt32] = [0x2001, 0x2002, 0x2003]
        for spi in spis {
            try p.control.installInbound(InboundSAConfig(spi: spi, destination: Net.router, transform: transform,
                                                         replay: .disabled, keys: keys))
        }
        p.drain()
        var traffic = try InboundSealedTraffic(spis: spis, transform: transform, keys: keys, payloadLength: size,
                                               ringPackets: 16, peer: Net.peer, router: Net.router)
        defer { traffic.deallocate() }
        let encrypted = InboundSealedTraffic.encryptedLength(size, transform: transform)
        #expect(encrypted % transform.blockSize == 0 && encrypted >= size && encrypted < size + transform.blockSize)
        #expect(traffic.length == encrypted + InboundSealedTraffic.overhead(transform))
        var w = ThroughputWorkload()
        w.transform = transform
        w.packetLength = size
        #expect(w.ipPacketLength == traffic.length)
        let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 8)
        defer { handles.deallocate() }
        for _ in 0..<4 {
            p.withSource { source in
                let n = source.allocate(into: handles, maximum: 8)
                traffic.fill(source, handles, n, now: 0)
                source.send(handles, count: n)
            }
            p.drain()
        }
        _ = p.transmittedPackets()
        let t = p.statistics.totals()
        #expect(t[.offered] == 32)
        #expect(t[.forwarded] == 32, "drops: \(p.featureDrops)")
        p.expectConservation()
    }
}
