import QFPDataplane
import Synchronization

/// Per-worker packet rates and load, sampled once a second, averaged over the windows of
/// `show platform hardware qfp active datapath utilization` (5 s, 1 min, 5 min, 60 min).
/// Load is the share of time a worker spent in polls that found packets (cycle counter).
public final class UtilizationMonitor: Sendable {
    struct Sample {
        var time: UInt64
        var perWorker: [CounterSnapshot]
    }

    /// Rates of one worker over one window.
    public struct Rates: Equatable, Sendable {
        public var inputPackets: UInt64
        public var inputBits: UInt64
        public var outputPackets: UInt64
        public var outputBits: UInt64
        /// 0–100.
        public var loadPercent: Int
        public static let zero = Rates(inputPackets: 0, inputBits: 0, outputPackets: 0, outputBits: 0, loadPercent: 0)
    }

    /// The four windows of one worker.
    public struct WorkerUtilization: Equatable, Sendable {
        public var worker: Int
        public var fiveSeconds: Rates
        public var oneMinute: Rates
        public var fiveMinutes: Rates
        public var sixtyMinutes: Rates
    }

    let statistics: DropStatistics
    let workers: Int
    let clock: any ControlClock
    let state = Mutex<[Sample]>([])
    static let horizon: UInt64 = 61 * 60 * 1_000_000_000

    public init(statistics: DropStatistics, workers: Int, clock: any ControlClock) {
        self.statistics = statistics
        self.workers = workers
        self.clock = clock
        sample()
    }

    /// Takes a sample now (the daemon calls this every second).
    public func sample() {
        let now = clock.now()
        let perCore = Array(statistics.perCore().prefix(workers))
        state.withLock { samples in
            samples.append(Sample(time: now, perWorker: perCore))
            while let first = samples.first, now - first.time > Self.horizon, samples.count > 1 { samples.removeFirst() }
        }
    }

    /// Averages for every worker, up to now.
    public func utilization() -> [WorkerUtilization] {
        let now = clock.now()
        let current = Array(statistics.perCore().prefix(workers))
        return state.withLock { samples in
            (0..<workers).map { w in
                func rates(_ window: UInt64) -> Rates {
                    guard let ref = samples.last(where: { now - $0.time >= window }) ?? samples.first, now > ref.time else { return .zero }
                    let seconds = Double(now - ref.time) / 1e9
                    let a = ref.perWorker[w], b = current[w]
                    let busy = Double(b[.busyCycles] &- a[.busyCycles]) / CycleClock.frequency
                    func perSecond(_ x: UInt64) -> UInt64 { UInt64(Double(x) / seconds) }
                    return Rates(
                        inputPackets: perSecond(b[.received] &- a[.received]),
                        inputBits: perSecond((b[.receivedOctets] &- a[.receivedOctets]) &* 8),
                        outputPackets: perSecond(b[.forwarded] &- a[.forwarded]),
                        outputBits: perSecond((b[.forwardedOctets] &- a[.forwardedOctets]) &* 8),
                        loadPercent: min(100, max(0, Int((busy / seconds * 100).rounded()))))
                }
                return WorkerUtilization(worker: w, fiveSeconds: rates(5_000_000_000), oneMinute: rates(60_000_000_000),
                                         fiveMinutes: rates(300_000_000_000), sixtyMinutes: rates(3_600_000_000_000))
            }
        }
    }
}
