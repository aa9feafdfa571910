/// How much IOS trusts its clock, shown as the first character of `show clock` and of syslog
/// timestamps.
public enum ClockAuthority: String, Sendable, Equatable, Codable, CaseIterable {
    /// Synchronised (NTP or a calendar marked authoritative): no prefix.
    case authoritative = ""
    /// Never set or never synchronised since boot: `*` [F ios-xe-qfp.md §6.3].
    case notAuthoritative = "*"
    /// Was synchronised, but NTP is currently lost: `.` (meaning [I]).
    case unsynchronized = "."
}
