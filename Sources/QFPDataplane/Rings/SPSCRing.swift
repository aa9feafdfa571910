import Synchronization

/// A bounded single-producer, single-consumer ring of plain values (DPDK `rte_ring` SP/SC).
///
/// Exactly one thread may enqueue and exactly one thread may dequeue at a time; that contract
/// is in the name and is not checked. Indices are free-running 32-bit counters masked by
/// `capacity - 1`, so `tail - head` is the fill level even across wrap-around. The producer's
/// and the consumer's lines are 128 bytes apart, and each side caches the other side's index,
/// so a burst costs one shared-line read only when the cached view says the ring is full/empty.
///
/// The ring does not own its memory lifetime: whoever created it calls `deallocate()` once,
/// after both sides stopped. Copying the struct copies the reference, not the ring.
@frozen
public struct SPSCRing<Element: BitwiseCopyable>: @unchecked Sendable {
    // Layout (all offsets from `base`):
    //   0   producer line: tail (Atomic<UInt32>), cachedHead (UInt32, producer-private)
    //   128 consumer line: head (Atomic<UInt32>), cachedTail (UInt32, consumer-private)
    //   256 slots
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let slots: UnsafeMutablePointer<Element>
    @usableFromInline let mask: UInt32
    @usableFromInline let region: NodeLocalRegion

    @usableFromInline static var headerBytes: Int { 2 * CacheLine.padded }

    /// Number of slots (a power of two).
    @inlinable public var capacity: Int { Int(mask) &+ 1 }

    /// Creates a ring with at least `minimumCapacity` slots in `node`'s memory.
    public init(minimumCapacity: Int, node: Int = 0, what: String = "ring") throws(DataplaneError) {
        guard minimumCapacity >= 1, minimumCapacity <= 1 << 30 else {
            throw .invalidConfiguration("ring capacity \(minimumCapacity) out of range 1...2^30")
        }
        var capacity = 2
        while capacity < minimumCapacity { capacity <<= 1 }
        let bytes = Self.headerBytes + capacity * MemoryLayout<Element>.stride
        region = try NodeLocalRegion.allocate(byteCount: bytes, node: node, what: what)
        base = region.base
        base.bindMemory(to: Atomic<UInt32>.self, capacity: 1).initialize(to: Atomic(0))
        (base + CacheLine.padded).bindMemory(to: Atomic<UInt32>.self, capacity: 1).initialize(to: Atomic(0))
        slots = (base + Self.headerBytes).bindMemory(to: Element.self, capacity: capacity)
        mask = UInt32(capacity - 1)
    }

    /// Frees the ring. Neither side may use it afterwards.
    public func deallocate() { region.deallocate() }

    @inlinable @inline(__always)
    var tail: UnsafeMutablePointer<Atomic<UInt32>> {
        base.assumingMemoryBound(to: Atomic<UInt32>.self)
    }
    @inlinable @inline(__always)
    var cachedHead: UnsafeMutablePointer<UInt32> {
        (base + 4).assumingMemoryBound(to: UInt32.self)
    }
    @inlinable @inline(__always)
    var head: UnsafeMutablePointer<Atomic<UInt32>> {
        (base + CacheLine.padded).assumingMemoryBound(to: Atomic<UInt32>.self)
    }
    @inlinable @inline(__always)
    var cachedTail: UnsafeMutablePointer<UInt32> {
        (base + CacheLine.padded + 4).assumingMemoryBound(to: UInt32.self)
    }

    // MARK: Producer side

    /// Slots free for the producer at tail `t`, refreshing its cached view of the consumer's
    /// head only when the cached view shows fewer than `wanted`.
    @inlinable @inline(__always)
    func freeSlots(tail t: UInt32, wanted n: UInt32) -> UInt32 {
        let free = (mask &+ 1) &- (t &- cachedHead.pointee)
        if free >= n { return free }
        // Acquiring: pairs with the consumer's releasing store of head in dequeueBurst, so the
        // consumer's reads of the slots we are about to overwrite happened before.
        cachedHead.pointee = head.pointee.load(ordering: .acquiring)
        return (mask &+ 1) &- (t &- cachedHead.pointee)
    }

