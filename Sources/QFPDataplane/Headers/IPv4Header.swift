/// Zero-copy view of an IPv4 header (RFC 791), options included.
///
/// `validate` checks everything the accessors rely on; the accessors themselves do no checks.
@frozen
public struct IPv4Header {
    public let base: UnsafeRawPointer

    public static let minimumLength = 20
    public static let protocolNumberESP: UInt8 = 50
    public static let protocolNumberUDP: UInt8 = 17

    @inlinable @inline(__always)
    public init(_ base: UnsafeRawPointer) { self.base = base }

    /// Why a buffer is not a usable IPv4 header, or `.valid`.
    public enum Check: UInt8, Sendable, BitwiseCopyable {
        case valid, truncated, badVersion, badHeaderLength, badTotalLength
    }

    /// Checks version, IHL and total length against `available` bytes.
    @inlinable @inline(__always)
    public static func validate(_ p: UnsafeRawPointer, available: Int) -> Check {
        if available < minimumLength { return .truncated }
        let vihl = p.load(as: UInt8.self)
        if vihl >> 4 != 4 { return .badVersion }
        let ihl = Int(vihl & 0x0F) &<< 2
        if ihl < minimumLength { return .badHeaderLength }
        let total = Int(UInt16(bigEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        if total < ihl { return .badTotalLength }
        if total > available { return .truncated }
        return .valid
    }

    /// Header length in bytes (IHL × 4).
    @inlinable public var headerLength: Int { Int(base.load(as: UInt8.self) & 0x0F) &<< 2 }
    /// Total length of the datagram.
    @inlinable public var totalLength: Int {
        Int(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
    }
    /// Identification field.
    @inlinable public var identification: UInt16 {
        UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
    }
    @inlinable var flagsAndOffset: UInt16 {
        UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
    }
    /// Don't-fragment flag.
    @inlinable public var dontFragment: Bool { flagsAndOffset & 0x4000 != 0 }
    /// More-fragments flag.
    @inlinable public var moreFragments: Bool { flagsAndOffset & 0x2000 != 0 }
    /// Fragment offset in 8-byte units.
    @inlinable public var fragmentOffset: Int { Int(flagsAndOffset & 0x1FFF) }
    /// Whether this datagram is a fragment (first or later).
    @inlinable public var isFragment: Bool { flagsAndOffset & 0x3FFF != 0 }
    /// Time to live.
    @inlinable public var ttl: UInt8 { base.load(fromByteOffset: 8, as: UInt8.self) }
    /// Upper-layer protocol.
    @inlinable public var protocolNumber: UInt8 { base.load(fromByteOffset: 9, as: UInt8.self) }
    /// Header checksum as carried.
    @inlinable public var checksum: UInt16 {
        UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 10, as: UInt16.self))
    }
    /// Source address.
    @inlinable public var source: IPAddress { .loadIPv4(base + 12) }
    /// Destination address.
    @inlinable public var destination: IPAddress { .loadIPv4(base + 16) }
    /// Whether the header checksum verifies.
    @inlinable public var checksumIsValid: Bool { InternetChecksum.compute(base, count: headerLength) == 0 }

    /// Writes a 20-byte header (no options) with a valid checksum.
    @inlinable
    public static func write(
        to p: UnsafeMutableRawPointer, totalLength: Int, protocolNumber: UInt8,
        source: IPAddress, destination: IPAddress, ttl: UInt8 = 64,
        identification: UInt16 = 0, dontFragment: Bool = false
    ) {
        p.storeBytes(of: 0x45, as: UInt8.self)
        p.storeBytes(of: 0, toByteOffset: 1, as: UInt8.self)
        p.storeBytes(of: UInt16(truncatingIfNeeded: totalLength).bigEndian, toByteOffset: 2, as: UInt16.self)
        p.storeBytes(of: identification.bigEndian, toByteOffset: 4, as: UInt16.self)
        p.storeBytes(of: (dontFragment ? UInt16(0x4000) : 0).bigEndian, toByteOffset: 6, as: UInt16.self)
        p.storeBytes(of: ttl, toByteOffset: 8, as: UInt8.self)
        p.storeBytes(of: protocolNumber, toByteOffset: 9, as: UInt8.self)
        p.storeBytes(of: 0, toByteOffset: 10, as: UInt16.self)
        source.store(to: p + 12, asIPv4: true)
        destination.store(to: p + 16, asIPv4: true)
        updateChecksum(p)
    }

    /// Recomputes the header checksum in place.
    @inlinable
    public static func updateChecksum(_ p: UnsafeMutableRawPointer) {
        p.storeBytes(of: 0, toByteOffset: 10, as: UInt16.self)
        let length = Int(p.load(as: UInt8.self) & 0x0F) &<< 2
        p.storeBytes(of: InternetChecksum.compute(p, count: length).bigEndian, toByteOffset: 10, as: UInt16.self)
    }
}
