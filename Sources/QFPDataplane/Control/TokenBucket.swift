/// A token bucket on the coarse clock: `rate` tokens per second, at most `burst` stored.
///
/// Bounds how many invalid-SPI and IKE-start records one worker can push per second, so a
/// flood of bad packets cannot flood the control plane (the drops themselves are all counted).
@frozen
public struct TokenBucket: Sendable {
    /// Tokens in millionths, so sub-token refills accumulate exactly.
    @usableFromInline var microTokens: UInt64
    @usableFromInline var last: UInt64
    @usableFromInline var ratePerSecond: UInt64
    @usableFromInline var burst: UInt64

    public init(ratePerSecond: UInt64, burst: UInt64) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(burst, 1)
        microTokens = self.burst * 1_000_000
        last = 0
    }

    /// Takes one token if available at time `now` (nanoseconds).
    @inlinable @inline(__always)
    public mutating func take(now: UInt64) -> Bool {
        if now > last {
            let elapsed = now &- last
            // tokens = elapsed[ns] × rate / 1e9, kept in millionths: elapsed × rate / 1000.
            let (product, overflow) = elapsed.multipliedReportingOverflow(by: ratePerSecond)
            let refill = overflow ? UInt64.max : product / 1000
            microTokens = min(burst &* 1_000_000, microTokens &+ min(refill, burst &* 1_000_000))
            last = now
        }
        if microTokens >= 1_000_000 {
            microTokens &-= 1_000_000
            return true
        }
        return false
    }
}
