import CNuma

/// The CPU's cycle counter, for cheap busy-time accounting on the data path (one read per
/// poll), and its rate, measured once against the monotonic clock.
public enum CycleClock {
    /// Ticks now.
    @inlinable @inline(__always)
    public static var now: UInt64 { qfp_cycles() }

    /// Ticks per second, measured over 20 ms on first use.
    public static let frequency: Double = {
        let t0 = MonotonicClock.nanoseconds()
        let c0 = qfp_cycles()
        var t1 = t0
        while t1 - t0 < 20_000_000 { t1 = MonotonicClock.nanoseconds() }
        let c1 = qfp_cycles()
        return c1 > c0 ? Double(c1 - c0) / (Double(t1 - t0) / 1e9) : 1e9
    }()
}
