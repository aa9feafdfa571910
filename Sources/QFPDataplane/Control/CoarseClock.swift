import Synchronization

/// A nanosecond timestamp the control plane publishes for the data plane to read.
///
/// Workers read it once per burst (one relaxed load) instead of calling the clock per packet;
/// tests publish virtual time, so lifetimes and rate limits run without sleeping.
@frozen
public struct CoarseClock: @unchecked Sendable {
    @usableFromInline let cell: UnsafeMutablePointer<Atomic<UInt64>>

    init(cell: UnsafeMutableRawPointer) {
        self.cell = cell.bindMemory(to: Atomic<UInt64>.self, capacity: 1)
        self.cell.initialize(to: Atomic(0))
    }

    /// The last published time. Any thread.
    @inlinable @inline(__always)
    public var now: UInt64 {
        // Relaxed: a timestamp; nothing else is published with it.
        cell.pointee.load(ordering: .relaxed)
    }

    /// Publishes `nanoseconds`. One publisher thread.
    @inlinable
    public func publish(_ nanoseconds: UInt64) {
        cell.pointee.store(nanoseconds, ordering: .relaxed)
    }
}

/// The shared state between the control plane and one worker: acknowledgement and stop flag.
@frozen
public struct WorkerControlBlock: @unchecked Sendable {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<UInt64>>

    init(memory: UnsafeMutableRawPointer) {
        cells = memory.bindMemory(to: Atomic<UInt64>.self, capacity: 2)
        cells.initialize(to: Atomic(0))                       // applied epoch
        (memory + CacheLine.padded).bindMemory(to: Atomic<UInt64>.self, capacity: 1)
            .initialize(to: Atomic(0))                        // stop flag, its own line
    }

    @inlinable var stopCell: UnsafeMutablePointer<Atomic<UInt64>> {
        (UnsafeMutableRawPointer(cells) + CacheLine.padded).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// Epoch of the last command the worker applied. Control plane.
    @inlinable
    public var appliedEpoch: UInt64 {
        // Acquiring: pairs with the worker's releasing store in `acknowledge`, so everything the
        // worker did before acknowledging (e.g. dropping an SA from its table) happened before.
        cells.pointee.load(ordering: .acquiring)
    }

    /// Publishes the epoch of the last applied command. Worker only.
    @inlinable
    func acknowledge(_ epoch: UInt64) {
        // Releasing: pairs with the control plane's acquiring load of appliedEpoch.
        cells.pointee.store(epoch, ordering: .releasing)
    }

    /// Whether the worker was asked to stop. Worker.
    @inlinable
    public var stopRequested: Bool {
        // Relaxed: a flag checked every loop; nothing is published with it.
        stopCell.pointee.load(ordering: .relaxed) != 0
    }

    /// Asks the worker to leave its loop. Any thread.
    public func requestStop() { stopCell.pointee.store(1, ordering: .relaxed) }
}
