import NIOCore
import NIOPosix
import NIOSSH
import QFPControl
import Synchronization

/// Who logged in on one SSH connection (set by `SSHAuthenticator`, read by the shell).
final class SSHLogin: Sendable {
    let account = Mutex<UserAccount?>(nil)
    /// `Source:` of the audit lines: the client's address.
    let source: String
    /// `localport:` of the audit lines: the server's port.
    let localPort: Int

    init(source: String, localPort: Int) {
        self.source = source
        self.localPort = localPort
    }
}

/// Password and public-key logins of one SSH connection, checked against the running
/// configuration's `username` lines (no account: no login; there are no default
/// credentials). A failure is logged (`%SEC_LOGIN-4-LOGIN_FAILED`), counted (`show login
/// failures`) and answered only after `login delay` seconds; the `ip ssh
/// authentication-retries`th failure (3 by default) ends the connection, and so does an attempt
/// once quiet mode began (`login block-for`). Password hashes (scrypt) are checked on the
/// thread pool, not the event loop.
final class SSHAuthenticator: NIOSSHServerUserAuthenticationDelegate, @unchecked Sendable {
    let controlPlane: ControlPlane
    let pool: NIOThreadPool
    let login: SSHLogin
    let connection: Channel
    /// Event loop only.
    var failures = 0

    init(controlPlane: ControlPlane, pool: NIOThreadPool, login: SSHLogin, connection: Channel) {
        self.controlPlane = controlPlane
        self.pool = pool
        self.login = login
        self.connection = connection
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { [.password, .publicKey] }

    func requestReceived(request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        let user = request.username
        let access = controlPlane.router.configuration.control.access
        // Quiet mode may have begun since the connection was accepted (another connection's
        // failures): refused without looking at the credentials.
        if case .none = request.request {} else if controlPlane.logins.refusal(source: login.source) != nil {
            responsePromise.succeed(.failure)
            connection.close(promise: nil)
            return
        }
        switch request.request {
        case let .password(p):
            let logins = controlPlane.logins
            let password = p.password
            pool.runIfActive(eventLoop: connection.eventLoop) {
                logins.account(user, password: password, in: access)
            }.whenComplete { result in
                let account = try? result.get()
                self.finish(user: user, account: account ?? nil, delay: access.loginDelay, promise: responsePromise)
            }
        case let .publicKey(k):
            let account = controlPlane.logins.account(user, key: String(openSSHPublicKey: k.publicKey), in: access)
            finish(user: user, account: account, delay: access.loginDelay, promise: responsePromise)
        default:
            // `none` (a client asking which methods exist) and host-based: not a login attempt.
            responsePromise.succeed(.failure)
        }
    }

    /// On the event loop (both callers are).
    func finish(user: String, account: UserAccount?, delay: Int, promise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        let logins = controlPlane.logins
        if let account {
            login.account.withLock { $0 = account }
            logins.recordSuccess(user: user, source: login.source, localPort: login.localPort)
            promise.succeed(.success)
            return
        }
        failures += 1
        logins.recordFailure(user: user, source: login.source, localPort: login.localPort)
        let retries = controlPlane.router.configuration.control.access.sshRetries
        let last = failures >= max(retries, 1) || controlPlane.logins.quietSecondsLeft != nil
        let connection = self.connection
        connection.eventLoop.scheduleTask(in: .seconds(Int64(delay))) {
            promise.succeed(.failure)
            if last { connection.close(promise: nil) }
        }
    }
}
