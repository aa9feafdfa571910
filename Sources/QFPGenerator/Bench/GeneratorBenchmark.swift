import QFPDataplane
#if canImport(Glibc)
import Glibc
#endif

/// Measures the traffic generator: how fast one core fills packets, the whole loop (generator
/// thread, steering, rings, workers, counters, rx), and how exactly it holds a set rate.
public enum GeneratorBenchmark {
    static let router = IPAddress(ipv4: 0xC000_0201)      // 192.0.2.1
    static let peer = IPAddress(ipv4: 0xC633_6407)        // 198.51.100.7

    /// A profile of one stream from one peer over `sas` SAs (SPIs 0x1000…), to router 192.0.2.1.
    public static func profile(size: TrafficProfile.Size, rate: TrafficProfile.Rate, sas: Int, duration: Double? = nil) -> TrafficProfile {
        var p = TrafficProfile()
        p.peers = [TrafficProfile.Peer(name: "bench", address: peer, router: router, sas: [.range(first: 0x1000, count: sas)])]
        var s = TrafficProfile.Stream(name: "bench", peer: "bench")
        s.size = size
        s.rate = rate
        s.duration = duration
        p.streams = [s]
        return p
    }

    public struct FillResult: Sendable, Codable {
        /// Packets one core wrote per second, in millions (template copy, SPI, sequence, stamp).
        public var mpps: Double
        public var averageLength: Double
    }

