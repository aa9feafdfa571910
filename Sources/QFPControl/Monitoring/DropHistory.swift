import QFPDataplane
import Synchronization

/// Samples the drop counters periodically so `show platform hardware qfp active statistics
/// drop history` can print what each cause dropped over the last 1, 5 and 30 minutes and in
/// all (since the history was last cleared). Thread-safe.
public final class DropHistory: Sendable {
    struct Sample {
        var time: UInt64
        var counters: CounterSnapshot
    }

    struct State {
        var samples: [Sample] = []
        var baseline = CounterSnapshot()
        var lastClear: UInt64?
    }

    let statistics: DropStatistics
    let clock: any ControlClock
    let state = Mutex(State())
    /// Samples older than this are dropped (30 minutes and one sample).
    static let horizon: UInt64 = 31 * 60 * 1_000_000_000

    public init(statistics: DropStatistics, clock: any ControlClock) {
        self.statistics = statistics
        self.clock = clock
        sample()
    }

    /// Takes a sample now (the daemon calls this every few seconds).
    public func sample() {
        let now = clock.now()
        let totals = statistics.totals()
        state.withLock { s in
            s.samples.append(Sample(time: now, counters: totals))
            while let first = s.samples.first, now - first.time > Self.horizon, s.samples.count > 1 { s.samples.removeFirst() }
        }
    }

    /// Drops per cause over the windows: each value is now minus the newest sample at least
    /// that old (or the oldest sample when the history is younger). `all` is since the last
    /// clear of the history.
    public struct Windows: Sendable {
        public var oneMinute: CounterSnapshot
        public var fiveMinutes: CounterSnapshot
        public var thirtyMinutes: CounterSnapshot
        public var all: CounterSnapshot
        /// Control-clock time of the last clear, if any.
        public var lastClear: UInt64?
    }

    /// The windows, from one read of the counters.
    public func windows() -> Windows {
        let now = clock.now()
        let totals = statistics.totals()
        return state.withLock { s in
            func since(_ age: UInt64) -> CounterSnapshot {
                let reference = s.samples.last { now - $0.time >= age } ?? s.samples.first
                let base = reference.map { $0.time >= (s.lastClear ?? 0) ? $0.counters : s.baseline } ?? s.baseline
                return totals.subtracting(base)
            }
            return Windows(oneMinute: since(60_000_000_000), fiveMinutes: since(300_000_000_000),
                           thirtyMinutes: since(1_800_000_000_000), all: totals.subtracting(s.baseline),
                           lastClear: s.lastClear)
        }
    }

    /// `... drop history clear`: the windows restart from now.
    public func clear() {
        let now = clock.now()
        let totals = statistics.totals()
        state.withLock { s in
            s.baseline = totals
            s.lastClear = now
            s.samples = [Sample(time: now, counters: totals)]
        }
    }
}
