import Dispatch
import QFPCrypto
import QFPDataplane
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The intel-ipsec-mb provider against BoringSSL: seal with one, open with the other, every
/// transform and sizes 0...1500; what a bad ICV leaves in the packet; one context on many
/// threads; how the provider is chosen.
@Suite("intel-ipsec-mb provider")
struct IPsecMBProviderTests {
    /// Where Debian and Ubuntu (amd64) put the library.
    static let libraryPaths = ["/usr/lib/x86_64-linux-gnu/libIPSec_MB.so.1", "/usr/lib/libIPSec_MB.so.1", "/usr/local/lib/libIPSec_MB.so.1"]
    static var libraryInstalled: Bool { libraryPaths.contains { access($0, F_OK) == 0 } }

    @Test("ipsec-mb cases run", .disabled(if: !IPsecMBProvider.isAvailable,
                                          "intel-ipsec-mb (libIPSec_MB.so.1, apt-get install libipsec-mb-dev) is not loaded: every ipsec-mb case of QFPCryptoTests is skipped"))
    func casesRun() throws {
        #expect(testedProviders == [.boringSSL, .ipsecMB])
        let selected = try CryptoProviderChoice.ipsecMB.select()
        #expect(["ipsec-mb (avx512)", "ipsec-mb (avx2)", "ipsec-mb (avx)", "ipsec-mb (sse)"].contains(selected.name))
        #expect(selected.provider is IPsecMBProvider)
        // auto takes it when it loads.
        let auto = try CryptoProviderChoice.auto.select()
        #expect(auto.name == selected.name && auto.provider is IPsecMBProvider)
        #expect(CryptoProviderChoice.automatic.provider is IPsecMBProvider)
        #expect(IPsecMBProvider.version.split(separator: ".").count == 3)
    }

    @Test("installed means loaded; not loaded, forcing ipsec-mb is an error naming the library and the package, and auto is BoringSSL")
    func installedMeansLoaded() throws {
        if Self.libraryInstalled {
            #expect(IPsecMBProvider.isAvailable, "libIPSec_MB.so.1 is installed but did not load: \(IPsecMBProvider.unavailableReason)")
        }
        if !IPsecMBProvider.isAvailable {
            #expect(throws: CryptoProviderError.self) { try CryptoProviderChoice.ipsecMB.select() }
            do {
                _ = try CryptoProviderChoice.ipsecMB.select()
            } catch {
                #expect(error.description.contains("libipsec-mb-dev"))
                #expect(error.description.contains("ipsec-mb"))
            }
            #expect(try CryptoProviderChoice.auto.select().name == "boringssl")
        }
        #expect(try CryptoProviderChoice.boringSSL.select().name == "boringssl")
        #expect(try CryptoProviderChoice.boringSSL.select().provider is SwiftCryptoProvider)
        #expect(CryptoProviderChoice(rawValue: "ipsec-mb") == .ipsecMB && CryptoProviderChoice(rawValue: "openssl") == nil)
    }

    /// Payload sizes: every edge around the AES and GHASH blocks, and a sweep.
    static let sizes = Array(Set([0, 1, 2, 3, 4, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129, 255, 256, 257,
                                  511, 512, 513, 1023, 1024, 1025, 1399, 1499, 1500] + Array(stride(from: 5, through: 1500, by: 97)))).sorted()

    /// An ESP packet (no IP header) in a 2 KiB buffer: SPI, `sequence`, room for the IV,
    /// `length` bytes of plaintext (rounded up to 16 for CBC; at least one block), the ICV.
    struct Layout {
        let payloadStart: Int, icvStart: Int, end: Int
        init(_ transform: ESPTransform, _ size: Int) {
            let length = transform.isAEAD ? size : max((size + 15) & ~15, 16)
            payloadStart = ESPHeader.length + transform.ivLength
            icvStart = payloadStart + length
            end = icvStart + transform.icvLength
        }
    }

