/// Builds and owns a data plane: workers, sources, pools, rings, tables, counters.
///
/// All memory is allocated here at start-up, node-local to the core that writes it most, and
/// freed when the pipeline is deinitialised (after its threads stopped). Workers and sources
/// are handed out once each (`takeWorker`, `takeSource`) to the thread that will run them, or
/// started by `startWorkers()` on pinned threads.
public final class Pipeline: @unchecked Sendable {
    public let configuration: PipelineConfiguration
    public let topology: NUMATopology
    public let steering: Steering
    /// Published time for the workers (see `startClock()`; tests publish virtual time).
    public let clock: CoarseClock
    /// Counter reader over every core.
    public let statistics: DropStatistics
    /// SA, policy and punt interface for the control plane.
    public let control: DataplaneControl
    /// Resolves any buffer handle.
    public let directory: BufferDirectory

    private var workers: [Worker?]
    private var sources: [PacketSource?]
    private var controlBlocks: [WorkerControlBlock]
    private var threads: [PinnedThread] = []
    private var clockThread: PinnedThread?
    private var clockStop: WorkerControlBlock
    private var regions: [NodeLocalRegion] = []
    private var ringDeallocators: [() -> Void] = []
    private var pointerArrays: [UnsafeMutableRawPointer] = []
    private var transmitPairs: [(SPSCRing<PacketHandle>, SPSCRing<PacketHandle>)?] = []

    /// Builds everything `configuration` describes. Nothing runs yet.
    public init(_ configuration: PipelineConfiguration, topology: NUMATopology = .current) throws(DataplaneError) {
        try configuration.validate()
        self.configuration = configuration
        self.topology = topology
        let W = configuration.workers
        let S = configuration.sources
        let P = S + W
        steering = Steering(workerCount: W)
        var cpus: [Int] = []
        for w in 0..<W {
            if let list = configuration.cpus, !list.isEmpty { cpus.append(list[w % list.count]) } else { cpus.append(topology.cpu(forWorker: w)) }
        }
        let nodes = cpus.map { topology.node(ofCPU: $0) }

        // Shared: clock, clock-thread stop flag, buffer directory, outbound SA arena.
        let sharedSizes = [64, 2 * CacheLine.padded, BufferDirectory.maximumPools * 8, configuration.outboundSAs * OutboundSA.size]
        let shared = try NodeLocalRegion.allocate(byteCount: RegionCarver.bytesNeeded(sharedSizes), node: nodes[0], what: "pipeline shared state")
        var regions = [shared]
        var sharedCarver = RegionCarver(shared)
        clock = CoarseClock(cell: sharedCarver.carve(sharedSizes[0]))
        clockStop = WorkerControlBlock(memory: sharedCarver.carve(sharedSizes[1]))
        let bases = sharedCarver.carve(sharedSizes[2]).bindMemory(to: UnsafeMutableRawPointer?.self, capacity: BufferDirectory.maximumPools)
        bases.initialize(repeating: UnsafeMutableRawPointer?.none, count: BufferDirectory.maximumPools)
        directory = BufferDirectory(bases: bases)
        let outboundArena = OutboundSAArena(base: sharedCarver.carve(sharedSizes[3]), capacity: configuration.outboundSAs)

        var deallocators: [() -> Void] = []
        var arrays: [UnsafeMutableRawPointer] = []
        func ring<T: BitwiseCopyable>(_ slots: Int, node: Int, _ what: String) throws(DataplaneError) -> SPSCRing<T> {
            let r = try SPSCRing<T>(minimumCapacity: slots, node: node, what: what)
            deallocators.append { r.deallocate() }
            return r
        }
        func array<T>(_ count: Int, of: T.Type) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            arrays.append(UnsafeMutableRawPointer(p))
            return p
        }

        // Pools: sources first (on the node of the worker they sit beside), then workers.
        var pools: [PacketPool] = []
        for s in 0..<S {
            pools.append(try PacketPool(index: s, count: configuration.sourcePoolBuffers, node: nodes[s % W]))
        }
        for w in 0..<W {
            pools.append(try PacketPool(index: S + w, count: configuration.workerPoolBuffers, node: nodes[w]))
        }
        for pool in pools {
            bases[pool.index] = pool.base
            regions.append(pool.region)
        }

        // Rings. input[w][s]: source s -> worker w. returns[w][p]: worker w -> owner of pool p.
        var input: [[SPSCRing<PacketHandle>]] = []
        var returns: [[SPSCRing<PacketHandle>]] = []
        for w in 0..<W {
            input.append(try (0..<S).map { (s) throws(DataplaneError) in try ring(configuration.inputRingSlots, node: nodes[w], "input ring s\(s)->w\(w)") })
            returns.append(try (0..<P).map { (p) throws(DataplaneError) in
                try ring(pools[p].count, node: p < S ? nodes[p % W] : nodes[p - S], "return ring w\(w)->pool\(p)")
            })
        }

