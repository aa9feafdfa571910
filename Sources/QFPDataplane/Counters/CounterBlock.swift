import Synchronization

/// One core's counters: global drop causes (packets, octets), IPsec feature drops (packets),
/// and datapath dispositions, as `Atomic<UInt64>` cells in that core's own memory.
///
/// Single writer: only the owning thread counts, so an increment is a relaxed load plus a
/// relaxed store (no read-modify-write, no `lock` prefix). Readers on other threads load
/// relaxed and sum the blocks of all cores; a total may lag by the increments in flight, which
/// is all a statistics read needs. `clear` never writes here (see `DropStatistics`).
@frozen
public struct CounterBlock: @unchecked Sendable {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<UInt64>>

    @usableFromInline static var globalPacketsBase: Int { 0 }
    @usableFromInline static var globalOctetsBase: Int { GlobalDropCause.count }
    @usableFromInline static var featureBase: Int { 2 * GlobalDropCause.count }
    @usableFromInline static var datapathBase: Int { featureBase + IPsecDatapathDrop.slotCount }

    /// Number of cells in a block.
    public static var cellCount: Int { datapathBase + DatapathCounter.count }

    /// Bytes a block occupies, padded to whole cache-line pairs.
    public static var byteCount: Int {
        let raw = cellCount * MemoryLayout<Atomic<UInt64>>.stride
        return (raw + CacheLine.padded - 1) / CacheLine.padded * CacheLine.padded
    }

    /// Formats a block at `memory` (at least `byteCount` bytes, cache-line aligned), all zero.
    public init(formatting memory: UnsafeMutableRawPointer) {
        cells = memory.bindMemory(to: Atomic<UInt64>.self, capacity: Self.cellCount)
        for i in 0..<Self.cellCount { (cells + i).initialize(to: Atomic(0)) }
    }

    @inlinable @inline(__always)
    func bump(_ i: Int, by n: UInt64) {
        // Relaxed load and store: this thread is the only writer; readers need no ordering.
        let cell = cells + i
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ n, ordering: .relaxed)
    }

    /// Counts one dropped packet of `octets` bytes under a global cause. Owner only.
    @inlinable @inline(__always)
    public func drop(_ cause: GlobalDropCause, octets: Int) {
        bump(Self.globalPacketsBase &+ cause.index, by: 1)
        bump(Self.globalOctetsBase &+ cause.index, by: UInt64(truncatingIfNeeded: octets))
    }

    /// Counts one dropped packet under a global cause and an IPsec feature drop. Owner only.
    @inlinable @inline(__always)
    public func drop(_ cause: GlobalDropCause, _ feature: IPsecDatapathDrop, octets: Int) {
        drop(cause, octets: octets)
        bump(Self.featureBase &+ Int(feature.rawValue), by: 1)
    }

    /// Counts `n` packets of `octets` bytes under a global cause at once. Owner only.
    @inlinable @inline(__always)
    public func drop(_ cause: GlobalDropCause, packets n: Int, octets: Int) {
        bump(Self.globalPacketsBase &+ cause.index, by: UInt64(truncatingIfNeeded: n))
        bump(Self.globalOctetsBase &+ cause.index, by: UInt64(truncatingIfNeeded: octets))
    }

    /// Adds `n` to a datapath counter. Owner only.
    @inlinable @inline(__always)
    public func count(_ counter: DatapathCounter, _ n: Int = 1) {
        bump(Self.datapathBase &+ counter.index, by: UInt64(truncatingIfNeeded: n))
    }

    /// Reads a cell (relaxed). Any thread.
    @inlinable
    func load(_ i: Int) -> UInt64 { cells[i].load(ordering: .relaxed) }

    /// Adds this block's current values into `snapshot`. Any thread.
    public func accumulate(into snapshot: inout CounterSnapshot) {
        for i in 0..<GlobalDropCause.count {
            snapshot.globalPackets[i] &+= load(Self.globalPacketsBase + i)
            snapshot.globalOctets[i] &+= load(Self.globalOctetsBase + i)
        }
        for i in 0..<IPsecDatapathDrop.slotCount {
            snapshot.featurePackets[i] &+= load(Self.featureBase + i)
        }
        for i in 0..<DatapathCounter.count {
            snapshot.datapath[i] &+= load(Self.datapathBase + i)
        }
    }
}
