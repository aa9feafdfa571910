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
}
