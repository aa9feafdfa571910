import Foundation
@testable import QFPControl
import QFPDataplane
import Testing

/// An `ssh-ed25519` public key in authorized_keys form (a made-up 32-byte key: the
/// configuration checks the encoding, the SSH server the signatures).
func ed25519KeyLine(seed: UInt8) -> String {
    var blob = Data([0, 0, 0, 11]) + Data("ssh-ed25519".utf8) + Data([0, 0, 0, 32])
    blob += Data((0..<32).map { seed &+ UInt8($0) })
    return "ssh-ed25519 " + blob.base64EncodedString()
}

@Suite("Accounts, enable secret, SSH listener (configuration)")
struct AccessConfigurationTests {
    func load(_ text: String) throws -> RouterConfiguration {
        switch ConfigurationLanguage.shared.load(text, source: "test.cfg") {
        case let .success(l): return l.configuration
        case let .failure(f): throw f
        }
    }

    func loadError(_ text: String) -> String? {
        if case let .failure(f) = ConfigurationLanguage.shared.load(text, source: "test.cfg") { return f.description }
        return nil
    }

    @Test("IOS type 9: hashcat's published example verifies; our hashes verify their password only")
    func type9() throws {
        // hashcat mode 9300 example hash, password "hashcat".
        let known = "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6"
        #expect(IOSSecret.verify("hashcat", against: known))
        #expect(!IOSSecret.verify("hashcaT", against: known))
        #expect(try IOSSecret.hash("hashcat", salt: "2MJBozw/9R3UsU") == known)
        let mine = try IOSSecret.hash("s3cret pass")
        let again = try IOSSecret.hash("s3cret pass")
        #expect(IOSSecret.isType9(mine) && mine != again)
        #expect(IOSSecret.verify("s3cret pass", against: mine))
        #expect(!IOSSecret.verify("s3cret", against: mine))
        #expect(!IOSSecret.isType9("$9$short$abc") && !IOSSecret.isType9("$8$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6"))
        #expect(throws: IOSSecret.SecretError.empty) { try IOSSecret.hash("") }
    }

