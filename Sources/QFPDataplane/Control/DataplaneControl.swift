import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The control plane's handle on the data plane: installs, rekeys and deletes SAs, replaces the
/// policy database, and collects punted records — all through each worker's command ring.
///
/// Thread-safe (one internal mutex; cold path). Slot memory retired by a command (a deleted
/// SA, an old policy database) is reused only after the worker(s) acknowledged that command's
/// epoch: `reclaim()` runs on every call and frees what is safe.
public final class DataplaneControl: @unchecked Sendable {
    struct WorkerLink {
        let commands: SPSCRing<WorkerCommand>
        let control: WorkerControlBlock
        let punts: SPSCRing<PuntRecord>
        let frames: SPSCRing<PuntedFrame>
        let dropCapture: SPSCRing<DroppedFrame>?
        let inbound: InboundSAArena
        let outboundCounters: OutboundCounterTable
    }

    struct InboundKey: Hashable {
        let spi: UInt32
        let destination: IPAddress
    }

    struct State {
        var sentEpoch: [UInt64]
        var freeInbound: [[UInt32]]
        var inboundGeneration: [[UInt32]]
        var inboundKeys: [InboundKey: InboundSAHandle] = [:]
        var liveInbound: [InboundSAHandle: InboundKey] = [:]
        var pendingInbound: [(worker: Int, slot: UInt32, epoch: UInt64)] = []
        var freeOutbound: [UInt32]
        var outboundGeneration: [UInt32]
        var liveOutbound: Set<UInt32> = []
        var pendingOutbound: [(slot: UInt32, epochs: [UInt64])] = []
        var bindingSlots: [UInt32: UInt32] = [:]
        var policies: SecurityPolicyDatabase?
        var pendingPolicies: [(database: SecurityPolicyDatabase, epochs: [UInt64])] = []
        var workersRunning = false
        /// Makes the crypto contexts of SAs with a transform other than ESP-NULL.
        var cryptoProvider: (any ESPCryptoProvider)?
        /// The context of each inbound slot (by worker) and outbound slot, released when the
        /// slot is reclaimed (after every worker that could use it acknowledged its deletion).
        var inboundContexts: [[ESPCryptoContext?]]
        var outboundContexts: [ESPCryptoContext?]
        /// Every burst engine handed to a worker, with its maker; freed when this object is
        /// (a worker may hold an engine until then, even after a later provider replaced it).
        var burstEngines: [(provider: any ESPCryptoProvider, engine: ESPCryptoBurst)] = []
    }

    let links: [WorkerLink]
    public let steering: Steering
    let outbound: OutboundSAArena
    let bindingCapacity: Int
    let node: Int
    let state: Mutex<State>

    /// How long a submit waits for room in a running worker's command ring (a worker that
    /// drains nothing for this long is stuck, not slow: 30 s covers a heavily loaded machine).
    public var ringWaitNanoseconds: UInt64 = 30_000_000_000

    init(links: [WorkerLink], steering: Steering, outbound: OutboundSAArena, bindingCapacity: Int, node: Int) {
        self.links = links
        self.steering = steering
        self.outbound = outbound
        self.bindingCapacity = bindingCapacity
        self.node = node
        state = Mutex(State(
            sentEpoch: Array(repeating: 0, count: links.count),
            freeInbound: links.map { Array((0..<UInt32($0.inbound.capacity)).reversed()) },
            inboundGeneration: links.map { Array(repeating: 0, count: $0.inbound.capacity) },
            freeOutbound: Array((0..<UInt32(outbound.capacity)).reversed()),
            outboundGeneration: Array(repeating: 0, count: outbound.capacity),
            inboundContexts: links.map { Array(repeating: nil, count: $0.inbound.capacity) },
            outboundContexts: Array(repeating: nil, count: outbound.capacity)))
    }

    deinit {
        // Workers are stopped (the pipeline owns them and this object); free every context.
        state.withLock { s in
            guard let provider = s.cryptoProvider else { return }
            for contexts in s.inboundContexts { for c in contexts { if let c { provider.releaseContext(c) } } }
            for c in s.outboundContexts { if let c { provider.releaseContext(c) } }
        }
        state.withLock { s in for e in s.burstEngines { e.provider.releaseBurstEngine(e.engine) } }
    }

