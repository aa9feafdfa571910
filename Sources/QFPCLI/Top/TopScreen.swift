/// The full-screen layout of `qfp top` (like `top`, VPP's `show runtime` and the TRex
/// console): a header, the workers, the two drop tables, the flagged invalid-SPI flows, and the
/// syslog tail in whatever rows are left, with the keys on the last row.
///
/// Pure: a `TopView` and a size in, at most `height` lines of at most `width` characters out.
/// When the tables do not fit, the syslog goes first, then the bottom of the tables, replaced
/// by a line that says how many were cut.
public enum TopScreen {
    /// Width of a drop table's first column (the longest Cisco feature drop, number and name).
    static let labelWidth = 40
    static let rateWidth = 12
    static let countWidth = 14

    /// The lines of one frame.
    public static func render(_ v: TopView, width: Int, height: Int) -> [String] {
        guard width > 0, height > 0 else { return [] }
        var body = [title(v)]
        if v.hasData {
            body.append(v.clearNote)
            body += [""] + workers(v)
            body += [""] + drops("Global drop cause", v.global, v)
            body += [""] + drops("IPsec feature drop", v.feature, v)
            body += [""] + invalidSPI(v)
        }
        let footer = v.message ?? "s sort: \(v.sort.rawValue)  p \(v.paused ? "resume" : "pause")  c clear (top)  C clear (router)  q quit"
        let rows = height >= 2 ? height - 1 : height
        if body.count > rows {
            let cut = body.count - (rows - 1)
            body = rows > 1 ? Array(body.prefix(rows - 1)) + ["... \(cut) more lines: enlarge the terminal"] : [body[0]]
        } else if rows - body.count >= 3 && !v.syslog.isEmpty {
            body += ["", "Syslog (newest last)"] + v.syslog.suffix(rows - body.count - 2)
        }
        if height >= 2 { body.append(footer) }
        return body.map { TopFormat.clip($0, width) }
    }

    static func title(_ v: TopView) -> String {
        guard v.hasData else { return "qfp top: waiting for the daemon's first snapshot" }
        return "qfp top\(v.paused ? " [PAUSED]" : "") - \(v.hostname)  up \(TopFormat.duration(v.uptimeSeconds))"
            + "  workers \(v.workers.count)  pps rx \(TopFormat.rate(v.rxPPS)) tx \(TopFormat.rate(v.txPPS)) drop \(TopFormat.rate(v.dropPPS))"
    }

    static func workers(_ v: TopView) -> [String] {
        let r = TopFormat.right
        var lines = ["Worker" + r("Load %", 8) + r("In pps", rateWidth) + r("Out pps", rateWidth) + r("Drop pps", rateWidth)]
        for w in v.workers {
            lines.append(r(String(w.index), 6) + r(TopFormat.rate(w.loadPercent), 8) + r(TopFormat.rate(w.inPPS), rateWidth)
                         + r(TopFormat.rate(w.outPPS), rateWidth) + r(TopFormat.rate(w.dropPPS), rateWidth))
        }
        return lines
    }

    static func drops(_ title: String, _ rows: [TopView.DropRow], _ v: TopView) -> [String] {
        // The mark goes before a right-aligned heading, so the heading still lines up with its figures.
        func heading(_ text: String, _ column: TopModel.SortColumn) -> String { v.sort == column ? "*" + text : text }
        var lines = [TopFormat.left(v.sort == .name ? title + "*" : title, labelWidth) + TopFormat.right(heading("Rate pps", .rate), rateWidth)
            + TopFormat.right(heading("Total", .total), countWidth) + TopFormat.right(heading("Since clear", .sinceClear), countWidth)]
        if rows.isEmpty { lines.append("  (none)") }
        for d in rows {
            lines.append(TopFormat.left(d.label, labelWidth) + TopFormat.right(TopFormat.rate(d.rate), rateWidth)
                         + TopFormat.right(String(d.total), countWidth) + TopFormat.right(String(d.sinceClear), countWidth))
        }
        return lines
    }

    static func invalidSPI(_ v: TopView) -> [String] {
        var lines = ["Invalid-SPI flows flagged by the blackhole detector: \(v.suspects.count)  (invalid-SPI punts: \(v.invalidSPIPunts))"]
        guard !v.suspects.isEmpty else { return lines }
        let l = TopFormat.left
        // 80 columns for IPv4: source and destination, a 32-bit SPI, ages as hh:mm:ss ago. The
        // address columns widen to the longest address shown (IPv6: up to 40), so the columns
        // after them stay aligned.
        let longest = v.suspects.map { max($0.source.count, $0.destination.count) }.max() ?? 0
        let a = min(max(16, longest + 1), 40)
        lines.append(l("Source", a) + l("Destination", a) + l("SPI", 11) + TopFormat.right("Count", 8) + "  "
                     + l("First seen", 11) + l("Last seen", 10) + "IKE SA")
        for s in v.suspects {
            lines.append(l(s.source, a) + l(s.destination, a) + l(TopFormat.spi(s.spi), 11) + TopFormat.right(String(s.count), 8) + "  "
                         + l(TopFormat.duration(s.firstSeenSecondsAgo), 11) + l(TopFormat.duration(s.lastSeenSecondsAgo), 10)
                         + (s.ikeSA ? "yes" : "no"))
        }
        return lines
    }
}
