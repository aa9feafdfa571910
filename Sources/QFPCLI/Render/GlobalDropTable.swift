import QFPDataplane

/// `show platform hardware qfp active statistics drop [all | clear]` in IOS XE layout.
///
/// Layout (../shared/reference/ios-xe-qfp.md §1.2, captures `qfp_statistics_drop`): a
/// 73-dash rule, the header, the rule, then one row per cause sorted by name, packets
/// right-aligned to column 49 and octets to column 73, each line ending in two spaces.
/// Without `all`, zero rows are left out; when nothing is left the body is
/// `   The Global drop stats were all zero`.
public enum GlobalDropTable {
    /// One row: a cause name and its counts.
    public struct Row: Equatable, Sendable {
        public var name: String
        public var packets: UInt64
        public var octets: UInt64
        public init(name: String, packets: UInt64, octets: UInt64) {
            self.name = name
            self.packets = packets
            self.octets = octets
        }
    }

    static let rule = String(repeating: "-", count: 73)

    /// The rows of a snapshot, one per global cause.
    public static func rows(_ snapshot: CounterSnapshot) -> [Row] {
        GlobalDropCause.allCases.map { Row(name: $0.rawValue, packets: snapshot.packets($0), octets: snapshot.octets($0)) }
    }

    /// Renders the table.
    /// - Parameters:
    ///   - lastClearing: text after `Last clearing of QFP drops statistics : ` (`never`, or the
    ///     time of the last clear); nil leaves the line out, as older releases do.
    ///   - all: print zero rows too.
    ///   - clearing: the `... drop clear` form (one more blank line after the clearing line).
    public static func render(_ rows: [Row], lastClearing: String? = "never", all: Bool = false, clearing: Bool = false) -> String {
        var out = ""
        if let lastClearing {
            out += "Last clearing of QFP drops statistics : \(lastClearing)\n\n"
            if clearing { out += "\n" }
        }
        out += rule + "\n"
        out += cell("Global Drop Stats", "Packets", "Octets") + "\n"
        out += rule + "\n"
        let shown = rows.filter { all || $0.packets != 0 || $0.octets != 0 }.sorted { $0.name < $1.name }
        if shown.isEmpty {
            out += "   The Global drop stats were all zero\n"
        }
        for r in shown {
            out += cell(r.name, String(r.packets), String(r.octets)) + "\n"
        }
        return out
    }

    /// Renders a snapshot.
    public static func render(_ snapshot: CounterSnapshot, lastClearing: String? = "never", all: Bool = false, clearing: Bool = false) -> String {
        render(rows(snapshot), lastClearing: lastClearing, all: all, clearing: clearing)
    }

    static func cell(_ name: String, _ packets: String, _ octets: String) -> String {
        TextLayout.rightAligned(packets, endingAt: 49, after: name)
            + TextLayout.leftPadded(octets, width: 24) + "  "
    }
}

/// Column helpers shared by the IOS renderers.
enum TextLayout {
    /// `text` padded on the left to `width` (never truncated).
    static func leftPadded(_ text: String, width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `prefix`, then `value` right-aligned so that it ends at 1-based column `column`
    /// (at least one space between them).
    static func rightAligned(_ value: String, endingAt column: Int, after prefix: String) -> String {
        let gap = max(column - prefix.count - value.count, 1)
        return prefix + String(repeating: " ", count: gap) + value
    }
}
