import Foundation
import Synchronization

/// Embedded Event Manager applets (`event manager applet NAME`, ios-xe-qfp.md §11): watches the
/// logger and the clock, and runs each applet's actions when its event fires.
///
/// Events: `event syslog pattern "RE" [occurs N] [period S] [ratelimit S]` (the regex is searched
/// in the message, `%FAC-SEV-MNEMONIC: text`; the applet fires when N matches fall within S
/// seconds, and not again until the ratelimit has passed), `event none` (`run(name:)`, which is
/// `event manager run NAME`), `event timer countdown time N` (once, N seconds after the applet was
/// configured) and `event timer watchdog time N` (every N seconds); timers are checked by `tick()`.
///
/// Actions run in label order compared as strings (`1.10` before `1.2`): `cli command` (through
/// the executor set with `setExecutor`, its output in `$_cli_result`; `enable` is a no-op),
/// `syslog [priority P] msg` (`%HA_EM-6-LOG: NAME: text`), `regexp`, `puts`, `set`. `$var` and
/// `${var}` are replaced by variables; built-ins are `$_syslog_msg`, `$_cli_result`,
/// `$_regexp_result`, `$_event_type_string`, `$_event_pub_sec`, `$_event_pub_msec`.
///
/// Recursion: messages an applet logs are seen by the other applets (chaining applets on
/// `%HA_EM-6-LOG` works), but an applet never starts while it is already running, so an
/// applet whose `syslog msg` matches its own pattern runs once per outside trigger, not
/// forever; at most `maximumNesting` applets run nested in one another.
///
/// An action that fails (unknown variable, bad expression, no CLI) stops its applet and logs
/// `%HA_EM-3-FMPD_ERROR: Error executing applet NAME statement LABEL`; runs are bounded by
/// `maxrun` on the control clock and by `maximumActionsPerRun`.
///
/// Runs happen on the thread that logged the triggering message (or called `tick`/`run`).
public final class EEMEngine: Sendable {
    /// Runs one exec command line and returns its output (`cli command`).
    public typealias Executor = (String) -> String
    /// Makes the executor of one applet run (a CLI session of its own, privilege 15).
    public typealias ExecutorFactory = @Sendable () -> Executor

    /// Why an action failed; logged, never thrown to the logger's caller.
    public enum ActionError: Error, Equatable, CustomStringConvertible {
        case unknownVariable(String)
        case badExpression(String)
        case badPriority(String)
        case noExecutor

        public var description: String {
            switch self {
            case let .unknownVariable(v): "could not find environment variable: \(v)"
            case let .badExpression(re): "invalid regular expression \"\(re)\""
            case let .badPriority(p): "invalid syslog priority \"\(p)\""
            case .noExecutor: "no CLI available to run commands"
            }
        }
    }

    /// `event manager run NAME` refused.
    public struct RunFailure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    struct Compiled: @unchecked Sendable {  // Regex is an immutable value; matching does not mutate it
        let regex: Regex<AnyRegexOutput>
    }

    struct AppletState {
        var applet: EventManagerApplet
        var pattern: Compiled?
        /// Control-clock times of the syslog matches still inside the period.
        var matches: [UInt64] = []
        var lastTrigger: UInt64?
        var timerDue: UInt64?
        var runs: UInt64 = 0
    }

    struct State {
        var applets: [String: AppletState] = [:]
        var running: Set<String> = []
        var executorFactory: ExecutorFactory?
    }

    public let logger: SyslogBuffer
    public let clock: any ControlClock
    let state = Mutex(State())

    /// Applets that may run nested (an applet's message triggering another's).
    public static let maximumNesting = 8
    /// Actions one run may perform.
    public static let maximumActionsPerRun = 1024

    /// An engine with no applets, observing `logger`.
    public init(logger: SyslogBuffer, clock: any ControlClock) {
        self.logger = logger
        self.clock = clock
        logger.addObserver { [weak self] entry in self?.observe(entry) }
    }

    /// Sets what runs `cli command` actions: `make` is called once per applet run.
    public func setExecutor(_ make: @escaping ExecutorFactory) {
        state.withLock { $0.executorFactory = make }
    }

