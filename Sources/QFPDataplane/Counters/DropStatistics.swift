import Synchronization

/// Reads the counters of every core, and clears by baseline.
///
/// `clear()` stores the current sums as a baseline that later reads subtract (VPP's
/// `counters_last_clear`); worker memory is never written, so a clear cannot race with a
/// worker's increment and lose it. Thread-safe: any number of readers.
public final class DropStatistics: Sendable {
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

    /// Totals since the last clear, then clears: `show ... statistics drop clear` semantics.
    public func readAndClear() -> CounterSnapshot {
        let now = totals()
        return baseline.withLock { base in
            let delta = now.subtracting(base)
            base = now
            return delta
        }
    }

    /// Makes later `sinceClear()` reads start from zero.
    public func clear() { _ = readAndClear() }

    /// One snapshot per core since start (for per-worker views).
    public func perCore() -> [CounterSnapshot] {
        blocks.map { b in
            var s = CounterSnapshot()
            b.accumulate(into: &s)
            return s
        }
    }
}
