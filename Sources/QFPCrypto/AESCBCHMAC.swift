import CBoringAEAD
import QFPDataplane

/// AES-CBC ESP (RFC 3602) with HMAC-SHA1-96 (RFC 2404) or HMAC-SHA256-128 (RFC 4868) on
/// BoringSSL's low-level AES (AES-NI when present) and SHA functions: no allocation, no system
/// call and no write to the context per packet.
///
/// Context body, after the function table and kind word (all set once at install):
/// AES encryption and decryption key schedules, the IV key's encryption schedule, and the
/// HMAC hash states after absorbing key ⊕ ipad and key ⊕ opad (RFC 2104), so a packet's HMAC
/// costs the hash of the message plus one block for the outer hash — never the key blocks.
///
/// Outbound IV (RFC 3602 §3: random and unpredictable): IV = AES-ECB under the SA's IV key of
/// the 16-byte block ESP header (SPI ‖ sequence number) ‖ 0^64. The IV key is a fresh 128-bit
/// key from `SystemRandomNumberGenerator` for every context, independent of the SA's keys.
/// The sequence number is never reused within an SA (the data plane hands each out once and
/// stops at 2^32 − 1), so the blocks are distinct and their encryptions look random to anyone
/// without the IV key — the "encrypt a nonce" method of NIST SP 800-38A Appendix C, with a
/// separate key. It needs no per-packet randomness (no getrandom) and no mutable per-SA state,
/// which matters because every worker may seal with the same outbound SA at once. Re-installing
/// an SA with the same manual keys gets a new IV key, so restarting sequence numbers do not
/// repeat IVs.
enum AESCBCHMAC {
    static let encryptKeyOffset = SwiftCryptoProvider.bodyOffset
    static let decryptKeyOffset = encryptKeyOffset + keyStride
    static let ivKeyOffset = decryptKeyOffset + keyStride
    /// Inner hash state (`SHA_CTX` or `SHA256_CTX`) after key ⊕ ipad.
    static let innerOffset = ivKeyOffset + keyStride
    /// Outer hash state after key ⊕ opad.
    static let outerOffset = innerOffset + hashStride
    static let contextSize = outerOffset + hashStride

    static let keyStride = (MemoryLayout<AES_KEY>.size + 15) & ~15
    static let hashStride = (max(MemoryLayout<SHA_CTX>.size, MemoryLayout<SHA256_CTX>.size) + 15) & ~15

    /// A CBC context of `contextSize` bytes, or of `size` with `kind` for a provider that
    /// appends its own section (IPsecMBProvider) and keeps these per-packet functions.
    static func makeContext(keys: ESPKeys, sha256: Bool, size: Int = contextSize,
                            kind: UInt = SwiftCryptoProvider.kindCBC) throws(DataplaneError) -> ESPCryptoContext {
        let functions = sha256
            ? ESPCryptoFunctions(verify: cbcVerifySHA256, decrypt: cbcDecrypt, seal: cbcSealSHA256)
            : ESPCryptoFunctions(verify: cbcVerifySHA1, decrypt: cbcDecrypt, seal: cbcSealSHA1)
        let base = SwiftCryptoProvider.allocateContext(size: size, functions: functions, kind: kind)
        let bits = UInt32(keys.cipher.count * 8)
        let encrypt = (base + encryptKeyOffset).bindMemory(to: AES_KEY.self, capacity: 1)
        let decrypt = (base + decryptKeyOffset).bindMemory(to: AES_KEY.self, capacity: 1)
        let ivKey = (base + ivKeyOffset).bindMemory(to: AES_KEY.self, capacity: 1)
        var status = keys.cipher.withUnsafeBufferPointer { key in
            CCryptoBoringSSL_AES_set_encrypt_key(key.baseAddress, bits, encrypt)
                | CCryptoBoringSSL_AES_set_decrypt_key(key.baseAddress, bits, decrypt)
        }
        var random = SystemRandomNumberGenerator()
        var ivKeyBytes: (UInt64, UInt64) = (random.next(), random.next())
        status |= withUnsafeBytes(of: &ivKeyBytes) { key in
            CCryptoBoringSSL_AES_set_encrypt_key(key.baseAddress!.assumingMemoryBound(to: UInt8.self), 128, ivKey)
        }
        CCryptoBoringSSL_OPENSSL_cleanse(&ivKeyBytes, 16)
        guard status == 0 else {
            CCryptoBoringSSL_OPENSSL_cleanse(base, size)
            base.deallocate()
            throw .invalidSA("AES-CBC key setup failed (\(keys.cipher.count)-byte key)")
        }
        keys.authenticator.withUnsafeBufferPointer { key in
            if sha256 {
                HMACSHA256.precompute(key: UnsafeRawBufferPointer(key), into: base)
            } else {
                HMACSHA1.precompute(key: UnsafeRawBufferPointer(key), into: base)
            }
        }
        return ESPCryptoContext(base)
    }