    /// Registers the maker of crypto contexts (QFPCrypto's `SwiftCryptoProvider`). Needed
    /// before installing an SA whose transform is not ESP-NULL; set it once, before such SAs.
    /// Sends each worker the provider's burst engine (`ESPCryptoProvider.makeBurstEngine`;
    /// none: every packet through its context's table). A worker whose command ring is full
    /// (workers not running) keeps opening packets one at a time, which is correct, only slower.
    public func setCryptoProvider(_ provider: any ESPCryptoProvider) {
        state.withLock { s in
            s.cryptoProvider = provider
            for w in links.indices {
                let engine = provider.makeBurstEngine()
                // Nothing to say to a worker that never had an engine.
                if engine == nil && s.burstEngines.isEmpty { continue }
                var command = WorkerCommand(kind: .setCryptoBurst)
                command.image = engine.map { UnsafeRawPointer($0.base) }
                do {
                    try submit(command, to: w, &s)
                    if let engine { s.burstEngines.append((provider, engine)) }
                } catch {
                    if let engine { provider.releaseBurstEngine(engine) }
                }
            }
        }
    }

    /// Whether a crypto provider is registered.
    public var hasCryptoProvider: Bool { state.withLock { $0.cryptoProvider != nil } }

    /// A context for `transform` with `keys` (nil for ESP-NULL), after checking the key lengths.
    func makeContext(_ transform: ESPTransform, _ keys: ESPKeys, spi: UInt32, _ s: inout State)
        throws(DataplaneError) -> ESPCryptoContext?
    {
        do throws(DataplaneError) {
            try transform.validate(keys)
        } catch {
            guard case let .invalidSA(reason) = error else { throw error }
            throw .invalidSA("SPI \(SPIFormat.hexAndDecimal(spi)): \(reason)")
        }
        if transform == .null { return nil }
        guard let provider = s.cryptoProvider else {
            throw .invalidSA("SPI \(SPIFormat.hexAndDecimal(spi)): transform \(transform.iosName) needs a crypto provider; none is registered with the data plane")
        }
        return try provider.makeContext(transform: transform, keys: keys)
    }

    func releaseContext(_ context: ESPCryptoContext?, _ s: inout State) {
        if let context, let provider = s.cryptoProvider { provider.releaseContext(context) }
    }

    /// Number of workers.
    public var workerCount: Int { links.count }

    /// Tells the control plane whether worker threads are running (then a full command ring
    /// is waited out instead of reported).
    public func setWorkersRunning(_ running: Bool) {
        state.withLock { $0.workersRunning = running }
    }

    // MARK: Commands and acknowledgements

    func submit(_ command: WorkerCommand, to worker: Int, _ s: inout State) throws(DataplaneError) {
        var c = command
        c.epoch = s.sentEpoch[worker] &+ 1
        let ring = links[worker].commands
        if !ring.enqueue(c) {
            guard s.workersRunning else { throw .commandRingFull(worker: worker) }
            let deadline = MonotonicClock.nanoseconds() &+ ringWaitNanoseconds
            var tries = 0
            while !ring.enqueue(c) {
                if MonotonicClock.nanoseconds() > deadline { throw .commandRingFull(worker: worker) }
                // Yield first; then sleep, so that a worker sharing this CPU (2 vCPUs, pinned
                // threads, a loaded machine) surely runs and drains its ring.
                tries += 1
                if tries < 1000 {
                    CPU.yield()
                } else {
                    var ts = timespec(tv_sec: 0, tv_nsec: 100_000)
                    nanosleep(&ts, nil)
                }
            }
        }
        s.sentEpoch[worker] = c.epoch
    }

    func submitToAll(_ command: WorkerCommand, _ s: inout State) throws(DataplaneError) {
        for w in links.indices { try submit(command, to: w, &s) }
    }

    /// Whether every worker applied every command sent so far.
    public var isQuiescent: Bool {
        state.withLock { s in links.indices.allSatisfy { links[$0].control.appliedEpoch >= s.sentEpoch[$0] } }
    }

    /// Waits (yielding) until every worker applied every command sent so far. Needs running
    /// workers; with a `ManualPipeline`, step it instead.
    public func waitUntilApplied(timeoutNanoseconds: UInt64 = 10_000_000_000) throws(DataplaneError) {
        let targets = state.withLock { $0.sentEpoch }
        let deadline = MonotonicClock.nanoseconds() &+ timeoutNanoseconds
        for w in links.indices {
            while links[w].control.appliedEpoch < targets[w] {
                if MonotonicClock.nanoseconds() > deadline { throw .acknowledgementTimeout(worker: w) }
                CPU.yield()
            }
        }
        reclaim()
    }

    /// Frees slots and databases whose retiring commands every owner acknowledged.
    public func reclaim() {
        state.withLock { s in reclaim(&s) }
    }

