import QFPControl

/// `show clock`: `<flag>HH:MM:SS.mmm TZ Www Mmm D YYYY`, e.g. `.04:37:54.849 UTC Thu Aug 7 2025`.
///
/// Day not padded, month and weekday in title case (genieparser `ShowClock/golden_output2`;
/// one older capture prints `JAN`, taken to be a hand edit [I]). The `Load for five secs` and
/// `Time source is` lines some captures show come from `exec prompt timestamp` and belong to
/// the session, not to this command.
public enum ShowClock {
    /// Renders the whole command output.
    public static func render(_ c: ClockSnapshot) -> String {
        time(c) + "\n"
    }

    /// The time text without the line end.
    public static func time(_ c: ClockSnapshot) -> String {
        let hms = "\(IOSText.zeroPadded(c.hour, width: 2)):\(IOSText.zeroPadded(c.minute, width: 2)):\(IOSText.zeroPadded(c.second, width: 2))"
        let weekday = IOSText.weekdayAbbreviations[(c.weekday + 6) % 7]
        let month = IOSText.monthAbbreviations[(c.month + 11) % 12]
        return "\(c.authority.rawValue)\(hms).\(IOSText.zeroPadded(c.millisecond, width: 3)) \(c.timeZone) \(weekday) \(month) \(c.day) \(c.year)"
    }
}
