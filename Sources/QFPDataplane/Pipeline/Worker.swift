/// One data-plane worker: the packets steered to it, the inbound SAs it owns, its counters.
///
/// A value of raw pointers into memory the `Pipeline` owns; exactly one thread runs a worker
/// (`run()` on a pinned thread, or `poll()` stepped by hand in `ManualPipeline`). Each `poll`
/// applies pending control commands, takes bursts off the input rings, runs them through the
/// stages in `Nodes/`, counts, transmits and returns buffers. It never blocks, locks or
/// allocates.
public struct Worker: @unchecked Sendable {
    public let index: Int
    public let counters: CounterBlock
    public let directory: BufferDirectory
    public let burstSize: Int
    @usableFromInline let inputs: UnsafeMutablePointer<SPSCRing<PacketHandle>>
    @usableFromInline let inputCount: Int
    @usableFromInline let commands: SPSCRing<WorkerCommand>
    @usableFromInline let punts: SPSCRing<PuntRecord>
    @usableFromInline let frames: SPSCRing<PuntedFrame>
    @usableFromInline let dropCapture: SPSCRing<DroppedFrame>?
    @usableFromInline var capturingDrops = false
    @usableFromInline let returns: UnsafeMutablePointer<SPSCRing<PacketHandle>>
    @usableFromInline let poolCount: Int
    @usableFromInline let transmitRing: SPSCRing<PacketHandle>?
    @usableFromInline let transmitDone: SPSCRing<PacketHandle>?
    @usableFromInline var table: SPITable
    @usableFromInline let inbound: InboundSAArena
    @usableFromInline let outbound: OutboundSAArena
    @usableFromInline let outboundCounters: OutboundCounterTable
    @usableFromInline let bindings: UnsafeMutablePointer<UInt32>
    @usableFromInline let bindingCapacity: Int
    @usableFromInline var policies: SPDView?
    @usableFromInline let control: WorkerControlBlock
    @usableFromInline let clock: CoarseClock
    @usableFromInline var invalidSPIBucket: TokenBucket
    @usableFromInline var acquireBucket: TokenBucket
    @usableFromInline var endpoints: LocalEndpoints
    @usableFromInline let scratch: BurstScratch
    /// This worker's own pool (for packets it must rebuild) and its free stack.
    @usableFromInline let ownPool: Int
    @usableFromInline var ownBuffers: BufferStack
    /// This worker's crypto burst engine (`WorkerCommand.setCryptoBurst`), nil for per packet.
    @usableFromInline var cryptoBurst: ESPCryptoBurst?
    /// Installed inbound SAs whose transform `cryptoBurst` opens: with none (ESP-NULL or GCM
    /// only), bursts skip the collecting pass (measured 3-5 % of a GCM pipeline burst).
    @usableFromInline var burstSAs = 0
    @usableFromInline var tally = BurstTally()
    @usableFromInline var now: UInt64 = 0

    /// A binding with no SA.
    @usableFromInline static var unbound: UInt32 { .max }

    struct Parts {
        var index: Int
        var counters: CounterBlock
        var directory: BufferDirectory
        var burstSize: Int
        var inputs: UnsafeMutablePointer<SPSCRing<PacketHandle>>
        var inputCount: Int
        var commands: SPSCRing<WorkerCommand>
        var punts: SPSCRing<PuntRecord>
        var frames: SPSCRing<PuntedFrame>
        var dropCapture: SPSCRing<DroppedFrame>?
        var returns: UnsafeMutablePointer<SPSCRing<PacketHandle>>
        var poolCount: Int
        var transmitRing: SPSCRing<PacketHandle>?
        var transmitDone: SPSCRing<PacketHandle>?
        var table: SPITable
        var inbound: InboundSAArena
        var outbound: OutboundSAArena
        var outboundCounters: OutboundCounterTable
        var bindings: UnsafeMutablePointer<UInt32>
        var bindingCapacity: Int
        var control: WorkerControlBlock
        var clock: CoarseClock
        var puntRate: UInt64
        var puntBurst: UInt64
        var endpoints: LocalEndpoints
        var scratch: BurstScratch
        var ownPool: Int
        var ownBuffers: BufferStack
    }

    init(_ p: Parts) {
        index = p.index; counters = p.counters; directory = p.directory; burstSize = p.burstSize
        inputs = p.inputs; inputCount = p.inputCount; commands = p.commands; punts = p.punts
        frames = p.frames; dropCapture = p.dropCapture; returns = p.returns; poolCount = p.poolCount
        transmitRing = p.transmitRing; transmitDone = p.transmitDone; table = p.table
        inbound = p.inbound; outbound = p.outbound; outboundCounters = p.outboundCounters
        bindings = p.bindings; bindingCapacity = p.bindingCapacity; control = p.control
        clock = p.clock; endpoints = p.endpoints; scratch = p.scratch
        ownPool = p.ownPool; ownBuffers = p.ownBuffers
        invalidSPIBucket = TokenBucket(ratePerSecond: p.puntRate, burst: p.puntBurst)
        acquireBucket = TokenBucket(ratePerSecond: p.puntRate, burst: p.puntBurst)
        bindings.update(repeating: Self.unbound, count: p.bindingCapacity)
        policies = nil
    }

