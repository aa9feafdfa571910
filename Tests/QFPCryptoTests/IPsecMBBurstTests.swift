@testable import QFPCrypto
import QFPDataplane
import Testing

/// The intel-ipsec-mb burst engine alone: packets sealed by either provider opened a burst at
/// a time, every CBC transform mixed in one call; forged packets refused and left as they
/// arrived; a good ICV over a partial block refused as a bad length; contexts of another kind
/// handed back; outbound byte-identical to BoringSSL's.
@Suite("intel-ipsec-mb burst engine (AES-CBC + HMAC)", .disabled(if: !IPsecMBProvider.isAvailable, "intel-ipsec-mb is not loaded"))
struct IPsecMBBurstTests {
    static let cbcTransforms: [ESPTransform] = [.aesCBC128SHA1, .aesCBC256SHA1, .aesCBC128SHA256, .aesCBC256SHA256]
    let helpers = IPsecMBProviderTests()

    /// Opens `packets` (ESP at offset 0) with one engine call; the verdicts, packets changed in place.
    func openBurst(_ engine: ESPCryptoBurst, _ contexts: [ESPCryptoContext], _ packets: inout [[UInt8]],
                   ends: [Int]) -> [ESPBurstVerdict] {
        let n = packets.count
        let buffers = packets.map { p -> UnsafeMutableRawPointer in
            let b = UnsafeMutableRawPointer.allocate(byteCount: max(p.count, 1), alignment: 16)
            b.copyMemory(from: p, byteCount: p.count)
            return b
        }
        defer { for b in buffers { b.deallocate() } }
        var verdicts = [UInt8](repeating: 0xEE, count: n)
        let bases = contexts.map(\.base)
        let starts = [Int](repeating: 0, count: n)
        engine.open(count: n, contexts: bases, packets: buffers, espStarts: starts, ends: ends, verdicts: &verdicts)
        for i in 0..<n { packets[i] = Array(UnsafeRawBufferPointer(start: buffers[i], count: packets[i].count)) }
        return verdicts.map { ESPBurstVerdict(rawValue: $0)! }
    }

    @Test("sealed by either provider, every CBC transform in one burst, sizes 1...1500: opened; forgeries refused unchanged")
    func opensBursts() throws {
        let ipsecMB = try IPsecMBProvider()
        let boring = SwiftCryptoProvider()
        let engine = try #require(ipsecMB.makeBurstEngine())
        defer { ipsecMB.releaseBurstEngine(engine) }
        #expect(Self.cbcTransforms.allSatisfy(engine.opens) && !engine.opens(.aesGCM128) && !engine.opens(.null))
        var contexts: [ESPCryptoContext] = [], packets: [[UInt8]] = [], ends: [Int] = [], plains: [[UInt8]] = []
        var forged: [Bool] = [], transforms: [ESPTransform] = []
        var sealers: [ESPCryptoContext] = []
        defer {
            for c in contexts { ipsecMB.releaseContext(c) }
            for c in sealers { boring.releaseContext(c) }
        }
        let openers = try Self.cbcTransforms.map { try ipsecMB.makeContext(transform: $0, keys: testKeys($0)) }
        contexts = openers
        let others = try Self.cbcTransforms.map { try boring.makeContext(transform: $0, keys: testKeys($0)) }
        sealers = others
        var burstContexts: [ESPCryptoContext] = []
        for (k, size) in Array(repeating: IPsecMBProviderTests.sizes, count: 4).joined().filter({ $0 > 0 }).enumerated() {
            let t = k % 4
            let transform = Self.cbcTransforms[t]
            let plain = helpers.plaintext(size, seed: UInt64(size))
            // Alternate the sealer: BoringSSL's context, then the ipsec-mb provider's.
            var packet = helpers.seal(k % 2 == 0 ? others[t] : openers[t], transform, plain, sequence: UInt32(k + 1))
            let bad = k % 5 == 2
            if bad { packet[(k * 7) % packet.count] ^= 0x04 }
            burstContexts.append(openers[t]); packets.append(packet); ends.append(packet.count)
            plains.append(plain); forged.append(bad); transforms.append(transform)
        }
        let sent = packets
        // Two calls: one of more than the engine's 128-job chunk, one of the rest.
        let split = min(130, packets.count)
        var first = Array(packets[..<split]), second = Array(packets[split...])
        let verdicts = openBurst(engine, Array(burstContexts[..<split]), &first, ends: Array(ends[..<split]))
            + openBurst(engine, Array(burstContexts[split...]), &second, ends: Array(ends[split...]))
        packets = first + second
        for i in packets.indices {
            let l = IPsecMBProviderTests.Layout(transforms[i], plains[i].count)
            if forged[i] {
                #expect(verdicts[i] == .integrityFailure, "\(transforms[i]) \(plains[i].count) B forged")
                #expect(packets[i] == sent[i], "\(transforms[i]) \(plains[i].count) B: forged packet changed")
            } else {
                #expect(verdicts[i] == .opened, "\(transforms[i]) \(plains[i].count) B")
                #expect(Array(packets[i][l.payloadStart ..< l.payloadStart + plains[i].count]) == plains[i])
            }
        }
        #expect(forged.contains(true) && forged.contains(false) && packets.count > 130)
    }

