/// A preallocated arena of fixed-size packet buffers owned by one core (a source or a worker).
///
/// The owner takes buffers from its `BufferStack`; whoever finishes with a buffer returns its
/// handle over an SPSC return ring to the owner, which refills its stack in bursts. No buffer is
/// ever allocated or freed after start-up.
public struct PacketPool: @unchecked Sendable {
    /// Pool number (top 8 bits of its handles).
    public let index: Int
    /// Number of buffers.
    public let count: Int
    let region: NodeLocalRegion

    /// Allocates `count` buffers on `node`.
    public init(index: Int, count: Int, node: Int) throws(DataplaneError) {
        guard index >= 0, index < BufferDirectory.maximumPools else {
            throw .invalidConfiguration("pool index \(index) out of range 0..<\(BufferDirectory.maximumPools)")
        }
        guard count >= 1, count <= 1 << 24 else {
            throw .invalidConfiguration("pool size \(count) out of range 1...\(1 << 24)")
        }
        self.index = index
        self.count = count
        region = try NodeLocalRegion.allocate(
            byteCount: count * PacketBuffer.stride, node: node, what: "packet pool \(index)")
    }

    /// First buffer's address.
    public var base: UnsafeMutableRawPointer { region.base }

    /// The handle of buffer `i`.
    @inlinable
    public func handle(_ i: Int) -> PacketHandle { PacketHandle(index << 24 | i) }

    func deallocate() { region.deallocate() }
}

/// A core-private stack of free buffer handles (LIFO keeps recently used buffers cache-warm).
@frozen
public struct BufferStack: @unchecked Sendable {
    @usableFromInline let items: UnsafeMutablePointer<PacketHandle>
    @usableFromInline let capacity: Int
    @usableFromInline var held: Int
    /// Handles held now.
    public var count: Int { held }

    /// A stack holding every buffer of `pool`, in `storage` (at least `pool.count` handles).
    init(pool: PacketPool, storage: UnsafeMutablePointer<PacketHandle>) {
        items = storage
        capacity = pool.count
        held = pool.count
        for i in 0..<pool.count { items[i] = pool.handle(pool.count - 1 - i) }
    }

    /// Pops up to `n` handles into `destination`; returns how many.
    @inlinable @inline(__always)
    public mutating func pop(into destination: UnsafeMutablePointer<PacketHandle>, _ n: Int) -> Int {
        let k = min(n, held)
        held &-= k
        destination.update(from: items + held, count: k)
        return k
    }

    /// Pushes `n` handles back.
    @inlinable @inline(__always)
    public mutating func push(_ source: UnsafePointer<PacketHandle>, _ n: Int) {
        precondition(held &+ n <= capacity, "buffer returned twice")
        (items + held).update(from: source, count: n)
        held &+= n
    }

    /// Room for the free handles a return ring can deliver now.
    @inlinable
    mutating func refill(from ring: SPSCRing<PacketHandle>) {
        let room = capacity &- held
        if room > 0 {
            held &+= ring.dequeueBurst(into: items + held, maximum: room)
        }
    }
}
