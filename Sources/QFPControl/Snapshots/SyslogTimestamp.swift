import Foundation

/// A syslog timestamp under `service timestamps log datetime [msec] [localtime]
/// [show-timezone] [year]`: `*Oct 24 04:31:10.058`, `Jun  5 05:09:30.838 EST`.
///
/// Text form (`text`): authority prefix, `Mmm dd` with the day space-padded to two characters,
/// ` yyyy` when `year` is set [I: position of the year], ` hh:mm:ss`, `.mmm` with msec, ` TZ`
/// with show-timezone. Uptime stamps (`service timestamps log uptime`) are not modelled.
public struct SyslogTimestamp: Sendable, Equatable, Codable {
    public var authority: ClockAuthority
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Milliseconds; nil without `msec`.
    public var millisecond: Int?
    /// Zone name (`EST`, `UTC`); nil without `show-timezone`.
    public var timeZone: String?
    /// Year; nil without `year`.
    public var year: Int?

    public init(
        authority: ClockAuthority = .authoritative, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        millisecond: Int? = nil, timeZone: String? = nil, year: Int? = nil
    ) {
        self.authority = authority
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
        self.timeZone = timeZone
        self.year = year
    }

    /// The stamp of `date` in `zone`; `zoneName` is printed when given (`show-timezone`).
    /// The caller supplies the time (a virtual clock in tests), never the wall clock here.
    public init(
        _ date: Date, in zone: TimeZone, authority: ClockAuthority = .authoritative, milliseconds: Bool = true,
        zoneName: String? = nil, withYear: Bool = false
    ) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        self.init(
            authority: authority, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0, minute: c.minute ?? 0,
            second: c.second ?? 0, millisecond: milliseconds ? (c.nanosecond ?? 0) / 1_000_000 : nil,
            timeZone: zoneName, year: withYear ? c.year : nil)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The stamp as IOS prints it, without the `: ` that follows it in a log line.
    public var text: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = authority.rawValue + Self.months[(month - 1) % 12] + " " + (day < 10 ? " \(day)" : "\(day)")
        if let year { out += " \(year)" }
        out += " \(two(hour)):\(two(minute)):\(two(second))"
        if let millisecond { out += "." + (millisecond < 10 ? "00" : millisecond < 100 ? "0" : "") + "\(millisecond)" }
        if let timeZone { out += " " + timeZone }
        return out
    }
}

/// A stamp under `service timestamps {log | debug} uptime`: time since the router started, as
/// IOS prints it before the `: ` of a log line (ios-xe-qfp.md §6.3).
///
/// Under a day `hh:mm:ss` (`00:02:58`); under a week days and hours (`1d02h`); under a year
/// weeks and days (`2w1d`); beyond, years and weeks (`1y05w`) [I: the layouts past a day follow
/// `show version` uptimes and public logs; the year form is not verified].
public struct SyslogUptime: Sendable, Equatable, Codable {
    /// Whole seconds since boot.
    public var seconds: UInt64

    public init(seconds: UInt64) { self.seconds = seconds }

    public var text: String {
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let s = seconds
        let day: UInt64 = 86_400, week = 7 * day, year = 365 * day
        if s < day { return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))" }
        if s < week { return "\(s / day)d\(two(s % day / 3600))h" }
        if s < year { return "\(s / week)w\(s % week / day)d" }
        return "\(s / year)y\(two(s % year / week))w"
    }
}
