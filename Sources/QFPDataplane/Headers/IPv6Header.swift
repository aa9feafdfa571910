/// Zero-copy view of an IPv6 header (RFC 8200) and a walker over its extension headers.
@frozen
public struct IPv6Header {
    public let base: UnsafeRawPointer

    public static let length = 40
    /// Most extension headers the walker follows before calling the packet malformed.
    public static let maximumExtensionHeaders = 8

    @inlinable @inline(__always)
    public init(_ base: UnsafeRawPointer) { self.base = base }

    /// Payload length field.
    @inlinable public var payloadLength: Int {
        Int(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
    }
    /// Next header of the fixed header.
    @inlinable public var nextHeader: UInt8 { base.load(fromByteOffset: 6, as: UInt8.self) }
    /// Hop limit.
    @inlinable public var hopLimit: UInt8 { base.load(fromByteOffset: 7, as: UInt8.self) }
    /// Source address.
    @inlinable public var source: IPAddress { .loadIPv6(base + 8) }
    /// Destination address.
    @inlinable public var destination: IPAddress { .loadIPv6(base + 24) }

    /// Where the walk over extension headers ended.
    @frozen
    public struct UpperLayer {
        /// Upper-layer protocol (e.g. 50 ESP, 17 UDP), valid when `malformed` is false.
        public var protocolNumber: UInt8
        /// Offset of the upper-layer header from the start of the IPv6 header.
        public var offset: Int
        /// A Fragment header was crossed.
        public var isFragment: Bool
        /// The fragment offset is zero (first fragment), when `isFragment`.
        public var isFirstFragment: Bool
        /// An extension header ran past the packet, or the chain was too long.
        public var malformed: Bool

        @inlinable
        public init(protocolNumber: UInt8, offset: Int, isFragment: Bool, isFirstFragment: Bool, malformed: Bool) {
            self.protocolNumber = protocolNumber
            self.offset = offset
            self.isFragment = isFragment
            self.isFirstFragment = isFirstFragment
            self.malformed = malformed
        }
    }

    /// Walks Hop-by-Hop, Routing, Fragment, Destination Options (and Mobility/HIP/Shim6)
    /// headers to the first upper-layer header, within `end` bytes (the datagram length).
    @inlinable
    public func walk(end: Int) -> UpperLayer {
        var next = nextHeader
        var offset = Self.length
        var fragment = false
        var first = true
        for _ in 0..<Self.maximumExtensionHeaders {
            switch next {
            case 0, 43, 60, 135, 139, 140:
                if offset &+ 8 > end { return UpperLayer(protocolNumber: next, offset: offset, isFragment: fragment, isFirstFragment: first, malformed: true) }
                let length = (Int(base.load(fromByteOffset: offset &+ 1, as: UInt8.self)) &+ 1) &<< 3
                next = base.load(fromByteOffset: offset, as: UInt8.self)
                offset &+= length
                if offset > end { return UpperLayer(protocolNumber: next, offset: offset, isFragment: fragment, isFirstFragment: first, malformed: true) }
            case 44:
                if offset &+ 8 > end { return UpperLayer(protocolNumber: next, offset: offset, isFragment: true, isFirstFragment: first, malformed: true) }
                let offsetAndFlags = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset &+ 2, as: UInt16.self))
                fragment = true
                first = offsetAndFlags & 0xFFF8 == 0
                next = base.load(fromByteOffset: offset, as: UInt8.self)
                offset &+= 8
            default:
                return UpperLayer(protocolNumber: next, offset: offset, isFragment: fragment, isFirstFragment: first, malformed: false)
            }
        }
        return UpperLayer(protocolNumber: next, offset: offset, isFragment: fragment, isFirstFragment: first, malformed: true)
    }

    /// Writes a 40-byte header (traffic class and flow label zero).
    @inlinable
    public static func write(
        to p: UnsafeMutableRawPointer, payloadLength: Int, nextHeader: UInt8,
        source: IPAddress, destination: IPAddress, hopLimit: UInt8 = 64
    ) {
        p.storeBytes(of: UInt32(0x6000_0000).bigEndian, as: UInt32.self)
        p.storeBytes(of: UInt16(truncatingIfNeeded: payloadLength).bigEndian, toByteOffset: 4, as: UInt16.self)
        p.storeBytes(of: nextHeader, toByteOffset: 6, as: UInt8.self)
        p.storeBytes(of: hopLimit, toByteOffset: 7, as: UInt8.self)
        source.store(to: p + 8, asIPv4: false)
        destination.store(to: p + 24, asIPv4: false)
    }
}
