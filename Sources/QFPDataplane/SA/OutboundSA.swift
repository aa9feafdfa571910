import Synchronization

/// An outbound SA slot, shared by all workers (outbound traffic is steered by flow, so any
/// worker may use any outbound SA).
///
/// The sequence number and byte count are `Atomic<UInt64>` advanced with one relaxed
/// fetch-add each per packet, like DPDK's `RTE_IPSEC_SAFLAG_SQN_ATOM`: every value is handed
/// out exactly once, so numbering stays unique and soft/hard limits are crossed by exactly one
/// packet. Everything else is written by the control plane before the SA is bound and only
/// read afterwards. Layout: 0 sequence, 8 bytes (lines 0–1, written by workers);
/// 128 parameters (lines 2–3, read-only while bound).
@frozen
public struct OutboundSA {
    public static let size = 256
    public let base: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable var sequence: UnsafeMutablePointer<Atomic<UInt64>> {
        base.assumingMemoryBound(to: Atomic<UInt64>.self)
    }
    @inlinable var bytes: UnsafeMutablePointer<Atomic<UInt64>> {
        (base + 8).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    // Parameters: 128 spi u32 | 132 flags u16 | 134 udp source u16 | 136 udp destination u16
    // 144 tunnel source (16) | 160 tunnel destination (16)
    // 176 soft packets u64 | 184 hard packets u64 | 192 soft bytes u64 | 200 hard bytes u64 (0 = none)
    // 208 crypto context pointer (nil for ESP-NULL)
    @inlinable public var spi: UInt32 { base.load(fromByteOffset: 128, as: UInt32.self) }
    @inlinable public var flags: SAFlags { SAFlags(rawValue: base.load(fromByteOffset: 132, as: UInt16.self)) }
    @inlinable public var udpSourcePort: UInt16 { base.load(fromByteOffset: 134, as: UInt16.self) }
    @inlinable public var udpDestinationPort: UInt16 { base.load(fromByteOffset: 136, as: UInt16.self) }
    @inlinable public var tunnelSource: IPAddress { base.load(fromByteOffset: 144, as: IPAddress.self) }
    @inlinable public var tunnelDestination: IPAddress { base.load(fromByteOffset: 160, as: IPAddress.self) }
    @inlinable public var softPackets: UInt64 { base.load(fromByteOffset: 176, as: UInt64.self) }
    @inlinable public var hardPackets: UInt64 { base.load(fromByteOffset: 184, as: UInt64.self) }
    @inlinable public var softBytes: UInt64 { base.load(fromByteOffset: 192, as: UInt64.self) }
    @inlinable public var hardBytes: UInt64 { base.load(fromByteOffset: 200, as: UInt64.self) }
    /// 208: the crypto context (only for transforms other than ESP-NULL, which always have one).
    @inlinable public var context: ESPCryptoContext {
        ESPCryptoContext(base.load(fromByteOffset: 208, as: UnsafeMutableRawPointer?.self).unsafelyUnwrapped)
    }

    /// Writes the parameters and resets sequence and byte count. Control plane only, while no
    /// worker has the slot bound (the bind command's ring release publishes these writes).
    func write(_ config: OutboundSAConfig, flags: SAFlags, context: ESPCryptoContext?) {
        base.storeBytes(of: context?.base, toByteOffset: 208, as: UnsafeMutableRawPointer?.self)
        sequence.initialize(to: Atomic(0))
        bytes.initialize(to: Atomic(0))
        base.storeBytes(of: config.spi, toByteOffset: 128, as: UInt32.self)
        base.storeBytes(of: flags.rawValue, toByteOffset: 132, as: UInt16.self)
        base.storeBytes(of: config.udpSourcePort, toByteOffset: 134, as: UInt16.self)
        base.storeBytes(of: config.udpDestinationPort, toByteOffset: 136, as: UInt16.self)
        base.storeBytes(of: config.tunnelSource, toByteOffset: 144, as: IPAddress.self)
        base.storeBytes(of: config.tunnelDestination, toByteOffset: 160, as: IPAddress.self)
        base.storeBytes(of: config.lifetime.softPackets ?? 0, toByteOffset: 176, as: UInt64.self)
        base.storeBytes(of: config.lifetime.hardPackets ?? 0, toByteOffset: 184, as: UInt64.self)
        base.storeBytes(of: config.lifetime.softBytes ?? 0, toByteOffset: 192, as: UInt64.self)
        base.storeBytes(of: config.lifetime.hardBytes ?? 0, toByteOffset: 200, as: UInt64.self)
    }

    /// Sequence numbers handed out so far. Any thread.
    public var sequenceNumbersUsed: UInt64 { sequence.pointee.load(ordering: .relaxed) }
}

/// The outbound SA slots shared by all workers.
@frozen
public struct OutboundSAArena: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutableRawPointer
    public let capacity: Int

    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inlinable @inline(__always)
    public func entry(_ slot: UInt32) -> OutboundSA { OutboundSA(base + (Int(slot) &<< 8)) }
}

/// Per-SA counters of an outbound SA, kept per worker and summed when read.
public enum OutboundSACounter: Int, CaseIterable, Sendable {
    case encapsulatedPackets, encapsulatedBytes, sequenceOverflowDrops, hardExpiryDrops
}

/// A snapshot of one outbound SA's counters, summed over workers.
public struct OutboundSACounters: Equatable, Sendable {
    public var values: [UInt64]
    public init(values: [UInt64] = Array(repeating: 0, count: OutboundSACounter.allCases.count)) {
        self.values = values
    }
    public subscript(_ c: OutboundSACounter) -> UInt64 { values[c.rawValue] }
}

/// One worker's counters for every outbound slot (single writer: that worker).
@frozen
public struct OutboundCounterTable: @unchecked Sendable {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<UInt64>>
    @usableFromInline static let stride = 4

    init(memory: UnsafeMutableRawPointer) {
        cells = memory.assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    @inlinable @inline(__always)
    func bump(_ slot: UInt32, _ counter: OutboundSACounter, by n: UInt64 = 1) {
        let cell = cells + (Int(slot) &* Self.stride &+ counter.rawValue)
        // Relaxed load + store: this worker is the only writer of its table.
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ n, ordering: .relaxed)
    }

    @inlinable @inline(__always)
    func prefetch(_ slot: UInt32) {
        Prefetch.write(cells + Int(slot) &* Self.stride)
    }

    func reset(_ slot: UInt32) {
        for i in 0..<Self.stride {
            // Relaxed: readers tolerate seeing the old totals until this lands.
            cells[Int(slot) * Self.stride + i].store(0, ordering: .relaxed)
        }
    }

    func load(_ slot: UInt32, _ counter: OutboundSACounter) -> UInt64 {
        cells[Int(slot) * Self.stride + counter.rawValue].load(ordering: .relaxed)
    }
}
