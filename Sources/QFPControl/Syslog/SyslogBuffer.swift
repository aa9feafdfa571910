import Foundation
import Synchronization

/// The router's logger: stamps system messages and debug output, applies the per-kind rate
/// limits, keeps the logging buffer (`logging buffered`: the newest messages up to a byte size,
/// what `show logging` prints and `clear logging` empties), sends to `logging host`s over UDP,
/// and tells observers (EEM) about every message it logs. Thread-safe.
///
/// Observers and the UDP send run on the caller's thread after the logger's lock is released;
/// an observer may log in turn (EEM's `syslog msg` does).
public final class SyslogBuffer: Sendable {
    /// A `debug …` switch. Debug output is logged only while its switch is on.
    public enum DebugCategory: String, Sendable, Hashable, CaseIterable, Comparable {
        /// `debug crypto isakmp`.
        case cryptoISAKMP = "crypto isakmp"
        /// `debug crypto ipsec`.
        case cryptoIPsec = "crypto ipsec"

        /// What `debug …`, `no debug …` and `show debugging` call it: `Crypto ISAKMP`.
        public var title: String {
            switch self {
            case .cryptoISAKMP: "Crypto ISAKMP"
            case .cryptoIPsec: "Crypto IPSEC"
            }
        }

        /// The order `show debugging` lists them in (declaration order).
        public static func < (a: Self, b: Self) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    struct State {
        var entries: [LogEntry] = []
        var bytes = 0
        var capacity: Int
        /// Messages that passed the rate limits (logged anywhere).
        var logged: UInt64 = 0
        /// Messages that went into the buffer.
        var bufferedLogged: UInt64 = 0
        var flushes = 0
        var rateLimited: UInt64 = 0
        var suppressed: [String: UInt64] = [:]
        /// Control-clock time each rate-limited kind was last logged.
        var lastLogged: [String: UInt64] = [:]
        /// Messages at or above the trap level (`N message lines logged`); also the sequence
        /// number in the datagrams sent to syslog hosts.
        var trapLines: UInt64 = 0
        var sequence: UInt64 = 0
        var sequenceNumbers = false
        var logging = LoggingConfiguration()
        var timestampsLog = ServiceTimestamps.iosDefault
        var timestampsDebug = ServiceTimestamps.iosDefault
        var debugs: Set<DebugCategory> = []
        var authority: ClockAuthority
        var observers: [@Sendable (LogEntry) -> Void] = []
    }

    let wallClock: any WallClock
    /// The clock of rate limits and uptime stamps.
    public let clock: any ControlClock
    /// Control-clock time the logger started (uptime stamps count from here).
    public let bootTime: UInt64
    /// The zone of `localtime` stamps (the process's zone unless given).
    public let localZone: TimeZone
    public let rateLimits: SyslogRateLimits
    let state: Mutex<State>
    let sender = SyslogUDPSender()

    /// A logger with an empty buffer of `capacity` bytes. `clock` drives rate limits and uptime
    /// stamps (the wall clock, read as nanoseconds, when nil); `authority` is the flag before
    /// datetime stamps and should match `show clock`.
    public init(
        capacity: Int = LoggingConfiguration.defaultBufferedSize, wallClock: any WallClock,
        clock: (any ControlClock)? = nil, rateLimits: SyslogRateLimits = .ios, localZone: TimeZone = .current,
        authority: ClockAuthority = .authoritative
    ) {
        self.wallClock = wallClock
        let clock = clock ?? WallControlClock(wallClock: wallClock)
        self.clock = clock
        bootTime = clock.now()
        self.localZone = localZone
        self.rateLimits = rateLimits
        var s = State(capacity: max(capacity, 0), authority: authority)
        s.logging.bufferedSize = capacity
        state = Mutex(s)
    }

    deinit { sender.close() }

    // MARK: Logging

    /// Logs a system message unless its kind is rate-limited now. Returns false when suppressed
    /// (the suppression is counted in `messagesRateLimited` and `suppressedCounts`).
    @discardableResult
    public func log(_ message: SyslogMessage) -> Bool {
        record(message.formatted, severity: message.severity, kind: message.kind, debug: nil)
    }

    /// Logs a preformatted line: `%FAC-SEV-MNEMONIC: text` (severity and rate limit read from
    /// it) or free text (`Rollback:Acquired Configuration lock.`, informational, not limited).
    @discardableResult
    public func log(_ message: String) -> Bool {
        let parsed = SyslogMessage(parsing: message)
        return record(message, severity: parsed?.severity ?? .informational, kind: parsed?.kind, debug: nil)
    }

