import QFPControl

/// `show users` in the IOS XE layout of Genie's `ShowUsers` golden (a device capture): the
/// current session flagged `*`, the absolute line number right-aligned in three columns, the
/// line name, user (11), `Host(s)` (`idle`, 21), idle time and location after one space; then
/// the empty `Interface` table.
enum ShowUsers {
    static let header = "    Line       User       Host(s)              Idle       Location\n"
    static let interfaceHeader = "  Interface    User               Mode         Idle     Peer Address\n"

    static func render(_ s: UsersSnapshot) -> String {
        var out = header
        for u in s.lines {
            let number = String(u.line)
            var row = (u.current ? "*" : " ") + String(repeating: " ", count: max(1, 3 - number.count)) + number + " "
            row += IOSText.field(u.name, width: 10) + IOSText.field(u.user ?? "", width: 11)
                + IOSText.field(u.host, width: 21) + IOSText.padded(u.idle, to: 8)
            if let l = u.location { row += " " + l }
            out += row + "\n"
        }
        return out + "\n" + interfaceHeader
    }

    static func snapshot(_ sessions: [SessionRegistry.Session], current: Int?) -> UsersSnapshot {
        UsersSnapshot(lines: sessions.map { s in
            UsersSnapshot.Line(line: s.line.absolute, name: s.line.name, user: s.user, idle: IOSText.shortUptime(s.idleSeconds),
                               idleSeconds: s.idleSeconds, location: s.location, current: s.id == current)
        })
    }
}

/// The lines of `show users` (and its `| json`).
struct UsersSnapshot: Sendable, Equatable, Codable {
    struct Line: Sendable, Equatable, Codable {
        /// The absolute line number (`2` for `vty 0`).
        var line: Int
        /// `con 0`, `vty 0`.
        var name: String
        var user: String?
        var host = "idle"
        /// `00:00:07`.
        var idle: String
        var idleSeconds: UInt64
        var location: String?
        /// The session running the command (`*`).
        var current: Bool

        enum CodingKeys: String, CodingKey {
            case line, name, user, host, idle, location, current
            case idleSeconds = "idle_seconds"
        }
    }

    var lines: [Line]
}
