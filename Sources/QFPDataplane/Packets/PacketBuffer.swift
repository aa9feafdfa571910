/// A view of one fixed-size packet buffer: a 64-byte metadata header, headroom, then data.
///
/// Buffers are `PacketBuffer.size` bytes and live in a `PacketPool`; a `PacketHandle` names
/// one. The view is a raw pointer: no ownership, no reference counting. The packet's bytes
/// are `data ..< data + length`; stages move `dataOffset` to prepend or strip headers.
@frozen
public struct PacketBuffer {
    /// Usable bytes per buffer.
    public static let size = 2048
    /// Distance between buffers in a pool: one cache line more than `size`, so that the same
    /// offset in consecutive buffers falls in different cache sets. With a 2048-byte stride
    /// every buffer's headers would share two L1 sets and a burst would evict itself (the
    /// reason DPDK's mempool spreads its objects).
    public static let stride = size + 64
    /// Bytes of metadata at the start of a buffer.
    public static let metadataSize = 64
    /// Where a freshly received packet starts: room before it for outer headers on encapsulation.
    public static let defaultDataOffset = 192
    /// Largest packet a buffer can hold from the default offset.
    public static let maximumLength = size - defaultDataOffset

    public let base: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    // Metadata layout: 0 dataOffset u16, 2 length u16, 4 inputInterface u16, 6 flags u16,
    // 8 timestamp u64 (ns, coarse clock), 16 streamID u32.

    /// Offset of the first packet byte from the buffer start.
    @inlinable public var dataOffset: Int {
        @inline(__always) get { Int(base.load(as: UInt16.self)) }
        @inline(__always) nonmutating set { base.storeBytes(of: UInt16(truncatingIfNeeded: newValue), as: UInt16.self) }
    }
    /// Packet length in bytes.
    @inlinable public var length: Int {
        @inline(__always) get { Int(base.load(fromByteOffset: 2, as: UInt16.self)) }
        @inline(__always) nonmutating set {
            base.storeBytes(of: UInt16(truncatingIfNeeded: newValue), toByteOffset: 2, as: UInt16.self)
        }
    }
    /// Index of the interface the packet arrived on.
    @inlinable public var inputInterface: UInt16 {
        @inline(__always) get { base.load(fromByteOffset: 4, as: UInt16.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 4, as: UInt16.self) }
    }
    /// Arrival time in nanoseconds of the data plane's coarse clock.
    @inlinable public var timestamp: UInt64 {
        @inline(__always) get { base.load(fromByteOffset: 8, as: UInt64.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 8, as: UInt64.self) }
    }
    /// Generator stream the packet belongs to (0 when none).
    @inlinable public var streamID: UInt32 {
        @inline(__always) get { base.load(fromByteOffset: 16, as: UInt32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 16, as: UInt32.self) }
    }

    /// First packet byte.
    @inlinable public var data: UnsafeMutableRawPointer {
        @inline(__always) get { base + dataOffset }
    }

    /// Bytes available after the packet's end.
    @inlinable public var tailroom: Int { PacketBuffer.size &- dataOffset &- length }

    /// Bytes available before the packet's start.
    @inlinable public var headroom: Int { dataOffset &- PacketBuffer.metadataSize }

    /// Resets the metadata for a new packet of `length` bytes at the default offset.
    @inlinable @inline(__always)
    public func reset(length: Int, inputInterface: UInt16, timestamp: UInt64) {
        dataOffset = PacketBuffer.defaultDataOffset
        self.length = length
        self.inputInterface = inputInterface
        self.timestamp = timestamp
        streamID = 0
    }

    /// The packet bytes as a raw buffer (valid while the buffer is held).
    @inlinable public var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: data, count: length)
    }
}

/// Names one buffer: pool number in the top 8 bits, buffer index in the low 24.
public typealias PacketHandle = UInt32

/// Resolves handles of every pool to buffer addresses. Immutable after the pipeline is built.
@frozen
public struct BufferDirectory: @unchecked Sendable {
    public static let maximumPools = 256
    @usableFromInline let bases: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    init(bases: UnsafeMutablePointer<UnsafeMutableRawPointer?>) { self.bases = bases }

    /// The buffer `handle` names.
    @inlinable @inline(__always)
    public func buffer(_ handle: PacketHandle) -> PacketBuffer {
        PacketBuffer(bases[Int(handle >> 24)].unsafelyUnwrapped
            + Int(handle & 0x00FF_FFFF) &* PacketBuffer.stride)
    }

    /// The pool that owns `handle`.
    @inlinable @inline(__always)
    public static func pool(of handle: PacketHandle) -> Int { Int(handle >> 24) }
}
