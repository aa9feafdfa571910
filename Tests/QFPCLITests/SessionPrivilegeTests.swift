import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// User EXEC (`Router>`), `enable` with `enable secret`, `disable`, and `show login failures`:
/// what an SSH line's `CLISession` does.
@Suite("CLI session privilege levels")
struct SessionPrivilegeTests {
    static let configuration = DefaultConfiguration.text.replacingOccurrences(
        of: "\nend", with: "\nenable secret 0 top-secret\nusername ops secret 0 ops-pw\nend")

    @Test("user EXEC: '>' prompt, show commands run, privileged ones are refused at the right word")
    func userExec() throws {
        let r = try TestRouter(configuration: Self.configuration)
        let s = CLISession(controlPlane: r.controlPlane, interactive: false, privilege: 1, enableNeedsSecret: true)
        #expect(s.prompt == "qfp-asr1k>")
        let version = s.execute("show version")
        #expect(!version.failed && version.output.contains("Cisco IOS XE Software"))
        let conf = s.execute("configure terminal")
        #expect(conf.failed && conf.output == "          ^\n% Invalid input detected at '^' marker.\n\n" && !s.isConfiguring)
        let run = s.execute("show running-config")
        #expect(run.failed && run.output == "               ^\n% Invalid input detected at '^' marker.\n\n")
        #expect(s.execute("clear logging").failed && s.execute("debug crypto isakmp").failed)
        #expect(!s.execute("terminal length 0").failed && s.terminalLength == 0)
    }

    @Test("enable asks for the secret: wrong → % Bad secrets, right → '#'; disable goes back")
    func enable() throws {
        let r = try TestRouter(configuration: Self.configuration)
        let s = CLISession(controlPlane: r.controlPlane, interactive: false, privilege: 1, enableNeedsSecret: true)
        let ask = s.execute("enable")
        #expect(ask.passwordPrompt == "Password: " && ask.output == "" && !ask.failed)
        let wrong = s.execute("nope")
        #expect(wrong.failed && wrong.output == "% Bad secrets\n" && wrong.prompt == "qfp-asr1k>" && wrong.passwordPrompt == nil)
        #expect(s.execute("enable").passwordPrompt != nil)
        let right = s.enable(password: "top-secret")
        #expect(!right.failed && right.prompt == "qfp-asr1k#" && s.privilege == 15)
        #expect(!s.execute("configure terminal").failed && s.prompt == "qfp-asr1k(config)#")
        _ = s.execute("end")
        #expect(s.execute("disable").prompt == "qfp-asr1k>")
    }

    @Test("without an enable secret: a vty is refused, the console goes to level 15")
    func noSecret() throws {
        let r = try TestRouter()
        let vty = CLISession(controlPlane: r.controlPlane, interactive: false, privilege: 1, enableNeedsSecret: true)
        let refused = vty.execute("enable")
        #expect(refused.failed && refused.output == "% No password set\n" && vty.prompt == "qfp-asr1k>")
        let console = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(console.prompt == "qfp-asr1k#")
        _ = console.execute("disable")
        #expect(console.prompt == "qfp-asr1k>")
        #expect(console.execute("enable").passwordPrompt == nil && console.prompt == "qfp-asr1k#")
    }

