/// Zero-copy view of a UDP header (RFC 768) and the ESP-in-UDP rules of RFC 3948.
@frozen
public struct UDPHeader {
    public let base: UnsafeRawPointer

    public static let length = 8
    /// IKE and NAT-T ESP-in-UDP port.
    public static let natTraversalPort: UInt16 = 4500
    /// IKE port.
    public static let ikePort: UInt16 = 500

    @inlinable @inline(__always)
    public init(_ base: UnsafeRawPointer) { self.base = base }

    @inlinable public var sourcePort: UInt16 { UInt16(bigEndian: base.loadUnaligned(as: UInt16.self)) }
    @inlinable public var destinationPort: UInt16 {
        UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
    }
    /// Length field: header plus payload.
    @inlinable public var lengthField: Int {
        Int(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
    }

    /// Writes a header with checksum 0 (RFC 3948 §2.1 allows zero for ESP-in-UDP over IPv4).
    @inlinable
    public static func write(to p: UnsafeMutableRawPointer, sourcePort: UInt16, destinationPort: UInt16, length: Int) {
        p.storeBytes(of: sourcePort.bigEndian, as: UInt16.self)
        p.storeBytes(of: destinationPort.bigEndian, toByteOffset: 2, as: UInt16.self)
        p.storeBytes(of: UInt16(truncatingIfNeeded: length).bigEndian, toByteOffset: 4, as: UInt16.self)
        p.storeBytes(of: 0, toByteOffset: 6, as: UInt16.self)
    }
}

/// Zero-copy view of an ESP header (RFC 4303 §2): SPI and sequence number.
@frozen
public struct ESPHeader {
    public let base: UnsafeRawPointer

    public static let length = 8
    /// Trailer bytes after the padding: Pad Length and Next Header.
    public static let trailerLength = 2
    /// Next Header of a dummy (TFC) packet, silently discarded (RFC 4303 §2.6).
    public static let dummyNextHeader: UInt8 = 59
    /// SPIs below this are reserved: 0 for local use, 1–255 by IANA (RFC 4303 §2.1).
    public static let firstAssignableSPI: UInt32 = 256

    @inlinable @inline(__always)
    public init(_ base: UnsafeRawPointer) { self.base = base }

    @inlinable public var spi: UInt32 { UInt32(bigEndian: base.loadUnaligned(as: UInt32.self)) }
    @inlinable public var sequenceNumber: UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
    }

    @inlinable
    public static func write(to p: UnsafeMutableRawPointer, spi: UInt32, sequenceNumber: UInt32) {
        p.storeBytes(of: spi.bigEndian, as: UInt32.self)
        p.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 4, as: UInt32.self)
    }
}
