#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address in 16 bytes; IPv4 is held as the mapped form `::ffff:a.b.c.d`.
///
/// Plain value, no allocation: used as SA and SPD key material on the data path.
@frozen
public struct IPAddress: Hashable, Sendable, BitwiseCopyable, Comparable, CustomStringConvertible {
    /// Bytes 0–7 in network order, as a big-endian integer.
    public var high: UInt64
    /// Bytes 8–15 in network order, as a big-endian integer.
    public var low: UInt64

    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The mapped IPv6 form of an IPv4 address given in host order.
    @inlinable
    public init(ipv4: UInt32) {
        high = 0
        low = 0x0000_FFFF_0000_0000 | UInt64(ipv4)
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil when it is neither.
    public init?(_ text: String) {
        var v4 = in_addr()
        if text.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            self.init(ipv4: UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard text.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 else { return nil }
        let (h, l) = withUnsafeBytes(of: &v6) {
            (UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)),
             UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        self.init(high: h, low: l)
    }

    /// Reads 4 bytes (IPv4) in network order.
    @inlinable @inline(__always)
    public static func loadIPv4(_ p: UnsafeRawPointer) -> IPAddress {
        IPAddress(ipv4: UInt32(bigEndian: p.loadUnaligned(as: UInt32.self)))
    }

    /// Reads 16 bytes (IPv6) in network order.
    @inlinable @inline(__always)
    public static func loadIPv6(_ p: UnsafeRawPointer) -> IPAddress {
        IPAddress(
            high: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// Whether this is an IPv4 (mapped) address.
    @inlinable
    public var isIPv4: Bool { high == 0 && (low >> 32) == 0x0000_FFFF }

    /// The IPv4 address in host order (meaningful only when `isIPv4`).
    @inlinable
    public var ipv4: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// Writes the address in network order: 4 bytes for IPv4, else 16.
    @inlinable @inline(__always)
    public func store(to p: UnsafeMutableRawPointer, asIPv4: Bool) {
        if asIPv4 {
            p.storeBytes(of: ipv4.bigEndian, as: UInt32.self)
        } else {
            p.storeBytes(of: high.bigEndian, as: UInt64.self)
            p.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
    }

    /// This address with all but the first `length` bits cleared (`length` counts IPv6 bits;
    /// for IPv4 use `96 + prefix`).
    @inlinable
    public func masked(toPrefix length: Int) -> IPAddress {
        if length <= 0 { return IPAddress(high: 0, low: 0) }
        if length >= 128 { return self }
        if length <= 64 {
            return IPAddress(high: high & ~(UInt64.max >> UInt64(length)), low: 0)
        }
        return IPAddress(high: high, low: low & ~(UInt64.max >> UInt64(length - 64)))
    }

    /// A 32-bit mix of the 128 bits, for hash tables.
    @inlinable @inline(__always)
    public var hash32: UInt32 {
        let x = (high &* 0x9E37_79B9_7F4A_7C15) ^ (low &* 0xC2B2_AE3D_27D4_EB4F)
        return UInt32(truncatingIfNeeded: x ^ (x >> 29))
    }

    @inlinable
    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        if isIPv4 {
            var a = in_addr(s_addr: ipv4.bigEndian)
            _ = inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count))
        } else {
            var a = in6_addr()
            withUnsafeMutableBytes(of: &a) {
                $0.storeBytes(of: high.bigEndian, as: UInt64.self)
                $0.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            _ = inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count))
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