    @Test("show login failures lists failed logins; audit lines reach the log")
    func loginFailures() throws {
        let r = try TestRouter(configuration: Self.configuration)
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(s.execute("show login failures").output == "*** No logged failed login attempts with the device. ***\n\n")
        let access = r.controlPlane.router.configuration.control.access
        #expect(r.controlPlane.logins.account("ops", password: "ops-pw", in: access)?.name == "ops")
        #expect(r.controlPlane.logins.account("ops", password: "ops-PW", in: access) == nil)
        #expect(r.controlPlane.logins.account("nobody", password: "ops-pw", in: access) == nil)
        r.controlPlane.logins.recordFailure(user: "ops", source: "127.0.0.1", localPort: 2222)
        r.controlPlane.logins.recordFailure(user: "ops", source: "127.0.0.1", localPort: 2222)
        r.controlPlane.logins.recordFailure(user: "root", source: "10.0.0.9", localPort: 2222)
        r.controlPlane.logins.recordSuccess(user: "ops", source: "127.0.0.1", localPort: 2222)
        let out = s.execute("show login failures").output
        #expect(out == """
            Total failed logins: 3
            Detailed information about last 50 failures

            Username        SourceIPAddr    lPort Count TimeStamp
            ops             127.0.0.1       2222  2     00:00:00 UTC Sat Mar 21 2026
            root            10.0.0.9        2222  1     00:00:00 UTC Sat Mar 21 2026


            """)
        // `sh log` is still `show logging`; `sh logi` is `show login`.
        #expect(s.execute("sh log").output == s.execute("show logging").output)
        #expect(s.execute("sh login fail").output == out)
        #expect(s.execute("sh logi fail").output == out && s.execute("sh logg").output == s.execute("show logging").output)
        let log = s.execute("show logging").output
        #expect(log.contains("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: root] [Source: 10.0.0.9] [localport: 2222] [Reason: Login Authentication Failed] at 00:00:00 UTC Sat Mar 21 2026"))
        #expect(log.contains("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ops] [Source: 127.0.0.1] [localport: 2222] at 00:00:00 UTC Sat Mar 21 2026"))
    }

    @Test("login block-for: 3 failures within 10 s start 30 s of quiet mode (QUIET_MODE_ON), the quiet-mode ACL is exempt, it ends on the clock (QUIET_MODE_OFF); show login says which")
    func quietMode() throws {
        let r = try TestRouter(configuration: Self.configuration.replacingOccurrences(of: "\nend", with: """

            access-list 10 permit host 10.9.9.9
            login block-for 30 attempts 3 within 10
            login quiet-mode access-class 10
            login on-failure log every 2
            end
            """))
        let logins = r.controlPlane.logins
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        func fail() { logins.recordFailure(user: "root", source: "192.0.2.66", localPort: 2222) }
        fail(); fail()
        #expect(s.execute("show login").output == """
                 A default login delay of 1 seconds is applied.
                 Quiet-Mode access list 10 is applied.
                 Every 2 failed login is logged.

                 Router enabled to watch for login Attacks.
                 If more than 3 login failures occur in 10 seconds or less,
                   logins will be disabled for 30 seconds.

                 Router presently in Normal-Mode.
                 Current Watch Window remaining time 10 seconds.
                 Present login failure count 2.


            """)
        // The window slides: two failures 11 s ago no longer count.
        r.advance(seconds: 11)
        fail()
        #expect(logins.quietSecondsLeft == nil && logins.watchStatus.failuresInWindow == 1)
        r.advance(seconds: 4)
        fail()
        #expect(logins.refusal(source: "192.0.2.66") == nil)
        fail()
        #expect(logins.quietSecondsLeft == 30)
        #expect(logins.refusal(source: "192.0.2.66") != nil && logins.refusal(source: "10.9.9.10") != nil)
        #expect(logins.refusal(source: "10.9.9.9") == nil, "permitted by the quiet-mode access class")
        var log = s.execute("show logging").output
        #expect(log.contains("%SEC_LOGIN-1-QUIET_MODE_ON: Still timeLeft for watching failures is 6 secs, [user: root] [Source: 192.0.2.66] [localport: 2222] [Reason: Login Authentication Failed] [ACL: 10] at 00:00:15 UTC Sat Mar 21 2026"), "\(log)")
        // `every 2`: failures 2 and 4 were logged, 1, 3 and 5 not.
        #expect(log.components(separatedBy: "%SEC_LOGIN-4-LOGIN_FAILED").count - 1 == 2)
        #expect(s.execute("show login").output.hasSuffix("""
                 Router presently in Quiet-Mode.
                 Will remain in Quiet-Mode for 30 seconds.
                 Restricted logins filtered by applied ACL 10.


            """))
        r.advance(seconds: 29)
        r.controlPlane.tick()
        #expect(logins.quietSecondsLeft == 1 && !s.execute("show logging").output.contains("QUIET_MODE_OFF"))
        r.advance(seconds: 1)
        r.controlPlane.tick()
        log = s.execute("show logging").output
        #expect(log.contains("%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed out at 00:00:45 UTC Sat Mar 21 2026"))
        #expect(logins.quietSecondsLeft == nil && logins.refusal(source: "192.0.2.66") == nil)
        #expect(s.execute("show login").output.contains("Router presently in Normal-Mode.\n     Current Watch Window remaining time 10 seconds.\n     Present login failure count 0.\n"))
        // Without block-for: not watching.
        _ = s.execute("configure terminal"); _ = s.execute("no login block-for"); _ = s.execute("end")
        #expect(s.execute("show login").output.hasSuffix("\n     Router NOT enabled to watch for login Attacks\n\n"))
    }

    @Test("a configuration change from a vty is logged with the user and address")
    func configAudit() throws {
        let r = try TestRouter(configuration: Self.configuration)
        let s = CLISession(controlPlane: r.controlPlane, origin: "console by ops on vty0 (127.0.0.1)", interactive: false)
        _ = s.execute("configure terminal")
        _ = s.execute("hostname Edge1")
        _ = s.execute("end")
        #expect(s.prompt == "Edge1#")
        #expect(s.execute("show logging").output.contains("%SYS-5-CONFIG_I: Configured from console by ops on vty0 (127.0.0.1)"))
    }
}
