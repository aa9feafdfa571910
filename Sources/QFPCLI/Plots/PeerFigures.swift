import Foundation
import QFPPlot

/// A plot's input that cannot be used, with the file and the field that is wrong.
public struct PlotInputError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Figures of the DPDK peers measured in the same session, read from a `qfp-peers/1` JSON file
/// (written by `Tools/peers-json` from run_peers.sh's result directories; format in docs/plots.md).
///
/// Every figure is a map from a series name (the peer and how it ran, e.g. `testpmd macswap`) to
/// its value, or to values keyed by the x coordinate as a decimal string (SA count, cores, bytes).
public struct PeerFigures: Sendable, Equatable {
    /// The format this reader understands (the file's `format` field).
    public static let format = "qfp-peers/1"

    /// One peer's figures along an x axis, sorted by x.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [LineSeries.Point]
    }

    /// Where the figures come from (free text, shown under the charts).
    public var source: String?
    /// ns per element, core to core, by series name.
    public var ringNanoseconds: [(name: String, value: Double)] = []
    /// ns per lookup against SA (rule) count.
    public var lookupNanoseconds: [Series] = []
    /// Mpps per core against cores.
    public var mppsPerCore: [Series] = []
    /// Million operations per second against bytes per operation.
    public var cryptoMops: [Series] = []

    public init() {}

    public static func == (a: PeerFigures, b: PeerFigures) -> Bool {
        a.source == b.source && a.ringNanoseconds.map(\.name) == b.ringNanoseconds.map(\.name)
            && a.ringNanoseconds.map(\.value) == b.ringNanoseconds.map(\.value)
            && a.lookupNanoseconds == b.lookupNanoseconds && a.mppsPerCore == b.mppsPerCore && a.cryptoMops == b.cryptoMops
    }

    private struct File: Decodable {
        var format: String?
        var source: String?
        var ring_ns_per_element: [String: Double]?
        var lookup_ns: [String: [String: Double]]?
        var mpps_per_core: [String: [String: Double]]?
        var crypto_mops: [String: [String: Double]]?
    }

    /// Reads `path`; errors name the file and the field.
    public static func load(path: String) throws(PlotInputError) -> PeerFigures {
        guard let data = FileManager.default.contents(atPath: path) else { throw PlotInputError("\(path): cannot read the peers file") }
        return try parse(data, source: path)
    }

    /// Parses the JSON text of a peers file; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws(PlotInputError) -> PeerFigures {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw PlotInputError("\(source): \(path(context.codingPath)): expected \(expected(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            throw PlotInputError("\(source): not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))")
        } catch {
            throw PlotInputError("\(source): \(error)")
        }
        guard file.format == format else {
            throw PlotInputError("\(source): format: expected \"\(format)\", got \(file.format.map { "\"\($0)\"" } ?? "nothing")")
        }
        var figures = PeerFigures()
        figures.source = file.source
        for (name, value) in (file.ring_ns_per_element ?? [:]).sorted(by: { $0.key < $1.key }) {
            try check(value, source, "ring_ns_per_element.\(name)")
            figures.ringNanoseconds.append((name, value))
        }
        figures.lookupNanoseconds = try series(file.lookup_ns, source, "lookup_ns")
        figures.mppsPerCore = try series(file.mpps_per_core, source, "mpps_per_core")
        figures.cryptoMops = try series(file.crypto_mops, source, "crypto_mops")
        return figures
    }

    private static func series(_ map: [String: [String: Double]]?, _ source: String, _ field: String) throws(PlotInputError) -> [Series] {
        var out: [Series] = []
        for (name, values) in (map ?? [:]).sorted(by: { $0.key < $1.key }) {
            var points: [LineSeries.Point] = []
            for (key, value) in values {
                guard let x = Double(key), x.isFinite, x > 0 else {
                    throw PlotInputError("\(source): \(field).\(name): key '\(key)' is not a positive number")
                }
                try check(value, source, "\(field).\(name).\(key)")
                points.append(.init(x, value))
            }
            out.append(Series(name: name, points: points.sorted { $0.x < $1.x }))
        }
        return out
    }

    private static func check(_ value: Double, _ source: String, _ field: String) throws(PlotInputError) {
        guard value.isFinite && value > 0 else { throw PlotInputError("\(source): \(field): \(value) is not a positive number") }
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map(\.stringValue).joined(separator: ".")
    }

    private static func expected(_ codingPath: [CodingKey]) -> String {
        switch codingPath.count {
        case 1 where ["format", "source"].contains(codingPath[0].stringValue): "a string"
        case 1: "an object"
        case 2 where codingPath[0].stringValue != "ring_ns_per_element": "an object of numbers keyed by x"
        default: "a number"
        }
    }
}
