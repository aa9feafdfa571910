import Crypto
import FoundationEssentials
import _CryptoExtras
import QFPDataplane

/// ESP transforms over swift-crypto: AES-GCM (RFC 4106) and AES-CBC (RFC 3602) with
/// HMAC-SHA1-96 (RFC 2404) or HMAC-SHA256-128 (RFC 4868), as `ESPCryptoContext`s for the data
/// plane.
///
/// Each context is 32 bytes of raw memory: the `ESPCryptoFunctions` table of this transform,
/// then an unmanaged reference to the SA's expanded keys (`SAKeys`, made once at install).
///
/// Cost: swift-crypto's public API works on `Data`/`SealedBox` values, so every packet still
/// allocates inside swift-crypto (the sealed box, the output `Data`, digest contexts); see the
/// README's crypto section for the measured count. The data plane itself does not allocate,
/// and a provider that calls a C library directly can replace this one behind the same table.
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
        let state = SAKeys(transform: transform, keys: keys)
        let base = UnsafeMutableRawPointer.allocate(byteCount: Self.contextSize, alignment: 16)
        base.initializeMemory(as: ESPCryptoFunctions.self, repeating: functions, count: 1)
        (base + Self.stateOffset).storeBytes(of: Unmanaged.passRetained(state).toOpaque(), as: UnsafeMutableRawPointer.self)
        return ESPCryptoContext(base)
    }

    public func releaseContext(_ context: ESPCryptoContext) {
        Unmanaged<SAKeys>.fromOpaque(context.base.load(fromByteOffset: Self.stateOffset, as: UnsafeMutableRawPointer.self)).release()
        context.base.deallocate()
    }

    static let stateOffset = MemoryLayout<ESPCryptoFunctions>.stride
    static let contextSize = stateOffset + MemoryLayout<UnsafeMutableRawPointer>.stride
}

/// The expanded keys of one SA.
final class SAKeys {
    let transform: ESPTransform
    /// AES key (without the GCM salt).
    let cipher: SymmetricKey
    /// RFC 4106 salt, the last 4 bytes of the GCM key material (zero for CBC).
    let salt: UInt32
    /// HMAC key (CBC transforms only).
    let authenticator: SymmetricKey
    let sha256: Bool
    let icvLength: Int

    init(transform: ESPTransform, keys: ESPKeys) {
        self.transform = transform
        if transform.isAEAD {
            cipher = SymmetricKey(data: keys.cipher.dropLast(4))
            var s: UInt32 = 0
            for b in keys.cipher.suffix(4) { s = s << 8 | UInt32(b) }
            salt = s.bigEndian
        } else {
            cipher = SymmetricKey(data: keys.cipher)
            salt = 0
        }
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

/// The 12-byte nonce: salt ‖ explicit IV (RFC 4106 §4).
@inline(__always)
private func gcmNonce(_ salt: UInt32, _ p: UnsafeMutableRawPointer, ivStart: Int) -> AES.GCM.Nonce? {
    // Three 32-bit words: a (UInt32, UInt64) tuple would put 4 padding bytes after the salt.
    var n: (UInt32, UInt32, UInt32) = (salt, (p + ivStart).loadUnaligned(as: UInt32.self),
                                       (p + ivStart + 4).loadUnaligned(as: UInt32.self))
    return withUnsafeBytes(of: &n) { raw in try? AES.GCM.Nonce(data: raw) }
}

/// ICV check and decryption in one (AEAD). AAD is SPI ‖ sequence number (no ESN).
private let gcmVerify: ESPCryptoFunctions.Verify = { context, p, espStart, end in
    keys(context)._withUnsafeGuaranteedRef { k in
        let ivStart = espStart + ESPHeader.length
        let payloadStart = ivStart + 8
        let icvStart = end - 16
        guard let nonce = gcmNonce(k.salt, p, ivStart: ivStart),
              let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: bytes(p, payloadStart, icvStart), tag: bytes(p, icvStart, end)),
              let plain = try? AES.GCM.open(box, using: k.cipher, authenticating: bytes(p, espStart, ivStart))
        else { return false }
        copy(plain, to: p + payloadStart)
        return true
    }
}

/// Nothing left to do: `gcmVerify` decrypted.
private let gcmDecrypt: ESPCryptoFunctions.Decrypt = { _, _, _, _ in true }

/// Explicit IV = 0 ‖ the 32-bit sequence number: unique per SA because the data plane never
/// reuses a sequence number (it stops at 2^32 − 1), which is all RFC 4106 §3.1 requires.
private let gcmSeal: ESPCryptoFunctions.Seal = { context, p, espStart, payloadStart, icvStart in
    keys(context)._withUnsafeGuaranteedRef { k in
        let ivStart = payloadStart - 8
        (p + ivStart).storeBytes(of: UInt32(0), as: UInt32.self)
        (p + ivStart + 4).copyMemory(from: p + espStart + 4, byteCount: 4)
        guard let nonce = gcmNonce(k.salt, p, ivStart: ivStart),
              let box = try? AES.GCM.seal(bytes(p, payloadStart, icvStart), using: k.cipher, nonce: nonce,
                                          authenticating: bytes(p, espStart, ivStart))
        else {
            // Never send clear text: blank payload and ICV (the peer drops it as an ICV failure).
            (p + payloadStart).initializeMemory(as: UInt8.self, repeating: 0, count: icvStart + 16 - payloadStart)
            return
        }
        copy(box.ciphertext, to: p + payloadStart)
        copy(box.tag, to: p + icvStart)
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
