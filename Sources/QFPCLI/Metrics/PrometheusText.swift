/// A writer of the Prometheus text exposition format (version 0.0.4, which every Prometheus
/// and OpenMetrics-capable scraper reads): `# HELP` and `# TYPE` once per family, then its
/// samples; label values escaped (`\\`, `\"`, `\n`); histograms as cumulative `_bucket{le=…}`
/// with `+Inf`, `_sum` and `_count`.
///
/// Hand-written rather than swift-prometheus: qfp's numbers already exist (per-core counters,
/// HdrHistogram buckets) and are read once per scrape, whereas swift-prometheus's metrics are
/// objects incremented as events happen (a histogram only takes one observation at a time,
/// a counter never goes down after `clear`).
public struct PrometheusText {
    public private(set) var text = ""
    var declared: Set<String> = []

    public init() {}

    public enum Kind: String { case counter, gauge, histogram }

    /// Declares a family (once; later calls for the same name do nothing).
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        guard declared.insert(name).inserted else { return }
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Double) {
        text += name + Self.labels(labels.map { ($0.key, $0.value) }) + " " + Self.number(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: UInt64) {
        text += name + Self.labels(labels.map { ($0.key, $0.value) }) + " " + String(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        text += name + Self.labels(labels) + " " + String(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name + Self.labels(labels) + " " + Self.number(value) + "\n"
    }

    /// A histogram's samples: `cumulative[i]` observations at or below `bounds[i]`.
    public mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], cumulative: [UInt64],
                                   count: UInt64, sum: Double) {
        for (bound, n) in zip(bounds, cumulative) {
            text += name + "_bucket" + Self.labels(labels + [("le", Self.number(bound))]) + " " + String(n) + "\n"
        }
        text += name + "_bucket" + Self.labels(labels + [("le", "+Inf")]) + " " + String(count) + "\n"
        text += name + "_sum" + Self.labels(labels) + " " + Self.number(sum) + "\n"
        text += name + "_count" + Self.labels(labels) + " " + String(count) + "\n"
    }

    static func labels(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
