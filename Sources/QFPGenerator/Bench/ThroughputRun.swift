import QFPDataplane
import QFPCrypto
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a throughput run measures.
public struct ThroughputWorkload: Sendable, Equatable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        /// ESP from peers to installed inbound SAs (plus unknown SPIs).
        case inbound
        /// Clear traffic from the inside, encapsulated with outbound SAs (plus traffic for
        /// protected destinations whose SA is not up: IKE indications).
        case outbound
    }

    /// Which traffic each worker thread generates.
    public enum Generation: String, Sendable, Codable, CaseIterable {
        /// Each worker generates the packets RSS steers to it (a NIC queue per worker): its
        /// packets still go through steering and its own input ring, but never cross cores.
        case rss
        /// Each worker generates a share of all traffic; software steering sends about
        /// (W-1)/W of it to the other workers' rings (a capture reader or generator thread
        /// feeding every worker).
        case spread
    }

    public var direction: Direction = .inbound
    public var generation: Generation = .rss
    /// Worker threads; each also runs one generator (the NIC of its queue).
    public var workers: Int = 2
    /// SAs installed (inbound) or bound to /32 policies (outbound).
    public var securityAssociations: Int = 100_000
    /// Fraction of packets to unknown SPIs (inbound) or SA-less policies (outbound).
    public var missFraction: Double = 0.05
    /// IP packet length in bytes.
    public var packetLength: Int = 64
    /// Seconds measured, after `warmupSeconds`.
    public var seconds: Double = 2
    public var warmupSeconds: Double = 0.3
    public var burstSize: Int = 32
    public var seed: UInt64 = 1
    /// Inbound only: a real transform instead of ESP-NULL. The SAs get `keys` and anti-replay
    /// disabled, and each generator replays a ring of `sealedRingPackets` packets sealed once
    /// at set-up (`InboundSealedTraffic`; unknown SPIs are not sent). `packetLength` is then the
    /// encrypted length per packet (inner datagram and ESP trailer, as `dpdk-test-crypto-perf`'s
    /// `--buffer-sz`), rounded up to the cipher block.
    public var transform: ESPTransform = .null
    public var keys: ESPKeys = .none
    public var sealedRingPackets: Int = 1024
    /// Who opens the sealed traffic in the data plane (the generators seal with BoringSSL,
    /// `InboundSealedTraffic`, so the two sides are independent implementations).
    public var cryptoProvider: CryptoProviderChoice = .auto

    /// The IP packet length a run with this workload sends.
    public var ipPacketLength: Int {
        transform == .null ? packetLength
            : InboundSealedTraffic.encryptedLength(packetLength, transform: transform) + InboundSealedTraffic.overhead(transform)
    }

    public init() {}
}

/// What a throughput run measured.
public struct ThroughputResult: Sendable {
    public var workload: ThroughputWorkload
    /// Packets each worker took off its rings during the measured window, per second, in millions.
    public var mppsPerWorker: [Double]
    /// Sum over workers.
    public var mppsTotal: Double { mppsPerWorker.reduce(0, +) }
    /// Seconds actually measured.
    public var elapsedSeconds: Double
    /// Counters since start, after the pipeline drained.
    public var counters: CounterSnapshot
    /// CPUs the workers ran on.
    public var cpus: [Int]
    /// Whether conservation held at the end (offered = forwarded + punted + consumed + drops).
    public var conserved: Bool
}

/// Runs the whole loop — generators, steering, rings, stages, counters — on pinned worker
/// threads, each generating its share of the traffic and processing what is steered to it
/// (run to completion, like a DPDK lcore polling its RSS queue).
public enum ThroughputRun {
    static let router = IPAddress(ipv4: 0xC000_0201)      // 192.0.2.1
    static let peer = IPAddress(ipv4: 0xC633_6407)        // 198.51.100.7
    static let inside = IPAddress(ipv4: 0x0A01_010A)      // 10.1.1.10

    final class Phase: Sendable {
        let value = Atomic<Int>(0)
        /// Generators that saw the drain phase and will offer nothing more.
        let quiet = Atomic<Int>(0)
        static let setup = 0, generate = 1, drain = 2
        // Acquiring/releasing: the phase orders the set-up before generation starts.
        var current: Int { value.load(ordering: .acquiring) }
        func set(_ v: Int) { value.store(v, ordering: .releasing) }
    }

