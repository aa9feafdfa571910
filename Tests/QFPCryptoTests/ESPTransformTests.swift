import QFPCrypto
@testable import QFPDataplane
import QFPGenerator
import Testing

/// Addresses (documentation ranges, RFC 5737).
enum Net {
    static let router = IPAddress("192.0.2.1")!
    static let peer = IPAddress("198.51.100.7")!
    static let insideHost = IPAddress("10.1.1.10")!
    static let remoteHost = IPAddress("10.2.2.20")!
    static let insideNet = IPPrefix("10.1.0.0/16")!
    static let protectedNet = IPPrefix("10.2.0.0/16")!
}

/// Bytes from a hex string (test data only).
func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return out
}

/// The providers every crypto test runs against: BoringSSL always, intel-ipsec-mb when its
/// library loads. When it does not, `IPsecMBProviderTests`' "ipsec-mb cases run" shows as
/// skipped with the reason, and "installed means loaded" fails if the library is on disk but
/// does not load, so the ipsec-mb cases are never dropped silently.
let testedProviders: [CryptoProviderChoice] = IPsecMBProvider.isAvailable ? [.boringSSL, .ipsecMB] : [.boringSSL]

/// A manual pipeline with transmit rings (and drop capture) and `provider`'s crypto.
func makeCryptoPipeline(_ provider: CryptoProviderChoice = .boringSSL) throws -> ManualPipeline {
    var c = ManualPipeline.smallConfiguration
    c.transmitRings = true
    c.dropCaptureRingSlots = 64
    let p = try ManualPipeline(c)
    p.control.setCryptoProvider(try provider.select().provider)
    return p
}

extension ManualPipeline {
    func transmittedPackets() -> [[UInt8]] { (0..<workers.count).flatMap { takeTransmitted(worker: $0) } }

    /// Offered = accounted for, and every buffer back in the source pool.
    func expectConservation(sourceLocation: SourceLocation = #_sourceLocation) {
        drain()
        _ = transmittedPackets()
        drain()
        let t = statistics.totals()
        #expect(t[.offered] == t.accountedFor, sourceLocation: sourceLocation)
        #expect(freeSourceBuffers == source.pool.count, "buffers leaked", sourceLocation: sourceLocation)
    }

    /// Feature drops by Cisco number (only non-zero).
    var featureDrops: [UInt8: UInt64] {
        let t = statistics.totals()
        var d: [UInt8: UInt64] = [:]
        for f in IPsecDatapathDrop.allCases where t.packets(f) > 0 { d[f.rawValue] = t.packets(f) }
        return d
    }
}

/// Keys of the right lengths for `transform` (distinct bytes).
func testKeys(_ transform: ESPTransform) -> ESPKeys {
    ESPKeys(cipher: (0..<transform.cipherKeyLength).map { UInt8(truncatingIfNeeded: 0x51 &* $0 &+ 3) },
            authenticator: (0..<transform.authenticatorKeyLength).map { UInt8(truncatingIfNeeded: 0x37 &* $0 &+ 9) })
}

let cryptoTransforms = ESPTransform.allCases.filter { $0 != .null }

@Suite("ESP transforms (BoringSSL and intel-ipsec-mb)")
struct ESPTransformTests {
    func vectorPacket(_ esp: [UInt8]) -> [UInt8] {
        PacketBuilder.ip(source: Net.peer, destination: Net.router, protocolNumber: IPv4Header.protocolNumberESP, payload: esp)
    }

    @Test("known-answer vectors (pyca/cryptography) decrypt to the inner datagram", arguments: testedProviders, ESPVectors.all.indices)
    func knownAnswerInbound(_ provider: CryptoProviderChoice, _ index: Int) throws {
        let (transform, cipher, authenticator, esp) = ESPVectors.all[index]
        let p = try makeCryptoPipeline(provider)
        let sa = try p.control.installInbound(InboundSAConfig(
            spi: ESPVectors.spi, destination: Net.router, transform: transform,
            keys: ESPKeys(cipher: cipher, authenticator: authenticator)))
        p.drain()
        #expect(p.inject(vectorPacket(esp)))
        p.drain()
        #expect(p.transmittedPackets() == [ESPVectors.inner], "\(transform)")
        #expect(p.featureDrops == [:])
        #expect(p.control.counters(sa)?[.decapsulatedPackets] == 1)
        p.expectConservation()
    }