    /// Copies `k` elements in at tail `t` and publishes them.
    @inlinable @inline(__always)
    func publish(_ source: UnsafePointer<Element>, count k: UInt32, at t: UInt32) {
        copyIn(source, count: k, at: t)
        // Releasing: pairs with the consumer's acquiring load of tail; publishes the slots.
        tail.pointee.store(t &+ k, ordering: .releasing)
    }

    /// Enqueues as many of `count` elements from `source` as fit; returns how many. Producer only.
    @inlinable @inline(__always)
    public func enqueueBurst(_ source: UnsafePointer<Element>, count: Int) -> Int {
        // Relaxed: the producer is the only writer of tail.
        let t = tail.pointee.load(ordering: .relaxed)
        let k = min(UInt32(truncatingIfNeeded: count), freeSlots(tail: t, wanted: UInt32(truncatingIfNeeded: count)))
        if k == 0 { return 0 }
        publish(source, count: k, at: t)
        return Int(k)
    }

    /// Enqueues all `count` elements or none; returns whether it did. Producer only.
    @inlinable @inline(__always)
    public func enqueueBulk(_ source: UnsafePointer<Element>, count: Int) -> Bool {
        // Relaxed: the producer is the only writer of tail.
        let t = tail.pointee.load(ordering: .relaxed)
        let n = UInt32(truncatingIfNeeded: count)
        if freeSlots(tail: t, wanted: n) < n { return false }
        publish(source, count: n, at: t)
        return true
    }

    /// Enqueues one element; false when full. Producer only.
    @inlinable @inline(__always)
    public func enqueue(_ element: Element) -> Bool {
        withUnsafePointer(to: element) { enqueueBulk($0, count: 1) }
    }

    @inlinable @inline(__always)
    func copyIn(_ source: UnsafePointer<Element>, count k: UInt32, at t: UInt32) {
        let index = Int(t & mask)
        let first = min(Int(k), Int(mask &+ 1) &- index)
        (slots + index).update(from: source, count: first)
        if first < Int(k) {
            slots.update(from: source + first, count: Int(k) &- first)
        }
    }

    // MARK: Consumer side

    /// Dequeues up to `maximum` elements into `destination`; returns how many. Consumer only.
    @inlinable @inline(__always)
    public func dequeueBurst(into destination: UnsafeMutablePointer<Element>, maximum: Int) -> Int {
        // Relaxed: the consumer is the only writer of head.
        let h = head.pointee.load(ordering: .relaxed)
        var available = cachedTail.pointee &- h
        if available < UInt32(truncatingIfNeeded: maximum) {
            // Acquiring: pairs with the producer's releasing store of tail in enqueue*, so the
            // slot contents written before it are visible.
            cachedTail.pointee = tail.pointee.load(ordering: .acquiring)
            available = cachedTail.pointee &- h
            if available == 0 { return 0 }
        }
        let k = min(available, UInt32(truncatingIfNeeded: maximum))
        let index = Int(h & mask)
        let first = min(Int(k), Int(mask &+ 1) &- index)
        destination.update(from: slots + index, count: first)
        if first < Int(k) {
            (destination + first).update(from: slots, count: Int(k) &- first)
        }
        // Releasing: pairs with the producer's acquiring load of head; the slots may be reused.
        head.pointee.store(h &+ k, ordering: .releasing)
        return Int(k)
    }

    /// Dequeues one element, or nil when empty. Consumer only.
    @inlinable @inline(__always)
    public func dequeue() -> Element? {
        withUnsafeTemporaryAllocation(of: Element.self, capacity: 1) { buffer in
            dequeueBurst(into: buffer.baseAddress!, maximum: 1) == 1 ? buffer[0] : nil
        }
    }

    // MARK: Either side

    /// Elements in the ring now; exact only when both sides are quiet. Any thread. Read by the
    /// producer it never underestimates (only the consumer lowers it), so a producer may wait on it
    /// for room.
    @inlinable
    public var approximateCount: Int {
        // Acquiring both: a consistent-enough view for statistics and for a producer's room check.
        let t = tail.pointee.load(ordering: .acquiring)
        let h = head.pointee.load(ordering: .acquiring)
        return Int(t &- h)
    }
}
