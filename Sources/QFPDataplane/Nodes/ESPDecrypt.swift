/// The inbound transform boundary: integrity check, then decryption, per ESP transform.
///
/// RFC 4303 §3.4: the ICV is verified before the replay window moves, and decryption follows.
/// ESP-NULL (RFC 2410) has neither, so both steps pass the bytes through; real ciphers replace
/// these two functions' bodies and keep their contract (work in place, no allocation).
public enum ESPDecrypt {
    /// Verifies the ICV over ESP header, IV and ciphertext (`espStart ..< end - icv`).
    @inlinable @inline(__always)
    public static func verifyIntegrity(
        _ transform: ESPTransform, packet: UnsafeMutableRawPointer, espStart: Int, end: Int
    ) -> Bool {
        switch transform {
        case .null: return true
        }
    }

    /// Decrypts `payloadStart ..< payloadEnd` in place. Returns false on a cipher error.
    @inlinable @inline(__always)
    public static func decrypt(
        _ transform: ESPTransform, packet: UnsafeMutableRawPointer, payloadStart: Int, payloadEnd: Int
    ) -> Bool {
        switch transform {
        case .null: return true
        }
    }
}