    @Test("sealing matches the known answers: GCM exactly, CBC by its ICV and decryption", arguments: testedProviders, ESPVectors.all.indices)
    func knownAnswerSeal(_ provider: CryptoProviderChoice, _ index: Int) throws {
        let (transform, cipher, authenticator, expected) = ESPVectors.all[index]
        let keys = ESPKeys(cipher: cipher, authenticator: authenticator)
        let built = try PacketBuilder.protectedESP(
            source: Net.peer, destination: Net.router, spi: ESPVectors.spi, sequence: ESPVectors.sequence,
            inner: ESPVectors.inner, transform: transform, keys: keys)
        let esp = Array(built[IPv4Header.minimumLength...])
        #expect(esp.count == expected.count)
        // The builder seals with BoringSSL (a peer); now the provider under test opens that
        // packet and seals the plaintext again, in place.
        let crypto = try provider.select().provider
        let context = try crypto.makeContext(transform: transform, keys: keys)
        defer { crypto.releaseContext(context) }
        let payloadStart = ESPHeader.length + transform.ivLength
        let icvStart = esp.count - transform.icvLength
        var resealed = esp
        resealed.withUnsafeMutableBytes { raw in
            let packet = raw.baseAddress!
            #expect(context.verify(packet: packet, espStart: 0, end: esp.count))
            #expect(context.decrypt(packet: packet, payloadStart: payloadStart, payloadEnd: icvStart))
            #expect(Array(raw[payloadStart ..< payloadStart + ESPVectors.inner.count]) == ESPVectors.inner)
            context.seal(packet: packet, espStart: 0, payloadStart: payloadStart, icvStart: icvStart)
        }
        if transform.isAEAD {
            #expect(esp == expected, "\(transform)")
            #expect(resealed == expected, "\(transform) sealed by \(provider)")
        } else {
            // Random IV: a different ciphertext, which still decrypts and authenticates.
            #expect(esp[8 ..< 24] != expected[8 ..< 24])
            #expect(resealed[8 ..< 24] != expected[8 ..< 24])
            let p = try makeCryptoPipeline(provider)
            // Both packets carry sequence number 10: anti-replay off for the second.
            try p.control.installInbound(InboundSAConfig(spi: ESPVectors.spi, destination: Net.router, transform: transform,
                                                         replay: .disabled, keys: keys))
            p.drain()
            p.inject(built)
            p.inject(Array(built[..<IPv4Header.minimumLength]) + resealed)
            p.drain()
            #expect(p.transmittedPackets() == [ESPVectors.inner, ESPVectors.inner])
        }
    }

    @Test("outbound then inbound through two pipelines, every transform, tunnel/UDP/transport", arguments: testedProviders, cryptoTransforms)
    func roundTrip(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        let keys = testKeys(transform)
        for (mode, udp) in [(IPsecMode.tunnel, false), (.tunnel, true), (.transport, false)] {
            let sender = try makeCryptoPipeline(provider)
            try sender.control.installPolicies([SecurityPolicy(source: Net.insideNet, destination: Net.protectedNet, action: .protect(binding: 1))])
            let out = try sender.control.installOutbound(OutboundSAConfig(
                spi: 0xC0DE, mode: mode, transform: transform, encapsulation: udp ? .udp : .esp,
                tunnelSource: Net.peer, tunnelDestination: Net.router, keys: keys))
            try sender.control.bind(1, to: out)
            sender.drain()
            let originals = (0..<5).map {
                PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost, destinationPort: 1000 + UInt16($0),
                                    payloadLength: 1 + 37 * $0)
            }
            for o in originals { sender.inject(o) }
            sender.drain()
            let sent = sender.transmittedPackets()
            #expect(sent.count == 5)
            // The clear payload (runs of 0xAB) is not visible.
            let run = [UInt8](repeating: 0xAB, count: 8)
            for s in sent { #expect(!s.indices.dropLast(7).contains { Array(s[$0 ..< $0 + 8]) == run }, "\(transform) leaks clear text") }

            let receiver = try makeCryptoPipeline(provider)
            let destination = mode == .tunnel ? Net.router : Net.remoteHost
            let sa = try receiver.control.installInbound(InboundSAConfig(
                spi: 0xC0DE, destination: destination, mode: mode, transform: transform,
                encapsulation: udp ? .udp : .esp, keys: keys))
            receiver.drain()
            for s in sent { receiver.inject(s) }
            receiver.drain()
            let received = receiver.transmittedPackets()
            #expect(Set(received) == Set(originals), "\(transform) \(mode) udp=\(udp)")
            #expect(receiver.featureDrops == [:])
            #expect(receiver.control.counters(sa)?[.decapsulatedPackets] == 5)
            sender.expectConservation()
            receiver.expectConservation()
        }
    }

