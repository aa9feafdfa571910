/// The anti-replay window of RFC 4303 §3.4.3 over a bitmap of 64–1024 bits.
///
/// Bit `s mod W` records sequence number `s` for the `W` numbers ending at `top` (RFC 6479's
/// ring layout: advancing the window clears only the bits it passes over, no shifting).
/// `check` is the cheap pre-check done before integrity verification; `update` runs only after
/// the packet is authenticated, so a forged packet cannot move the window.
public enum ReplayWindow {
    /// Outcome of the pre-check.
    public enum Verdict: UInt8, Sendable, BitwiseCopyable {
        /// Not seen and inside or right of the window.
        case fresh
        /// Inside the window and already received.
        case duplicate
        /// Left of the window (or zero, which no sender may use).
        case tooOld
    }

    /// Smallest and largest configurable windows, in packets (IOS: 64, 128, 256, 512, 1024).
    public static let sizes: ClosedRange<Int> = 64...1024
    /// Maximum 64-bit words a window uses.
    public static let maximumWords = 16

    /// Pre-check of `sequence` against a window of `words` × 64 bits ending at `top`.
    @inlinable @inline(__always)
    public static func check(
        _ sequence: UInt64, top: UInt64, bits: UnsafePointer<UInt64>, words: Int
    ) -> Verdict {
        if sequence == 0 { return .tooOld }
        if sequence > top { return .fresh }
        let width = UInt64(words) &<< 6
        if top &- sequence >= width { return .tooOld }
        let position = Int(sequence & (width &- 1))
        return bits[position &>> 6] & (1 &<< UInt64(position & 63)) != 0 ? .duplicate : .fresh
    }

    /// Records `sequence` (already pre-checked and authenticated), moving the window right if
    /// it is beyond `top`.
    @inlinable @inline(__always)
    public static func update(
        _ sequence: UInt64, top: inout UInt64, bits: UnsafeMutablePointer<UInt64>, words: Int
    ) {
        let width = UInt64(words) &<< 6
        if sequence > top {
            let advance = sequence &- top
            if advance >= width {
                bits.update(repeating: 0, count: words)
            } else {
                clear(bits, from: Int((top &+ 1) & (width &- 1)), count: Int(advance), width: Int(width))
            }
            top = sequence
        }
        let position = Int(sequence & (width &- 1))
        bits[position &>> 6] |= 1 &<< UInt64(position & 63)
    }

    /// Clears `count` bits starting at `start`, wrapping at `width` (count < width).
    @inlinable @inline(__always)
    static func clear(_ bits: UnsafeMutablePointer<UInt64>, from start: Int, count: Int, width: Int) {
        var position = start
        var remaining = count
        while remaining > 0 {
            let bit = position & 63
            let take = min(64 &- bit, remaining)
            let mask: UInt64 = take == 64 ? .max : ((1 &<< UInt64(take)) &- 1) &<< UInt64(bit)
            bits[position &>> 6] &= ~mask
            position = (position &+ take) & (width &- 1)
            remaining &-= take
        }
    }
}