    func reclaim(_ s: inout State) {
        let applied = links.map { $0.control.appliedEpoch }
        var released: [ESPCryptoContext] = []
        defer { for c in released { releaseContext(c, &s) } }
        s.pendingInbound.removeAll { p in
            guard applied[p.worker] >= p.epoch else { return false }
            s.freeInbound[p.worker].append(p.slot)
            if let c = s.inboundContexts[p.worker][Int(p.slot)] { released.append(c) }
            s.inboundContexts[p.worker][Int(p.slot)] = nil
            return true
        }
        s.pendingOutbound.removeAll { p in
            guard p.epochs.indices.allSatisfy({ applied[$0] >= p.epochs[$0] }) else { return false }
            s.freeOutbound.append(p.slot)
            if let c = s.outboundContexts[Int(p.slot)] { released.append(c) }
            s.outboundContexts[Int(p.slot)] = nil
            return true
        }
        s.pendingPolicies.removeAll { p in p.epochs.indices.allSatisfy { applied[$0] >= p.epochs[$0] } }
    }

    // MARK: Inbound SAs

    /// Installs an inbound SA on the worker its SPI steers to.
    @discardableResult
    public func installInbound(_ sa: InboundSAConfig) throws(DataplaneError) -> InboundSAHandle {
        guard sa.spi >= ESPHeader.firstAssignableSPI else { throw .reservedSPI(sa.spi) }
        guard let words = sa.replay.words else {
            throw .invalidSA("replay window \(sa.replay) is not one of 64, 128, 256, 512, 1024")
        }
        try sa.lifetime.validate()
        for limit in [sa.lifetime.softPackets, sa.lifetime.hardPackets] {
            if let limit, limit > UInt64(UInt32.max) {
                throw .invalidSA("packet lifetime \(limit) exceeds the 32-bit sequence space")
            }
        }
        let worker = steering.worker(forSPI: sa.spi)
        var flags = SAFlags(rawValue: SAFlags.transformBits(sa.transform))
        if sa.mode == .tunnel { flags.insert(.tunnel) }
        if !sa.destination.isIPv4 { flags.insert(.ipv6) }
        if sa.encapsulation == .udp { flags.insert(.udpEncapsulated) }

        return try state.withLock { (s) throws(DataplaneError) -> InboundSAHandle in
            let key = InboundKey(spi: sa.spi, destination: sa.destination)
            guard s.inboundKeys[key] == nil else { throw .duplicateSPI(spi: sa.spi, destination: sa.destination) }
            reclaim(&s)
            let context = try makeContext(sa.transform, sa.keys, spi: sa.spi, &s)
            guard let slot = s.freeInbound[worker].popLast() else {
                releaseContext(context, &s)
                throw .saTableFull(worker: worker, capacity: links[worker].inbound.capacity)
            }
            var c = WorkerCommand(kind: .installInbound)
            c.image = context.map { UnsafeRawPointer($0.base) }
            c.slot = slot
            c.spi = sa.spi
            c.address = sa.destination
            c.flags = flags.rawValue
            c.replayWords = UInt16(words)
            c.softPackets = sa.lifetime.softPackets ?? 0
            c.hardPackets = sa.lifetime.hardPackets ?? 0
            c.softBytes = sa.lifetime.softBytes ?? 0
            c.hardBytes = sa.lifetime.hardBytes ?? 0
            do throws(DataplaneError) {
                try submit(c, to: worker, &s)
            } catch {
                s.freeInbound[worker].append(slot)
                releaseContext(context, &s)
                throw error
            }
            s.inboundContexts[worker][Int(slot)] = context
            s.inboundGeneration[worker][Int(slot)] &+= 1
            let handle = InboundSAHandle(worker: worker, slot: slot, generation: s.inboundGeneration[worker][Int(slot)])
            s.inboundKeys[key] = handle
            s.liveInbound[handle] = key
            return handle
        }
    }