    /// One thread filling buffers as the generator does, without sending them: the generator's
    /// own cost per packet. It fills 16 bursts (1 MiB of buffers, beyond L1 and most of L2)
    /// before giving them back, so the buffers are not all cache-hot. Pinned to `cpu`.
    /// With a `transform` other than ESP-NULL every packet is also sealed with `keys` (the
    /// generator's cost of an IKE-keyed SA).
    public static func fill(size: TrafficProfile.Size, seconds: Double, cpu: Int? = nil,
                            topology: NUMATopology = .current, transform: ESPTransform = .null,
                            keys: ESPKeys = .none) throws -> FillResult {
        var c = PipelineConfiguration()
        c.workers = 1
        c.sourcePoolBuffers = 1024
        c.inboundSAsPerWorker = 1024
        c.outboundSAs = 16
        c.bindings = 16
        let pipeline = try Pipeline(c, topology: topology)
        var p = profile(size: size, rate: .maximum, sas: 64)
        if transform != .null {
            p.peers[0].sas = (0..<64).map { .keyed(spi: 0x1000 + UInt32($0), transform: transform, keys: keys) }
        }
        let view = try PeerView.resolve(p.peers[0], router: RouterView())
        let engine = try StreamEngine(id: 1, stream: p.streams[0], peer: view, sequences: SequenceStore(), profile: p, avoid: [])
        let source = pipeline.takeSource(0)
        let result = UnsafeMutablePointer<(UInt64, UInt64, UInt64)>.allocate(capacity: 1)
        defer { result.deallocate(); engine.deallocate() }
        let box = ResultBox(result)
        let thread = try PinnedThread.start(name: "qfp-genbench", cpu: cpu ?? topology.cpu(forWorker: 0), topology: topology) {
            var source = source
            var e = engine
            let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32 * 16)
            defer { handles.deallocate() }
            let start = MonotonicClock.nanoseconds()
            let end = start + UInt64(seconds * 1e9)
            var packets: UInt64 = 0
            var now = start
            while now < end {
                for _ in 0..<4 {
                    var held = 0
                    for _ in 0..<16 {
                        let n = source.allocate(into: handles + held, maximum: 32)
                        e.fill(source, handles + held, n, now: now)
                        held &+= n
                    }
                    source.free(handles, count: held)
                    packets &+= UInt64(held)
                }
                now = MonotonicClock.nanoseconds()
            }
            box.pointer.pointee = (packets, now - start, e.sentOctets)
        }
        thread.join()
        let (packets, ns, octets) = result.pointee
        return FillResult(mpps: Double(packets) / Double(ns) * 1e3, averageLength: Double(octets) / Double(max(packets, 1)))
    }

    final class ResultBox: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<(UInt64, UInt64, UInt64)>
        init(_ p: UnsafeMutablePointer<(UInt64, UInt64, UInt64)>) { pointer = p }
    }

    public struct LoopResult: Sendable, Codable {
        public var workers: Int
        /// Offered (generated) and forwarded packets per second over the window, in millions.
        public var txMpps: Double
        public var rxMpps: Double
        /// Target rate (0: maximum) and the per-second rates measured, in packets per second.
        public var targetPPS: Double
        public var perSecondPPS: [Double]
        /// Packets the stream sent in all, against rate × duration.
        public var sent: UInt64
        public var expected: UInt64
        /// Latency percentiles (microseconds) of the run.
        public var latency: StreamStatus.Latency?
        public var conserved: Bool
        public var averageLength: Double
    }

    /// The whole loop: a `TrafficGenerator` thread feeding `workers` pinned workers through
    /// steering and rings, forwarded packets coming back for rx counts and latency. With a
    /// `rate`, runs `seconds` at that rate and reports each second's rate.
    public static func loop(size: TrafficProfile.Size, rate: Double?, workers: Int, seconds: Double, sas: Int = 1024,
                            topology: NUMATopology = .current) throws -> LoopResult {
        var c = PipelineConfiguration()
        c.workers = workers
        c.sourcePoolBuffers = 16384
        c.inputRingSlots = 4096
        c.inboundSAsPerWorker = sas + 1024
        c.outboundSAs = 16
        c.bindings = 16
        c.transmitRings = true
        c.transmitRingSlots = 8192
        let pipeline = try Pipeline(c, topology: topology)
        try pipeline.startClock()
        try pipeline.startWorkers()
        try pipeline.control.setLocalEndpoint(router, mode: .tunnel)
        for i in 0..<sas { try pipeline.control.installInbound(InboundSAConfig(spi: 0x1000 + UInt32(i), destination: router)) }
        try pipeline.control.waitUntilApplied(timeoutNanoseconds: 60_000_000_000)
        let generator = TrafficGenerator(pipeline: pipeline) { RouterView() }
        let cpus = topology.allowedCPUs
        try generator.startThread(source: pipeline.takeSource(0), cpu: cpus.count > workers ? cpus[workers] : cpus.last)
        defer {
            generator.shutdown()
            pipeline.stop()
        }
        let p = profile(size: size, rate: rate.map { .packetsPerSecond($0) } ?? .maximum, sas: sas,
                        duration: rate == nil ? nil : seconds)
        try generator.start(p)
        let warmup = rate == nil ? 0.3 : 0
        sleepSeconds(warmup)
        let begin = pipeline.statistics.totals()
        let t0 = MonotonicClock.nanoseconds()
        var perSecond: [Double] = []
        var previous = begin[.offered]
        var previousTime = t0
        let whole = Int(seconds.rounded(.down))
        for _ in 0..<whole {
            sleepUntil(previousTime + 1_000_000_000)
            let now = MonotonicClock.nanoseconds()
            let offered = pipeline.statistics.totals()[.offered]
            perSecond.append(Double(offered - previous) * 1e9 / Double(now - previousTime))
            previous = offered
            previousTime = now
        }
        sleepUntil(t0 + UInt64(seconds * 1e9))
        let end = pipeline.statistics.totals()
        let t1 = MonotonicClock.nanoseconds()
        if rate != nil {
            // Let the stream reach its duration.
            var waited = 0
            while generator.status().streams.first?.state != .done && waited < 200 { sleepSeconds(0.01); waited += 1 }
        }
        let status = generator.status()
        try generator.stop()
        // Drain: everything offered is accounted for.
        var totals = pipeline.statistics.totals()
        let deadline = MonotonicClock.nanoseconds() + 5_000_000_000
        while totals[.offered] != totals.accountedFor && MonotonicClock.nanoseconds() < deadline {
            sleepSeconds(0.01)
            totals = pipeline.statistics.totals()
        }
        let elapsed = Double(t1 - t0)
        let stream = status.streams.first
        return LoopResult(
            workers: workers,
            txMpps: Double(end[.offered] - begin[.offered]) / elapsed * 1e3,
            rxMpps: Double(end[.forwarded] - begin[.forwarded]) / elapsed * 1e3,
            targetPPS: rate ?? 0, perSecondPPS: perSecond,
            sent: totals[.offered], expected: rate.map { UInt64(($0 * seconds).rounded()) } ?? 0,
            latency: stream?.latency, conserved: totals[.offered] == totals.accountedFor,
            averageLength: Double(totals[.offeredOctets]) / Double(max(totals[.offered], 1)))
    }

    static func sleepSeconds(_ s: Double) {
        guard s > 0 else { return }
        var ts = timespec(tv_sec: Int(s), tv_nsec: Int((s - s.rounded(.down)) * 1e9))
        nanosleep(&ts, nil)
    }

    static func sleepUntil(_ t: UInt64) {
        let now = MonotonicClock.nanoseconds()
        if t > now { sleepSeconds(Double(t - now) / 1e9) }
    }
}
