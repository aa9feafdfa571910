/// Small formatting helpers shared by the control-plane renderers (column padding, IOS number
/// forms). `TextLayout` (GlobalDropTable.swift) holds the right-aligned column helpers.
enum IOSText {
    /// `text` padded on the right with spaces to `width` (never truncated).
    static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` padded on the right to `width`, with at least one space after it — a C
    /// `"%-(width-1)s "` field.
    static func field(_ text: String, width: Int) -> String {
        text.count >= width ? text + " " : padded(text, to: width)
    }

    /// An SPI as IOS prints it in crypto output: `0x658F7C11(1703902225)`, `0x0(0)`.
    static func spi(_ spi: UInt32) -> String {
        "0x\(String(spi, radix: 16, uppercase: true))(\(spi))"
    }

    /// `Y` / `N`.
    static func yesNo(_ flag: Bool) -> String { flag ? "Y" : "N" }

    /// `Yes` / `No`.
    static func yesNoWord(_ flag: Bool) -> String { flag ? "Yes" : "No" }

    /// Lower-case hex with `0x`, no padding: `0x2c400890`, `0x0`.
    static func hex<T: BinaryInteger>(_ value: T) -> String {
        "0x" + String(value, radix: 16)
    }

    /// `value` zero-padded to `width` decimal digits.
    static func zeroPadded<T: BinaryInteger>(_ value: T, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Seconds as `hh:mm:ss` (hours not wrapped at 24), the form of `lifetime:05:50:03`.
    static func hoursMinutesSeconds(_ seconds: UInt64) -> String {
        "\(zeroPadded(seconds / 3600, width: 2)):\(zeroPadded(seconds / 60 % 60, width: 2)):\(zeroPadded(seconds % 60, width: 2))"
    }

    /// The short uptime IOS prints in session and neighbour tables: `hh:mm:ss` under a day,
    /// `3d18h` under a week, `1w2d` beyond, `52w1d` past a year [I: the `d`/`h` hours are
    /// zero-padded to two digits (`1d05h`) as in IOS routing tables; capture `3d18h` cannot tell].
    static func shortUptime(_ seconds: UInt64) -> String {
        let days = seconds / 86_400
        if days == 0 { return hoursMinutesSeconds(seconds) }
        if days < 7 { return "\(days)d\(zeroPadded(seconds / 3600 % 24, width: 2))h" }
        return "\(days / 7)w\(days % 7)d"
    }

    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayAbbreviations = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}
