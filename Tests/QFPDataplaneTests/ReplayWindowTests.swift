@testable import QFPDataplane
import Testing

@Suite("Anti-replay window")
struct ReplayWindowTests {
    /// The RFC 4303 Appendix A reference: a set of received numbers and the right edge.
    struct Model {
        var top: UInt64 = 0
        var seen = Set<UInt64>()
        let width: UInt64
        func check(_ s: UInt64) -> ReplayWindow.Verdict {
            if s == 0 { return .tooOld }
            if s > top { return .fresh }
            if top - s >= width { return .tooOld }
            return seen.contains(s) ? .duplicate : .fresh
        }
        mutating func update(_ s: UInt64) {
            top = max(top, s)
            seen.insert(s)
        }
    }

    @Test("matches the reference model on random sequences", arguments: [1, 2, 4, 16])
    func randomAgainstModel(words: Int) {
        var bits = [UInt64](repeating: 0, count: words)
        var top: UInt64 = 0
        var model = Model(width: UInt64(words * 64))
        var rng = SplitMix64(seed: UInt64(words))
        var base: UInt64 = 1
        for _ in 0..<50_000 {
            // Mostly near the edge, sometimes far behind, sometimes a big jump.
            let r = rng.next() % 100
            let s: UInt64
            switch r {
            case 0..<70: s = base + rng.next() % UInt64(words * 64 + 8) - min(base, UInt64(words * 64))
            case 70..<95: s = base &- min(base, rng.next() % UInt64(words * 64 * 3))
            default: s = base + rng.next() % 5000
            }
            let verdict = bits.withUnsafeBufferPointer { ReplayWindow.check(s, top: top, bits: $0.baseAddress!, words: words) }
            #expect(verdict == model.check(s), "seq \(s) top \(top)")
            if verdict == .fresh {
                bits.withUnsafeMutableBufferPointer { ReplayWindow.update(s, top: &top, bits: $0.baseAddress!, words: words) }
                model.update(s)
                base = max(base, s)
            }
        }
    }

    @Test("window edges: exactly W-1 behind is inside, W behind is out")
    func edges() {
        var bits = [UInt64](repeating: 0, count: 1)
        var top: UInt64 = 0
        bits.withUnsafeMutableBufferPointer { ReplayWindow.update(1000, top: &top, bits: $0.baseAddress!, words: 1) }
        bits.withUnsafeBufferPointer {
            #expect(ReplayWindow.check(937, top: top, bits: $0.baseAddress!, words: 1) == .fresh)
            #expect(ReplayWindow.check(936, top: top, bits: $0.baseAddress!, words: 1) == .tooOld)
            #expect(ReplayWindow.check(1000, top: top, bits: $0.baseAddress!, words: 1) == .duplicate)
            #expect(ReplayWindow.check(0, top: top, bits: $0.baseAddress!, words: 1) == .tooOld)
        }
    }

    @Test("replay sizes: only 64...1024 powers of two")
    func sizes() {
        #expect(ReplayProtection.window(64).words == 1)
        #expect(ReplayProtection.window(1024).words == 16)
        #expect(ReplayProtection.disabled.words == 0)
        #expect(ReplayProtection.window(96).words == nil)
        #expect(ReplayProtection.window(2048).words == nil)
        #expect(ReplayProtection.window(32).words == nil)
    }
}