    @Test("a good ICV over a partial block is a bad length (not decrypted); a BoringSSL context is handed back per packet")
    func badLengthAndForeignContext() throws {
        let ipsecMB = try IPsecMBProvider()
        let engine = try #require(ipsecMB.makeBurstEngine())
        defer { ipsecMB.releaseBurstEngine(engine) }
        let transform = ESPTransform.aesCBC128SHA1
        let context = try ipsecMB.makeContext(transform: transform, keys: testKeys(transform))
        let foreign = try SwiftCryptoProvider().makeContext(transform: transform, keys: testKeys(transform))
        defer { ipsecMB.releaseContext(context); SwiftCryptoProvider().releaseContext(foreign) }
        // Header, IV, 20 bytes (not a whole block), then the right HMAC-SHA1-96 over them.
        var packet = [UInt8](repeating: 0x33, count: 8 + 16 + 20 + 12)
        packet.withUnsafeMutableBytes { raw in
            var mac = [UInt8](repeating: 0, count: 32)
            HMACSHA1.authenticate(context.base, raw.baseAddress!, 44, into: &mac)
            for i in 0..<12 { raw[44 + i] = mac[i] }
        }
        var packets = [packet, packet]
        let verdicts = openBurst(engine, [context, foreign], &packets, ends: [packet.count, packet.count])
        #expect(verdicts == [.badLength, .perPacket])
        #expect(packets == [packet, packet])
    }

    @Test("outbound: a packet sealed by the ipsec-mb provider's context is byte-identical to BoringSSL's under the same IV key",
          arguments: cbcTransformsArgument)
    func sealIdentical(_ transform: ESPTransform) throws {
        let ipsecMB = try IPsecMBProvider()
        let a = try ipsecMB.makeContext(transform: transform, keys: testKeys(transform))
        let b = try SwiftCryptoProvider().makeContext(transform: transform, keys: testKeys(transform))
        defer { ipsecMB.releaseContext(a); SwiftCryptoProvider().releaseContext(b) }
        // Fresh contexts draw different IV keys: different IVs, so different packets.
        let plain = helpers.plaintext(100, seed: 1)
        #expect(helpers.seal(a, transform, plain, sequence: 5) != helpers.seal(b, transform, plain, sequence: 5))
        let ivKey = (0..<16).map { UInt8($0 * 11) }
        AESCBCHMAC.setIVKey(a, ivKey)
        AESCBCHMAC.setIVKey(b, ivKey)
        for size in IPsecMBProviderTests.sizes {
            let p = helpers.plaintext(size, seed: UInt64(size))
            #expect(helpers.seal(a, transform, p, sequence: UInt32(size + 1)) == helpers.seal(b, transform, p, sequence: UInt32(size + 1)),
                    "\(transform) \(size) B")
        }
    }
}

let cbcTransformsArgument: [ESPTransform] = IPsecMBBurstTests.cbcTransforms