    @Test("secret 0 is hashed on entry and shown as type 9; the running configuration loads back equal")
    func usernameRoundTrip() throws {
        let key = ed25519KeyLine(seed: 7)
        let c = try load("""
            hostname R1
            enable secret 0 en-able
            username admin privilege 15 secret 0 Adm1n!
            username ops secret plain-word
            username robot ssh-key \(key) robot@ci
            ip ssh listen 127.0.0.1 port 2200
            login delay 3
            """)
        let access = c.control.access
        let admin = try #require(access.users["admin"])
        #expect(admin.privilege == 15 && IOSSecret.verify("Adm1n!", against: admin.secret ?? ""))
        #expect(access.users["ops"]?.privilege == 1 && IOSSecret.verify("plain-word", against: access.users["ops"]?.secret ?? ""))
        #expect(access.users["robot"]?.sshKeys == [key] && access.users["robot"]?.secret == nil)
        #expect(IOSSecret.verify("en-able", against: access.enableSecret ?? ""))
        #expect(access.sshListen == SSHListen(address: IPAddress("127.0.0.1")!, port: 2200) && access.loginDelay == 3)

        let text = RunningConfiguration.body(c)
        for plain in ["Adm1n!", "plain-word", "en-able", "robot@ci"] { #expect(!text.contains(plain)) }
        #expect(text.contains("enable secret 9 \(access.enableSecret!)\n!\n"))
        #expect(text.contains("username admin privilege 15 secret 9 \(admin.secret!)\n"))
        #expect(text.contains("username ops secret 9 $9$"))
        #expect(text.contains("username robot ssh-key \(key)\n!\n"))
        #expect(text.contains("ip ssh listen 127.0.0.1 port 2200\nlogin delay 3\n!\n"))
        let again = try load(text)
        #expect(again == c)
        #expect(RunningConfiguration.body(again) == text)
    }

    @Test("no username, no enable secret, no ip ssh listen, no login delay")
    func negation() throws {
        let c = try load("""
            username a secret 0 x
            username b secret 0 y
            no username a
            enable secret 0 z
            no enable secret
            ip ssh listen ::1
            no ip ssh listen
            login delay 5
            no login delay
            """)
        #expect(Array(c.control.access.users.keys) == ["b"] && c.control.access.enableSecret == nil)
        #expect(c.control.access.sshListen == nil && c.control.access.loginDelay == AccessConfiguration.defaultLoginDelay)
        let v6 = try load("ip ssh listen ::1")
        #expect(v6.control.access.sshListen == SSHListen(address: IPAddress("::1")!, port: SSHListen.defaultPort))
    }

    @Test("reversible passwords, other secret types, bad type 9 text and bad keys are refused with a reason")
    func refusals() {
        #expect(loadError("username admin password 0 cisco")?.contains("reversible") == true)
        #expect(loadError("username admin privilege 15 password cisco")?.contains("reversible") == true)
        #expect(loadError("enable secret 5 $1$abcd$efgh")?.contains("secret type 5 is not supported") == true)
        #expect(loadError("username x secret 8 $8$abc")?.contains("secret type 8 is not supported") == true)
        #expect(loadError("username x secret 9 $9$tooshort$xyz")?.contains("is not a type 9 secret") == true)
        #expect(loadError("username x ssh-key ssh-rsa AAAAB3NzaC1yc2E=")?.contains("TYPE one of ssh-ed25519") == true)
        #expect(loadError("username x ssh-key ssh-ed25519 !!!notbase64")?.contains("is not base64") == true)
        // A P-256 blob offered as ed25519.
        let p256 = Data([0, 0, 0, 19]) + Data("ecdsa-sha2-nistp256".utf8)
        #expect(loadError("username x ssh-key ssh-ed25519 \(p256.base64EncodedString())")?.contains("not a ssh-ed25519 key") == true)
        #expect(loadError("login delay 11") != nil)
    }

    @Test("login enhancements, ip ssh settings, standard ACLs and line blocks parse, take effect and round-trip through show running-config")
    func loginAndLines() throws {
        let c = try load("""
            access-list 10 permit 192.0.2.0 0.0.0.255
            access-list 10 deny any
            access-list 11 permit 10.9.9.9 log
            login block-for 120 attempts 3 within 60
            login quiet-mode access-class 10
            login on-failure log
            login on-success log every 5
            ip ssh version 2
            ip ssh time-out 60
            ip ssh authentication-retries 2
            line vty 5 15
             transport input none
            line vty 0 4
             access-class 10 in
             exec-timeout 5 30
             privilege level 15
             logging synchronous
             login local
             transport input ssh telnet
            line con 0
             exec-timeout 0 0
             stopbits 1
            """)
        let a = c.control.access
        #expect(a.block == LoginBlock(seconds: 120, attempts: 3, within: 60))
        #expect(a.quietModeAccessClass == "10" && a.logFailuresEvery == 1 && a.logSuccessesEvery == 5)
        #expect(a.sshVersion == 2 && a.sshTimeout == 60 && a.sshRetries == 2)
        #expect(a.vty(0).acceptsSSH && a.vty(4).idleSeconds == 330 && a.vty(4).accessClass == "10")
        #expect(!a.vty(5).acceptsSSH && a.vty(15).idleSeconds == 600, "vty 5-15: transport input none, the default 10 minutes")
        #expect(a.vty(16).acceptsSSH, "a vty no block covers: IOS defaults")
        let list = try #require(c.accessLists["10"])
        #expect(list.isStandard && list.permits(source: IPAddress("192.0.2.77")!) && !list.permits(source: IPAddress("192.0.3.1")!))
        #expect(c.accessLists["11"]?.permits(source: IPAddress("10.9.9.9")!) == true && c.accessLists["11"]?.permits(source: IPAddress("10.9.9.8")!) == false)

        let text = RunningConfiguration.body(c)
        #expect(text.contains("""
            login block-for 120 attempts 3 within 60
            login quiet-mode access-class 10
            login on-failure log
            login on-success log every 5
            ip ssh time-out 60
            ip ssh authentication-retries 2
            ip ssh version 2
            !
            """))
        #expect(text.contains("access-list 10 permit 192.0.2.0 0.0.0.255\naccess-list 10 deny any\naccess-list 11 permit 10.9.9.9\n"))
        #expect(text.hasSuffix("""
            line con 0
             exec-timeout 0 0
             stopbits 1
            line vty 0 4
             access-class 10 in
             exec-timeout 5 30
             privilege level 15
             logging synchronous
             login local
             transport input ssh telnet
            line vty 5 15
             transport input none
            !
            end

            """))
        #expect(try load(text) == c, "show running-config loads back to the same configuration")

        // Negations restore the defaults.
        let undone = try load(text.replacingOccurrences(of: "\nend\n", with: """

            no login block-for
            no login quiet-mode access-class
            no login on-failure log
            no ip ssh time-out
            no ip ssh authentication-retries
            line vty 0 4
             no exec-timeout
             no transport input
            end

            """))
        #expect(undone.control.access.block == nil && undone.control.access.quietModeAccessClass == nil)
        #expect(undone.control.access.logFailuresEvery == nil && undone.control.access.sshTimeout == 120 && undone.control.access.sshRetries == 3)
        #expect(undone.control.access.vty(0).idleSeconds == 600 && undone.control.access.vty(0).transportInput == nil)
    }

    @Test("line and login mistakes are refused, naming what is wrong")
    func lineErrors() {
        #expect(loadError("ip ssh version 1")?.contains("version 2 only") == true)
        #expect(loadError("line vty 0 4\n transport input foo") != nil)
        #expect(loadError("line vty 0 4\n transport input all ssh")?.contains("stand alone") == true)
        #expect(loadError("line vty 0 4\n password cisco")?.contains("login local") == true)
        #expect(loadError("line con 1")?.contains("line con 0") == true)
        #expect(loadError("line vty 4 0") != nil)
        #expect(loadError("login block-for 0 attempts 3 within 60") != nil)
        #expect(loadError("access-list 10 permit 192.0.2.1 0.0.0.255") != nil, "address bits under the wildcard")
        #expect(loadError("ip ssh authentication-retries 6") != nil && loadError("ip ssh time-out 121") != nil)
    }
}
