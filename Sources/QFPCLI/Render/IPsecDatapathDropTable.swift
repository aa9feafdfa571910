import QFPDataplane

/// `show platform hardware qfp active feature ipsec datapath drops [all]` in IOS XE layout.
///
/// Layout (ios-xe-qfp.md §3.1, captures `qfp_ipsec_datapath_drops`): a 72-dash rule, the
/// header, the rule, then rows: drop-type number right-aligned in columns 1–9, two spaces, the
/// name from column 12, packets right-aligned to column 72. Rows come in Cisco's print groups
/// (`IPsecDatapathDrop.printGroups`) with one blank line between groups that print. Without
/// `all`, only non-zero counters print, and the header line is padded to 72 columns as in the
/// non-`all` capture; the `all` capture's header is not padded.
public enum IPsecDatapathDropTable {
    static let rule = String(repeating: "-", count: 72)
    static let header = "Drop Type  Name                                     Packets"

    /// Renders the table for a snapshot.
    public static func render(_ snapshot: CounterSnapshot, all: Bool = false) -> String {
        render(rows: IPsecDatapathDrop.allCases.map { ($0.rawValue, $0.name, snapshot.packets($0)) }, all: all)
    }

    /// Renders rows of (number, name, packets), given in print order.
    public static func render(rows: [(number: UInt8, name: String, packets: UInt64)], all: Bool) -> String {
        var out = rule + "\n"
        out += (all ? header : header.padding(toLength: 72, withPad: " ", startingAt: 0)) + "\n"
        out += rule + "\n"
        var printedGroup = false
        for group in IPsecDatapathDrop.printGroups {
            let lines = rows.filter { group.contains($0.number) && (all || $0.packets != 0) }
            if lines.isEmpty { continue }
            if printedGroup { out += "\n" }
            printedGroup = true
            for r in lines {
                let prefix = TextLayout.leftPadded(String(r.number), width: 9) + "  " + r.name
                out += TextLayout.rightAligned(String(r.packets), endingAt: 72, after: prefix) + "\n"
            }
        }
        return out
    }
}
