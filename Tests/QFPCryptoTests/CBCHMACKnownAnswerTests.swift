@testable import QFPCrypto
import QFPDataplane
import Testing

/// AES-CBC (RFC 3602, NIST SP 800-38A) and HMAC (RFC 2202, RFC 4231) known answers through a
/// CBC context's own functions (`verify`, `decrypt`, `seal`), tamper checks and the IV rules.
@Suite("AES-CBC + HMAC on BoringSSL (known answers)")
struct CBCHMACKnownAnswerTests {
    /// A CBC context; the HMAC key may have any length (RFC 2202/4231 keys are not 20 or 32
    /// bytes, so this goes below `SwiftCryptoProvider`'s length check).
    func context(cipher: [UInt8], authenticator: [UInt8], sha256: Bool) throws -> ESPCryptoContext {
        try AESCBCHMAC.makeContext(keys: ESPKeys(cipher: cipher, authenticator: authenticator), sha256: sha256)
    }

    /// `bytes` in a 2 KiB buffer with the packet at offset 0, for `body`.
    func withPacket<R>(_ bytes: [UInt8], _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let p = UnsafeMutableRawPointer.allocate(byteCount: 2048, alignment: 64)
        defer { p.deallocate() }
        p.initializeMemory(as: UInt8.self, repeating: 0, count: 2048)
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return try body(p)
    }