    /// The RFC 2104 key block (key, or its hash when longer than a block, zero-padded to 64
    /// bytes) ⊕ `pad`, built on the stack for `body`.
    static func withPaddedKey(_ key: UnsafeRawBufferPointer, pad: UInt8,
                              hash: (UnsafeRawBufferPointer, UnsafeMutableRawPointer) -> Void,
                              _ body: (UnsafeRawPointer) -> Void) {
        var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &block) { b in
            if key.count > 64 {
                hash(key, b.baseAddress!)
            } else if let k = key.baseAddress {
                b.baseAddress!.copyMemory(from: k, byteCount: key.count)
            }
            for i in 0..<64 { b[i] ^= pad }
            body(UnsafeRawPointer(b.baseAddress!))
        }
        CCryptoBoringSSL_OPENSSL_cleanse(&block, 64)
    }
}

/// One HMAC hash function over the precomputed states of a CBC context.
protocol PrecomputedHMAC {
    /// Truncated ICV length (RFC 2404: 12, RFC 4868: 16).
    static var icvLength: Int { get }
    /// Stores the inner and outer states for `key` in the context at `base`.
    static func precompute(key: UnsafeRawBufferPointer, into base: UnsafeMutableRawPointer)
    /// The full HMAC of `length` bytes at `message` into `out` (32 bytes of room).
    static func authenticate(_ context: UnsafeMutableRawPointer, _ message: UnsafeRawPointer, _ length: Int,
                             into out: UnsafeMutablePointer<UInt8>)
}

enum HMACSHA1: PrecomputedHMAC {
    static var icvLength: Int { 12 }

    static func precompute(key: UnsafeRawBufferPointer, into base: UnsafeMutableRawPointer) {
        let hashKey: (UnsafeRawBufferPointer, UnsafeMutableRawPointer) -> Void = { k, out in
            _ = CCryptoBoringSSL_SHA1(k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count,
                                      out.assumingMemoryBound(to: UInt8.self))
        }
        for (pad, offset) in [(UInt8(0x36), AESCBCHMAC.innerOffset), (0x5C, AESCBCHMAC.outerOffset)] {
            let state = (base + offset).bindMemory(to: SHA_CTX.self, capacity: 1)
            AESCBCHMAC.withPaddedKey(key, pad: pad, hash: hashKey) { block in
                _ = CCryptoBoringSSL_SHA1_Init(state)
                _ = CCryptoBoringSSL_SHA1_Update(state, block, 64)
            }
        }
    }

    @inline(__always)
    static func authenticate(_ context: UnsafeMutableRawPointer, _ message: UnsafeRawPointer, _ length: Int,
                             into out: UnsafeMutablePointer<UInt8>) {
        var s = context.load(fromByteOffset: AESCBCHMAC.innerOffset, as: SHA_CTX.self)
        _ = CCryptoBoringSSL_SHA1_Update(&s, message, length)
        _ = CCryptoBoringSSL_SHA1_Final(out, &s)
        s = context.load(fromByteOffset: AESCBCHMAC.outerOffset, as: SHA_CTX.self)
        _ = CCryptoBoringSSL_SHA1_Update(&s, out, 20)
        _ = CCryptoBoringSSL_SHA1_Final(out, &s)
    }
}

enum HMACSHA256: PrecomputedHMAC {
    static var icvLength: Int { 16 }

    static func precompute(key: UnsafeRawBufferPointer, into base: UnsafeMutableRawPointer) {
        let hashKey: (UnsafeRawBufferPointer, UnsafeMutableRawPointer) -> Void = { k, out in
            _ = CCryptoBoringSSL_SHA256(k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count,
                                        out.assumingMemoryBound(to: UInt8.self))
        }
        for (pad, offset) in [(UInt8(0x36), AESCBCHMAC.innerOffset), (0x5C, AESCBCHMAC.outerOffset)] {
            let state = (base + offset).bindMemory(to: SHA256_CTX.self, capacity: 1)
            AESCBCHMAC.withPaddedKey(key, pad: pad, hash: hashKey) { block in
                _ = CCryptoBoringSSL_SHA256_Init(state)
                _ = CCryptoBoringSSL_SHA256_Update(state, block, 64)
            }
        }
    }

    @inline(__always)
    static func authenticate(_ context: UnsafeMutableRawPointer, _ message: UnsafeRawPointer, _ length: Int,
                             into out: UnsafeMutablePointer<UInt8>) {
        var s = context.load(fromByteOffset: AESCBCHMAC.innerOffset, as: SHA256_CTX.self)
        _ = CCryptoBoringSSL_SHA256_Update(&s, message, length)
        _ = CCryptoBoringSSL_SHA256_Final(out, &s)
        s = context.load(fromByteOffset: AESCBCHMAC.outerOffset, as: SHA256_CTX.self)
        _ = CCryptoBoringSSL_SHA256_Update(&s, out, 32)
        _ = CCryptoBoringSSL_SHA256_Final(out, &s)
    }
}

