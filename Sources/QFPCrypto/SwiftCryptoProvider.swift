import CBoringAEAD
import QFPDataplane

/// ESP transforms: AES-GCM (RFC 4106) and AES-CBC (RFC 3602) with HMAC-SHA1-96 (RFC 2404) or
/// HMAC-SHA256-128 (RFC 4868), as `ESPCryptoContext`s for the data plane, on the BoringSSL
/// that swift-crypto links (its `CCryptoBoringSSL_` symbols, declared by the CBoringAEAD
/// module). The name is historical: swift-crypto's Swift API is no longer used per packet.
///
/// Each context is raw memory: the `ESPCryptoFunctions` table of this transform, a kind word,
/// then
/// - for AES-GCM (`AESGCM.swift`): the RFC 4106 salt and BoringSSL's `EVP_AEAD_CTX` (key
///   schedule and GHASH table, set up once at install); per packet `open_gather`/`seal_scatter`
///   in place with the nonce on the stack;
/// - for AES-CBC + HMAC (`AESCBCHMAC.swift`): the AES encryption and decryption key schedules,
///   the key schedule of the per-SA IV key, and the HMAC inner and outer hash states after the
///   key block; per packet the hash states are copied to the stack and finished there.
///
/// Neither allocates, locks or makes a system call per packet, and nothing in a context is
/// written after install, so one outbound SA's context may be used by every worker at once.
public struct SwiftCryptoProvider: ESPCryptoProvider {
    public init() {}

    public func makeContext(transform: ESPTransform, keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext {
        try transform.validate(keys)
        switch transform {
        case .null:
            throw .invalidSA("esp-null needs no crypto context")
        case .aesGCM128, .aesGCM256:
            return try AESGCM.makeContext(keys: keys)
        case .aesCBC128SHA1, .aesCBC256SHA1:
            return try AESCBCHMAC.makeContext(keys: keys, sha256: false)
        case .aesCBC128SHA256, .aesCBC256SHA256:
            return try AESCBCHMAC.makeContext(keys: keys, sha256: true)
        }
    }

    public func releaseContext(_ context: ESPCryptoContext) {
        let base = context.base
        let kind = base.load(fromByteOffset: Self.kindOffset, as: UInt.self)
        if kind == Self.kindGCM {
            CCryptoBoringSSL_EVP_AEAD_CTX_cleanup((base + AESGCM.aeadOffset).assumingMemoryBound(to: EVP_AEAD_CTX.self))
            CCryptoBoringSSL_OPENSSL_cleanse(base, AESGCM.contextSize)
        } else {
            // Key schedules and HMAC states are key material: wipe before the memory is reused.
            CCryptoBoringSSL_OPENSSL_cleanse(base, AESCBCHMAC.contextSize)
        }
        base.deallocate()
    }

    /// Which layout follows the function table (`kindGCM` or `kindCBC`).
    static let kindOffset = MemoryLayout<ESPCryptoFunctions>.stride
    static let kindGCM: UInt = 1
    static let kindCBC: UInt = 2
    /// First byte after the function table and kind word, 16-byte aligned.
    static let bodyOffset = (kindOffset + MemoryLayout<UInt>.stride + 15) & ~15

    /// A zeroed, 64-byte aligned context of `size` bytes with `functions` and `kind` in place.
    static func allocateContext(size: Int, functions: ESPCryptoFunctions, kind: UInt) -> UnsafeMutableRawPointer {
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        base.initializeMemory(as: ESPCryptoFunctions.self, repeating: functions, count: 1)
        base.storeBytes(of: kind, toByteOffset: kindOffset, as: UInt.self)
        return base
    }
}
