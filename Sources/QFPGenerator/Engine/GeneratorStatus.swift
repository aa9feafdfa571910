import Histogram
import QFPDataplane

/// What the generator reports: per stream, and totals with the last second's rates.
public struct GeneratorStatus: Sendable, Codable, Equatable {
    /// Generator-clock time of the snapshot (nanoseconds).
    public var time: UInt64 = 0
    public var txPPS: Double = 0
    public var rxPPS: Double = 0
    /// Drop causes over the last second, highest rate first (global causes and IPsec
    /// feature drops, by their IOS names).
    public var topDrops: [DropRate] = []
    public var streams: [StreamStatus] = []
    /// Captures of generated traffic, being written or finished (the last 16).
    public var captures: [Capture] = []

    public init() {}

    public struct Capture: Sendable, Codable, Equatable {
        public var path: String
        public var streams: [String]
        public var packets: Int
        /// Still being written (some of its streams run).
        public var writing: Bool
        public var error: String?
    }

    public struct DropRate: Sendable, Codable, Equatable {
        public var name: String
        public var pps: Double
    }

    public var running: Int { streams.filter { $0.state == .running }.count }
}

public struct StreamStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case running, done }
    public var name: String
    public var peer: String
    public var state: State
    public var rate: String
    public var txPackets: UInt64
    public var txOctets: UInt64
    public var rxPackets: UInt64
    public var rxOctets: UInt64
    public var txPPS: Double
    public var rxPPS: Double
    /// Packets sent, by kind (valid and each fault).
    public var kinds: [String: UInt64]
    /// Seconds since the stream started (until it finished).
    public var seconds: Double
    public var latency: Latency?

    /// One-way latency percentiles in microseconds, from the stream's HdrHistogram.
    public struct Latency: Sendable, Codable, Equatable {
        public var samples: UInt64
        public var p50: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        /// Cumulative sample counts at `bucketBounds` (the metrics endpoint's histogram).
        public var buckets: [UInt64]?
        /// Sum of the samples, microseconds (mean × count: the histogram's `_sum`).
        public var sum: Double?
        /// The percentile distribution, as HdrHistogram prints and plots it: the latency at each
        /// of its percentile levels, `distributionTicks` steps per half distance to 100 % (0 %,
        /// 10 %, … 50 %, 55 %, … 90 %, 91.25 % …), up to the level the maximum covers, then 100 %
        /// (the maximum). What `qfp gen status --plot` draws.
        public var distribution: [PercentilePoint]?

        /// Latency at one percentile.
        public struct PercentilePoint: Sendable, Codable, Equatable {
            /// 0...100.
            public var percentile: Double
            /// Microseconds.
            public var us: Double

            public init(percentile: Double, us: Double) {
                self.percentile = percentile
                self.us = us
            }
        }

        /// Steps per half distance to 100 % of `distribution` (HdrHistogram's default, 5).
        public static let distributionTicks = 5

        /// `distribution` of a histogram of nanoseconds, in one pass over its recorded values.
        ///
        /// Java HdrHistogram's percentile iterator reports a value once per level it covers (a
        /// value holding 60 % of the samples is reported at 0 %, 10 % … 60 %). hdrhistogram-swift
        /// 0.2.0's `percentiles(ticksPerHalfDistance:)` moves to the next value at every step, so
        /// it skips the levels inside one value and labels the next value with a level it does not
        /// have; hence this walk. Cost: one pass over the histogram's buckets, one point per level.
        static func distribution(of h: Histogram<UInt64>) -> [PercentilePoint] {
            let total = h.totalCount
            guard total > 0 else { return [] }
            var points: [PercentilePoint] = []
            var level = 0.0
            walk: for v in h.recordedValues() {
                let covered = 100 * Double(v.totalCountToThisValue) / Double(total)
                while covered >= level {
                    // Clamped as `valueAtPercentile` does, so the curve passes through the p50/p99 beside it.
                    points.append(.init(percentile: level, us: Double(Swift.min(Swift.max(v.value, h.min), h.maxRecorded)) / 1000))
                    if v.totalCountToThisValue >= total { break walk }
                    level = nextLevel(after: level)
                }
            }
            points.append(.init(percentile: 100, us: Double(h.max) / 1000))
            return points
        }

        /// HdrHistogram's next percentile level: fixed steps within each half distance to 100 %,
        /// `distributionTicks` of them from 0 % to 50 %, as many again from 50 % to 75 %, and so on.
        static func nextLevel(after level: Double) -> Double {
            var halves = 0
            var ratio = 100 / (100 - level)
            while ratio >= 2 { ratio /= 2; halves += 1 }
            return level + 100 / Double(distributionTicks << (halves + 1))
        }

        /// Upper bounds of the latency buckets, microseconds (10 µs … 1 s).
        public static let bucketBounds: [Double] = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000]
    }

    init(engine e: StreamEngine, receiver r: StreamReceiver, now: UInt64) {
        name = e.name
        peer = e.peerName
        state = e.finished ? .done : .running
        rate = StreamStatus.describe(e.rate)
        txPackets = e.sentPackets
        txOctets = e.sentOctets
        rxPackets = r.packets
        rxOctets = r.octets
        txPPS = e.finished ? 0 : r.window.txPPS
        rxPPS = e.finished ? 0 : r.window.rxPPS
        var k: [String: UInt64] = [:]
        for kind in PacketKind.allCases where e.kinds[kind.rawValue] > 0 { k[kind.name] = e.kinds[kind.rawValue] }
        kinds = k
        seconds = Double((e.finished ? e.stoppedAt : now) &- e.startNanoseconds) / 1e9
        if r.latency.totalCount > 0 {
            let h = r.latency
            latency = Latency(samples: h.totalCount, p50: Double(h.valueAtPercentile(50)) / 1000,
                              p99: Double(h.valueAtPercentile(99)) / 1000, p999: Double(h.valueAtPercentile(99.9)) / 1000,
                              max: Double(h.max) / 1000,
                              buckets: Latency.bucketBounds.map { h.count(within: 0...UInt64($0 * 1000)) },
                              sum: h.mean * Double(h.totalCount) / 1000,
                              distribution: Latency.distribution(of: h))
        }
    }

    static func describe(_ rate: TrafficProfile.Rate) -> String {
        switch rate {
        case let .packetsPerSecond(p): "\(Format.number(p))pps"
        case let .bitsPerSecond(b): "\(Format.number(b))bps"
        case let .percent(p): "\(Format.number(p))%"
        case .maximum: "max"
        }
    }
}

