import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import QFPCLI
import QFPControl
import QFPDataplane
import Synchronization

/// The daemon's SSH server: the IOS CLI for people and for tools (netmiko, Ansible), with the
/// same `CLISession` as `qfp cli`. Logins need a `username` (secret or `ssh-key`); each is
/// audited in the log, as is every configuration change (`Configured from console by USER on
/// vtyN (ADDRESS)`). The session starts at the account's privilege (`Router>` below 15);
/// `enable` asks for `enable secret`.
public final class SSHServer: Sendable {
    public let host: String
    public let port: Int
    let controlPlane: ControlPlane
    let hostKey: NIOSSHPrivateKey
    let group: MultiThreadedEventLoopGroup
    let pool: NIOThreadPool
    let channel = Mutex<(any Channel)?>(nil)
    /// vty numbers in use.
    let vtys = Mutex<Set<Int>>([])
    let logger = Logger(label: "qfp.ssh")

    /// Why the server could not start.
    public enum StartError: Error, CustomStringConvertible {
        case cannotBind(String, Int, String)
        public var description: String {
            switch self {
            case let .cannotBind(host, port, why): "cannot listen for SSH on \(host) port \(port): \(why)"
            }
        }
    }

    /// A server on `host`:`port` (port 0: any free port, see `boundPort`) with `hostKey`.
    public init(host: String, port: Int, controlPlane: ControlPlane, hostKey: SSHHostKey) {
        self.host = host
        self.port = port
        self.controlPlane = controlPlane
        self.hostKey = NIOSSHPrivateKey(ed25519Key: hostKey.key)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 1)
    }

    /// The port listened on (the chosen one when started with port 0).
    public var boundPort: Int? { channel.withLock { $0?.localAddress?.port } }

    public func start() throws {
        pool.start()
        let controlPlane = self.controlPlane
        let pool = self.pool
        let hostKey = self.hostKey
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] connection in
                let login = SSHLogin(source: connection.remoteAddress?.ipAddress ?? "unknown",
                                     localPort: connection.localAddress?.port ?? port)
                // Refused before the SSH handshake: quiet mode (`login block-for`), or the vty
                // line the session would take does not accept SSH from this source.
                if let why = admission(source: login.source) {
                    logger.info("ssh connection from \(login.source) refused: \(why)")
                    return connection.close()
                }
                let authenticator = SSHAuthenticator(controlPlane: controlPlane, pool: pool, login: login, connection: connection)
                // `ip ssh time-out`: a connection not logged in by then is closed.
                let timeout = controlPlane.router.configuration.control.access.sshTimeout
                connection.eventLoop.scheduleTask(in: .seconds(Int64(timeout))) {
                    if login.account.withLock({ $0 }) == nil { connection.close(promise: nil) }
                }
                var configuration = SSHServerConfiguration(hostKeys: [hostKey], userAuthDelegate: authenticator)
                // Every request counts, probes included; the authenticator ends the connection
                // after its third failure.
                configuration.maxAuthAttempts = 10
                return connection.eventLoop.makeCompletedFuture {
                    try connection.pipeline.syncOperations.addHandlers([
                        NIOSSHHandler(role: .server(configuration), allocator: connection.allocator,
                                      inboundChildChannelInitializer: { child, type in
                                          self.initializeSession(child, type, login: login)
                                      }),
                        CloseOnError(logger: self.logger),
                    ])
                }
            }
        do {
            let bound = try bootstrap.bind(host: host, port: port).wait()
            channel.withLock { $0 = bound }
        } catch {
            try? pool.syncShutdownGracefully()
            throw StartError.cannotBind(host, port, "\(error)")
        }
    }

    /// Why a connection from `source` is refused before it may log in, or nil: quiet mode, or
    /// the first free vty's `transport input` (no SSH) or `access-class` (source not permitted).
    func admission(source: String) -> String? {
        if let why = controlPlane.logins.refusal(source: source) { return why }
        let configuration = controlPlane.router.configuration
        let vty = vtys.withLock { Self.lowestFree($0) }
        let line = configuration.control.access.vty(vty)
        if !line.acceptsSSH { return "line vty \(vty): transport input \(line.transportInput?.joined(separator: " ") ?? "")" }
        if let name = line.accessClass {
            guard let list = configuration.accessLists[name] else { return nil }   // IOS: a missing list permits
            guard let address = IPAddress(source), list.permits(source: address) else {
                return "line vty \(vty): access-class \(name) does not permit \(source)"
            }
        }
        return nil
    }

    /// The vty a new session takes: the lowest number not in use.
    static func lowestFree(_ used: Set<Int>) -> Int { (0...).first { !used.contains($0) }! }

    func initializeSession(_ child: any Channel, _ type: SSHChannelType, login: SSHLogin) -> EventLoopFuture<Void> {
        guard case .session = type, let account = login.account.withLock({ $0 }) else {
            return child.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let vty = vtys.withLock { used in
            let n = Self.lowestFree(used)
            used.insert(n)
            return n
        }
        let session = CLISession(controlPlane: controlPlane, origin: "console by \(account.name) on vty\(vty) (\(login.source))",
                                 interactive: false, privilege: account.privilege, enableNeedsSecret: true)
        // swift-nio-ssh negotiates AES-GCM (aes128-gcm@openssh.com or aes256-gcm@openssh.com,
        // the only schemes it offers) but does not say which: `show ssh` names the family, and
        // the MAC is the cipher's own tag.
        let registration = controlPlane.sessions.register(
            line: .vty(vty), user: account.name, location: login.source,
            ssh: SessionRegistry.SSHConnection(encryption: Self.encryption, hmac: Self.hmac))
        session.registration = registration
        let idle = controlPlane.router.configuration.control.access.vty(vty).idleSeconds
        let handler = SSHShellHandler(session: session, pool: pool, idleSeconds: idle) { [self] in
            controlPlane.sessions.remove(registration)
            _ = vtys.withLock { $0.remove(vty) }
        }
        return child.eventLoop.makeCompletedFuture {
            try child.pipeline.syncOperations.addHandler(handler)
        }
    }

    /// `show ssh`'s Encryption and Hmac columns (see `initializeSession`).
    static let encryption = "aes-gcm"
    static let hmac = "aead"

    /// Stops listening and ends every session.
    public func stop() {
        if let c = channel.withLock({ $0 }) { try? c.close().wait() }
        channel.withLock { $0 = nil }
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
    }
}