    /// Copies a packet into a buffer of this worker's pool, at the default offset (full
    /// headroom), and returns the original. Nil when the pool is empty.
    @inlinable
    mutating func relocate(_ handle: PacketHandle) -> PacketHandle? {
        if ownBuffers.count == 0 {
            flushReleases(pool: ownPool)
            ownBuffers.refill(from: returns[ownPool])
        }
        var fresh: PacketHandle = 0
        guard ownBuffers.pop(into: &fresh, 1) == 1 else { return nil }
        let from = directory.buffer(handle)
        let to = directory.buffer(fresh)
        let length = min(from.length, PacketBuffer.maximumLength)
        to.reset(length: length, inputInterface: from.inputInterface, timestamp: from.timestamp)
        to.streamID = from.streamID
        to.data.copyMemory(from: from.data, byteCount: length)
        release(handle)
        return fresh
    }

    /// Inbound SAs this worker holds.
    public var installedSACount: Int { table.count }

    /// One iteration: commands, transmit completions, then at most one burst per input ring.
    /// Returns the number of packets processed.
    @inlinable
    public mutating func poll() -> Int {
        let start = CycleClock.now
        applyCommands(limit: 256)
        if let done = transmitDone { reclaimTransmitted(done) }
        var processed = 0
        for r in 0..<inputCount {
            let n = inputs[r].dequeueBurst(into: scratch.handles, maximum: burstSize)
            if n > 0 {
                processBurst(n)
                processed &+= n
            }
        }
        if processed > 0 { counters.count(.busyCycles, Int(truncatingIfNeeded: CycleClock.now &- start)) }
        return processed
    }

    /// Polls until `control.requestStop()`: spins with `pause` while idle, and yields the CPU
    /// after a run of empty polls so that co-scheduled threads keep going.
    public mutating func run() {
        var idle = 0
        while !control.stopRequested {
            if poll() > 0 {
                idle = 0
            } else {
                idle &+= 1
                if idle < 256 { CPU.relax() } else { CPU.yield() }
            }
        }
        applyCommands(limit: .max)
    }

    /// Runs one burst of `n` handles (already in `scratch.handles`) through the stages.
    @inlinable
    mutating func processBurst(_ n: Int) {
        now = clock.now
        tally = BurstTally()
        prefetchPackets(n)
        classifyBurst(n)
        lookupBurst(n)
        policyBurst(n)
        if let engine = cryptoBurst, burstSAs > 0 {
            // Crypto once per burst (Nodes/ESPInboundBurst.swift), then every packet in order.
            openInboundBurst(n, engine)
            for i in 0..<n { dispatch(i, batched: true) }
        } else {
            for i in 0..<n { dispatch(i, batched: false) }
        }
        finishBurst(n)
    }

    /// Sends this burst's transmit list, returns released buffers, and adds the tally.
    @inlinable
    mutating func finishBurst(_ n: Int) {
        if tally.transmitCount > 0, let ring = transmitRing {
            let sent = ring.enqueueBurst(scratch.transmit, count: tally.transmitCount)
            for i in sent..<tally.transmitCount {
                // A full transmit ring is an output-queue tail drop.
                let h = scratch.transmit[i]
                tally.forwarded &-= 1
                tally.forwardedOctets &-= directory.buffer(h).length
                drop(h, .tailDrop)
            }
        }
        flushReleases()
        counters.count(.received, n)
        counters.count(.receivedOctets, tally.receivedOctets)
        counters.count(.bursts)
        if tally.forwarded > 0 {
            counters.count(.forwarded, tally.forwarded)
            counters.count(.forwardedOctets, tally.forwardedOctets)
        }
        if tally.decapsulated > 0 { counters.count(.decapsulated, tally.decapsulated) }
        if tally.encapsulated > 0 { counters.count(.encapsulated, tally.encapsulated) }
        if tally.bypassed > 0 { counters.count(.bypassed, tally.bypassed) }
        if tally.consumed > 0 { counters.count(.consumed, tally.consumed) }
        if tally.punted > 0 { counters.count(.punted, tally.punted) }
    }

    /// Queues a buffer for return to its pool at the end of the burst.
    @inlinable @inline(__always)
    mutating func release(_ handle: PacketHandle) {
        let pool = BufferDirectory.pool(of: handle)
        let k = scratch.releaseCounts[pool]
        scratch.releases[pool &* BurstScratch.maximumBurst &+ k] = handle
        scratch.releaseCounts[pool] = k &+ 1
        if k &+ 1 == BurstScratch.maximumBurst { flushReleases(pool: pool) }
    }

    @inlinable
    mutating func flushReleases() {
        for pool in 0..<poolCount where scratch.releaseCounts[pool] > 0 { flushReleases(pool: pool) }
    }

    @inlinable
    mutating func flushReleases(pool: Int) {
        let k = scratch.releaseCounts[pool]
        // Return rings hold a whole pool, so this always fits.
        let ok = returns[pool].enqueueBulk(scratch.releases + pool &* BurstScratch.maximumBurst, count: k)
        precondition(ok, "return ring overflow: a buffer was released twice")
        scratch.releaseCounts[pool] = 0
    }

    @inlinable
    mutating func reclaimTransmitted(_ done: SPSCRing<PacketHandle>) {
        while true {
            let n = done.dequeueBurst(into: scratch.transmit, maximum: BurstScratch.maximumBurst)
            if n == 0 { break }
            for i in 0..<n { release(scratch.transmit[i]) }
        }
        flushReleases()
    }
}

extension Worker {
    /// Whether the control plane asked this worker to stop (for custom run loops).
    @inlinable
    public var stopRequested: Bool { control.stopRequested }
}
