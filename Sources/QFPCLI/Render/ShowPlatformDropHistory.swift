import QFPControl

/// `show platform hardware qfp active statistics drop history [clear]` in IOS XE 17 layout.
///
/// Layout (ios-xe-qfp.md §1.2, genieparser `ShowPlatformHardwareQfpStatisticsDropHistory/
/// golden_1`, byte for byte in the tests): the clearing line, ` (1m 39s ago)` on its own line,
/// a blank line, a 121-dash rule, the header, the rule, then one row per cause with a non-zero
/// count, sorted by name; `1-Min`, `5-Min`, `30-Min` and `All` right-aligned to columns 49,
/// 73, 97 and 121; no trailing spaces.
///
/// Choices where the sources are silent [I]:
/// - Never cleared: `Last clearing of QFP drops statistics : never`, no `ago` line.
/// - The `ago` text: `39s`, `1m 39s`, `2h 0m 5s`, `3d 4h 0m 0s` (largest non-zero unit down to
///   seconds).
/// - A row prints when any column is non-zero; with none, the body is the plain table's
///   `   The Global drop stats were all zero`.
/// - `clear` adds one blank line after the clearing lines, as the plain table's clear form does.
public enum ShowPlatformDropHistory {
    static let rule = String(repeating: "-", count: 121)

    /// Renders the whole command output.
    public static func render(_ s: DropHistorySnapshot, clearing: Bool = false) -> String {
        var out = "Last clearing of QFP drops statistics : \(s.lastClearing)\n"
        if let seconds = s.secondsSinceClearing { out += " (\(ago(seconds)) ago)\n" }
        out += "\n"
        if clearing { out += "\n" }
        out += rule + "\n"
        out += line("Global Drop Stats", ["1-Min", "5-Min", "30-Min", "All"])
        out += rule + "\n"
        let shown = s.rows
            .filter { $0.oneMinute != 0 || $0.fiveMinutes != 0 || $0.thirtyMinutes != 0 || $0.all != 0 }
            .sorted { $0.name < $1.name }
        if shown.isEmpty { out += "   The Global drop stats were all zero\n" }
        for r in shown {
            out += line(r.name, [r.oneMinute, r.fiveMinutes, r.thirtyMinutes, r.all].map { String($0) })
        }
        return out
    }

    /// The elapsed-time text inside `( … ago)`.
    public static func ago(_ seconds: UInt64) -> String {
        let parts: [(UInt64, String)] = [(seconds / 86_400, "d"), (seconds / 3600 % 24, "h"), (seconds / 60 % 60, "m"), (seconds % 60, "s")]
        let first = parts.firstIndex { $0.0 != 0 } ?? 3
        return parts[first...].map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    static func line(_ name: String, _ cells: [String]) -> String {
        var out = TextLayout.rightAligned(cells[0], endingAt: 49, after: name)
        for cell in cells.dropFirst() { out += TextLayout.leftPadded(cell, width: 24) }
        return out + "\n"
    }
}
