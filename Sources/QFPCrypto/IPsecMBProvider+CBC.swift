import CBoringAEAD
import CIPSecMB
import QFPDataplane

/// AES-CBC + HMAC on intel-ipsec-mb's job API, inbound a burst at a time.
///
/// Context (64-byte aligned):
/// ```
///    0  SwiftCryptoProvider's CBC context (AESCBCHMAC), kind word 4: its function table
///       (BoringSSL verify, decrypt and seal with the IV scheme of AESCBCHMAC), key schedules,
///       IV key, HMAC states
/// 1024  CIPSecMB's CBC section: AES encryption and decryption round keys
///       (IMB_AES_KEYEXP_128/256), HMAC ipad/opad states (IMB_SHA1/SHA256_ONE_BLOCK), key and
///       ICV lengths, hash algorithm
/// ```
/// So a packet sealed here is byte for byte what SwiftCryptoProvider seals under the same IV
/// key, and a worker without an engine opens packets exactly as SwiftCryptoProvider does.
extension IPsecMBProvider {
    /// The kind word of CBC contexts with the job API's section.
    static let kindCBC = UInt(QFP_IMB_KIND_CBC)
    /// Where the job API's section starts in a CBC context.
    static let cbcSectionOffset = (AESCBCHMAC.contextSize + 63) & ~63
    /// The transforms the burst engine opens.
    static let burstTransforms: [ESPTransform] = [.aesCBC128SHA1, .aesCBC256SHA1, .aesCBC128SHA256, .aesCBC256SHA256]

    static var cbcContextSize: Int { cbcSectionOffset + qfp_imb_cbc_section_size() }

    static func makeCBCContext(keys: ESPKeys, sha256: Bool) throws(DataplaneError) -> ESPCryptoContext {
        guard qfp_imb_cbc_section_size() > 0 else { throw .invalidSA("intel-ipsec-mb AES-CBC: \(unavailableReason)") }
        let context = try AESCBCHMAC.makeContext(keys: keys, sha256: sha256, size: cbcContextSize, kind: kindCBC)
        let section = context.base + cbcSectionOffset
        let status = keys.cipher.withUnsafeBufferPointer { key in
            keys.authenticator.withUnsafeBufferPointer { auth in
                qfp_imb_cbc_init(section, key.baseAddress!, key.count, auth.baseAddress, auth.count, sha256 ? 1 : 0)
            }
        }
        guard status == 0 else {
            releaseCBCContext(context.base)
            throw .invalidSA(status == -1 ? "intel-ipsec-mb AES-CBC: \(unavailableReason)"
                                          : "intel-ipsec-mb AES-CBC: \(keys.cipher.count * 8)-bit key not supported")
        }
        return context
    }

    static func releaseCBCContext(_ base: UnsafeMutableRawPointer) {
        qfp_imb_cbc_wipe(base + cbcSectionOffset)
        CCryptoBoringSSL_OPENSSL_cleanse(base, AESCBCHMAC.contextSize)
        base.deallocate()
    }

    /// An engine with its own IMB_MGR (cold path: allocates the manager and the engine's
    /// 4 KiB tag buffer). Nil when the library cannot make a manager.
    public func makeBurstEngine() -> ESPCryptoBurst? {
        let size = qfp_imb_burst_size()
        guard size > 0 else { return nil }
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: qfp_imb_burst_alignment())
        guard qfp_imb_burst_init(base, ESPCryptoBurst.mask(Self.burstTransforms), Self.cbcSectionOffset) == 0 else {
            base.deallocate()
            return nil
        }
        return ESPCryptoBurst(base)
    }

    public func releaseBurstEngine(_ engine: ESPCryptoBurst) {
        qfp_imb_burst_destroy(engine.base)
        engine.base.deallocate()
    }
}