    /// Installs the applets of a configuration. An applet that did not change keeps its
    /// counters and timers; a new or changed countdown starts now.
    public func apply(_ applets: [String: EventManagerApplet]) {
        let now = clock.now()
        var badPatterns: [(String, String)] = []
        state.withLock { s in
            var next: [String: AppletState] = [:]
            for (name, applet) in applets {
                if let old = s.applets[name], old.applet == applet {
                    next[name] = old
                    continue
                }
                var a = AppletState(applet: applet)
                switch applet.event {
                case let .syslog(pattern, _, _, _)?:
                    if let r = try? Regex(pattern) {
                        a.pattern = Compiled(regex: r)
                    } else {
                        badPatterns.append((name, pattern))
                    }
                case let .countdown(seconds)?, let .watchdog(seconds)?:
                    a.timerDue = now &+ Self.nanoseconds(seconds)
                case .none?, nil:
                    break
                }
                next[name] = a
            }
            s.applets = next
        }
        for (name, pattern) in badPatterns {
            logger.log(Self.error(applet: name, statement: "event", reason: "invalid regular expression \"\(pattern)\""))
        }
    }

    /// Names of the installed applets.
    public var appletNames: [String] { state.withLock { $0.applets.keys.sorted() } }

    /// How many times `name` has run.
    public func runCount(_ name: String) -> UInt64 { state.withLock { $0.applets[name]?.runs ?? 0 } }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return seconds >= 1.8e10 ? UInt64.max / 2 : UInt64(seconds * 1e9)
    }

    // MARK: Events

    /// A logged message: fires the syslog applets it completes.
    func observe(_ entry: LogEntry) {
        let now = clock.now()
        let message = entry.message
        let fire: [String] = state.withLock { s in
            var fire: [String] = []
            for name in s.applets.keys.sorted() {
                guard var a = s.applets[name], case let .syslog(_, occurs, period, ratelimit)? = a.applet.event,
                      let pattern = a.pattern, !s.running.contains(name)
                else { continue }
                guard (try? pattern.regex.firstMatch(in: message)) != nil else { continue }
                if let ratelimit, let last = a.lastTrigger, now &- last < Self.nanoseconds(ratelimit) { continue }
                a.matches.append(now)
                if let period {
                    let window = Self.nanoseconds(period)
                    a.matches.removeAll { now &- $0 > window }
                }
                if a.matches.count >= max(occurs ?? 1, 1) {
                    a.matches.removeAll()
                    a.lastTrigger = now
                    fire.append(name)
                }
                s.applets[name] = a
            }
            return fire
        }
        for name in fire {
            execute(name, variables: ["_syslog_msg": message, "_event_type_string": "syslog"])
        }
    }

    /// Fires the timer applets that are due (the daemon calls this every second; tests after
    /// advancing a virtual clock).
    public func tick() {
        let now = clock.now()
        let due: [String] = state.withLock { s in
            var due: [String] = []
            for name in s.applets.keys.sorted() {
                guard var a = s.applets[name], let at = a.timerDue, at <= now else { continue }
                if case let .watchdog(seconds)? = a.applet.event {
                    a.timerDue = now &+ max(Self.nanoseconds(seconds), 1)
                } else {
                    a.timerDue = nil
                }
                s.applets[name] = a
                due.append(name)
            }
            return due
        }
        for name in due {
            let type = if case .watchdog? = state.withLock({ $0.applets[name]?.applet.event }) { "timer watchdog" } else { "timer countdown" }
            execute(name, variables: ["_event_type_string": type])
        }
    }

    /// `event manager run NAME`: runs an `event none` applet now; returns what its `puts`
    /// actions printed.
    @discardableResult
    public func run(name: String) throws(RunFailure) -> String {
        let event = state.withLock { $0.applets[name]?.applet.event }
        guard case .none? = event else {
            throw RunFailure(description: "EEM policy \(name) not registered with event none Event Detector")
        }
        return execute(name, variables: ["_event_type_string": "none"])
    }

    // MARK: Actions

    /// Runs `name`'s actions unless it is already running; returns the `puts` output.
    @discardableResult
    func execute(_ name: String, variables initial: [String: String]) -> String {
        let claimed: (EventManagerApplet, ExecutorFactory?)? = state.withLock { s in
            guard let a = s.applets[name], !s.running.contains(name), s.running.count < Self.maximumNesting else { return nil }
            s.running.insert(name)
            s.applets[name]?.runs += 1
            return (a.applet, s.executorFactory)
        }
        guard let (applet, factory) = claimed else { return "" }
        defer { _ = state.withLock { $0.running.remove(name) } }

        let start = clock.now()
        let wall = logger.wallClock.secondsSince1970()
        var variables = initial
        variables["_event_pub_sec"] = String(Int(wall))
        variables["_event_pub_msec"] = String(Int(wall * 1000) % 1000)
        let maxrun = Self.nanoseconds(applet.maxrun ?? EventManagerApplet.defaultMaxrun)
        var executor: Executor?
        var output = ""
        for (count, labeled) in applet.orderedActions.enumerated() {
            if count >= Self.maximumActionsPerRun || clock.now() &- start > maxrun {
                logger.log(Self.error(applet: name, statement: labeled.label, reason: "maxrun exceeded"))
                break
            }
            do {
                try perform(labeled.action, applet: name, variables: &variables, output: &output) {
                    if executor == nil { executor = factory?() }
                    return executor
                }
            } catch {
                if case let .unknownVariable(v) = error {
                    logger.log(SyslogMessage(
                        facility: "HA_EM", severity: .errors, mnemonic: "FMPD_UNKNOWN_ENV",
                        text: "fh_parse_var: could not find environment variable: \(v)"))
                }
                logger.log(Self.error(applet: name, statement: labeled.label, reason: error.description))
                break
            }
        }
        return output
    }

    func perform(
        _ action: EventManagerApplet.Action, applet: String, variables: inout [String: String], output: inout String,
        executor: () -> Executor?
    ) throws(ActionError) {
        switch action {
        case let .cliCommand(command, _):
            let line = try Self.substitute(command, variables)
            if line.trimmingCharacters(in: .whitespaces) == "enable" {
                variables["_cli_result"] = ""
                return
            }
            guard let run = executor() else { throw .noExecutor }
            variables["_cli_result"] = run(line)
        case let .syslogMessage(text, priority):
            var severity = SyslogSeverity.informational
            if let priority {
                guard let p = SyslogSeverity(name: priority) else { throw .badPriority(priority) }
                severity = p
            }
            logger.log(.eemLog(applet: applet, text: try Self.substitute(text, variables), severity: severity))
        case let .regexp(pattern, input, names):
            let expression = try Self.substitute(pattern, variables)
            guard let regex = try? Regex(expression) else { throw .badExpression(expression) }
            let subject = try Self.substitute(input, variables)
            guard let match = try? regex.firstMatch(in: subject) else {
                variables["_regexp_result"] = "0"
                return
            }
            variables["_regexp_result"] = "1"
            for (i, variable) in names.enumerated() where i < match.output.count {
                variables[variable] = match.output[i].substring.map(String.init) ?? ""
            }
        case let .puts(text):
            output += try Self.substitute(text, variables) + "\n"
        case let .set(variable, value):
            variables[variable] = try Self.substitute(value, variables)
        }
    }

    /// `text` with `$name` and `${name}` replaced; `\$` is a literal `$`, as is a `$` not
    /// followed by a name.
    static func substitute(_ text: String, _ variables: [String: String]) throws(ActionError) -> String {
        var out = ""
        var i = text.startIndex
        func isNameCharacter(_ c: Character) -> Bool { c == "_" || c.isASCII && (c.isLetter || c.isNumber) }
        while i < text.endIndex {
            let c = text[i]
            if c == "\\", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "$" {
                out.append("$")
                i = text.index(i, offsetBy: 2)
                continue
            }
            guard c == "$" else {
                out.append(c)
                i = text.index(after: i)
                continue
            }
            var j = text.index(after: i)
            let name: Substring
            if j < text.endIndex, text[j] == "{", let close = text[j...].firstIndex(of: "}") {
                name = text[text.index(after: j)..<close]
                j = text.index(after: close)
            } else {
                let end = text[j...].firstIndex { !isNameCharacter($0) } ?? text.endIndex
                name = text[j..<end]
                j = end
            }
            if name.isEmpty {
                out.append("$")
                i = text.index(after: i)
                continue
            }
            guard let value = variables[String(name)] else { throw .unknownVariable(String(name)) }
            out += value
            i = j
        }
        return out
    }

    /// `%HA_EM-3-FMPD_ERROR: Error executing applet NAME statement LABEL` (and why).
    static func error(applet: String, statement: String, reason: String) -> SyslogMessage {
        SyslogMessage(
            facility: "HA_EM", severity: .errors, mnemonic: "FMPD_ERROR",
            text: "Error executing applet \(applet) statement \(statement): \(reason)")
    }
}