    public static func run(_ w: ThroughputWorkload, topology: NUMATopology = .current) throws -> ThroughputResult {
        var c = PipelineConfiguration()
        c.workers = w.workers
        c.sources = w.workers
        c.colocatedSources = true
        c.burstSize = w.burstSize
        c.sourcePoolBuffers = 8192
        c.inputRingSlots = 8192
        c.workerPoolBuffers = 64
        let perWorker = w.securityAssociations / w.workers
        c.inboundSAsPerWorker = w.direction == .inbound ? perWorker + perWorker / 5 + 1024 : 1024
        c.outboundSAs = w.direction == .outbound ? w.securityAssociations + 1 : 16
        c.bindings = w.direction == .outbound ? w.securityAssociations + 4096 : 16
        let pipeline = try Pipeline(c, topology: topology)
        try pipeline.startClock()

        // Traffic: SAs (or destinations) partitioned over the generators.
        let sequence = SPISequence(seed: UInt32(truncatingIfNeeded: w.seed))
        let (installed, next) = sequence.spis(count: w.securityAssociations)
        let unknown = sequence.spis(count: 4096, from: next).spis
        // Split SAs (inbound) and destinations (outbound) over the generators.
        let steering = pipeline.steering
        func owner(_ index: Int, spi: UInt32) -> Int {
            w.generation == .spread ? index % w.workers : steering.worker(forSPI: spi)
        }
        let destinationAddresses = (0..<w.securityAssociations).map { 0x0B00_0000 + UInt32($0) }
        let pendingAddresses = (0..<1024).map { 0x0C00_0000 + UInt32($0) }
        func flowOwner(_ index: Int, destination: UInt32) -> Int {
            if w.generation == .spread { return index % w.workers }
            let packet = PacketBuilder.clear(source: inside, destination: IPAddress(ipv4: destination),
                                             payloadLength: max(w.packetLength - 28, 0))
            return packet.withUnsafeBytes { steering.steer($0.baseAddress!, length: $0.count).worker }
        }
        var shares = Array(repeating: [UInt32](), count: w.workers)
        var unknownShares = Array(repeating: [UInt32](), count: w.workers)
        var destinationShares = Array(repeating: [UInt32](), count: w.workers)
        var pendingShares = Array(repeating: [UInt32](), count: w.workers)
        if w.direction == .inbound {
            for (i, spi) in installed.enumerated() { shares[owner(i, spi: spi)].append(spi) }
            for (i, spi) in unknown.enumerated() { unknownShares[owner(i, spi: spi)].append(spi) }
        } else {
            for (i, d) in destinationAddresses.enumerated() { destinationShares[flowOwner(i, destination: d)].append(d) }
            for (i, d) in pendingAddresses.enumerated() { pendingShares[flowOwner(i, destination: d)].append(d) }
        }

        let sealed = w.direction == .inbound && w.transform != .null
        if sealed { pipeline.control.setCryptoProvider(try w.cryptoProvider.select().provider) }
        let phase = Phase()
        for t in 0..<w.workers {
            let sealedTraffic = sealed
                ? try InboundSealedTraffic(spis: shares[t], transform: w.transform, keys: w.keys, payloadLength: w.packetLength,
                                           ringPackets: w.sealedRingPackets, peer: peer, router: router)
                : nil
            let takenWorker = pipeline.takeWorker(t)
            let takenSource = pipeline.takeSource(t)
            let share = shares[t]
            let unknownShare = unknownShares[t]
            let destinations = destinationShares[t]
            let pendingDestinations = pendingShares[t]
            let seed = w.seed &* 0x9E37_79B9 &+ UInt64(t)
            let clock = pipeline.clock
            let burst = w.burstSize
            let direction = w.direction
            let missFraction = w.missFraction
            let length = w.packetLength
            try pipeline.startThread(forWorker: t, name: "qfp-bench-\(t)") { [pipeline] in
                var worker = takenWorker
                var source = takenSource
                var inbound = InboundESPTraffic(spis: share, unknownSPIs: unknownShare, unknownFraction: missFraction,
                                                length: length, peer: peer, router: router, seed: seed)
                var outbound = OutboundClearTraffic(destinations: destinations, pendingDestinations: pendingDestinations,
                                                    pendingFraction: missFraction, length: length, source: inside, seed: seed)
                let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: burst)
                var protected = sealedTraffic
                defer { handles.deallocate(); inbound.deallocate(); outbound.deallocate(); protected?.deallocate() }
                let idle = protected?.isEmpty ?? (direction == .inbound ? inbound.isEmpty : outbound.isEmpty)
                var quiet = false
                while !pipeline.stopRequested(worker: t) {
                    if !quiet && phase.current == Phase.drain {
                        quiet = true
                        // Releasing: pairs with the main thread's acquiring load; every offer
                        // this thread made is counted before it says it is quiet.
                        phase.quiet.add(1, ordering: .releasing)
                    }
                    if phase.current == Phase.generate && !idle {
                        let n = source.allocate(into: handles, maximum: burst)
                        if n > 0 {
                            if protected != nil {
                                protected!.fill(source, handles, n, now: clock.now)
                            } else if direction == .inbound {
                                inbound.fill(source, handles, n, now: clock.now)
                            } else {
                                outbound.fill(source, handles, n, now: clock.now)
                            }
                            source.send(handles, count: n)
                        }
                    }
                    if worker.poll() == 0 && phase.current != Phase.generate { CPU.relax() }
                }
            }
        }

