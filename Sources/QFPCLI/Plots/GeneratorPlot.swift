import QFPGenerator
import QFPPlot

/// The charts of `qfp gen status --plot`: per stream, tx and rx rates (bars) and the latency
/// percentile distribution (one line per stream with latency samples).
public enum GeneratorPlot {
    public static func figure(_ status: GeneratorStatus, title: String = "qfp gen status") throws(PlotInputError) -> Figure {
        guard !status.streams.isEmpty else {
            throw PlotInputError("nothing to plot: the generator has no streams (start some with qfp gen start)")
        }
        // A finished stream's last-second rate is 0; its average over its run says more.
        func rate(_ s: StreamStatus, _ packets: UInt64, _ pps: Double) -> Double {
            s.state == .done ? (s.seconds > 0 ? Double(packets) / s.seconds : 0) : pps
        }
        let names = status.streams.map { $0.state == .done ? "\($0.name) (done)" : $0.name }
        var panels: [Panel] = [.bar(BarChart(
            title: "Streams: transmitted and received packets per second",
            note: "running streams: the last second; finished streams (done): the average over their run",
            categories: names, categoryLabel: "stream",
            y: Axis("packets per second", unit: "pps", format: .si),
            series: [BarSeries("tx pps", values: status.streams.map { rate($0, $0.txPackets, $0.txPPS) }),
                     BarSeries("rx pps", values: status.streams.map { rate($0, $0.rxPackets, $0.rxPPS) })]))]
        let curves = status.streams.compactMap { s in s.latency?.distribution.map { (s.name, $0) } }
        if !curves.isEmpty {
            panels.append(LatencyChart.panel(title: "Latency by percentile, per stream",
                                             note: "one-way, generator to transmit ring (HdrHistogram)", curves: curves))
        }
        return Figure(title: title, panels: panels)
    }
}
