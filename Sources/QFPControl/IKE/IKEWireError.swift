/// Why `IKEWire.decode` or `IKEWire.parseDatagram` rejected some bytes.
///
/// Offsets count from the first byte of the IKE message (for the message cases) or of the IP
/// packet (for the datagram cases).
public enum IKEWireError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: IKE message

    /// Fewer than the 28 bytes of an ISAKMP/IKE header.
    case truncatedHeader(length: Int)
    /// The header's Length field is not the number of bytes given.
    case badLength(declared: Int, actual: Int)
    /// A major version other than 1 (0x10) or 2 (0x20).
    case unsupportedVersion(UInt8)
    /// An exchange type other than Informational (IKEv1 5, IKEv2 37).
    case unsupportedExchange(version: IKEMessage.Version, exchange: UInt8)
    /// IKEv1 with the Encryption flag set: qfp's emulated IKE has no keys to read it.
    case encrypted
    /// A payload's 4-byte generic header does not fit before the end of the message.
    case truncatedPayload(offset: Int)
    /// A payload's Length is under 4 or runs past the end of the message (or of the SK payload).
    case badPayloadLength(offset: Int, length: Int)
    /// The payload types in order are not one of the shapes this module speaks: IKEv1 HASH then
    /// one Notification or Delete; IKEv2 nothing, one Delete or one Notify (inside SK or not).
    case unknownPayloadChain([UInt8])
    /// The IKEv2 Encrypted (SK) payload is not ENCR_NULL/AUTH_NONE-shaped (pad length too big).
    case badEncryptedPayload(String)
    /// A known payload whose contents are not what this module speaks.
    case malformedPayload(type: UInt8, reason: String)
    /// The IKEv1 HASH(1) is not qfp's placeholder digest of the message ID and payload.
    case hashMismatch

    // MARK: IP and UDP

    /// Too short for the IP or UDP header, or empty.
    case truncatedPacket(length: Int)
    /// The IP version nibble is neither 4 nor 6.
    case unsupportedIPVersion(UInt8)
    /// IPv4 IHL under 5, or the header / total length runs past the bytes given.
    case badIPLength
    /// The IPv4 header checksum does not verify.
    case badIPChecksum
    /// An IPv4 fragment (MF set or non-zero offset).
    case fragmented
    /// IP protocol (IPv6: next header) other than UDP.
    case notUDP(protocol: UInt8)
    /// UDP Length under 8 or past the IP payload.
    case badUDPLength
    /// The UDP checksum does not verify (or is zero over IPv6).
    case badUDPChecksum
    /// Port 4500 payload whose first 4 bytes are not the non-ESP marker: ESP-in-UDP, not IKE.
    case espInUDP(spi: UInt32)
    /// Port 4500 payload of the single byte 0xFF: a NAT-keepalive (RFC 3948), not IKE.
    case natKeepalive

    public var description: String {
        switch self {
        case let .truncatedHeader(n): "truncated IKE header: \(n) bytes, need 28"
        case let .badLength(d, a): "bad IKE length: header says \(d), message has \(a) bytes"
        case let .unsupportedVersion(v): "unsupported IKE version 0x\(String(v, radix: 16))"
        case let .unsupportedExchange(v, e): "unsupported \(v == .ikev1 ? "IKEv1" : "IKEv2") exchange type \(e)"
        case .encrypted: "IKEv1 message is encrypted (E flag set)"
        case let .truncatedPayload(o): "truncated payload header at offset \(o)"
        case let .badPayloadLength(o, l): "bad payload length \(l) at offset \(o)"
        case let .unknownPayloadChain(t): "unknown payload chain [\(t.map(String.init).joined(separator: ", "))]"
        case let .badEncryptedPayload(r): "bad Encrypted payload: \(r)"
        case let .malformedPayload(t, r): "malformed payload type \(t): \(r)"
        case .hashMismatch: "IKEv1 HASH(1) does not match"
        case let .truncatedPacket(n): "truncated packet: \(n) bytes"
        case let .unsupportedIPVersion(v): "unsupported IP version \(v)"
        case .badIPLength: "bad IP header or total length"
        case .badIPChecksum: "bad IPv4 header checksum"
        case .fragmented: "IPv4 fragment"
        case let .notUDP(p): "IP protocol \(p) is not UDP"
        case .badUDPLength: "bad UDP length"
        case .badUDPChecksum: "bad UDP checksum"
        case let .espInUDP(spi): "ESP-in-UDP (SPI 0x\(String(spi, radix: 16, uppercase: true))), not IKE"
        case .natKeepalive: "NAT-keepalive, not IKE"
        }
    }
}