    func plaintext(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed &* 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            return UInt8(truncatingIfNeeded: z ^ (z >> 27))
        }
    }

    /// Seals `plain` with `context` and returns the ESP bytes.
    func seal(_ context: ESPCryptoContext, _ transform: ESPTransform, _ plain: [UInt8], sequence: UInt32) -> [UInt8] {
        let l = Layout(transform, plain.count)
        var packet = [UInt8](repeating: 0, count: l.end)
        packet.withUnsafeMutableBytes { raw in
            ESPHeader.write(to: raw.baseAddress!, spi: 0x1234_5678, sequenceNumber: sequence)
            for (i, b) in plain.enumerated() { raw[l.payloadStart + i] = b }
            context.seal(packet: raw.baseAddress!, espStart: 0, payloadStart: l.payloadStart, icvStart: l.icvStart)
        }
        return packet
    }

    /// Verifies and decrypts `packet` with `context`: the plaintext, or nil when refused.
    func open(_ context: ESPCryptoContext, _ transform: ESPTransform, _ packet: [UInt8], size: Int) -> [UInt8]? {
        let l = Layout(transform, size)
        var p = packet
        return p.withUnsafeMutableBytes { raw -> [UInt8]? in
            guard context.verify(packet: raw.baseAddress!, espStart: 0, end: l.end),
                  context.decrypt(packet: raw.baseAddress!, payloadStart: l.payloadStart, payloadEnd: l.icvStart) else { return nil }
            return Array(raw[l.payloadStart ..< l.payloadStart + size])
        }
    }

    @Test("seal with one provider, open with the other: every transform, sizes 0...1500; GCM output byte-identical",
          arguments: cryptoTransforms)
    func crossProviders(_ transform: ESPTransform) throws {
        let keys = testKeys(transform)
        let providers = try testedProviders.map { try $0.select().provider }
        let contexts = try providers.map { try $0.makeContext(transform: transform, keys: keys) }
        defer { for (p, c) in zip(providers, contexts) { p.releaseContext(c) } }
        for size in Self.sizes {
            let plain = plaintext(size, seed: UInt64(size))
            let sequence = UInt32(size + 1)
            let sealed = contexts.map { seal($0, transform, plain, sequence: sequence) }
            for (i, packet) in sealed.enumerated() {
                // No clear text on the wire (runs of 16 plaintext bytes).
                if size >= 16 {
                    #expect(!(0 ... packet.count - 16).contains { Array(packet[$0 ..< $0 + 16]) == Array(plain[0 ..< 16]) },
                            "\(testedProviders[i]) \(transform) \(size) B leaks clear text")
                }
                for (j, opener) in contexts.enumerated() {
                    #expect(open(opener, transform, packet, size: size) == plain,
                            "\(transform) \(size) B: sealed by \(testedProviders[i]), opened by \(testedProviders[j])")
                }
            }
            if transform.isAEAD, let first = sealed.first {
                #expect(sealed.allSatisfy { $0 == first }, "\(transform) \(size) B: providers seal differently")
            }
        }
    }

    @Test("a bad ICV (any flipped bit: header, IV, ciphertext, ICV) is refused and leaves every byte as it was",
          arguments: testedProviders.filter { $0 == .ipsecMB } + [.boringSSL], cryptoTransforms)
    func badICVLeavesPacket(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        // BoringSSL's GCM open zeroes the ciphertext on failure (no plaintext, but not the
        // arrival bytes either); intel-ipsec-mb's restores it; CBC verify never writes.
        if provider == .boringSSL && transform.isAEAD { return }
        let crypto = try provider.select().provider
        let context = try crypto.makeContext(transform: transform, keys: testKeys(transform))
        defer { crypto.releaseContext(context) }
        for size in [0, 1, 16, 61, 64, 1500] where !(size == 0 && !transform.isAEAD) {
            let l = Layout(transform, size)
            let good = seal(context, transform, plaintext(size, seed: 7), sequence: 9)
            for at in [0, 5, ESPHeader.length, l.payloadStart, l.icvStart - 1, l.icvStart, l.end - 1] where at < l.end && (at < l.payloadStart || at >= l.icvStart || size > 0) {
                var bad = good
                bad[at] ^= 0x40
                let sent = bad
                let accepted = bad.withUnsafeMutableBytes { context.verify(packet: $0.baseAddress!, espStart: 0, end: l.end) }
                #expect(!accepted, "\(provider) \(transform) \(size) B: flipped byte \(at) accepted")
                #expect(bad == sent, "\(provider) \(transform) \(size) B: flipped byte \(at) changed the packet")
            }
        }
    }

    @Test("one context, four threads sealing and opening at once: every packet opens to its own plaintext",
          arguments: testedProviders, [ESPTransform.aesGCM128, .aesGCM256, .aesCBC128SHA1])
    func sharedContext(_ provider: CryptoProviderChoice, _ transform: ESPTransform) throws {
        let crypto = try provider.select().provider
        let context = try crypto.makeContext(transform: transform, keys: testKeys(transform))
        defer { crypto.releaseContext(context) }
        let failures = UnsafeMutablePointer<Int>.allocate(capacity: 4)
        defer { failures.deallocate() }
        failures.initialize(repeating: 0, count: 4)
        let failuresAddress = UInt(bitPattern: failures)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var bad = 0
            for i in 0..<500 {
                let size = (i * 37 + thread * 11) % 1500
                let plain = plaintext(size, seed: UInt64(thread * 1000 + i))
                let packet = seal(context, transform, plain, sequence: UInt32(thread * 1000 + i + 1))
                if open(context, transform, packet, size: size) != plain { bad += 1 }
            }
            UnsafeMutablePointer<Int>(bitPattern: failuresAddress)![thread] = bad
        }
        #expect((0..<4).map { failures[$0] } == [0, 0, 0, 0])
    }
}
