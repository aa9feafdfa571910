import CBoringAEAD
import Crypto
import FoundationEssentials
import _CryptoExtras
import QFPDataplane

/// ESP transforms: AES-GCM (RFC 4106) and AES-CBC (RFC 3602) with HMAC-SHA1-96 (RFC 2404) or
/// HMAC-SHA256-128 (RFC 4868), as `ESPCryptoContext`s for the data plane.
///
/// Each context is raw memory: the `ESPCryptoFunctions` table of this transform, then
/// - for AES-GCM: a null word, the RFC 4106 salt, and BoringSSL's `EVP_AEAD_CTX` (the key
///   schedule and GHASH table, set up once at install by `EVP_AEAD_CTX_init`); per packet
///   `EVP_AEAD_CTX_open_gather`/`seal_scatter` work in place in the packet buffer with the
///   nonce on the stack, so GCM does not allocate at all. BoringSSL is the one swift-crypto
///   links (its `CCryptoBoringSSL_` symbols, declared by the CBoringAEAD module);
/// - for AES-CBC: an unmanaged reference to the SA's expanded keys (`SAKeys`, made once at
///   install), used through swift-crypto's public API, which works on `Data` values and so
///   still allocates per packet (see the README's crypto section for the measured count).
///
/// The data plane itself does not allocate.
public struct SwiftCryptoProvider: ESPCryptoProvider {
    public init() {}

    public func makeContext(transform: ESPTransform, keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext {
        try transform.validate(keys)
        let functions: ESPCryptoFunctions
        switch transform {
        case .null:
            throw .invalidSA("esp-null needs no crypto context")
        case .aesGCM128, .aesGCM256:
            functions = ESPCryptoFunctions(verify: gcmVerify, decrypt: gcmDecrypt, seal: gcmSeal)
        case .aesCBC128SHA1, .aesCBC256SHA1, .aesCBC128SHA256, .aesCBC256SHA256:
            functions = ESPCryptoFunctions(verify: cbcVerify, decrypt: cbcDecrypt, seal: cbcSeal)
        }
        let base = UnsafeMutableRawPointer.allocate(byteCount: Self.contextSize, alignment: 16)
        base.initializeMemory(as: ESPCryptoFunctions.self, repeating: functions, count: 1)
        if transform.isAEAD {
            (base + Self.stateOffset).storeBytes(of: 0, as: UInt.self)
            let aead = (base + Self.aeadOffset).bindMemory(to: EVP_AEAD_CTX.self, capacity: 1)
            CCryptoBoringSSL_EVP_AEAD_CTX_zero(aead)
            // The key material is the AES key then the 4-byte salt (RFC 4106 §8.1).
            let keyLength = keys.cipher.count - 4
            var salt: UInt32 = 0
            for b in keys.cipher.suffix(4) { salt = salt << 8 | UInt32(b) }
            (base + Self.saltOffset).storeBytes(of: salt.bigEndian, as: UInt32.self)
            let algorithm = keyLength == 16 ? CCryptoBoringSSL_EVP_aead_aes_128_gcm() : CCryptoBoringSSL_EVP_aead_aes_256_gcm()
            let ok = keys.cipher.withUnsafeBufferPointer { key in
                CCryptoBoringSSL_EVP_AEAD_CTX_init(aead, algorithm, key.baseAddress, keyLength, 16, nil)
            }
            guard ok == 1 else {
                CCryptoBoringSSL_ERR_clear_error()
                base.deallocate()
                throw .invalidSA("AES-GCM key setup failed")
            }
        } else {
            let state = SAKeys(transform: transform, keys: keys)
            (base + Self.stateOffset).storeBytes(of: Unmanaged.passRetained(state).toOpaque(), as: UnsafeMutableRawPointer.self)
        }
        return ESPCryptoContext(base)
    }

    public func releaseContext(_ context: ESPCryptoContext) {
        if let state = context.base.load(fromByteOffset: Self.stateOffset, as: UnsafeMutableRawPointer?.self) {
            Unmanaged<SAKeys>.fromOpaque(state).release()
        } else {
            let aead = (context.base + Self.aeadOffset).assumingMemoryBound(to: EVP_AEAD_CTX.self)
            CCryptoBoringSSL_EVP_AEAD_CTX_cleanup(aead)
        }
        context.base.deallocate()
    }

    /// `SAKeys` reference (CBC) or zero (GCM).
    static let stateOffset = MemoryLayout<ESPCryptoFunctions>.stride
    /// GCM: the salt, in network byte order.
    static let saltOffset = stateOffset + MemoryLayout<UnsafeMutableRawPointer>.stride
    /// GCM: BoringSSL's `EVP_AEAD_CTX` (8-byte aligned).
    static let aeadOffset = (saltOffset + 4 + 15) & ~15
    static let contextSize = aeadOffset + MemoryLayout<EVP_AEAD_CTX>.stride
}

/// The expanded keys of one AES-CBC SA.
final class SAKeys {
    let transform: ESPTransform
    /// AES key.
    let cipher: SymmetricKey
    /// HMAC key.
    let authenticator: SymmetricKey
    let sha256: Bool
    let icvLength: Int

