import QFPGenerator
import QFPPlot

/// What `qfp bench` measured, reduced to what its charts draw.
public struct BenchPlotData: Sendable, Equatable {
    /// One end-to-end run.
    public struct Throughput: Sendable, Equatable {
        /// `inbound` or `outbound`.
        public var direction: String
        /// `rss` (each worker generates its own queue's traffic) or `spread` (steered across cores).
        public var generation: String
        public var workers: Int
        public var securityAssociations: Int
        public var mppsPerWorker: Double
        public init(direction: String, generation: String, workers: Int, securityAssociations: Int, mppsPerWorker: Double) {
            self.direction = direction
            self.generation = generation
            self.workers = workers
            self.securityAssociations = securityAssociations
            self.mppsPerWorker = mppsPerWorker
        }
    }

    /// One inbound run with a real transform.
    public struct Crypto: Sendable, Equatable {
        public var transform: String
        public var encryptedBytes: Int
        public var mppsPerWorker: Double
        public init(transform: String, encryptedBytes: Int, mppsPerWorker: Double) {
            self.transform = transform
            self.encryptedBytes = encryptedBytes
            self.mppsPerWorker = mppsPerWorker
        }
    }

    /// Figure title (the run's settings).
    public var title: String
    /// The run's packet length, SA count and unknown-SPI share, for the notes.
    public var settings: String
    public var throughput: [Throughput] = []
    public var lookups: [(securityAssociations: Int, nanoseconds: Double)] = []
    public var ring: [(name: String, nanoseconds: Double)] = []
    public var crypto: [Crypto] = []
    /// The transforms alone (the SA context's verify+decrypt on prepared buffers), Mops by buffer
    /// size: what dpdk-test-crypto-perf measures of a device.
    public var cryptoOnly: [Crypto] = []
    /// The same through a provider's burst engine (one call per burst of 32), where it has one.
    public var cryptoBurst: [Crypto] = []
    /// Whole-loop latency of generator runs, by run name.
    public var latency: [(name: String, latency: StreamStatus.Latency)] = []

    public init(title: String, settings: String) {
        self.title = title
        self.settings = settings
    }

    public static func == (a: BenchPlotData, b: BenchPlotData) -> Bool {
        a.title == b.title && a.settings == b.settings && a.throughput == b.throughput && a.crypto == b.crypto && a.cryptoOnly == b.cryptoOnly
            && a.cryptoBurst == b.cryptoBurst
            && a.lookups.map(\.securityAssociations) == b.lookups.map(\.securityAssociations)
            && a.lookups.map(\.nanoseconds) == b.lookups.map(\.nanoseconds)
            && a.ring.map(\.name) == b.ring.map(\.name) && a.ring.map(\.nanoseconds) == b.ring.map(\.nanoseconds)
            && a.latency.map(\.name) == b.latency.map(\.name) && a.latency.map(\.latency) == b.latency.map(\.latency)
    }
}

