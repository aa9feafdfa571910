/// Number and column formatting shared by the full-screen and plain renderers of `qfp top`.
enum TopFormat {
    /// A rate or percentage: `-` when unknown, `0`, one decimal below 10 (`2.5`), else whole.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value == 0 { return "0" }
        let tenths = Int((value * 10).rounded())
        if tenths < 100 { return "\(tenths / 10).\(tenths % 10)" }
        return String(Int(value.rounded()))
    }

    /// `hh:mm:ss`, with `Nd ` in front past a day.
    static func duration(_ seconds: UInt64) -> String {
        let d = seconds / 86_400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return (d > 0 ? "\(d)d " : "") + "\(two(h)):\(two(m)):\(two(s))"
    }

    /// `text` then spaces to `width` (at least one space after a longer text).
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Spaces then `text`, right-aligned in `width` (at least one space before a longer text).
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    /// At most `width` characters of `line`.
    static func clip(_ line: String, _ width: Int) -> String {
        line.count <= width ? line : String(line.prefix(max(0, width)))
    }

    /// An SPI as `show qfp invalid-spi` prints it: `0x1F2E3D4C`.
    static func spi(_ spi: UInt32) -> String {
        "0x" + String(spi, radix: 16, uppercase: true)
    }
}