    /// Deletes an inbound SA. Its slot is reused after the worker acknowledges.
    public func deleteInbound(_ handle: InboundSAHandle) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            guard let key = s.liveInbound[handle] else { throw .unknownSA(handle.description) }
            var c = WorkerCommand(kind: .deleteInbound)
            c.slot = handle.slot
            try submit(c, to: handle.worker, &s)
            s.liveInbound[handle] = nil
            s.inboundKeys[key] = nil
            s.pendingInbound.append((handle.worker, handle.slot, s.sentEpoch[handle.worker]))
        }
    }

    /// Rekey: installs `replacement` while `old` keeps working (make-before-break overlap, as
    /// IOS does); delete `old` when its overlap ends.
    @discardableResult
    public func rekeyInbound(_ old: InboundSAHandle, with replacement: InboundSAConfig) throws(DataplaneError) -> InboundSAHandle {
        try state.withLock { (s) throws(DataplaneError) in
            guard s.liveInbound[old] != nil else { throw .unknownSA(old.description) }
        }
        let handle = try installInbound(replacement)
        try state.withLock { (s) throws(DataplaneError) in
            // `old` may have been deleted meanwhile (its slot even reused): mark only if live.
            guard s.liveInbound[old] != nil else { return }
            var c = WorkerCommand(kind: .markRekeyed)
            c.slot = old.slot
            try submit(c, to: old.worker, &s)
        }
        return handle
    }

    /// The live handle for (SPI, destination), if any.
    public func inboundHandle(spi: UInt32, destination: IPAddress) -> InboundSAHandle? {
        state.withLock { $0.inboundKeys[InboundKey(spi: spi, destination: destination)] }
    }

    /// The live handle in (worker, slot), if any (maps lifetime punt records back to SAs).
    public func inboundHandle(worker: Int, slot: UInt32) -> InboundSAHandle? {
        state.withLock { s in
            guard links.indices.contains(worker), Int(slot) < s.inboundGeneration[worker].count else { return nil }
            let h = InboundSAHandle(worker: worker, slot: slot, generation: s.inboundGeneration[worker][Int(slot)])
            return s.liveInbound[h] == nil ? nil : h
        }
    }

    /// Number of live inbound SAs.
    public var inboundCount: Int { state.withLock { $0.liveInbound.count } }

    /// Counters of a live inbound SA (nil when deleted).
    public func counters(_ handle: InboundSAHandle) -> InboundSACounters? {
        state.withLock { s in
            guard s.liveInbound[handle] != nil else { return nil }
            let arena = links[handle.worker].inbound
            return InboundSACounters(values: InboundSACounter.allCases.map { arena.load(handle.slot, $0) })
        }
    }

    // MARK: Outbound SAs and policies

    /// Installs an outbound SA (not yet used by any policy: see `bind`).
    @discardableResult
    public func installOutbound(_ sa: OutboundSAConfig) throws(DataplaneError) -> OutboundSAHandle {
        guard sa.spi >= ESPHeader.firstAssignableSPI else { throw .reservedSPI(sa.spi) }
        try sa.lifetime.validate()
        if sa.mode == .tunnel && sa.tunnelSource.isIPv4 != sa.tunnelDestination.isIPv4 {
            throw .invalidSA("tunnel source \(sa.tunnelSource) and destination \(sa.tunnelDestination) differ in family")
        }
        var flags = SAFlags(rawValue: SAFlags.transformBits(sa.transform)).union(.valid)
        if sa.mode == .tunnel { flags.insert(.tunnel) }
        if !sa.tunnelDestination.isIPv4 { flags.insert(.ipv6) }
        if sa.encapsulation == .udp { flags.insert(.udpEncapsulated) }
        return try state.withLock { (s) throws(DataplaneError) -> OutboundSAHandle in
            reclaim(&s)
            let context = try makeContext(sa.transform, sa.keys, spi: sa.spi, &s)
            guard let slot = s.freeOutbound.popLast() else {
                releaseContext(context, &s)
                throw .saTableFull(worker: -1, capacity: outbound.capacity)
            }
            outbound.entry(slot).write(sa, flags: flags, context: context)
            s.outboundContexts[Int(slot)] = context
            s.outboundGeneration[Int(slot)] &+= 1
            s.liveOutbound.insert(slot)
            return OutboundSAHandle(slot: slot, generation: s.outboundGeneration[Int(slot)])
        }
    }

    /// Points protect-policy `binding` at `sa` on every worker (nil: no SA, so matching
    /// packets trigger IKE). Rekeying outbound is binding the new SA, then deleting the old.
    public func bind(_ binding: UInt32, to sa: OutboundSAHandle?) throws(DataplaneError) {
        guard Int(binding) < bindingCapacity else {
            throw .invalidConfiguration("binding \(binding) beyond capacity \(bindingCapacity)")
        }
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .unbindOutbound)
            c.binding = binding
            if let sa {
                guard s.liveOutbound.contains(sa.slot), s.outboundGeneration[Int(sa.slot)] == sa.generation else {
                    throw .unknownSA(sa.description)
                }
                c.kind = .bindOutbound
                c.slot = sa.slot
            }
            try submitToAll(c, &s)
            s.bindingSlots[binding] = sa?.slot
        }
    }

    /// Deletes an outbound SA, unbinding it first wherever it is bound.
    public func deleteOutbound(_ sa: OutboundSAHandle) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            guard s.liveOutbound.contains(sa.slot), s.outboundGeneration[Int(sa.slot)] == sa.generation else {
                throw .unknownSA(sa.description)
            }
            for (binding, slot) in s.bindingSlots where slot == sa.slot {
                var c = WorkerCommand(kind: .unbindOutbound)
                c.binding = binding
                try submitToAll(c, &s)
                s.bindingSlots[binding] = nil
            }
            s.liveOutbound.remove(sa.slot)
            s.pendingOutbound.append((sa.slot, s.sentEpoch))
        }
    }

    /// Counters of a live outbound SA, summed over workers.
    public func counters(_ sa: OutboundSAHandle) -> OutboundSACounters? {
        state.withLock { s in
            guard s.liveOutbound.contains(sa.slot), s.outboundGeneration[Int(sa.slot)] == sa.generation else { return nil }
            return OutboundSACounters(values: OutboundSACounter.allCases.map { c in
                links.reduce(0) { $0 &+ $1.outboundCounters.load(sa.slot, c) }
            })
        }
    }

    /// Sequence numbers an outbound SA handed out (its packet count, drops after it included).
    public func sequenceNumbersUsed(_ sa: OutboundSAHandle) -> UInt64 {
        outbound.entry(sa.slot).sequenceNumbersUsed
    }

    /// Replaces the policy database on every worker (an empty list removes it).
    public func installPolicies(_ policies: [SecurityPolicy]) throws(DataplaneError) {
        let database = policies.isEmpty ? nil : try SecurityPolicyDatabase(policies, node: node)
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .installPolicies)
            c.image = database.map { UnsafeRawPointer($0.viewAddress) }
            try submitToAll(c, &s)
            if let old = s.policies { s.pendingPolicies.append((old, s.sentEpoch)) }
            s.policies = database
        }
    }

    /// Declares a local crypto endpoint and its mode (decides feature drop 4 versus 7).
    public func setLocalEndpoint(_ address: IPAddress, mode: IPsecMode) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .setLocalEndpoint)
            c.address = address
            c.flags = mode == .tunnel ? SAFlags.tunnel.rawValue : 0
            try submitToAll(c, &s)
        }
    }

    /// Removes a local crypto endpoint.
    public func removeLocalEndpoint(_ address: IPAddress) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .removeLocalEndpoint)
            c.address = address
            try submitToAll(c, &s)
        }
    }

    /// Sets how many invalid-SPI (and, separately, acquire) records each worker may punt per
    /// second, and the burst it may save up.
    public func configurePunt(ratePerSecond: UInt64, burst: UInt64) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .configurePunt)
            c.softPackets = ratePerSecond
            c.hardPackets = burst
            try submitToAll(c, &s)
        }
    }

    /// Turns drop capture on or off on every worker (the pipeline needs
    /// `dropCaptureRingSlots`). Workers copy each dropped packet's first bytes and reason to
    /// their capture ring; take them with `drainDroppedFrames`.
    public func setDropCapture(_ on: Bool) throws(DataplaneError) {
        try state.withLock { (s) throws(DataplaneError) in
            var c = WorkerCommand(kind: .setDropCapture)
            c.flags = on ? 1 : 0
            try submitToAll(c, &s)
        }
    }

    /// Whether the pipeline was built with drop-capture rings.
    public var canCaptureDrops: Bool { links.first?.dropCapture != nil }

    /// Takes up to `maximum` captured drops off every worker's ring, oldest first per worker.
    public func drainDroppedFrames(into out: inout [DroppedFrame], maximum: Int = .max) {
        state.withLock { _ in
            for link in links {
                guard let ring = link.dropCapture else { continue }
                while out.count < maximum, let f = ring.dequeue() { out.append(f) }
            }
        }
    }

    // MARK: Punt path

    /// Takes up to `maximum` punt records off every worker's ring, oldest first per worker.
    public func drainPunts(maximum: Int = .max) -> [PuntRecord] {
        state.withLock { _ in
            var out: [PuntRecord] = []
            for link in links {
                while out.count < maximum, let r = link.punts.dequeue() { out.append(r) }
            }
            return out
        }
    }

    /// Takes up to `maximum` punted IKE frames off every worker's ring.
    public func drainFrames(maximum: Int = .max) -> [PuntedFrame] {
        state.withLock { _ in
            var out: [PuntedFrame] = []
            for link in links {
                while out.count < maximum, let f = link.frames.dequeue() { out.append(f) }
            }
            return out
        }
    }
}
