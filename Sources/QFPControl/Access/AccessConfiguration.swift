import QFPDataplane

/// Who may log in and how: `username` lines, `enable secret`, where the SSH server listens
/// (`ip ssh listen`, a qfp line) and `login delay`. There are no default credentials: with no
/// `username` line every SSH login fails.
public struct AccessConfiguration: Equatable, Sendable {
    /// Accounts by name.
    public var users: [String: UserAccount] = [:]
    /// `enable secret 9 …`: the type 9 secret `enable` asks for (none: `enable` is refused
    /// over SSH, as IOS refuses it on a vty without one).
    public var enableSecret: String?
    /// `ip ssh listen ADDRESS [port N]`: where `qfp run` starts its SSH server (`--ssh` wins).
    public var sshListen: SSHListen?
    /// `login delay N`: seconds a failed login waits before its answer (IOS default 1).
    public var loginDelay = AccessConfiguration.defaultLoginDelay

    /// `login block-for SECONDS attempts N within SECONDS`: watch for login attacks.
    public var block: LoginBlock?
    /// `login quiet-mode access-class ACL`: sources that may still log in during quiet mode.
    public var quietModeAccessClass: String?
    /// `login on-failure log [every N]` / `login on-success log [every N]`: log every Nth
    /// failure / success (nil: not configured; qfp then logs every one, see docs/ssh.md).
    public var logFailuresEvery: Int?
    public var logSuccessesEvery: Int?
    /// `ip ssh version 2` (nil: not configured; version 2 either way, qfp has no version 1).
    public var sshVersion: Int?
    /// `ip ssh time-out N`: seconds a connection has to log in (IOS default 120).
    public var sshTimeout = AccessConfiguration.defaultSSHTimeout
    /// `ip ssh authentication-retries N`: failures that end a connection (IOS default 3).
    public var sshRetries = AccessConfiguration.defaultSSHRetries
    /// `line con|aux|vty FIRST [LAST]` blocks, in the order IOS lists them.
    public var lines: [TerminalLines] = []

    public static let defaultLoginDelay = 1
    public static let defaultSSHTimeout = 120
    public static let defaultSSHRetries = 3
    public init() {}

    /// The settings that govern vty `n` (an SSH session): the last block covering it, else the
    /// IOS defaults.
    public func vty(_ n: Int) -> LineSettings {
        lines.last { $0.kind == .vty && $0.range.contains(n) }?.settings ?? LineSettings()
    }

    /// The account `name` (user names are case-sensitive, as on IOS).
    public func user(_ name: String) -> UserAccount? { users[name] }
}

/// One `username` account.
public struct UserAccount: Equatable, Sendable {
    public var name: String
    /// `privilege <0-15>` (IOS default 1: the session starts in user EXEC, `Router>`).
    public var privilege = 1
    /// A type 9 secret (`secret 0` text is hashed on entry).
    public var secret: String?
    /// OpenSSH public keys (`ssh-ed25519 AAAA…`, `ecdsa-sha2-nistp256 AAAA…`), without comments.
    public var sshKeys: [String] = []

    public init(name: String) { self.name = name }
}

/// Where the SSH server listens.
public struct SSHListen: Equatable, Sendable {
    public var address: IPAddress
    public var port: UInt16
    /// Port 22 needs privileges this emulator should not have: qfp's default is 2222.
    public static let defaultPort: UInt16 = 2222

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// `login block-for`.
public struct LoginBlock: Equatable, Sendable {
    /// Quiet period: seconds logins are refused once the threshold is reached.
    public var seconds: Int
    /// Failures that start the quiet period...
    public var attempts: Int
    /// ...when they happen within this many seconds.
    public var within: Int
    public init(seconds: Int, attempts: Int, within: Int) {
        self.seconds = seconds
        self.attempts = attempts
        self.within = within
    }
}

/// One `line` block: a kind, a range of line numbers, and their settings.
public struct TerminalLines: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case console = "con", aux, vty }
    public var kind: Kind
    public var range: ClosedRange<Int>
    public var settings = LineSettings()
    public init(kind: Kind, range: ClosedRange<Int>) {
        self.kind = kind
        self.range = range
    }
    /// Whether `a` comes before `b` in `show running-config`: console, aux, vty, each by first line.
    public static func listedBefore(_ a: TerminalLines, _ b: TerminalLines) -> Bool {
        let order: [Kind] = [.console, .aux, .vty]
        let (x, y) = (order.firstIndex(of: a.kind)!, order.firstIndex(of: b.kind)!)
        return x != y ? x < y : a.range.lowerBound < b.range.lowerBound
    }

    /// `line vty 0 4`, `line con 0`.
    public var header: String {
        "line \(kind.rawValue) \(range.lowerBound)" + (range.count > 1 ? " \(range.upperBound)" : "")
    }
}

/// What a `line` block sets. Enforced for SSH sessions (vty lines): `transport input`,
/// `access-class … in` and `exec-timeout`; kept and shown: the others (docs/ssh.md).
public struct LineSettings: Equatable, Sendable {
    /// `transport input …` (nil: not configured; SSH is accepted).
    public var transportInput: [String]?
    public var transportOutput: [String]?
    /// `exec-timeout MINUTES [SECONDS]`: idle time that ends a session (IOS default 10 0;
    /// 0 0 never).
    public var execTimeout = ExecTimeout.iosDefault
    /// `access-class ACL in`: sources that may connect.
    public var accessClass: String?
    /// `login` / `login local` / `login authentication LIST`.
    public var login: String?
    public var privilegeLevel: Int?
    public var loggingSynchronous = false
    public var length: Int?
    public var width: Int?
    public var sessionTimeout: Int?
    public var stopbits: Int?

    public init() {}

    /// `exec-timeout MINUTES SECONDS`.
    public struct ExecTimeout: Equatable, Sendable {
        public var minutes: Int
        public var seconds: Int
        public init(minutes: Int, seconds: Int) {
            self.minutes = minutes
            self.seconds = seconds
        }
        /// IOS's default, 10 minutes.
        public static let iosDefault = ExecTimeout(minutes: 10, seconds: 0)
    }

    /// Whether SSH is among the transports accepted.
    public var acceptsSSH: Bool {
        guard let t = transportInput else { return true }
        return t.contains("ssh") || t.contains("all")
    }

    /// Seconds of idle time that end a session; nil for `exec-timeout 0 0`.
    public var idleSeconds: Int? {
        let total = execTimeout.minutes * 60 + execTimeout.seconds
        return total == 0 ? nil : total
    }
}
