/// Distinct pseudo-random SPIs from an index: a bijection on 32 bits (odd multiplies and
/// xor-shifts are invertible), skipping the reserved range 0–255. Index ranges that do not
/// overlap give SPI sets that do not overlap, so "installed" and "unknown" SPIs never collide.
public struct SPISequence: Sendable {
    public let seed: UInt32

    public init(seed: UInt32 = 0x51C0_FFEE) { self.seed = seed }

    @inlinable
    public func mix(_ i: UInt32) -> UInt32 {
        var x = (i ^ seed) &* 0x9E37_79B1
        x ^= x >> 16
        x = x &* 0x85EB_CA6B
        x ^= x >> 13
        x = x &* 0xC2B2_AE35
        x ^= x >> 16
        return x
    }

    /// `count` SPIs starting at index `start`, none reserved. Returns them and the next index.
    public func spis(count: Int, from start: UInt32 = 0) -> (spis: [UInt32], next: UInt32) {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        var i = start
        while out.count < count {
            let s = mix(i)
            i &+= 1
            if s >= 256 { out.append(s) }
        }
        return (out, i)
    }
}

/// xorshift64* — a fast, seedable generator for traffic decisions on the hot path.
@frozen
public struct FastRandom: Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// A uniform index below `bound` (multiply-shift, no division).
    @inlinable @inline(__always)
    public static func index(_ r: UInt64, below bound: Int) -> Int {
        Int(((r >> 32) &* UInt64(bound)) >> 32)
    }
}