    @Test("a flipped bit in IV, ciphertext or ICV is drop 62; the sequence number stays usable; no plaintext left in the dropped packet",
          arguments: testedProviders, cryptoTransforms)
    func integrityFailure(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        let keys = testKeys(transform)
        let p = try makeCryptoPipeline(provider)
        try p.control.setDropCapture(true)
        let sa = try p.control.installInbound(InboundSAConfig(spi: 0x4000, destination: Net.router, transform: transform, keys: keys))
        p.drain()
        let inner = PacketBuilder.clear(source: Net.remoteHost, destination: Net.insideHost, payloadLength: 40)
        let good = try PacketBuilder.protectedESP(source: Net.peer, destination: Net.router, spi: 0x4000, sequence: 7,
                                                  inner: inner, transform: transform, keys: keys)
        let ivAt = 20 + 8, cipherAt = ivAt + transform.ivLength + 3, icvAt = good.count - 1
        for at in [ivAt, cipherAt, icvAt] {
            var bad = good
            bad[at] ^= 0x10
            p.inject(bad)
        }
        // Sequence number field: authenticated too (GCM's AAD, the HMAC's input).
        var badSequence = good
        badSequence[20 + 7] ^= 0x01
        p.inject(badSequence)
        p.drain()
        #expect(p.transmittedPackets().isEmpty)
        #expect(p.featureDrops == [62: 4])
        // The dropped packets as the workers captured them: intel-ipsec-mb and the CBC
        // transforms leave every byte as it arrived; BoringSSL's GCM open zeroes the
        // ciphertext on failure. Neither leaves the inner datagram in the buffer.
        var dropped: [DroppedFrame] = []
        p.control.drainDroppedFrames(into: &dropped)
        #expect(dropped.count == 4)
        for frame in dropped {
            let bytes = (0 ..< Int(frame.capturedLength)).map { frame.bytes[$0] }
            #expect(bytes.count == good.count)
            let start = 20 + 8 + transform.ivLength
            #expect(!bytes.indices.dropLast(inner.count - 1).contains { Array(bytes[$0 ..< $0 + inner.count]) == inner },
                    "\(provider) \(transform): plaintext in a dropped packet")
            if provider == .ipsecMB || !transform.isAEAD {
                #expect(bytes.enumerated().filter { $0.element != good[$0.offset] }.count == 1,
                        "\(provider) \(transform): the dropped packet differs from what was sent in more than the flipped bit")
            } else {
                #expect(bytes[start ..< good.count - 16].allSatisfy { $0 == 0 })
            }
        }
        #expect(p.control.counters(sa)?[.integrityFailures] == 4)
        // The integrity failures were punted for %CRYPTO-4-RECVD_PKT_MAC_ERR.
        #expect(p.control.drainPunts().filter { $0.kind == .integrityFailure }.count >= 1)
        // Sequence 7 (and the forged 6) were not consumed: the genuine packet is accepted.
        p.inject(good)
        p.drain()
        #expect(p.transmittedPackets() == [inner])
        #expect(p.control.counters(sa)?[.decapsulatedPackets] == 1)
        // Now it is: a replay is a replay (19), not an integrity failure.
        p.inject(good)
        p.drain()
        #expect(p.featureDrops == [62: 4, 19: 1])
        p.expectConservation()
    }

    @Test("bad padding is drop 23, a wrong next header drop 65 (after decryption)", arguments: testedProviders, cryptoTransforms)
    func trailerErrors(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        let keys = testKeys(transform)
        let p = try makeCryptoPipeline(provider)
        let sa = try p.control.installInbound(InboundSAConfig(spi: 0x5000, destination: Net.router, transform: transform, keys: keys))
        p.drain()
        let block = transform.blockSize
        // 48 bytes of inner datagram: 2 bytes of padding for GCM (block 4), 14 for CBC (block 16).
        let inner = PacketBuilder.clear(source: Net.remoteHost, destination: Net.insideHost, payloadLength: 20)
        let pad = (block - (inner.count + 2) % block) % block
        #expect(pad >= 2)
        let wrongPad = (0..<pad).map { UInt8($0 + 1) ^ ($0 == 1 ? 0xFF : 0) } + [UInt8(pad), 4]
        let padTooLong = (0..<pad).map { UInt8($0 + 1) } + [UInt8(inner.count + pad + 1), 4]
        let wrongNext = (0..<pad).map { UInt8($0 + 1) } + [UInt8(pad), 17]
        for (sequence, trailer) in [(1, wrongPad), (2, padTooLong), (3, wrongNext)] {
            p.inject(try PacketBuilder.protectedESP(source: Net.peer, destination: Net.router, spi: 0x5000,
                                                    sequence: UInt32(sequence), inner: inner, transform: transform,
                                                    keys: keys, trailer: trailer))
        }
        p.drain()
        #expect(p.featureDrops == [23: 2, 65: 1], "\(transform)")
        #expect(p.control.counters(sa)?[.paddingErrors] == 2)
        #expect(p.control.counters(sa)?[.nextHeaderErrors] == 1)
        #expect(p.control.counters(sa)?[.integrityFailures] == 0)
        p.expectConservation()
    }

    @Test("key lengths are checked at install, naming the SPI and the transform", arguments: testedProviders)
    func keyValidation(_ provider: CryptoProviderChoice) throws {
        let p = try makeCryptoPipeline(provider)
        #expect(throws: DataplaneError.invalidSA("SPI 0x1234(4660): esp-gcm 128: cipher key (AES key + 4-byte salt) is 16 bytes, needs 20")) {
            try p.control.installInbound(InboundSAConfig(spi: 0x1234, destination: Net.router, transform: .aesGCM128,
                                                         keys: ESPKeys(cipher: Array(repeating: 1, count: 16))))
        }
        #expect(throws: DataplaneError.invalidSA("SPI 0x1234(4660): esp-aes 256 esp-sha256-hmac: authenticator key is 20 bytes, needs 32")) {
            try p.control.installOutbound(OutboundSAConfig(
                spi: 0x1234, transform: .aesCBC256SHA256, tunnelSource: Net.router, tunnelDestination: Net.peer,
                keys: ESPKeys(cipher: Array(repeating: 1, count: 32), authenticator: Array(repeating: 2, count: 20))))
        }
        let bare = try ManualPipeline()
        #expect(throws: DataplaneError.self) {
            try bare.control.installInbound(InboundSAConfig(spi: 0x1234, destination: Net.router, transform: .aesGCM256,
                                                            keys: testKeys(.aesGCM256)))
        }
        // A failed install leaves the slot free: the same SPI installs afterwards.
        try p.control.installInbound(InboundSAConfig(spi: 0x1234, destination: Net.router, transform: .aesGCM128,
                                                     keys: testKeys(.aesGCM128)))
    }

    @Test("deleted SAs' contexts are released once the worker acknowledged; slots are reused", arguments: testedProviders)
    func contextReclamation(_ provider: CryptoProviderChoice) throws {
        let p = try makeCryptoPipeline(provider)
        for round in 0..<3 {
            let sa = try p.control.installInbound(InboundSAConfig(spi: 0x6000, destination: Net.router, transform: .aesGCM128,
                                                                  keys: testKeys(.aesGCM128)))
            let out = try p.control.installOutbound(OutboundSAConfig(spi: 0x6001, transform: .aesCBC128SHA1,
                                                                     tunnelSource: Net.router, tunnelDestination: Net.peer,
                                                                     keys: testKeys(.aesCBC128SHA1)))
            p.drain()
            p.inject(try PacketBuilder.protectedESP(source: Net.peer, destination: Net.router, spi: 0x6000, sequence: 1,
                                                    inner: PacketBuilder.clear(source: Net.remoteHost, destination: Net.insideHost),
                                                    transform: .aesGCM128, keys: testKeys(.aesGCM128)))
            p.drain()
            #expect(p.transmittedPackets().count == 1, "round \(round)")
            try p.control.deleteInbound(sa)
            try p.control.deleteOutbound(out)
            p.drain()
            p.control.reclaim()
        }
    }
}
