import Foundation

/// The time `show clock` prints: `.04:37:54.849 UTC Thu Aug 7 2025`.
public struct ClockSnapshot: Sendable, Equatable, Codable {
    public var authority: ClockAuthority
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int
    /// Zone name as configured with `clock timezone` (`UTC`, `EST`, `UTC+2`).
    public var timeZone: String
    /// 1 = Sunday … 7 = Saturday (Foundation's numbering).
    public var weekday: Int
    /// 1–12.
    public var month: Int
    public var day: Int
    public var year: Int

    public init(
        authority: ClockAuthority = .authoritative, hour: Int, minute: Int, second: Int, millisecond: Int,
        timeZone: String, weekday: Int, month: Int, day: Int, year: Int
    ) {
        self.authority = authority
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
        self.timeZone = timeZone
        self.weekday = weekday
        self.month = month
        self.day = day
        self.year = year
    }

    /// The clock at `date` in `zone`, printed with `zoneName`. The caller supplies the time
    /// (the router's clock, virtual in tests); nothing here reads the wall clock.
    public init(_ date: Date, in zone: TimeZone, zoneName: String, authority: ClockAuthority = .authoritative) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second, .nanosecond], from: date)
        self.init(
            authority: authority, hour: c.hour ?? 0, minute: c.minute ?? 0, second: c.second ?? 0,
            millisecond: (c.nanosecond ?? 0) / 1_000_000, timeZone: zoneName, weekday: c.weekday ?? 1,
            month: c.month ?? 1, day: c.day ?? 1, year: c.year ?? 1970)
    }

    enum CodingKeys: String, CodingKey {
        case authority = "time_source_flag"
        case hour, minute, second, millisecond
        case timeZone = "timezone"
        case weekday, month, day, year
    }
}