    /// Logs a debug line (`ISAKMP-ERROR: (0):ignoring request to send delete notify …`),
    /// stamped per `service timestamps debug`, when `category`'s debug is on. Returns whether
    /// it was logged.
    @discardableResult
    public func debug(_ category: DebugCategory, _ line: String) -> Bool {
        record(line, severity: .debugging, kind: nil, debug: category)
    }

    /// Logs a debug line whose category is read from its prefix (`ISAKMP…` is `debug crypto
    /// isakmp`, `IPSEC…` is `debug crypto ipsec`); a line of no known category is logged while
    /// any debug is on.
    @discardableResult
    public func debug(_ line: String) -> Bool {
        let upper = line.prefix(6).uppercased()
        if upper.hasPrefix("ISAKMP") { return debug(.cryptoISAKMP, line) }
        if upper.hasPrefix("IPSEC") { return debug(.cryptoIPsec, line) }
        guard let any = debugs.min() else { return false }
        return debug(any, line)
    }

    func record(_ text: String, severity: SyslogSeverity, kind: String?, debug category: DebugCategory?) -> Bool {
        let now = clock.now()
        let wall = wallClock.secondsSince1970()
        let limit = kind.flatMap { rateLimits.intervals[$0] }
        var datagram: (String, [LoggingHost])?
        let result: (LogEntry, [@Sendable (LogEntry) -> Void])? = state.withLock { s in
            if let category, !s.debugs.contains(category) { return nil }
            if let kind, let limit {
                if let last = s.lastLogged[kind], now &- last < limit {
                    s.rateLimited += 1
                    s.suppressed[kind, default: 0] += 1
                    return nil
                }
                s.lastLogged[kind] = now
            }
            s.sequence += 1
            let stamps = category == nil ? s.timestampsLog : s.timestampsDebug
            var entry = LogEntry(sequenceNumber: s.sequenceNumbers ? s.sequence : nil, message: text)
            (entry.timestamp, entry.uptime) = stamp(stamps, now: now, wall: wall, authority: s.authority)
            s.logged += 1
            if !s.logging.bufferedDisabled, severity <= s.logging.bufferedLevel, s.capacity > 0 {
                s.bufferedLogged += 1
                s.entries.append(entry)
                s.bytes += entry.line.utf8.count + 1
                while s.bytes > s.capacity, !s.entries.isEmpty {
                    s.bytes -= s.entries.removeFirst().line.utf8.count + 1
                }
            }
            if severity <= s.logging.trapLevel {
                s.trapLines += 1
                if !s.logging.hosts.isEmpty {
                    datagram = (Self.datagram(entry, severity: severity, sequence: s.trapLines), s.logging.hosts)
                }
            }
            return (entry, s.observers)
        }
        guard let (entry, observers) = result else { return false }
        if let (text, hosts) = datagram { sender.send(text, to: hosts) }
        for observer in observers { observer(entry) }
        return true
    }

    /// The stamp of a line logged at control-clock `now` (wall clock `wall`).
    func stamp(_ t: ServiceTimestamps, now: UInt64, wall: Double, authority: ClockAuthority) -> (SyslogTimestamp?, SyslogUptime?) {
        guard t.enabled else { return (nil, nil) }
        switch t.kind {
        case .uptime:
            return (nil, SyslogUptime(seconds: (now &- bootTime) / 1_000_000_000))
        case .datetime:
            // Whole milliseconds first: a Double of seconds since 1970 cannot hold .056 exactly.
            let ms = Int64((wall * 1000).rounded())
            let date = Date(timeIntervalSince1970: Double(ms.quotientAndRemainder(dividingBy: 1000).quotient))
            let zone = t.localtime ? localZone : Self.utc
            var name: String?
            if t.showTimezone { name = t.localtime ? Self.zoneName(zone, at: date) : "UTC" }
            var stamp = SyslogTimestamp(date, in: zone, authority: authority, milliseconds: false, zoneName: name, withYear: t.year)
            if t.msec { stamp.millisecond = Int(ms % 1000) }
            return (stamp, nil)
        }
    }

    /// The short name of `zone` at `date` (`EDT`, `CET`, `UTC`). Foundation on Linux abbreviates
    /// many zones as `GMT-4`; the US-English short name is what IOS shows.
    static func zoneName(_ zone: TimeZone, at date: Date) -> String {
        if zone.secondsFromGMT(for: date) == 0 && ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu"].contains(zone.identifier) {
            return "UTC"
        }
        let abbreviation = zone.abbreviation(for: date) ?? zone.identifier
        guard abbreviation.hasPrefix("GMT") || abbreviation.hasPrefix("UTC") else { return abbreviation }
        let style: NSTimeZone.NameStyle = zone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        return zone.localizedName(for: style, locale: Locale(identifier: "en_US")) ?? abbreviation
    }

