/// A producer of packets into the pipeline: a generator thread, a capture reader, a test.
///
/// It owns a buffer pool, takes free buffers from it, and sends filled ones to workers over one
/// SPSC ring per worker, steered like RSS. Buffers come back from workers over SPSC return rings.
/// A full input ring tail-drops the rest of that batch, counted by the source itself as
/// `IpsecTailDrop` (IPsec traffic) or `TailDrop`. One thread uses a source at a time.
public struct PacketSource: @unchecked Sendable {
    public let index: Int
    public let pool: PacketPool
    public let counters: CounterBlock
    public let steering: Steering
    public let directory: BufferDirectory
    public let node: Int
    @usableFromInline var stack: BufferStack
    @usableFromInline let outputs: UnsafeMutablePointer<SPSCRing<PacketHandle>>
    @usableFromInline let returns: UnsafeMutablePointer<SPSCRing<PacketHandle>>
    @usableFromInline let workerCount: Int
    @usableFromInline let batches: UnsafeMutablePointer<PacketHandle>
    @usableFromInline let batchCounts: UnsafeMutablePointer<Int>
    @usableFromInline let batchSize: Int

    init(index: Int, pool: PacketPool, stack: BufferStack, counters: CounterBlock, steering: Steering,
         directory: BufferDirectory, node: Int,
         outputs: UnsafeMutablePointer<SPSCRing<PacketHandle>>,
         returns: UnsafeMutablePointer<SPSCRing<PacketHandle>>, workerCount: Int,
         scratch: UnsafeMutableRawPointer, batchSize: Int) {
        self.index = index
        self.pool = pool
        self.stack = stack
        self.counters = counters
        self.steering = steering
        self.directory = directory
        self.node = node
        self.outputs = outputs
        self.returns = returns
        self.workerCount = workerCount
        self.batchSize = batchSize
        batches = scratch.bindMemory(to: PacketHandle.self, capacity: workerCount * batchSize)
        batchCounts = (scratch + Self.batchBytes(workers: workerCount, batchSize: batchSize))
            .bindMemory(to: Int.self, capacity: workerCount)
        batchCounts.initialize(repeating: 0, count: workerCount)
    }

    static func batchBytes(workers: Int, batchSize: Int) -> Int {
        (workers * batchSize * 4 + 63) / 64 * 64
    }
    static func scratchBytes(workers: Int, batchSize: Int) -> Int {
        batchBytes(workers: workers, batchSize: batchSize) + workers * 8
    }

    /// Free buffers held now (not counting those still on return rings).
    public var freeBuffers: Int { stack.count }

    /// Takes up to `maximum` free buffers; returns how many.
    ///
    /// Reclaims what the workers returned first, onto the top of the local stack, so the
    /// buffers just used are the next ones handed out (LIFO, like a DPDK mempool's per-lcore
    /// cache): the working set stays a few bursts of buffers, warm in cache, instead of
    /// cycling through the whole pool.
    @inlinable @inline(__always)
    public mutating func allocate(into destination: UnsafeMutablePointer<PacketHandle>, maximum: Int) -> Int {
        reclaim()
        return stack.pop(into: destination, maximum)
    }

    /// Pulls every buffer the workers have returned.
    @inlinable
    public mutating func reclaim() {
        for w in 0..<workerCount { stack.refill(from: returns[w]) }
    }

    /// Gives unused buffers back (e.g. allocated but not filled).
    @inlinable
    public mutating func free(_ handles: UnsafePointer<PacketHandle>, count: Int) {
        stack.push(handles, count)
    }

    /// Whether every worker's input ring has room for `count` more packets now (a producer
    /// that would rather wait than tail-drop, like a DPDK application whose TX queue is full).
    @inlinable
    public func hasRoom(for count: Int) -> Bool {
        for w in 0..<workerCount where outputs[w].capacity &- outputs[w].approximateCount < count { return false }
        return true
    }

    /// The buffer a handle names.
    @inlinable @inline(__always)
    public func buffer(_ handle: PacketHandle) -> PacketBuffer { directory.buffer(handle) }

    /// Sends filled buffers to their workers. Every packet is counted as offered; what does not
    /// fit in a worker's input ring is tail-dropped and its buffer freed.
    @inlinable
    public mutating func send(_ handles: UnsafePointer<PacketHandle>, count: Int) {
        // Count before any packet becomes visible to a worker, so that readers never see a
        // packet accounted for (forwarded or dropped) before it was offered.
        var octets = 0
        for i in 0..<count { octets &+= directory.buffer(handles[i]).length }
        counters.count(.offered, count)
        counters.count(.offeredOctets, octets)
        for i in 0..<count {
            let h = handles[i]
            let b = directory.buffer(h)
            let length = b.length
            let w = steering.steer(b.data, length: length).worker
            let n = batchCounts[w]
            batches[w &* batchSize &+ n] = h
            batchCounts[w] = n &+ 1
            if n &+ 1 == batchSize { flush(worker: w) }
        }
        for w in 0..<workerCount where batchCounts[w] > 0 { flush(worker: w) }
    }

    @inlinable
    mutating func flush(worker w: Int) {
        let n = batchCounts[w]
        let batch = batches + w &* batchSize
        let sent = outputs[w].enqueueBurst(batch, count: n)
        if sent < n { tailDrop(batch + sent, count: n &- sent) }
        batchCounts[w] = 0
    }

    @usableFromInline
    mutating func tailDrop(_ handles: UnsafeMutablePointer<PacketHandle>, count: Int) {
        for i in 0..<count {
            let b = directory.buffer(handles[i])
            let ipsec = steering.steer(b.data, length: b.length).isIPsec
            counters.drop(ipsec ? .ipsecTailDrop : .tailDrop, octets: b.length)
        }
        stack.push(handles, count)
    }
}