/// The charts of `qfp bench --plot`: one panel per kind of figure the run measured, with the
/// peers' figures (dashed) beside ours where a peers file was given.
public enum BenchPlot {
    public static func figure(_ data: BenchPlotData, peers: PeerFigures? = nil) throws(PlotInputError) -> Figure {
        var panels: [Panel] = []
        let peerNote = peers.map { "dashed: peers measured in the same session" + ($0.source.map { " (\($0))" } ?? "") }
        func note(_ ours: String, peers used: Bool) -> String {
            used && peerNote != nil ? "\(ours); \(peerNote!)" : ours
        }

        // Mpps per worker against workers, at the run's main SA count.
        let mainSAs = data.throughput.map(\.securityAssociations).mostCommon
        let atMain = data.throughput.filter { $0.securityAssociations == mainSAs }
        if !atMain.isEmpty {
            var series = throughputSeries(atMain, x: { Double($0.workers) })
            let peerSeries = (peers?.mppsPerCore ?? []).map { LineSeries($0.name, points: $0.points, style: .dashed) }
            series += peerSeries
            panels.append(.line(LineChart(
                title: "End to end: Mpps per worker against workers",
                note: note("\(data.settings), \(mainSAs ?? 0) SAs", peers: !peerSeries.isEmpty),
                x: Axis("workers", scale: .linear, includesZero: false, integerTicks: true),
                y: Axis("Mpps per worker", unit: "Mpps"), series: series)))
        }

        // Mpps per worker against SA count, where the run measured several.
        if Set(data.throughput.map(\.securityAssociations)).count > 1 {
            let series = throughputSeries(data.throughput, x: { Double($0.securityAssociations) }, byWorkers: true)
                .filter { $0.points.count > 1 }
            if !series.isEmpty {
                panels.append(.line(LineChart(
                    title: "End to end: Mpps per worker against SA count", note: data.settings,
                    x: Axis("inbound SAs", scale: .log10, format: .si), y: Axis("Mpps per worker", unit: "Mpps"), series: series)))
            }
        }

        if !data.lookups.isEmpty {
            var series = [LineSeries("qfp SPI table", points: data.lookups.map { .init(Double($0.securityAssociations), $0.nanoseconds) })]
            let peerSeries = (peers?.lookupNanoseconds ?? []).map { LineSeries($0.name, points: $0.points, style: .dashed) }
            series += peerSeries
            panels.append(.line(LineChart(
                title: "SPI lookup against SA count", note: note("random SPIs, burst 32", peers: !peerSeries.isEmpty),
                x: Axis("SAs in the table", scale: .log10, format: .si), y: Axis("lookup", unit: "ns"), series: series)))
        }

        if !data.ring.isEmpty {
            var series = data.ring.map { BarSeries("qfp SPSC ring, \($0.name)", values: [$0.nanoseconds]) }
            let peerSeries = (peers?.ringNanoseconds ?? []).map { BarSeries($0.name, values: [$0.value], style: .dashed) }
            series += peerSeries
            panels.append(.bar(BarChart(
                title: "SPSC ring, core to core", note: note("median of 64K-element chunks", peers: !peerSeries.isEmpty),
                categories: ["burst 32"], categoryLabel: "ring", y: Axis("time per element", unit: "ns"), series: series)))
        }

        if !data.crypto.isEmpty || !data.cryptoOnly.isEmpty {
            var series: [LineSeries] = []
            for (runs, prefix) in [(data.crypto, "qfp inbound"), (data.cryptoOnly, "qfp crypto only, verify+decrypt,"),
                                   (data.cryptoBurst, "qfp crypto only, burst engine,")] {
                for transform in runs.map(\.transform).uniqued {
                    series.append(LineSeries("\(prefix) \(transform)", points: runs.filter { $0.transform == transform }
                        .sorted { $0.encryptedBytes < $1.encryptedBytes }.map { .init(Double($0.encryptedBytes), $0.mppsPerWorker) }))
                }
            }
            let peerSeries = (peers?.cryptoMops ?? []).map { LineSeries($0.name, points: $0.points, style: .dashed) }
            series += peerSeries
            panels.append(.line(LineChart(
                title: "Inbound crypto: Mpps per worker against packet size",
                note: note("one worker, anti-replay disabled; crypto only and peers: Mops of the transform alone on one core", peers: !peerSeries.isEmpty),
                x: Axis("bytes encrypted per packet", unit: "B", includesZero: true),
                y: Axis("Mpps per worker or Mops", unit: "M/s"), series: series)))
        }

        let curves = data.latency.compactMap { run in run.latency.distribution.map { (run.name, $0) } }
        if !curves.isEmpty {
            panels.append(LatencyChart.panel(title: "Generator whole loop: latency by percentile",
                                             note: "one-way, generator to transmit ring (HdrHistogram)", curves: curves))
        }
        guard !panels.isEmpty else {
            throw PlotInputError("nothing to plot: this run measured none of ring, lookup, inbound, outbound, crypto or the generator loop")
        }
        return Figure(title: data.title, panels: panels)
    }

    /// One series per direction and generation (and worker count when `byWorkers`), x chosen by the caller.
    static func throughputSeries(_ runs: [BenchPlotData.Throughput], x: (BenchPlotData.Throughput) -> Double,
                                 byWorkers: Bool = false) -> [LineSeries] {
        var keys: [String] = []
        var points: [String: [LineSeries.Point]] = [:]
        for r in runs {
            let how = r.generation == "rss" ? "RSS queues" : "steered across cores"
            let key = "qfp \(r.direction), \(how)" + (byWorkers ? ", \(r.workers) worker\(r.workers == 1 ? "" : "s")" : "")
            if points[key] == nil { keys.append(key) }
            points[key, default: []].append(.init(x(r), r.mppsPerWorker))
        }
        return keys.map { LineSeries($0, points: points[$0]!.sorted { $0.x < $1.x }) }
    }
}

/// The latency-by-percentile chart shared by `qfp bench --plot` and `qfp gen status --plot`:
/// HdrHistogram's percentile distribution, x on the "nines" scale, one line per run or stream.
enum LatencyChart {
    static func panel(title: String, note: String, curves: [(String, [StreamStatus.Latency.PercentilePoint])]) -> Panel {
        let series = curves.map { name, points in
            LineSeries(name, points: points.filter { $0.percentile < 100 }.map { .init($0.percentile, $0.us) })
        }
        let values = series.flatMap { $0.points.map(\.y) }.filter { $0 > 0 }
        // A log axis when the tail is far above the median (the usual case): the median stays readable.
        let wide = (values.max() ?? 1) / max(values.min() ?? 1, 1e-9) > 50
        return .line(LineChart(title: title, note: note + "; 100 % (the maximum) is off the scale",
                               x: Axis("percentile", scale: .nines),
                               y: Axis("latency", unit: "µs", scale: wide ? .log10 : .linear, format: .si), series: series))
    }
}

extension Array where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }

    /// The most frequent element (the first seen among equals); nil when empty.
    var mostCommon: Element? {
        var counts: [Element: Int] = [:]
        for e in self { counts[e, default: 0] += 1 }
        return uniqued.max { counts[$0]! < counts[$1]! }
    }
}