/// Calls `body` with 32 bytes of stack for a digest.
@inline(__always)
private func withDigest<R>(_ body: (UnsafeMutablePointer<UInt8>) -> R) -> R {
    var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &digest) { body($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
}

@inline(__always)
private func aesKey(_ context: UnsafeMutableRawPointer, _ offset: Int) -> UnsafePointer<AES_KEY> {
    UnsafePointer((context + offset).assumingMemoryBound(to: AES_KEY.self))
}

/// HMAC over ESP header, IV and ciphertext, truncated, compared in constant time.
@inline(__always)
private func verify<H: PrecomputedHMAC>(_: H.Type, _ context: UnsafeMutableRawPointer, _ p: UnsafeMutableRawPointer,
                                        _ espStart: Int, _ end: Int) -> Bool {
    let icvStart = end &- H.icvLength
    guard icvStart >= espStart else { return false }
    return withDigest { mac in
        H.authenticate(context, p + espStart, icvStart &- espStart, into: mac)
        return CCryptoBoringSSL_CRYPTO_memcmp(mac, p + icvStart, H.icvLength) == 0
    }
}

/// IV (see `AESCBCHMAC`), encryption in place, then the ICV over header, IV and ciphertext.
@inline(__always)
private func seal<H: PrecomputedHMAC>(_: H.Type, _ context: UnsafeMutableRawPointer, _ p: UnsafeMutableRawPointer,
                                      _ espStart: Int, _ payloadStart: Int, _ icvStart: Int) {
    let length = icvStart &- payloadStart
    guard length > 0, length & 15 == 0, payloadStart &- espStart >= ESPHeader.length &+ 16 else {
        // Never send clear text: blank payload and ICV (the peer drops it as an ICV failure).
        (p + payloadStart).initializeMemory(as: UInt8.self, repeating: 0, count: max(length, 0) &+ H.icvLength)
        return
    }
    // SPI ‖ sequence number as they are on the wire, then 64 zero bits.
    var iv: (UInt64, UInt64) = ((p + espStart).loadUnaligned(as: UInt64.self), 0)
    withUnsafeMutableBytes(of: &iv) { raw in
        let block = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        CCryptoBoringSSL_AES_encrypt(block, block, aesKey(context, AESCBCHMAC.ivKeyOffset))
        (p + (payloadStart &- 16)).copyMemory(from: block, byteCount: 16)
        let payload = (p + payloadStart).assumingMemoryBound(to: UInt8.self)
        // `block` is the chaining value from here on (BoringSSL updates it).
        CCryptoBoringSSL_AES_cbc_encrypt(payload, payload, length, aesKey(context, AESCBCHMAC.encryptKeyOffset), block, 1)
    }
    withDigest { mac in
        H.authenticate(context, p + espStart, icvStart &- espStart, into: mac)
        (p + icvStart).copyMemory(from: mac, byteCount: H.icvLength)
    }
}

private let cbcVerifySHA1: ESPCryptoFunctions.Verify = { context, p, espStart, end in
    verify(HMACSHA1.self, context, p, espStart, end)
}

private let cbcVerifySHA256: ESPCryptoFunctions.Verify = { context, p, espStart, end in
    verify(HMACSHA256.self, context, p, espStart, end)
}

private let cbcSealSHA1: ESPCryptoFunctions.Seal = { context, p, espStart, payloadStart, icvStart in
    seal(HMACSHA1.self, context, p, espStart, payloadStart, icvStart)
}

private let cbcSealSHA256: ESPCryptoFunctions.Seal = { context, p, espStart, payloadStart, icvStart in
    seal(HMACSHA256.self, context, p, espStart, payloadStart, icvStart)
}

/// CBC decryption in place; the IV is the 16 bytes before `payloadStart`.
private let cbcDecrypt: ESPCryptoFunctions.Decrypt = { context, p, payloadStart, payloadEnd in
    let length = payloadEnd &- payloadStart
    guard length > 0, length & 15 == 0, payloadStart >= 16 else { return false }
    var iv: (UInt64, UInt64) = ((p + (payloadStart &- 16)).loadUnaligned(as: UInt64.self),
                                (p + (payloadStart &- 8)).loadUnaligned(as: UInt64.self))
    withUnsafeMutableBytes(of: &iv) { raw in
        let payload = (p + payloadStart).assumingMemoryBound(to: UInt8.self)
        CCryptoBoringSSL_AES_cbc_encrypt(payload, payload, length, aesKey(context, AESCBCHMAC.decryptKeyOffset),
                                         raw.baseAddress!.assumingMemoryBound(to: UInt8.self), 0)
    }
    return true
}
