import Foundation
import QFPDataplane

/// The drop counters as JSON, the shape `| json` and `qfp bench --json` share.
///
/// `global_drop_stats` is keyed by QFP cause name with `packets` and `octets` (genieparser's
/// shape for `show platform hardware qfp active statistics drop`); `ipsec_datapath_drops` is
/// keyed by Cisco drop number with `name` and `packets`.
public struct DropCountersJSON: Codable, Equatable, Sendable {
    public struct Global: Codable, Equatable, Sendable {
        public var packets: UInt64
        public var octets: UInt64
    }

    public struct Feature: Codable, Equatable, Sendable {
        public var name: String
        public var packets: UInt64
    }

    public var globalDropStats: [String: Global]
    public var ipsecDatapathDrops: [String: Feature]

    enum CodingKeys: String, CodingKey {
        case globalDropStats = "global_drop_stats"
        case ipsecDatapathDrops = "ipsec_datapath_drops"
    }

    /// Only the global drop causes (what `show ... statistics drop | json` returns).
    public var global: [String: [String: Global]] { ["global_drop_stats": globalDropStats] }

    /// Only the IPsec feature drops (what `show ... feature ipsec datapath drops | json` returns).
    public var feature: [String: [String: Feature]] { ["ipsec_datapath_drops": ipsecDatapathDrops] }

    /// The counters of `snapshot`; zero counters too when `includeZero`.
    public init(_ snapshot: CounterSnapshot, includeZero: Bool = true) {
        globalDropStats = [:]
        for c in GlobalDropCause.allCases where includeZero || snapshot.packets(c) != 0 {
            globalDropStats[c.rawValue] = Global(packets: snapshot.packets(c), octets: snapshot.octets(c))
        }
        ipsecDatapathDrops = [:]
        for d in IPsecDatapathDrop.allCases where includeZero || snapshot.packets(d) != 0 {
            ipsecDatapathDrops[String(d.rawValue)] = Feature(name: d.name, packets: snapshot.packets(d))
        }
    }
}

/// JSON encoding settings used for every machine-readable output (stable key order).
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return compactEmpty(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Foundation pretty-prints an empty object or array over three lines (`{`, blank, `}`);
    /// write `{}` and `[]` instead. Strings cannot hold a raw newline, so this never touches data.
    static func compactEmpty(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i + 2 < lines.count {
            let open = lines[i], blank = lines[i + 1], close = lines[i + 2].trimmingCharacters(in: .whitespaces)
            if (open.hasSuffix("{") && close.hasPrefix("}") || open.hasSuffix("[") && close.hasPrefix("]")),
               blank.allSatisfy({ $0 == " " }) {
                lines[i] = open + close
                lines.removeSubrange(i + 1...i + 2)
            } else {
                i += 1
            }
        }
        return lines.joined(separator: "\n")
    }
}