        // Per-worker memory and the worker values.
        let inboundCapacity = configuration.inboundSAsPerWorker
        let tableSlots = SPITable.slotCount(forCapacity: inboundCapacity)
        let arenaBytes = InboundSAArena.byteCounts(capacity: inboundCapacity)
        var links: [DataplaneControl.WorkerLink] = []
        var blocks: [CounterBlock] = []
        var builtWorkers: [Worker?] = []
        var controls: [WorkerControlBlock] = []
        var transmit: [(SPSCRing<PacketHandle>, SPSCRing<PacketHandle>)?] = []
        for w in 0..<W {
            let sizes = [
                CounterBlock.byteCount, 2 * CacheLine.padded, tableSlots * 8, arenaBytes.slots, arenaBytes.bitmaps,
                configuration.outboundSAs * OutboundCounterTable.stride * 8, configuration.bindings * 4,
                BurstScratch.byteCount(pools: P), LocalEndpoints.byteCount, pools[S + w].count * 4,
            ]
            let region = try NodeLocalRegion.allocate(byteCount: RegionCarver.bytesNeeded(sizes), node: nodes[w], what: "worker \(w)")
            regions.append(region)
            var carver = RegionCarver(region)
            let counters = CounterBlock(formatting: carver.carve(sizes[0]))
            let controlBlock = WorkerControlBlock(memory: carver.carve(sizes[1]))
            let tableMemory = carver.carve(sizes[2])
            let arena = InboundSAArena(slots: carver.carve(sizes[3]), wideBitmaps: carver.carve(sizes[4]), capacity: inboundCapacity)
            let table = SPITable(storage: tableMemory, slotCount: tableSlots, arena: arena)
            let outboundCounters = OutboundCounterTable(memory: carver.carve(sizes[5]))
            let bindings = carver.carve(sizes[6]).bindMemory(to: UInt32.self, capacity: configuration.bindings)
            let scratch = BurstScratch(carver: &carver, pools: P)
            let endpoints = LocalEndpoints(carver: &carver)
            let ownBuffers = BufferStack(pool: pools[S + w], storage: carver.carve(sizes[9]).bindMemory(to: PacketHandle.self, capacity: pools[S + w].count))

            let commands: SPSCRing<WorkerCommand> = try ring(configuration.commandRingSlots, node: nodes[w], "command ring w\(w)")
            let punts: SPSCRing<PuntRecord> = try ring(configuration.puntRingSlots, node: nodes[w], "punt ring w\(w)")
            let frames: SPSCRing<PuntedFrame> = try ring(configuration.frameRingSlots, node: nodes[w], "frame ring w\(w)")
            let captured: SPSCRing<DroppedFrame>? = configuration.dropCaptureRingSlots > 0
                ? try ring(configuration.dropCaptureRingSlots, node: nodes[w], "drop-capture ring w\(w)") : nil
            var tx: (SPSCRing<PacketHandle>, SPSCRing<PacketHandle>)? = nil
            if configuration.transmitRings {
                tx = (try ring(configuration.transmitRingSlots, node: nodes[w], "transmit ring w\(w)"),
                      try ring(configuration.transmitRingSlots, node: nodes[w], "transmit completion ring w\(w)"))
            }
            transmit.append(tx)

            let inputArray = array(S, of: SPSCRing<PacketHandle>.self)
            inputArray.initialize(from: input[w], count: S)
            let returnArray = array(P, of: SPSCRing<PacketHandle>.self)
            returnArray.initialize(from: returns[w], count: P)

            builtWorkers.append(Worker(Worker.Parts(
                index: w, counters: counters, directory: directory, burstSize: configuration.burstSize,
                inputs: inputArray, inputCount: S, commands: commands, punts: punts, frames: frames,
                dropCapture: captured, returns: returnArray, poolCount: P, transmitRing: tx?.0, transmitDone: tx?.1,
                table: table, inbound: arena, outbound: outboundArena, outboundCounters: outboundCounters,
                bindings: bindings, bindingCapacity: configuration.bindings, control: controlBlock,
                clock: clock, puntRate: configuration.puntRatePerSecond, puntBurst: configuration.puntBurst,
                endpoints: endpoints, scratch: scratch, ownPool: S + w, ownBuffers: ownBuffers)))
            links.append(.init(commands: commands, control: controlBlock, punts: punts, frames: frames, dropCapture: captured,
                               inbound: arena, outboundCounters: outboundCounters))
            blocks.append(counters)
            controls.append(controlBlock)
        }

