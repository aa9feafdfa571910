import QFPCrypto
import QFPDataplane
import QFPGenerator
import Testing

/// Inbound ESP with several packets of one SA in one burst: the burst must give exactly what
/// the same packets give one burst each (RFC 4303 §3.4.3 order per packet). Guards any
/// restructuring of the inbound stages into per-burst loops (a batched ICV stage was tried and
/// measured slower for GCM; see docs/crypto.md).
@Suite("ESP inbound, several packets of one SA per burst: replay and ICV order")
struct BurstOrderTests {
    struct Outcome: Equatable {
        var transmitted: [[UInt8]]
        var featureDrops: [UInt8: UInt64]
        var decapsulated: UInt64?
        var integrityFailures: UInt64?
        var replayDuplicates: UInt64?
    }

    /// Runs `packets` through a fresh pipeline, all in one burst or one burst each.
    func outcome(_ packets: [[UInt8]], provider: CryptoProviderChoice, transform: ESPTransform, oneBurst: Bool) throws -> Outcome {
        let p = try makeCryptoPipeline(provider)
        let sa = try p.control.installInbound(InboundSAConfig(spi: 0x7000, destination: Net.router, transform: transform,
                                                              keys: testKeys(transform)))
        p.drain()
        if oneBurst {
            for packet in packets { #expect(p.inject(packet)) }
            #expect(p.step() == packets.count, "one burst")
            p.drain()
        } else {
            for packet in packets {
                p.inject(packet)
                p.drain()
            }
        }
        let c = p.control.counters(sa)
        let o = Outcome(transmitted: p.transmittedPackets(), featureDrops: p.featureDrops,
                        decapsulated: c?[.decapsulatedPackets], integrityFailures: c?[.integrityFailures],
                        replayDuplicates: c?[.replayDuplicates])
        p.expectConservation()
        return o
    }

    @Test("duplicates of earlier packets of the same burst are replays (19) whatever their ICV; a bad ICV does not consume its number",
          arguments: testedProviders, cryptoTransforms)
    func sameBurstReplays(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        let keys = testKeys(transform)
        func packet(_ sequence: UInt32, tampered: Bool = false) throws -> [UInt8] {
            let inner = PacketBuilder.clear(source: Net.remoteHost, destination: Net.insideHost,
                                            destinationPort: 2000 + UInt16(sequence), payloadLength: 40)
            var p = try PacketBuilder.protectedESP(source: Net.peer, destination: Net.router, spi: 0x7000, sequence: sequence,
                                                   inner: inner, transform: transform, keys: keys)
            if tampered { p[p.count - 1] ^= 0x01 }
            return p
        }
        let packets = [
            try packet(5),                  // decapsulated
            try packet(5),                  // duplicate of the first: 19
            try packet(5, tampered: true),  // duplicate with a bad ICV: still 19 (replay check first)
            try packet(6, tampered: true),  // bad ICV: 62, number 6 not consumed
            try packet(6),                  // decapsulated
            try packet(6),                  // duplicate: 19
            try packet(3),                  // fresh, left of 6 but inside the window: decapsulated
            try packet(3),                  // duplicate: 19
        ]
        let batched = try outcome(packets, provider: provider, transform: transform, oneBurst: true)
        #expect(batched.featureDrops == [19: 4, 62: 1], "\(transform)")
        #expect(batched.decapsulated == 3 && batched.integrityFailures == 1 && batched.replayDuplicates == 4)
        #expect(batched.transmitted.count == 3)
        // Exactly what the packets give one burst each, in the same order.
        let separate = try outcome(packets, provider: provider, transform: transform, oneBurst: false)
        #expect(batched == separate)
    }
}
