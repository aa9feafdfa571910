import Foundation
import Synchronization

/// Checks logins against the running configuration's accounts and keeps their audit trail:
/// `%SEC_LOGIN-5-LOGIN_SUCCESS` / `%SEC_LOGIN-4-LOGIN_FAILED` in the log, and the failures
/// that `show login failures` lists. Thread-safe; any transport (SSH) calls it.
public final class LoginLog: Sendable {
    /// One row of `show login failures`: failures of one user from one source and port.
    public struct Failure: Equatable, Sendable {
        public var user: String
        public var source: String
        public var localPort: Int
        public var count: Int
        /// Seconds since 1970 of the latest one.
        public var time: Double
    }

    /// Rows kept (IOS lists the last 50).
    public static let keptFailures = 50

    let syslog: SyslogBuffer
    let wallClock: any WallClock
    let state = Mutex<(total: Int, successes: Int, failures: [Failure])>((0, 0, []))

    init(syslog: SyslogBuffer, wallClock: any WallClock) {
        self.syslog = syslog
        self.wallClock = wallClock
    }

    /// The account if `password` is its secret (type 9, scrypt: tens of milliseconds).
    public func account(_ user: String, password: String, in access: AccessConfiguration) -> UserAccount? {
        guard let account = access.user(user), let secret = account.secret,
              IOSSecret.verify(password, against: secret) else { return nil }
        return account
    }

    /// The account if `key` (`TYPE BASE64`, OpenSSH form) is one of its keys.
    public func account(_ user: String, key: String, in access: AccessConfiguration) -> UserAccount? {
        guard let account = access.user(user), account.sshKeys.contains(key) else { return nil }
        return account
    }

    /// Logs a successful login.
    public func recordSuccess(user: String, source: String, localPort: Int) {
        state.withLock { $0.successes += 1 }
        syslog.log("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: \(user)] [Source: \(source)] [localport: \(localPort)] at \(Self.date(wallClock.secondsSince1970()))")
    }

    /// Logs and counts a failed login.
    public func recordFailure(user: String, source: String, localPort: Int, reason: String = "Login Authentication Failed") {
        let now = wallClock.secondsSince1970()
        state.withLock { s in
            s.total += 1
            if let i = s.failures.firstIndex(where: { $0.user == user && $0.source == source && $0.localPort == localPort }) {
                var row = s.failures.remove(at: i)
                row.count += 1
                row.time = now
                s.failures.append(row)
            } else {
                s.failures.append(Failure(user: user, source: source, localPort: localPort, count: 1, time: now))
                if s.failures.count > Self.keptFailures { s.failures.removeFirst() }
            }
        }
        syslog.log("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: \(user)] [Source: \(source)] [localport: \(localPort)] [Reason: \(reason)] at \(Self.date(now))")
    }

    /// Failed logins since start, and the latest rows (oldest first).
    public var failures: (total: Int, rows: [Failure]) { state.withLock { ($0.total, $0.failures) } }
    /// Successful logins since start.
    public var successes: Int { state.withLock { $0.successes } }

    /// `10:15:01 UTC Mon Nov 30 2026`, as the SEC_LOGIN messages and `show login failures` print it.
    public static func date(_ seconds: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: Date(timeIntervalSince1970: seconds))
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) UTC \(days[c.weekday! - 1]) \(months[c.month! - 1]) \(c.day!) \(c.year!)"
    }
}
