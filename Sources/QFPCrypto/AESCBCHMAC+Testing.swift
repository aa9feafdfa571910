import CBoringAEAD
import QFPDataplane

extension AESCBCHMAC {
    /// Replaces a CBC context's random IV key with `key` (16 bytes), so that tests can require
    /// byte-identical output from two providers' contexts. Tests only.
    static func setIVKey(_ context: ESPCryptoContext, _ key: [UInt8]) {
        precondition(key.count == 16)
        let ivKey = (context.base + ivKeyOffset).bindMemory(to: AES_KEY.self, capacity: 1)
        _ = key.withUnsafeBufferPointer { CCryptoBoringSSL_AES_set_encrypt_key($0.baseAddress, 128, ivKey) }
    }
}