/// Ends a connection whose SSH handler failed (a bad packet, a refused key exchange).
final class CloseOnError: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("ssh connection \(context.remoteAddress?.description ?? "?"): \(error)")
        context.close(promise: nil)
    }
}

/// The server's ed25519 host key, kept in a file (mode 0600) so clients can pin it: made on
/// first start, read afterwards. The public half is written next to it as `FILE.pub`
/// (OpenSSH form, for `known_hosts`).
public struct SSHHostKey: Sendable {
    public let key: Curve25519.Signing.PrivateKey
    public let path: String

    /// Why the key file could not be used.
    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `path`, or makes a new key there.
    public static func loadOrCreate(_ path: String) throws -> SSHHostKey {
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw KeyError(description: "SSH host key \(path) is not a qfp host key (base64 of a 32-byte ed25519 seed); remove it to make a new one")
            }
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                throw KeyError(description: "SSH host key \(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
            return SSHHostKey(key: key, path: path)
        }
        let key = Curve25519.Signing.PrivateKey()
        let old = umask(0o077)
        defer { umask(old) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard FileManager.default.createFile(atPath: path, contents: Data((key.rawRepresentation.base64EncodedString() + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw KeyError(description: "cannot write SSH host key \(path)")
        }
        let host = SSHHostKey(key: key, path: path)
        FileManager.default.createFile(atPath: path + ".pub", contents: Data((host.openSSHPublicKey + " qfp\n").utf8),
                                       attributes: [.posixPermissions: 0o644])
        return host
    }

    /// `ssh-ed25519 AAAA…`.
    public var openSSHPublicKey: String { String(openSSHPublicKey: NIOSSHPrivateKey(ed25519Key: key).publicKey) }
}
