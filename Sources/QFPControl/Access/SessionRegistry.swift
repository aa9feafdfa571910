import Synchronization

/// The CLI sessions open now (`show users`, `show ssh`): the console sessions of `qfp cli`
/// and the SSH vty sessions, each with its user, source and last input on the control clock.
/// Thread-safe (a mutex): the SSH server and the control socket register from their threads.
public final class SessionRegistry: Sendable {
    /// The terminal line a session holds.
    public enum Line: Equatable, Sendable, Comparable {
        case console
        case vty(Int)

        /// IOS's absolute line number: `con 0` is 0, `aux 0` 1, `vty N` 2 + N (ASR 1000 and
        /// CSR numbering in Genie's `ShowUsers` golden).
        public var absolute: Int {
            switch self {
            case .console: 0
            case let .vty(n): 2 + n
            }
        }

        /// `con 0`, `vty 3`.
        public var name: String {
            switch self {
            case .console: "con 0"
            case let .vty(n): "vty \(n)"
            }
        }

        public static func < (a: Line, b: Line) -> Bool { a.absolute < b.absolute }
    }

    /// What `show ssh` says of an SSH connection.
    public struct SSHConnection: Equatable, Sendable {
        /// `2.0`.
        public var version: String
        public var encryption: String
        public var hmac: String
        public init(version: String = "2.0", encryption: String, hmac: String) {
            self.version = version
            self.encryption = encryption
            self.hmac = hmac
        }
    }

    /// One open session.
    public struct Session: Equatable, Sendable {
        /// The registry's key (stable while the session lives).
        public var id: Int
        public var line: Line
        public var user: String?
        /// The peer's address (vty), nil on the console.
        public var location: String?
        public var ssh: SSHConnection?
        /// Seconds since the session's last input.
        public var idleSeconds: UInt64
    }

    let clock: any ControlClock
    let state = Mutex<(next: Int, open: [Int: (line: Line, user: String?, location: String?, ssh: SSHConnection?, lastInput: UInt64)])>((1, [:]))

    public init(clock: any ControlClock) { self.clock = clock }

    /// Adds a session; the answer is its id for `touch` and `remove`.
    public func register(line: Line, user: String?, location: String?, ssh: SSHConnection? = nil) -> Int {
        let now = clock.now()
        return state.withLock { s in
            let id = s.next
            s.next += 1
            s.open[id] = (line, user, location, ssh, now)
            return id
        }
    }

    /// Input on session `id` (its idle time starts again).
    public func touch(_ id: Int) {
        let now = clock.now()
        state.withLock { s in s.open[id]?.lastInput = now }
    }

    public func remove(_ id: Int) {
        _ = state.withLock { $0.open.removeValue(forKey: id) }
    }

    /// The open sessions by line number (then by id).
    public var sessions: [Session] {
        let now = clock.now()
        return state.withLock { s in
            s.open.map { id, v in
                Session(id: id, line: v.line, user: v.user, location: v.location, ssh: v.ssh,
                        idleSeconds: (now &- v.lastInput) / 1_000_000_000)
            }
        }.sorted { a, b in a.line != b.line ? a.line < b.line : a.id < b.id }
    }
}
