import QFPControl

/// `show login`: the login-attack watch (`login block-for`), the delay, the quiet-mode access
/// list and what is logged, in the IOS layout (five-space indent, sentences).
enum ShowLogin {
    static func render(_ access: AccessConfiguration, _ status: LoginLog.WatchStatus) -> String {
        let i = "     "
        var out = ""
        if access.loginDelay == AccessConfiguration.defaultLoginDelay {
            out += "\(i)A default login delay of \(access.loginDelay) seconds is applied.\n"
        } else {
            out += "\(i)A login delay of \(access.loginDelay) seconds is applied.\n"
        }
        if let acl = access.quietModeAccessClass {
            out += "\(i)Quiet-Mode access list \(acl) is applied.\n"
        } else {
            out += "\(i)No Quiet-Mode access list has been configured.\n"
        }
        if let n = access.logSuccessesEvery { out += "\(i)\(n == 1 ? "All" : "Every \(n)") successful login is logged.\n" }
        if let n = access.logFailuresEvery { out += "\(i)\(n == 1 ? "All" : "Every \(n)") failed login is logged.\n" }
        out += "\n"
        guard let block = status.block else {
            return out + "\(i)Router NOT enabled to watch for login Attacks\n\n"
        }
        out += "\(i)Router enabled to watch for login Attacks.\n"
        out += "\(i)If more than \(block.attempts) login failures occur in \(block.within) seconds or less,\n"
        out += "\(i)  logins will be disabled for \(block.seconds) seconds.\n\n"
        if let left = status.quietSecondsLeft {
            out += "\(i)Router presently in Quiet-Mode.\n"
            out += "\(i)Will remain in Quiet-Mode for \(left) seconds.\n"
            if let acl = access.quietModeAccessClass {
                out += "\(i)Restricted logins filtered by applied ACL \(acl).\n"
            } else {
                out += "\(i)Denying logins from all sources.\n"
            }
        } else {
            out += "\(i)Router presently in Normal-Mode.\n"
            out += "\(i)Current Watch Window remaining time \(status.windowSecondsLeft ?? block.within) seconds.\n"
            out += "\(i)Present login failure count \(status.failuresInWindow).\n"
        }
        return out + "\n"
    }

    /// `| json`.
    struct JSON: Encodable, Sendable {
        var loginDelay: Int
        var quietModeAccessClass: String?
        var watching: Bool
        var blockSeconds: Int?
        var attempts: Int?
        var within: Int?
        var quietMode: Bool
        var quietSecondsLeft: Int?
        var windowSecondsLeft: Int?
        var failuresInWindow: Int

        init(_ access: AccessConfiguration, _ status: LoginLog.WatchStatus) {
            loginDelay = access.loginDelay
            quietModeAccessClass = access.quietModeAccessClass
            watching = status.block != nil
            blockSeconds = status.block?.seconds
            attempts = status.block?.attempts
            within = status.block?.within
            quietMode = status.quietSecondsLeft != nil
            quietSecondsLeft = status.quietSecondsLeft
            windowSecondsLeft = status.windowSecondsLeft
            failuresInWindow = status.failuresInWindow
        }
    }
}
