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
    private let baseline = Mutex<CounterSnapshot>(CounterSnapshot())

    /// Statistics over `blocks` (one per core).
    public init(blocks: [CounterBlock]) { self.blocks = blocks }

    /// Totals since start, summed over cores.
    public func totals() -> CounterSnapshot {
        var s = CounterSnapshot()
        for b in blocks { b.accumulate(into: &s) }
        return s
    }

    /// Totals since the last `clear()`.
    public func sinceClear() -> CounterSnapshot {
        let now = totals()
        return now.subtracting(baseline.withLock { $0 })
    }

    /// Totals since the last clear, then clears `scope`: `show ... drop clear` semantics (the
    /// output shows what accumulated until the clear).
    public func readAndClear(_ scope: Scope = .all) -> CounterSnapshot {
        let now = totals()
        return baseline.withLock { base in
            let delta = now.subtracting(base)
            if scope != .featureDrops {
                base.globalPackets = now.globalPackets
                base.globalOctets = now.globalOctets
                base.datapath = now.datapath
            }
            if scope != .globalDrops { base.featurePackets = now.featurePackets }
            return delta
        }
    }

    /// Makes later `sinceClear()` reads of `scope` start from zero.
    public func clear(_ scope: Scope = .all) { _ = readAndClear(scope) }

    /// One snapshot per core since start (for per-worker views).
    public func perCore() -> [CounterSnapshot] {
        blocks.map { b in
            var s = CounterSnapshot()
            b.accumulate(into: &s)
            return s
        }
    }
}