    static let utc = TimeZone(identifier: "UTC")!

    /// The datagram IOS sends to a syslog host: `<PRI>SEQ: STAMP: %FAC-SEV-MNEMONIC: text`,
    /// PRI = local7 (23) × 8 + severity.
    static func datagram(_ entry: LogEntry, severity: SyslogSeverity, sequence: UInt64) -> String {
        var out = "<\(23 * 8 + severity.rawValue)>\(sequence): "
        if let timestamp = entry.timestamp {
            out += timestamp.text + ": "
        } else if let uptime = entry.uptime {
            out += uptime.text + ": "
        }
        return out + entry.message
    }

    // MARK: Configuration

    /// Takes `service timestamps log|debug`, `logging buffered`, `logging host` and
    /// `logging trap` from the configuration. A smaller buffer drops its oldest messages.
    public func apply(_ c: ControlConfiguration) {
        state.withLock { s in
            s.timestampsLog = c.timestampsLog
            s.timestampsDebug = c.timestampsDebug
            s.logging = c.logging
            s.capacity = max(c.logging.bufferedSize ?? LoggingConfiguration.defaultBufferedSize, 0)
            while s.bytes > s.capacity, !s.entries.isEmpty {
                s.bytes -= s.entries.removeFirst().line.utf8.count + 1
            }
        }
    }

    /// `service sequence-numbers`: buffer lines start with a six-digit message number.
    public var sequenceNumbers: Bool {
        get { state.withLock { $0.sequenceNumbers } }
        set { state.withLock { $0.sequenceNumbers = newValue } }
    }

    /// The flag before datetime stamps (`*` while the clock was never synchronised).
    public var authority: ClockAuthority {
        get { state.withLock { $0.authority } }
        set { state.withLock { $0.authority = newValue } }
    }

    /// The logging part of the configuration in effect.
    public var configuration: LoggingConfiguration { state.withLock { $0.logging } }

    // MARK: Debugging

    /// The debugs that are on (`show debugging`).
    public var debugs: Set<DebugCategory> { state.withLock { $0.debugs } }

    /// `debug …` (on) or `no debug …` / `undebug …` (off).
    public func setDebug(_ category: DebugCategory, _ on: Bool) {
        state.withLock { s in
            if on { s.debugs.insert(category) } else { s.debugs.remove(category) }
        }
    }

    /// `undebug all`, `no debug all`.
    public func undebugAll() { state.withLock { $0.debugs.removeAll() } }

    // MARK: Observers

    /// Calls `observer` with every message logged from now on (after rate limits; whether or
    /// not the buffer keeps it), on the logging thread.
    public func addObserver(_ observer: @escaping @Sendable (LogEntry) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    // MARK: Reading

    /// Messages in the buffer, oldest first.
    public var entries: [LogEntry] { state.withLock { $0.entries } }

    /// Messages logged since start, after rate limits (the buffer may hold fewer).
    public var messagesLogged: UInt64 { state.withLock { $0.logged } }

    /// Messages that went into the buffer since start.
    public var bufferedMessagesLogged: UInt64 { state.withLock { $0.bufferedLogged } }

    /// Messages suppressed by rate limits since start.
    public var messagesRateLimited: UInt64 { state.withLock { $0.rateLimited } }

    /// Suppressed messages by kind (`CRYPTO-RECVD_PKT_INV_SPI`).
    public var suppressedCounts: [String: UInt64] { state.withLock { $0.suppressed } }

    /// Messages at or above the trap level (`Trap logging: … N message lines logged`).
    public var trapMessageLinesLogged: UInt64 { state.withLock { $0.trapLines } }

    /// Buffer size in bytes (`logging buffered SIZE`).
    public var capacity: Int { state.withLock { $0.capacity } }

    /// Bytes the buffer holds now.
    public var bytesUsed: Int { state.withLock { $0.bytes } }

    /// `clear logging`.
    public func clear() {
        state.withLock { s in
            s.entries.removeAll()
            s.bytes = 0
            s.flushes += 1
        }
    }

    /// Stops sending to syslog hosts (closes the UDP sockets); logging to the buffer goes on.
    public func close() { sender.close() }
}

/// A wall clock read as a control clock (nanoseconds), for loggers built without one.
struct WallControlClock: ControlClock {
    let wallClock: any WallClock
    func now() -> UInt64 { UInt64(max(wallClock.secondsSince1970(), 0) * 1e9) }
}