extension GeneratorStatus {
    /// The status as `qfp gen status` prints it.
    public var text: String {
        var out = "Generator: \(streams.count) stream\(streams.count == 1 ? "" : "s") (\(running) running), tx \(Format.grouped(txPPS)) pps, rx \(Format.grouped(rxPPS)) pps\n"
        if !topDrops.isEmpty {
            out += "Drops in the last second: " + topDrops.prefix(4).map { "\($0.name) \(Format.grouped($0.pps)) pps" }.joined(separator: ", ") + "\n"
        }
        for c in captures {
            out += "Capture \(c.path): \(Format.grouped(Double(c.packets))) packets of \(c.streams.joined(separator: ", ")), \(c.writing ? "writing" : "closed")"
            out += c.error.map { " (error: \($0))" } ?? ""
            out += "\n"
        }
        guard !streams.isEmpty else { return out }
        out += "\n"
        let header = ["Stream", "Peer", "State", "Rate", "Tx packets", "Tx pps", "Rx packets", "Rx pps", "Faults", "p50 us", "p99 us", "p99.9 us", "max us"]
        var rows: [[String]] = []
        for s in streams {
            let faults = s.kinds.filter { $0.key != PacketKind.valid.name }.values.reduce(0, +)
            let l = s.latency
            rows.append([s.name, s.peer, s.state.rawValue, s.rate, Format.grouped(Double(s.txPackets)), Format.grouped(s.txPPS),
                         Format.grouped(Double(s.rxPackets)), Format.grouped(s.rxPPS), Format.grouped(Double(faults)),
                         l.map { Format.micros($0.p50) } ?? "-", l.map { Format.micros($0.p99) } ?? "-",
                         l.map { Format.micros($0.p999) } ?? "-", l.map { Format.micros($0.max) } ?? "-"])
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, v in
                let pad = String(repeating: " ", count: widths[c] - v.count)
                return c < 4 ? v + pad : pad + v
            }.joined(separator: "  ")
        }
        out += line(header) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    /// One line for the daemon log while traffic runs.
    public var logLine: String {
        var line = "gen: \(running) running, tx \(Format.grouped(txPPS)) pps, rx \(Format.grouped(rxPPS)) pps"
        if !topDrops.isEmpty {
            line += "; drops " + topDrops.prefix(3).map { "\($0.name) \(Format.grouped($0.pps)) pps" }.joined(separator: ", ")
        }
        return line
    }
}

/// Number formatting without Foundation.
enum Format {
    /// `1234567.8` → `1,234,568`.
    static func grouped(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let n = UInt64(max(v, 0).rounded())
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Shortest of `2000`, `2.5k`, `1M`, `10G` for rates.
    static func number(_ v: Double) -> String {
        for (factor, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where v >= factor {
            let x = v / factor
            if x == x.rounded() { return "\(Int(x))\(suffix)" }
            if (x * 10) == (x * 10).rounded() { return "\(Int(x)).\(Int((x * 10).rounded()) % 10)\(suffix)" }
        }
        return v == v.rounded() ? "\(Int(v))" : "\(v)"
    }

    /// Microseconds with one decimal.
    static func micros(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
