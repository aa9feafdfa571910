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

    public static let defaultLoginDelay = 1
    public init() {}

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