    func read(_ p: UnsafeMutableRawPointer, _ range: Range<Int>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: p + range.lowerBound, count: range.count))
    }

    // RFC 3602 §4 cases 1 and 2 (AES-128), SP 800-38A F.2.5/F.2.6 (AES-256, two blocks).
    static let cbcVectors: [(key: String, iv: String, plain: String, cipher: String)] = [
        ("06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
         "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a"),
        ("c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
         "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"),
        ("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", "000102030405060708090a0b0c0d0e0f",
         "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
         "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"),
    ]

    @Test("decrypt: RFC 3602 and SP 800-38A vectors, in place after the IV", arguments: cbcVectors.indices)
    func cbcDecryptKnownAnswers(_ index: Int) throws {
        let v = Self.cbcVectors[index]
        let ctx = try context(cipher: hex(v.key), authenticator: [UInt8](repeating: 7, count: 20), sha256: false)
        defer { SwiftCryptoProvider().releaseContext(ctx) }
        let cipher = hex(v.cipher)
        withPacket(hex(v.iv) + cipher) { p in
            #expect(ctx.decrypt(packet: p, payloadStart: 16, payloadEnd: 16 + cipher.count))
            #expect(read(p, 16 ..< 16 + cipher.count) == hex(v.plain))
            // The IV is left as it was.
            #expect(read(p, 0 ..< 16) == hex(v.iv))
        }
        // Not a whole number of blocks, or nothing at all: refused, the bytes untouched.
        withPacket(hex(v.iv) + cipher) { p in
            #expect(!ctx.decrypt(packet: p, payloadStart: 16, payloadEnd: 16 + cipher.count - 1))
            #expect(!ctx.decrypt(packet: p, payloadStart: 16, payloadEnd: 16))
            #expect(read(p, 16 ..< 16 + cipher.count) == cipher)
        }
    }

    // RFC 2202 cases 1, 2 and 6 (SHA-1, the last with an 80-byte key hashed first); RFC 4231
    // cases 1, 2 and 6 (SHA-256, a 131-byte key).
    static let hmacVectors: [(sha256: Bool, key: [UInt8], data: String, mac: String)] = [
        (false, [UInt8](repeating: 0x0B, count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
        (false, Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (false, [UInt8](repeating: 0xAA, count: 80), "Test Using Larger Than Block-Size Key - Hash Key First",
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        (true, [UInt8](repeating: 0x0B, count: 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (true, Array("Jefe".utf8), "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (true, [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test("HMAC: RFC 2202 / RFC 4231 vectors from the precomputed states; verify takes the truncated ICV, rejects any flipped bit",
          arguments: hmacVectors.indices)
    func hmacKnownAnswers(_ index: Int) throws {
        let v = Self.hmacVectors[index]
        let ctx = try context(cipher: [UInt8](repeating: 1, count: 16), authenticator: v.key, sha256: v.sha256)
        defer { SwiftCryptoProvider().releaseContext(ctx) }
        let data = Array(v.data.utf8)
        let mac = hex(v.mac)
        let icvLength = v.sha256 ? 16 : 12
        // The full MAC.
        var full = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { d in
            full.withUnsafeMutableBufferPointer { out in
                if v.sha256 {
                    HMACSHA256.authenticate(ctx.base, d.baseAddress!, d.count, into: out.baseAddress!)
                } else {
                    HMACSHA1.authenticate(ctx.base, d.baseAddress!, d.count, into: out.baseAddress!)
                }
            }
        }
        #expect(Array(full.prefix(mac.count)) == mac)
        // Through the context's verify: message ‖ truncated MAC.
        let packet = data + mac.prefix(icvLength)
        withPacket(packet) { p in
            #expect(ctx.verify(packet: p, espStart: 0, end: packet.count))
        }
        for at in [0, data.count / 2, data.count - 1, data.count, packet.count - 1] {
            var bad = packet
            bad[at] ^= 0x01
            withPacket(bad) { p in
                #expect(!ctx.verify(packet: p, espStart: 0, end: bad.count), "bit flipped at \(at)")
            }
        }
        // Longer than the ICV it is given: the ICV is the last bytes, so a MAC of the wrong
        // message.
        withPacket(packet + [0]) { p in
            #expect(!ctx.verify(packet: p, espStart: 0, end: packet.count + 1))
        }
    }

    /// An ESP packet laid out as the data plane hands it to `seal`: header, room for the IV,
    /// `plain` (whole blocks), room for the ICV.
    func sealed(_ ctx: ESPCryptoContext, spi: UInt32, sequence: UInt32, plain: [UInt8], icvLength: Int) -> [UInt8] {
        var header: [UInt8] = []
        for v in [spi, sequence] { header += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        let bytes = header + [UInt8](repeating: 0, count: 16) + plain + [UInt8](repeating: 0, count: icvLength)
        return withPacket(bytes) { p in
            ctx.seal(packet: p, espStart: 0, payloadStart: 24, icvStart: 24 + plain.count)
            return read(p, 0 ..< bytes.count)
        }
    }

    @Test("seal: CBC under the written IV (decrypts to the plaintext), ICV = truncated HMAC, accepted by verify, tamper rejected",
          arguments: [false, true])
    func sealRoundTrip(_ sha256: Bool) throws {
        let v = Self.cbcVectors[1]
        let h = Self.hmacVectors[sha256 ? 3 : 0]
        let icvLength = sha256 ? 16 : 12
        let ctx = try context(cipher: hex(v.key), authenticator: h.key, sha256: sha256)
        defer { SwiftCryptoProvider().releaseContext(ctx) }
        let plain = hex(v.plain)
        let packet = sealed(ctx, spi: 0x1234_5678, sequence: 1, plain: plain, icvLength: icvLength)
        #expect(packet[0 ..< 8] == [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1])
        #expect(packet[24 ..< 56] != plain[...], "encrypted")
        // ICV: the known-answer HMAC over header ‖ IV ‖ ciphertext, truncated.
        var full = [UInt8](repeating: 0, count: 32)
        Array(packet[0 ..< 56]).withUnsafeBytes { d in
            full.withUnsafeMutableBufferPointer { out in
                if sha256 {
                    HMACSHA256.authenticate(ctx.base, d.baseAddress!, d.count, into: out.baseAddress!)
                } else {
                    HMACSHA1.authenticate(ctx.base, d.baseAddress!, d.count, into: out.baseAddress!)
                }
            }
        }
        #expect(Array(packet[56...]) == Array(full.prefix(icvLength)))
        withPacket(packet) { p in
            #expect(ctx.verify(packet: p, espStart: 0, end: packet.count))
            #expect(ctx.decrypt(packet: p, payloadStart: 24, payloadEnd: 56))
            #expect(read(p, 24 ..< 56) == plain)
        }
        // Every byte is covered: SPI, sequence, IV, ciphertext, ICV.
        for at in [0, 7, 8, 23, 24, 55, 56, packet.count - 1] {
            var bad = packet
            bad[at] ^= 0x80
            withPacket(bad) { p in #expect(!ctx.verify(packet: p, espStart: 0, end: bad.count), "byte \(at)") }
        }
    }

    @Test("outbound IV: distinct per sequence number, per context with the same keys; same sequence, same context, same IV")
    func ivConstruction() throws {
        let keys = (cipher: [UInt8](repeating: 0x42, count: 16), auth: [UInt8](repeating: 0x17, count: 20))
        let a = try context(cipher: keys.cipher, authenticator: keys.auth, sha256: false)
        let b = try context(cipher: keys.cipher, authenticator: keys.auth, sha256: false)
        defer { SwiftCryptoProvider().releaseContext(a); SwiftCryptoProvider().releaseContext(b) }
        let plain = [UInt8](repeating: 0xAB, count: 16)
        let ivs = (1 ... 64).map { Array(sealed(a, spi: 0x100, sequence: UInt32($0), plain: plain, icvLength: 12)[8 ..< 24]) }
        #expect(Set(ivs).count == 64)
        // Deterministic in (IV key, header): the IV key is the only secret that varies.
        #expect(Array(sealed(a, spi: 0x100, sequence: 1, plain: plain, icvLength: 12)[8 ..< 24]) == ivs[0])
        // A re-installed SA with the same manual keys gets a new IV key.
        #expect(Array(sealed(b, spi: 0x100, sequence: 1, plain: plain, icvLength: 12)[8 ..< 24]) != ivs[0])
        // Not the header in clear, and no byte pattern of it.
        #expect(ivs[0] != [0, 0, 1, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 8))
    }

    @Test("seal refuses a payload that is not whole blocks: payload and ICV blanked, never clear text")
    func sealRefusesPartialBlocks() throws {
        let ctx = try context(cipher: [UInt8](repeating: 3, count: 32), authenticator: [UInt8](repeating: 4, count: 32), sha256: true)
        defer { SwiftCryptoProvider().releaseContext(ctx) }
        let plain = [UInt8](repeating: 0xAB, count: 20)
        let packet = sealed(ctx, spi: 0x100, sequence: 1, plain: plain, icvLength: 16)
        #expect(Array(packet[24...]) == [UInt8](repeating: 0, count: 36))
    }
}
