import Foundation
import Histogram
@testable import QFPGenerator
import Testing

@Suite("Latency percentile distribution")
struct LatencyDistributionTests {
    func histogram(_ samples: [(nanoseconds: UInt64, count: Int)]) -> Histogram<UInt64> {
        var h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for (v, n) in samples { for _ in 0..<n { _ = h.record(v) } }
        return h
    }

    @Test("HdrHistogram's levels: 10 % steps to 50 %, halving each half distance, a value repeated at every level it covers")
    func levels() {
        let bimodal = StreamStatus.Latency.distribution(of: histogram([(5_000, 600), (100_000, 400)]))
        #expect(bimodal.map(\.percentile) == [0, 10, 20, 30, 40, 50, 55, 60, 65, 100])
        #expect(bimodal.map(\.us).prefix(8).allSatisfy { abs($0 - 5) < 0.01 })
        #expect(bimodal.suffix(2).allSatisfy { abs($0.us - 100) < 0.1 })
        #expect(StreamStatus.Latency.nextLevel(after: 90) == 91.25)
        #expect(StreamStatus.Latency.nextLevel(after: 99) == 99.15625)
        #expect(StreamStatus.Latency.distribution(of: histogram([])).isEmpty)
    }

    @Test("a uniform spread: the latency at each level is that share of the range, up to 99.9 % for 1,000 samples")
    func uniform() {
        let h = histogram((1...1000).map { (UInt64($0) * 1000, 1) })
        let points = StreamStatus.Latency.distribution(of: h)
        // The same values as the summary percentiles (`valueAtPercentile`) at every level.
        for p in points.dropLast() { #expect(p.us == Double(h.valueAtPercentile(p.percentile)) / 1000, "\(p)") }
        for p in points where p.percentile > 0 && p.percentile < 100 {
            #expect(abs(p.us - p.percentile * 10) <= 2.01, "\(p)")
        }
        #expect(points.dropLast().last.map { $0.percentile >= 99.9 } == true)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.percentile < $1.percentile && $0.us <= $1.us })
        #expect(points.last == .init(percentile: 100, us: points.last!.us) && abs(points.last!.us - 1000) < 1)
    }

    @Test("each stream's status carries the distribution, through the JSON the daemon sends")
    func inStatus() throws {
        let rig = try GeneratorRig()
        _ = try rig.generator.start(DefaultProfile.profile)
        rig.run(seconds: 10)
        let status = rig.generator.status()
        let latency = try #require(status.streams.first { $0.name == "site-c-voice" }?.latency)
        let points = try #require(latency.distribution)
        #expect(points.first?.percentile == 0 && points.last?.percentile == 100)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.percentile < $1.percentile && $0.us <= $1.us })
        #expect(points.last!.us == latency.max)
        #expect(points.first!.us <= latency.p50 && latency.p50 <= latency.p99)
        let decoded = try JSONDecoder().decode(GeneratorStatus.self, from: JSONEncoder().encode(status))
        #expect(decoded.streams.first { $0.name == "site-c-voice" }?.latency?.distribution == points)
    }
}
