import CBoringAEAD
import QFPDataplane

/// AES-GCM ESP (RFC 4106) on BoringSSL's `EVP_AEAD_CTX`, one per SA, in place, no allocation.
enum AESGCM {
    /// The salt, in network byte order.
    static let saltOffset = SwiftCryptoProvider.bodyOffset
    /// BoringSSL's `EVP_AEAD_CTX` (8-byte aligned).
    static let aeadOffset = (saltOffset + 4 + 15) & ~15
    static let contextSize = aeadOffset + MemoryLayout<EVP_AEAD_CTX>.stride

    static func makeContext(keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext {
        let base = SwiftCryptoProvider.allocateContext(
            size: contextSize, functions: ESPCryptoFunctions(verify: gcmVerify, decrypt: gcmDecrypt, seal: gcmSeal),
            kind: SwiftCryptoProvider.kindGCM)
        let aead = (base + aeadOffset).bindMemory(to: EVP_AEAD_CTX.self, capacity: 1)
        CCryptoBoringSSL_EVP_AEAD_CTX_zero(aead)
        // The key material is the AES key then the 4-byte salt (RFC 4106 §8.1).
        let keyLength = keys.cipher.count - 4
        var salt: UInt32 = 0
        for b in keys.cipher.suffix(4) { salt = salt << 8 | UInt32(b) }
        (base + saltOffset).storeBytes(of: salt.bigEndian, as: UInt32.self)
        let algorithm = keyLength == 16 ? CCryptoBoringSSL_EVP_aead_aes_128_gcm() : CCryptoBoringSSL_EVP_aead_aes_256_gcm()
        let ok = keys.cipher.withUnsafeBufferPointer { key in
            CCryptoBoringSSL_EVP_AEAD_CTX_init(aead, algorithm, key.baseAddress, keyLength, 16, nil)
        }
        guard ok == 1 else {
            CCryptoBoringSSL_ERR_clear_error()
            base.deallocate()
            throw .invalidSA("AES-GCM key setup failed")
        }
        return ESPCryptoContext(base)
    }
}

/// The SA's BoringSSL AEAD context (initialized at install).
@inline(__always)
private func aead(_ context: UnsafeMutableRawPointer) -> UnsafePointer<EVP_AEAD_CTX> {
    UnsafePointer((context + AESGCM.aeadOffset).assumingMemoryBound(to: EVP_AEAD_CTX.self))
}

/// Calls `body` with the 12-byte nonce salt ‖ explicit IV (RFC 4106 §4), built on the stack.
@inline(__always)
private func withGCMNonce<R>(_ context: UnsafeMutableRawPointer, _ p: UnsafeMutableRawPointer, ivStart: Int,
                             _ body: (UnsafePointer<UInt8>) -> R) -> R {
    // Three 32-bit words: a (UInt32, UInt64) tuple would put 4 padding bytes after the salt.
    var n: (UInt32, UInt32, UInt32) = (context.load(fromByteOffset: AESGCM.saltOffset, as: UInt32.self),
                                       (p + ivStart).loadUnaligned(as: UInt32.self),
                                       (p + ivStart + 4).loadUnaligned(as: UInt32.self))
    return withUnsafeBytes(of: &n) { raw in body(raw.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
}

/// ICV check and decryption in one (AEAD), in place. AAD is SPI ‖ sequence number (no ESN).
/// On a bad ICV BoringSSL zeroes the ciphertext (the packet is dropped anyway).
private let gcmVerify: ESPCryptoFunctions.Verify = { context, p, espStart, end in
    let ivStart = espStart + ESPHeader.length
    let payloadStart = ivStart + 8
    let icvStart = end - 16
    guard icvStart >= payloadStart else { return false }
    let bytes = p.assumingMemoryBound(to: UInt8.self)
    let ok = withGCMNonce(context, p, ivStart: ivStart) { nonce in
        CCryptoBoringSSL_EVP_AEAD_CTX_open_gather(
            aead(context), bytes + payloadStart, nonce, 12,
            bytes + payloadStart, icvStart - payloadStart, bytes + icvStart, 16,
            bytes + espStart, ESPHeader.length)
    }
    if ok == 1 { return true }
    CCryptoBoringSSL_ERR_clear_error()
    return false
}

/// Nothing left to do: `gcmVerify` decrypted.
private let gcmDecrypt: ESPCryptoFunctions.Decrypt = { _, _, _, _ in true }

/// Explicit IV = 0 ‖ the 32-bit sequence number: unique per SA because the data plane never
/// reuses a sequence number (it stops at 2^32 − 1), which is all RFC 4106 §3.1 requires.
private let gcmSeal: ESPCryptoFunctions.Seal = { context, p, espStart, payloadStart, icvStart in
    let ivStart = payloadStart - 8
    (p + ivStart).storeBytes(of: UInt32(0), as: UInt32.self)
    (p + ivStart + 4).copyMemory(from: p + espStart + 4, byteCount: 4)
    let bytes = p.assumingMemoryBound(to: UInt8.self)
    var tagLength = 0
    let ok = withGCMNonce(context, p, ivStart: ivStart) { nonce in
        CCryptoBoringSSL_EVP_AEAD_CTX_seal_scatter(
            aead(context), bytes + payloadStart, bytes + icvStart, &tagLength, 16, nonce, 12,
            bytes + payloadStart, icvStart - payloadStart, nil, 0,
            bytes + espStart, ESPHeader.length)
    }
    if ok != 1 || tagLength != 16 {
        CCryptoBoringSSL_ERR_clear_error()
        // Never send clear text: blank payload and ICV (the peer drops it as an ICV failure).
        (p + payloadStart).initializeMemory(as: UInt8.self, repeating: 0, count: icvStart + 16 - payloadStart)
    }
}
