import Synchronization

/// Reads the counters of every core, and clears by baseline.
///
/// `clear()` stores the current sums as a baseline that later reads subtract (VPP's
/// `counters_last_clear`); worker memory is never written, so a clear cannot race with a
/// worker's increment and lose it. The global drop table and the IPsec feature table clear
/// separately, as their two IOS `clear` commands do. Thread-safe: any number of readers.
public final class DropStatistics: Sendable {
    /// What a clear resets.
    public enum Scope: Sendable {
        /// Global drop causes (`show ... statistics drop clear`) and datapath counters.
        case globalDrops
        /// IPsec feature drops (`show ... feature ipsec datapath drops clear`).
        case featureDrops
        /// Both.
        case all
    }

    private let blocks: [CounterBlock]
    /// One baseline per core, so per-core views clear with the totals and always sum to them.
    private let baselines: Mutex<[CounterSnapshot]>

    /// Statistics over `blocks` (one per core).
    public init(blocks: [CounterBlock]) {
        self.blocks = blocks
        baselines = Mutex(Array(repeating: CounterSnapshot(), count: blocks.count))
    }

    /// Totals since start, summed over cores.
    public func totals() -> CounterSnapshot {
        var s = CounterSnapshot()
        for b in blocks { b.accumulate(into: &s) }
        return s
    }

    /// Totals since the last `clear()`, from one read of every core.
    public func sinceClear() -> CounterSnapshot {
        Self.sum(sinceClearPerCore())
    }

    /// Each core's counters since the last `clear()` (they sum to `sinceClear()`).
    public func sinceClearPerCore() -> [CounterSnapshot] {
        read().sinceClear
    }

    /// One read of every core, both ways: since start and since the last `clear()` (for views
    /// that show both columns and must agree, such as `qfp top`).
    public func read() -> (sinceStart: [CounterSnapshot], sinceClear: [CounterSnapshot]) {
        let now = perCore()
        return (now, baselines.withLock { base in zip(now, base).map { $0.subtracting($1) } })
    }

    /// Totals since the last clear, then clears `scope`: `show ... drop clear` semantics (the
    /// output shows what accumulated until the clear).
    public func readAndClear(_ scope: Scope = .all) -> CounterSnapshot {
        let now = perCore()
        return baselines.withLock { base in
            var delta = CounterSnapshot()
            for (i, core) in now.enumerated() {
                delta = delta.adding(core.subtracting(base[i]))
                if scope != .featureDrops {
                    base[i].globalPackets = core.globalPackets
                    base[i].globalOctets = core.globalOctets
                    base[i].datapath = core.datapath
                }
                if scope != .globalDrops { base[i].featurePackets = core.featurePackets }
            }
            return delta
        }
    }

    /// Makes later `sinceClear()` reads of `scope` start from zero.
    public func clear(_ scope: Scope = .all) { _ = readAndClear(scope) }

    /// One snapshot per core since start (for rates, which take differences themselves).
    public func perCore() -> [CounterSnapshot] {
        blocks.map { b in
            var s = CounterSnapshot()
            b.accumulate(into: &s)
            return s
        }
    }

    static func sum(_ cores: [CounterSnapshot]) -> CounterSnapshot {
        cores.reduce(CounterSnapshot()) { $0.adding($1) }
    }
}