        // Program the data plane while the workers poll their command rings.
        let control = pipeline.control
        if w.direction == .inbound {
            try control.setLocalEndpoint(router, mode: .tunnel)
            for spi in installed {
                try control.installInbound(sealed
                    ? InboundSAConfig(spi: spi, destination: router, transform: w.transform, replay: .disabled, keys: w.keys)
                    : InboundSAConfig(spi: spi, destination: router))
            }
        } else {
            var policies: [SecurityPolicy] = []
            policies.reserveCapacity(w.securityAssociations + 1024)
            let insideNet = IPPrefix(IPAddress(ipv4: 0x0A01_0000), length: 16)!
            for i in 0..<w.securityAssociations {
                policies.append(SecurityPolicy(source: insideNet, destination: IPPrefix(IPAddress(ipv4: 0x0B00_0000 + UInt32(i)), length: 32)!,
                                               action: .protect(binding: UInt32(i))))
            }
            for i in 0..<1024 {
                policies.append(SecurityPolicy(source: insideNet, destination: IPPrefix(IPAddress(ipv4: 0x0C00_0000 + UInt32(i)), length: 32)!,
                                               action: .protect(binding: UInt32(w.securityAssociations + i))))
            }
            try control.installPolicies(policies)
            for i in 0..<w.securityAssociations {
                let sa = try control.installOutbound(OutboundSAConfig(spi: installed[i], tunnelSource: router, tunnelDestination: peer))
                try control.bind(UInt32(i), to: sa)
            }
        }
        try control.waitUntilApplied(timeoutNanoseconds: 120_000_000_000)

        phase.set(Phase.generate)
        sleep(seconds: w.warmupSeconds, draining: control)
        let startCounts = pipeline.statistics.perCore().prefix(w.workers).map { $0[.received] }
        let start = MonotonicClock.nanoseconds()
        sleep(seconds: w.seconds, draining: control)
        let endCounts = pipeline.statistics.perCore().prefix(w.workers).map { $0[.received] }
        let end = MonotonicClock.nanoseconds()
        phase.set(Phase.drain)

        // Wait until no generator offers more, then until what is in flight has landed.
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while phase.quiet.load(ordering: .acquiring) < w.workers && MonotonicClock.nanoseconds() < deadline {
            sleep(seconds: 0.001, draining: control)
        }
        var totals = pipeline.statistics.totals()
        while totals[.offered] != totals.accountedFor && MonotonicClock.nanoseconds() < deadline {
            sleep(seconds: 0.01, draining: control)
            totals = pipeline.statistics.totals()
        }
        pipeline.stop()
        totals = pipeline.statistics.totals()
        let elapsed = Double(end - start) / 1e9
        return ThroughputResult(
            workload: w,
            mppsPerWorker: zip(startCounts, endCounts).map { Double($1 - $0) / elapsed / 1e6 },
            elapsedSeconds: elapsed, counters: totals,
            cpus: (0..<w.workers).map { pipeline.cpu(ofWorker: $0) },
            conserved: totals[.offered] == totals.accountedFor)
    }

    /// Sleeps, draining the punt rings like a control plane would.
    static func sleep(seconds: Double, draining control: DataplaneControl) {
        let until = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
        while MonotonicClock.nanoseconds() < until {
            _ = control.drainPunts(maximum: 4096)
            var ts = timespec(tv_sec: 0, tv_nsec: 5_000_000)
            nanosleep(&ts, nil)
        }
    }
}
