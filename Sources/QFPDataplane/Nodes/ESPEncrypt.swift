/// The outbound transform boundary: encryption, then the ICV, per ESP transform.
///
/// ESP-NULL (RFC 2410) leaves the payload as it is and appends no ICV; real ciphers replace
/// these bodies and keep the contract (in place, IV and ICV space already reserved).
public enum ESPEncrypt {
    /// Encrypts `payloadStart ..< payloadEnd` (payload, padding, trailer) in place.
    @inlinable @inline(__always)
    public static func encrypt(
        _ transform: ESPTransform, packet: UnsafeMutableRawPointer, payloadStart: Int, payloadEnd: Int
    ) {
        switch transform {
        case .null: break
        }
    }

    /// Writes the ICV over `espStart ..< icvStart` at `icvStart`.
    @inlinable @inline(__always)
    public static func appendIntegrity(
        _ transform: ESPTransform, packet: UnsafeMutableRawPointer, espStart: Int, icvStart: Int
    ) {
        switch transform {
        case .null: break
        }
    }
}
