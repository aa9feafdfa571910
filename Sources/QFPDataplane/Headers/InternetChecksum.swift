/// The RFC 1071 one's-complement checksum used by IPv4 headers.
public enum InternetChecksum {
    /// Checksum of `count` bytes at `p` (count even for headers; an odd tail byte is padded).
    @inlinable
    public static func compute(_ p: UnsafeRawPointer, count: Int) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i &+ 1 < count {
            sum &+= UInt32(UInt16(bigEndian: p.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
            i &+= 2
        }
        if i < count { sum &+= UInt32(p.load(fromByteOffset: i, as: UInt8.self)) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }
}
