import Foundation
import Synchronization
import QFPDataplane

/// Checks logins against the running configuration's accounts and keeps their audit trail:
/// `%SEC_LOGIN-5-LOGIN_SUCCESS` / `%SEC_LOGIN-4-LOGIN_FAILED` in the log, and the failures
/// that `show login failures` lists. Thread-safe; any transport (SSH) calls it.
///
/// It also watches for login attacks (`login block-for S attempts N within W`): N failures
/// within W seconds start a quiet period of S seconds in which every login is refused
/// (`%SEC_LOGIN-1-QUIET_MODE_ON`), except from sources `login quiet-mode access-class`
/// permits; the period ends on the control clock (`%SEC_LOGIN-5-QUIET_MODE_OFF`, logged by
/// `tick()` or by the next login attempt, whichever comes first).
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

    /// The attack watch: failure times (control clock, ns) in the current window, and when
    /// quiet mode ends (nil: normal mode).
    struct Watch {
        var failureTimes: [UInt64] = []
        var quietUntil: UInt64?
        var quietFor: UInt64 = 0
        /// Failures and successes seen, for `login on-failure|on-success log every N`.
        var failureSerial = 0
        var successSerial = 0
    }

    let syslog: SyslogBuffer
    let wallClock: any WallClock
    let clock: any ControlClock
    /// The running configuration's access part and access lists, read at each attempt.
    let configuration: @Sendable () -> (access: AccessConfiguration, lists: [String: AccessList])
    let state = Mutex<(total: Int, successes: Int, failures: [Failure])>((0, 0, []))
    let watch = Mutex(Watch())

    init(syslog: SyslogBuffer, wallClock: any WallClock, clock: any ControlClock,
         configuration: @escaping @Sendable () -> (access: AccessConfiguration, lists: [String: AccessList])) {
        self.syslog = syslog
        self.wallClock = wallClock
        self.clock = clock
        self.configuration = configuration
    }

    /// Why a login attempt from `source` is refused before any credential is looked at: quiet
    /// mode (nil: it may go ahead).
    public func refusal(source: String) -> String? {
        let (access, lists) = configuration()
        endQuietModeIfDue()
        guard let remaining = quietSecondsLeft else { return nil }
        if let name = access.quietModeAccessClass, let list = lists[name], let address = IPAddress(source), list.permits(source: address) {
            return nil
        }
        return "Login disabled for \(remaining) seconds (quiet mode: too many failed logins)"
    }

    /// Seconds of quiet mode left, or nil in normal mode.
    public var quietSecondsLeft: Int? {
        let now = clock.now()
        return watch.withLock { w in
            guard let until = w.quietUntil, until > now else { return nil }
            return Int((until - now + 999_999_999) / 1_000_000_000)
        }
    }

    /// Ends quiet mode when its period is over, logging `%SEC_LOGIN-5-QUIET_MODE_OFF` (the
    /// daemon calls this every second).
    public func tick() { endQuietModeIfDue() }

    func endQuietModeIfDue() {
        let now = clock.now()
        let ended: Bool = watch.withLock { w in
            guard let until = w.quietUntil, now >= until else { return false }
            w.quietUntil = nil
            w.failureTimes.removeAll()
            return true
        }
        if ended {
            syslog.log("%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed out at \(Self.date(wallClock.secondsSince1970()))")
        }
    }

    /// What `show login` prints about the watch.
    public struct WatchStatus: Equatable, Sendable {
        public var block: LoginBlock?
        public var quietSecondsLeft: Int?
        /// Seconds left in the current watch window (from its first failure), if one is open.
        public var windowSecondsLeft: Int?
        public var failuresInWindow: Int
    }

    public var watchStatus: WatchStatus {
        endQuietModeIfDue()
        let access = configuration().access
        let now = clock.now()
        let quiet = quietSecondsLeft
        return watch.withLock { w in
            var status = WatchStatus(block: access.block, quietSecondsLeft: quiet, windowSecondsLeft: nil, failuresInWindow: 0)
            if let block = access.block {
                let window = UInt64(block.within) * 1_000_000_000
                let open = w.failureTimes.filter { now &- $0 < window }
                status.failuresInWindow = open.count
                if let first = open.first { status.windowSecondsLeft = Int((first &+ window &- now) / 1_000_000_000) }
            }
            return status
        }
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

    /// Logs a successful login (every Nth with `login on-success log every N`).
    public func recordSuccess(user: String, source: String, localPort: Int) {
        state.withLock { $0.successes += 1 }
        let every = configuration().access.logSuccessesEvery ?? 1
        let serial = watch.withLock { w in w.successSerial += 1; return w.successSerial }
        guard serial % every == 0 else { return }
        syslog.log("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: \(user)] [Source: \(source)] [localport: \(localPort)] at \(Self.date(wallClock.secondsSince1970()))")
    }

    /// Logs (every Nth with `login on-failure log every N`) and counts a failed login; starts
    /// quiet mode when it is the `login block-for` threshold's failure.
    public func recordFailure(user: String, source: String, localPort: Int, reason: String = "Login Authentication Failed") {
        let now = wallClock.secondsSince1970()
        let access = configuration().access
        let monotonic = clock.now()
        let (serial, quietOn): (Int, (windowLeft: Int, seconds: Int)?) = watch.withLock { w in
            w.failureSerial += 1
            guard let block = access.block, w.quietUntil == nil else { return (w.failureSerial, nil) }
            let window = UInt64(block.within) * 1_000_000_000
            w.failureTimes.removeAll { monotonic &- $0 >= window }
            w.failureTimes.append(monotonic)
            guard w.failureTimes.count >= block.attempts else { return (w.failureSerial, nil) }
            let windowLeft = Int((w.failureTimes[0] &+ window &- monotonic) / 1_000_000_000)
            w.quietUntil = monotonic &+ UInt64(block.seconds) * 1_000_000_000
            w.failureTimes.removeAll()
            return (w.failureSerial, (windowLeft, block.seconds))
        }
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
        if serial % (access.logFailuresEvery ?? 1) == 0 {
            syslog.log("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: \(user)] [Source: \(source)] [localport: \(localPort)] [Reason: \(reason)] at \(Self.date(now))")
        }
        if let quietOn {
            let acl = access.quietModeAccessClass ?? "sl_def_acl"
            syslog.log("%SEC_LOGIN-1-QUIET_MODE_ON: Still timeLeft for watching failures is \(quietOn.windowLeft) secs, [user: \(user)] [Source: \(source)] [localport: \(localPort)] [Reason: \(reason)] [ACL: \(acl)] at \(Self.date(now))")
        }
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
