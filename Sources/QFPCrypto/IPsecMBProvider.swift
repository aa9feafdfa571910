import CIPSecMB
import QFPDataplane

/// ESP transforms on intel-ipsec-mb — the library DPDK's `aesni_gcm` and `aesni_mb` crypto
/// PMDs are built on — loaded at run time (`CIPSecMB`: dlopen of libIPSec_MB.so.1, one
/// `IMB_MGR` made by `init_mb_mgr_auto`, which picks the VAES/AVX-512, AVX2, AVX or SSE code).
///
/// - AES-GCM 128/256 (RFC 4106): a context whose function table points at CIPSecMB's C
///   functions; the expanded key and GHASH key powers (`struct gcm_key_data`) are made once at
///   install by the manager's `gcm128_pre`/`gcm256_pre`, and each packet is one call of the
///   manager's `gcm128_dec`/`gcm128_enc` (copied into the context), in place. `verify` leaves
///   the ciphertext as it was when the ICV is bad (see `CIPSecMB.c`).
/// - AES-CBC + HMAC-SHA1/SHA256 (RFC 3602, 2404, 4868): inbound a burst at a time on the
///   multi-buffer job API (`IPsecMBProvider+CBC.swift`): each worker gets an engine
///   (`makeBurstEngine`: its own IMB_MGR) that runs the HMAC jobs of a whole burst, compares the
///   ICVs, then the AES-CBC decryption jobs of the good ones. The context is SwiftCryptoProvider's
///   BoringSSL CBC context (its per-packet functions: `seal`, and `verify`/`decrypt` for a
///   worker without the engine) followed by the job API's expanded keys and ipad/opad states.
///   One packet at a time (submit, then flush) the job API was 2.6–2.8× slower than BoringSSL,
///   so outbound `seal` stays BoringSSL's, with its IV scheme (docs/crypto.md).
///
/// Cost and threading as `ESPCryptoContext` requires: no allocation, lock, system call or
/// write to the context per packet; one context may be used by every worker at once.
public struct IPsecMBProvider: ESPCryptoProvider {
    /// The library loaded and the manager made (once per process), or why not.
    public init() throws(CryptoProviderError) {
        guard Self.isAvailable else { throw CryptoProviderError.unavailable(Self.unavailableReason) }
    }

    /// Whether libIPSec_MB.so.1 loaded and has an AES-NI code path here (loads it on first use).
    public static var isAvailable: Bool { qfp_imb_load() == 1 }

    /// Why the library cannot be used, naming the library and the package that installs it.
    public static var unavailableReason: String {
        _ = qfp_imb_load()
        return qfp_imb_error().map { String(cString: $0) } ?? "intel-ipsec-mb is available"
    }

    /// The code path `init_mb_mgr_auto` chose ("avx512", "avx2", "avx", "sse").
    public static var architecture: String {
        _ = qfp_imb_load()
        return String(cString: qfp_imb_arch())
    }

    /// The loaded library's version ("1.3.0").
    public static var version: String {
        _ = qfp_imb_load()
        return String(cString: qfp_imb_version())
    }

    /// The kind word of CIPSecMB's GCM contexts (after the function table, where
    /// SwiftCryptoProvider keeps its own kinds).
    static let kindGCM = UInt(QFP_IMB_KIND_GCM)

    public func makeContext(transform: ESPTransform, keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext {
        try transform.validate(keys)
        switch transform {
        case .null:
            throw .invalidSA("esp-null needs no crypto context")
        case .aesGCM128, .aesGCM256:
            return try Self.makeGCMContext(keys: keys)
        case .aesCBC128SHA1, .aesCBC256SHA1:
            return try Self.makeCBCContext(keys: keys, sha256: false)
        case .aesCBC128SHA256, .aesCBC256SHA256:
            return try Self.makeCBCContext(keys: keys, sha256: true)
        }
    }

    public func releaseContext(_ context: ESPCryptoContext) {
        let base = context.base
        let kind = base.load(fromByteOffset: SwiftCryptoProvider.kindOffset, as: UInt.self)
        if kind == Self.kindGCM {
            qfp_imb_gcm_wipe(base)
            base.deallocate()
        } else if kind == Self.kindCBC {
            Self.releaseCBCContext(base)
        } else {
            SwiftCryptoProvider().releaseContext(context)
        }
    }

    /// The key material is the AES key then the 4-byte salt (RFC 4106 §8.1).
    static func makeGCMContext(keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext {
        let size = qfp_imb_gcm_context_size()
        guard size > 0 else { throw .invalidSA("intel-ipsec-mb AES-GCM: \(unavailableReason)") }
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: qfp_imb_gcm_context_alignment())
        let keyLength = keys.cipher.count - 4
        let status = keys.cipher.withUnsafeBufferPointer { material in
            qfp_imb_gcm_init(base, material.baseAddress!, keyLength, material.baseAddress! + keyLength)
        }
        guard status == 0 else {
            qfp_imb_gcm_wipe(base)
            base.deallocate()
            throw .invalidSA(status == -1 ? "intel-ipsec-mb AES-GCM: \(unavailableReason)"
                                          : "intel-ipsec-mb AES-GCM: \(keyLength * 8)-bit key not supported")
        }
        return ESPCryptoContext(base)
    }
}
