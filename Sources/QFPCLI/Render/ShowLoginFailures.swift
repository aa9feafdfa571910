import QFPControl

/// `show login failures`: failed logins (SSH) since the daemon started, latest rows last.
enum ShowLoginFailures {
    static func render(total: Int, rows: [LoginLog.Failure]) -> String {
        guard total > 0 else { return "*** No logged failed login attempts with the device. ***\n\n" }
        var out = "Total failed logins: \(total)\nDetailed information about last \(LoginLog.keptFailures) failures\n\n"
        out += "Username        SourceIPAddr    lPort Count TimeStamp\n"
        for r in rows {
            out += pad(r.user, 16) + pad(r.source, 16) + pad(String(r.localPort), 6) + pad(String(r.count), 6) + LoginLog.date(r.time) + "\n"
        }
        return out + "\n"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// `| json`.
    struct JSON: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var user: String, source: String, localPort: Int, count: Int, time: Double
        }
        var total: Int
        var rows: [Row]
        init(total: Int, rows: [LoginLog.Failure]) {
            self.total = total
            self.rows = rows.map { Row(user: $0.user, source: $0.source, localPort: $0.localPort, count: $0.count, time: $0.time) }
        }
    }
}