    init(transform: ESPTransform, keys: ESPKeys) {
        self.transform = transform
        cipher = SymmetricKey(data: keys.cipher)
        authenticator = SymmetricKey(data: keys.authenticator)
        sha256 = transform == .aesCBC128SHA256 || transform == .aesCBC256SHA256
        icvLength = transform.icvLength
    }
}

@inline(__always)
private func keys(_ context: UnsafeMutableRawPointer) -> Unmanaged<SAKeys> {
    Unmanaged<SAKeys>.fromOpaque(context.load(fromByteOffset: SwiftCryptoProvider.stateOffset, as: UnsafeMutableRawPointer.self))
}

@inline(__always)
private func bytes(_ p: UnsafeMutableRawPointer, _ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: p + from, count: max(to - from, 0))
}

/// Copies `data` (a swift-crypto result) to `destination`.
@inline(__always)
private func copy(_ data: some ContiguousBytes, to destination: UnsafeMutableRawPointer) {
    data.withUnsafeBytes { src in
        if let base = src.baseAddress { destination.copyMemory(from: base, byteCount: src.count) }
    }
}

/// Compares `count` bytes without an early exit (no timing signal about where they differ).
@inline(__always)
private func equalInConstantTime(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, count: Int) -> Bool {
    guard a.count >= count, b.count >= count else { return false }
    var difference: UInt8 = 0
    for i in 0..<count { difference |= a[i] ^ b[i] }
    return difference == 0
}

// MARK: AES-GCM (RFC 4106)

/// The SA's BoringSSL AEAD context (initialized at install).
@inline(__always)
private func aead(_ context: UnsafeMutableRawPointer) -> UnsafePointer<EVP_AEAD_CTX> {
    UnsafePointer((context + SwiftCryptoProvider.aeadOffset).assumingMemoryBound(to: EVP_AEAD_CTX.self))
}

/// Calls `body` with the 12-byte nonce salt ‖ explicit IV (RFC 4106 §4), built on the stack.
@inline(__always)
private func withGCMNonce<R>(_ context: UnsafeMutableRawPointer, _ p: UnsafeMutableRawPointer, ivStart: Int,
                             _ body: (UnsafePointer<UInt8>) -> R) -> R {
    // Three 32-bit words: a (UInt32, UInt64) tuple would put 4 padding bytes after the salt.
    var n: (UInt32, UInt32, UInt32) = (context.load(fromByteOffset: SwiftCryptoProvider.saltOffset, as: UInt32.self),
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

// MARK: AES-CBC with HMAC (RFC 3602, RFC 2404, RFC 4868)

@inline(__always)
private func hmac(_ k: SAKeys, _ message: UnsafeRawBufferPointer, into destination: (UnsafeRawBufferPointer) -> Bool) -> Bool {
    if k.sha256 {
        return HMAC<SHA256>.authenticationCode(for: message, using: k.authenticator).withUnsafeBytes(destination)
    } else {
        return HMAC<Insecure.SHA1>.authenticationCode(for: message, using: k.authenticator).withUnsafeBytes(destination)
    }
}

/// HMAC over ESP header, IV and ciphertext, truncated to the ICV length.
private let cbcVerify: ESPCryptoFunctions.Verify = { context, p, espStart, end in
    keys(context)._withUnsafeGuaranteedRef { k in
        let icvStart = end - k.icvLength
        return hmac(k, bytes(p, espStart, icvStart)) { mac in
            equalInConstantTime(mac, bytes(p, icvStart, end), count: k.icvLength)
        }
    }
}

private let cbcDecrypt: ESPCryptoFunctions.Decrypt = { context, p, payloadStart, payloadEnd in
    keys(context)._withUnsafeGuaranteedRef { k in
        let length = payloadEnd - payloadStart
        guard length > 0, length % 16 == 0,
              let iv = try? AES._CBC.IV(ivBytes: bytes(p, payloadStart - 16, payloadStart)),
              let plain = try? AES._CBC.decrypt(bytes(p, payloadStart, payloadEnd), using: k.cipher, iv: iv, noPadding: true)
        else { return false }
        copy(plain, to: p + payloadStart)
        return true
    }
}

/// A random IV (RFC 3602 §3: unpredictable), then encryption, then the ICV.
private let cbcSeal: ESPCryptoFunctions.Seal = { context, p, espStart, payloadStart, icvStart in
    keys(context)._withUnsafeGuaranteedRef { k in
        var random = SystemRandomNumberGenerator()
        (p + payloadStart - 16).storeBytes(of: random.next() as UInt64, as: UInt64.self)
        (p + payloadStart - 8).storeBytes(of: random.next() as UInt64, as: UInt64.self)
        guard let iv = try? AES._CBC.IV(ivBytes: bytes(p, payloadStart - 16, payloadStart)),
              let cipher = try? AES._CBC.encrypt(bytes(p, payloadStart, icvStart), using: k.cipher, iv: iv, noPadding: true)
        else {
            (p + payloadStart).initializeMemory(as: UInt8.self, repeating: 0, count: icvStart + k.icvLength - payloadStart)
            return
        }
        copy(cipher, to: p + payloadStart)
        _ = hmac(k, bytes(p, espStart, icvStart)) { mac in
            guard let base = mac.baseAddress, mac.count >= k.icvLength else { return false }
            (p + icvStart).copyMemory(from: base, byteCount: k.icvLength)
            return true
        }
    }
}