        // Sources: a pool, a free stack, one output ring per worker, one return ring per worker.
        var builtSources: [PacketSource?] = []
        for s in 0..<S {
            let node = nodes[s % W]
            let scratchBytes = PacketSource.scratchBytes(workers: W, batchSize: configuration.burstSize)
            var sizes = [scratchBytes, pools[s].count * 4]
            let ownBlock = !configuration.colocatedSources
            if ownBlock { sizes.append(CounterBlock.byteCount) }
            let region = try NodeLocalRegion.allocate(byteCount: RegionCarver.bytesNeeded(sizes), node: node, what: "source \(s)")
            regions.append(region)
            var carver = RegionCarver(region)
            let scratch = carver.carve(sizes[0])
            let stack = BufferStack(pool: pools[s], storage: carver.carve(sizes[1]).bindMemory(to: PacketHandle.self, capacity: pools[s].count))
            let counters = ownBlock ? CounterBlock(formatting: carver.carve(sizes[2])) : blocks[s]
            if ownBlock { blocks.append(counters) }
            let outputs = array(W, of: SPSCRing<PacketHandle>.self)
            outputs.initialize(from: (0..<W).map { input[$0][s] }, count: W)
            let back = array(W, of: SPSCRing<PacketHandle>.self)
            back.initialize(from: (0..<W).map { returns[$0][s] }, count: W)
            builtSources.append(PacketSource(
                index: s, pool: pools[s], stack: stack, counters: counters, steering: steering,
                directory: directory, node: node, outputs: outputs, returns: back, workerCount: W,
                scratch: scratch, batchSize: configuration.burstSize))
        }

        workers = builtWorkers
        sources = builtSources
        controlBlocks = controls
        transmitPairs = transmit
        self.regions = regions
        ringDeallocators = deallocators
        pointerArrays = arrays
        statistics = DropStatistics(blocks: blocks)
        control = DataplaneControl(links: links, steering: steering, outbound: outboundArena,
                                   bindingCapacity: configuration.bindings, node: nodes[0])
        self.cpus = cpus
    }

    private let cpus: [Int]

    /// The CPU worker `index` is (or will be) pinned to.
    public func cpu(ofWorker index: Int) -> Int { cpus[index] }

    /// Hands worker `index` to the thread that will run it. Once per worker.
    public func takeWorker(_ index: Int) -> Worker {
        guard let w = workers[index] else { preconditionFailure("worker \(index) was already taken") }
        workers[index] = nil
        return w
    }

    /// Hands source `index` to the thread that will run it. Once per source.
    public func takeSource(_ index: Int) -> PacketSource {
        guard let s = sources[index] else { preconditionFailure("source \(index) was already taken") }
        sources[index] = nil
        return s
    }

    /// The transmit ring and its completion ring of worker `index` (when configured): the
    /// consumer dequeues sent packets from the first and hands the buffers back on the second.
    public func transmitRings(ofWorker index: Int) -> (sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)? {
        transmitPairs[index].map { (sent: $0.0, completed: $0.1) }
    }

    /// Starts every worker not yet taken on its own pinned thread, running `Worker.run()`.
    public func startWorkers() throws(DataplaneError) {
        for i in workers.indices where workers[i] != nil {
            let worker = takeWorker(i)
            threads.append(try PinnedThread.start(name: "qfp-worker-\(i)", cpu: cpus[i], topology: topology) {
                var w = worker
                w.run()
            })
        }
        control.setWorkersRunning(true)
    }

    /// Starts `body` on a pinned thread for worker `index`'s CPU (custom run-to-completion loops,
    /// e.g. a worker with a co-located source). The body should return once
    /// `stopRequested(worker:)` is true.
    public func startThread(forWorker index: Int, name: String, body: @escaping @Sendable () -> Void) throws(DataplaneError) {
        threads.append(try PinnedThread.start(name: name, cpu: cpus[index], topology: topology, body: body))
        control.setWorkersRunning(true)
    }

    /// Publishes CLOCK_MONOTONIC to `clock` every `periodNanoseconds` on an unpinned thread.
    public func startClock(periodNanoseconds: UInt64 = 1_000_000) throws(DataplaneError) {
        guard clockThread == nil else { return }
        let clock = self.clock
        let stop = clockStop
        clock.publish(MonotonicClock.nanoseconds())
        clockThread = try PinnedThread.start(name: "qfp-clock", cpu: nil, topology: topology) {
            var ts = timespecFor(periodNanoseconds)
            while !stop.stopRequested {
                clock.publish(MonotonicClock.nanoseconds())
                nanosleepCompat(&ts)
            }
        }
    }

    /// Whether worker `index` was asked to stop.
    public func stopRequested(worker index: Int) -> Bool { controlBlocks[index].stopRequested }

    /// Asks every worker (and the clock) to stop, and joins their threads.
    public func stop() {
        for c in controlBlocks { c.requestStop() }
        clockStop.requestStop()
        for t in threads { t.join() }
        threads.removeAll()
        clockThread?.join()
        clockThread = nil
        control.setWorkersRunning(false)
        control.reclaim()
    }

    deinit {
        stop()
        for d in ringDeallocators { d() }
        for p in pointerArrays { p.deallocate() }
        for r in regions { r.deallocate() }
    }
}

#if canImport(Glibc)
import Glibc
#endif

@inline(__always)
func timespecFor(_ nanoseconds: UInt64) -> timespec {
    timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
}

@inline(__always)
func nanosleepCompat(_ ts: inout timespec) {
    _ = nanosleep(&ts, nil)
}
