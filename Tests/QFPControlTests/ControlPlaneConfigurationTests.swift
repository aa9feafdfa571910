import QFPControl
import QFPDataplane
import Testing

/// A configuration using every control-plane line qfp models (IKE, EzVPN, timestamps, logging,
/// EEM), written with some of the freedom IOS allows (abbreviations, option order).
let controlPlaneSample = """
    service timestamps debug datetime msec localtime show-timezone
    service timestamps log uptime
    hostname hub
    logging buffered 65536 informational
    logging host 10.0.0.5
    logging 10.0.0.6
    logging host 10.0.0.7 transport udp port 1514
    logging trap warnings
    !
    crypto isakmp policy 10
     encr aes 256
     hash sha256
     authentication pre-share
     group 14
     lifetime 3600
    crypto isakmp policy 20
     encryption 3des
     hash md5
     authentication rsa-sig
     group 2
    crypto isakmp key cisco123 address 203.0.113.5
    crypto isakmp key 0 wildcard address 0.0.0.0 0.0.0.0 no-xauth
    crypto isakmp key 6 ENCRYPTED address 198.51.100.0 255.255.255.0
    crypto isakmp invalid-spi-recovery
    crypto isakmp keepalive 10 3 periodic
    !
    crypto ikev2 proposal PROP
     encryption aes-cbc-256 aes-cbc-128
     integrity sha256
     prf sha256
     group 14 19
    crypto ikev2 policy POL
     proposal PROP
     match address local 192.0.2.1
    crypto ikev2 keyring KR
     peer SITE-A
      address 203.0.113.5
      pre-shared-key s3cret
     peer ANY
      address 0.0.0.0 0.0.0.0
      pre-shared-key 6 ENCRYPTED
    crypto ikev2 profile IKE-PROF
     match identity remote address 203.0.113.5 255.255.255.255
     match identity remote address 198.51.100.0 255.255.255.0
     identity local address 192.0.2.1
     authentication remote pre-share
     authentication local pre-share
     keyring local KR
     lifetime 7200
     dpd 10 3 on-demand
    !
    crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
    crypto ipsec profile VTI
     set transform-set TS
     set ikev2-profile IKE-PROF
    !
    crypto ipsec client ezvpn EZ
     connect manual
     group REMOTES key groupkey
     mode network-extension
     peer 203.0.113.9
     peer 203.0.113.10
     xauth userid mode interactive
    !
    interface GigabitEthernet1
     ip address 192.0.2.1 255.255.255.0
     crypto ipsec client ezvpn EZ
    interface GigabitEthernet2
     ip address 10.1.0.1 255.255.0.0
     crypto ipsec client ezvpn EZ inside
    !
    event manager applet SPI-WATCH authorization bypass
     event syslog occurs 2 pattern "%CRYPTO-4-RECVD_PKT_INV_SPI: .* \\| spi" period 60 ratelimit 30 maxrun 45
     action 1.0 cli command "enable"
     action 2.0 cli command "show crypto session | include $_syslog_msg" pattern "#"
     action 3.0 syslog priority warnings msg "saw: $_syslog_msg"
     action 4.0 regexp "spi (0x[0-9A-F]+)" "$_syslog_msg" match spi
     action 5.0 puts "  two spaces kept  "
     action 6.0 set count "1"
     action 1.5 syslog msg plain
    event manager applet BOOT
     event timer countdown time 30 maxrun 60.5
     action 1 puts "booted"
    event manager applet MANUAL
     event none
     action a set x y
    event manager applet DOG
     event timer watchdog time 300
    end
    """

@Suite("IOS configuration: IKE, EzVPN, logging, timestamps and EEM")
struct ControlPlaneConfigurationTests {
    let language = ConfigurationLanguage.shared

    func load(_ text: String) throws -> ConfigurationLanguage.Loaded {
        switch language.load(text, source: "test.cfg") {
        case let .success(l): return l
        case let .failure(f): throw f
        }
    }

    /// The IOS error text for invalid input at `column` (no prefix).
    func caret(_ column: Int) -> ConfigurationLanguage.LineResult {
        .failed(String(repeating: " ", count: column) + "^\n% Invalid input detected at '^' marker.\n\n")
    }

    @Test("every control-plane line loads into the model")
    func loadsEverything() throws {
        let loaded = try load(controlPlaneSample)
        #expect(loaded.notes.isEmpty)
        let c = loaded.configuration.control
        #expect(c.timestampsDebug == ServiceTimestamps(kind: .datetime, msec: true, localtime: true, showTimezone: true))
        #expect(c.timestampsLog == ServiceTimestamps(kind: .uptime, msec: false))
        #expect(c.logging.bufferedSize == 65536 && c.logging.bufferedLevel == .informational && !c.logging.bufferedDisabled)
        #expect(c.logging.hosts == [LoggingHost(address: IPAddress("10.0.0.5")!), LoggingHost(address: IPAddress("10.0.0.6")!),
                                    LoggingHost(address: IPAddress("10.0.0.7")!, port: 1514)])
        #expect(c.logging.trapLevel == .warnings)

        let p10 = try #require(c.isakmpPolicies[10])
        #expect(p10.encryption == "aes 256" && p10.hash == "sha256" && p10.authentication == "pre-share" && p10.group == 14 && p10.lifetime == 3600)
        #expect(c.isakmpPolicies[20]?.encryption == "3des" && c.isakmpPolicies[20]?.lifetime == nil)
        #expect(c.isakmpKeys.count == 3)
        #expect(c.isakmpKeys[0] == ISAKMPKey(key: "cisco123", address: IPAddress("203.0.113.5")!))
        #expect(c.isakmpKeys[1] == ISAKMPKey(key: "wildcard", address: IPAddress("0.0.0.0")!, mask: IPAddress("0.0.0.0")!, noXauth: true))
        #expect(c.isakmpKeys[2].encrypted && c.isakmpKeys[2].mask == IPAddress("255.255.255.0"))
        #expect(c.invalidSPIRecovery)
        #expect(c.keepalive == DPDSettings(seconds: 10, retry: 3, mode: .periodic))

        let proposal = try #require(c.ikev2Proposals["PROP"])
        #expect(proposal.encryption == ["aes-cbc-256", "aes-cbc-128"] && proposal.integrity == ["sha256"] && proposal.prf == ["sha256"])
        #expect(proposal.groups == [14, 19])
        #expect(c.ikev2Policies["POL"]?.proposals == ["PROP"] && c.ikev2Policies["POL"]?.matchLocalAddresses == [IPAddress("192.0.2.1")!])
        let keyring = try #require(c.ikev2Keyrings["KR"])
        #expect(keyring.peers.map(\.name) == ["SITE-A", "ANY"])
        #expect(keyring.peers[0].address == IPPrefix("203.0.113.5/32") && keyring.peers[0].preSharedKey == "s3cret")
        #expect(keyring.peers[1].address == IPPrefix("0.0.0.0/0") && keyring.peers[1].preSharedKeyEncrypted)
        let profile = try #require(c.ikev2Profiles["IKE-PROF"])
        #expect(profile.matchRemoteAddresses == [IPPrefix("203.0.113.5/32")!, IPPrefix("198.51.100.0/24")!])
        #expect(profile.localIdentity == IPAddress("192.0.2.1") && profile.authenticationRemote == "pre-share" && profile.authenticationLocal == "pre-share")
        #expect(profile.keyring == "KR" && profile.lifetime == 7200 && profile.dpd == DPDSettings(seconds: 10, retry: 3))
        #expect(loaded.configuration.ipsecProfiles["VTI"]?.ikev2Profile == "IKE-PROF")

        let ez = try #require(c.ezvpnClients["EZ"])
        #expect(ez.connect == .manual && ez.group == "REMOTES" && ez.groupKey == "groupkey" && ez.mode == .networkExtension)
        #expect(ez.peers == [IPAddress("203.0.113.9")!, IPAddress("203.0.113.10")!] && ez.xauthUserIDMode == "interactive")
        #expect(loaded.configuration.interfaces["GigabitEthernet1"]?.ezvpnName == "EZ" && loaded.configuration.interfaces["GigabitEthernet1"]?.ezvpnInside == false)
        #expect(loaded.configuration.interfaces["GigabitEthernet2"]?.ezvpnInside == true)

        let watch = try #require(c.applets["SPI-WATCH"])
        #expect(watch.authorizationBypass)
        #expect(watch.event == .syslog(pattern: "%CRYPTO-4-RECVD_PKT_INV_SPI: .* \\| spi", occurs: 2, period: 60, ratelimit: 30))
        #expect(watch.maxrun == 45)
        #expect(watch.orderedActions.map(\.label) == ["1.0", "1.5", "2.0", "3.0", "4.0", "5.0", "6.0"])
        #expect(watch.orderedActions.map(\.action) == [
            .cliCommand("enable", pattern: nil),
            .syslogMessage("plain", priority: nil),
            .cliCommand("show crypto session | include $_syslog_msg", pattern: "#"),
            .syslogMessage("saw: $_syslog_msg", priority: "warnings"),
            .regexp(pattern: "spi (0x[0-9A-F]+)", input: "$_syslog_msg", variables: ["match", "spi"]),
            .puts("  two spaces kept  "),
            .set(variable: "count", value: "1"),
        ])
        #expect(c.applets["BOOT"]?.event == .countdown(seconds: 30) && c.applets["BOOT"]?.maxrun == 60.5)
        #expect(c.applets["MANUAL"]?.event == EventManagerApplet.Event.none && c.applets["MANUAL"]?.actions.first?.action == .set(variable: "x", value: "y"))
        #expect(c.applets["DOG"]?.event == .watchdog(seconds: 300) && c.applets["DOG"]?.maxrun == nil)
    }

    @Test("show running-config prints the control-plane lines in IOS style and loads back equal")
    func roundTrip() throws {
        let c = try load(sampleConfiguration.replacingEnd(with: controlPlaneSample)).configuration
        let text = RunningConfiguration.body(c)
        let again = try load(text).configuration
        #expect(again == c)
        #expect(RunningConfiguration.body(again) == text)
        #expect(text.hasPrefix("!\nservice timestamps debug datetime msec localtime show-timezone\nservice timestamps log uptime\n!\nhostname hub\n!\nlogging buffered 65536 informational\n!\n"))
        #expect(text.contains("crypto isakmp policy 10\n encr aes 256\n hash sha256\n authentication pre-share\n group 14\n lifetime 3600\n"))
        #expect(text.contains("crypto isakmp key cisco123 address 203.0.113.5\ncrypto isakmp key wildcard address 0.0.0.0 0.0.0.0 no-xauth\n"
                              + "crypto isakmp key 6 ENCRYPTED address 198.51.100.0 255.255.255.0\n"
                              + "crypto isakmp invalid-spi-recovery\ncrypto isakmp keepalive 10 3 periodic\n!\n"))
        #expect(text.contains("crypto ikev2 keyring KR\n peer SITE-A\n  address 203.0.113.5\n  pre-shared-key s3cret\n !\n"))
        #expect(text.contains(" dpd 10 3 on-demand\n"))
        #expect(text.contains(" set ikev2-profile IKE-PROF\n"))
        #expect(text.contains(" crypto ipsec client ezvpn EZ inside\n"))
        #expect(text.contains("logging trap warnings\nlogging host 10.0.0.5\nlogging host 10.0.0.6\nlogging host 10.0.0.7 transport udp port 1514\n"))
        #expect(text.contains(" action 1.0 cli command \"enable\"\n action 1.5 syslog msg \"plain\"\n"))
        #expect(text.contains(" event syslog occurs 2 period 60 pattern \"%CRYPTO-4-RECVD_PKT_INV_SPI: .* \\| spi\" maxrun 45 ratelimit 30\n"))
        #expect(text.contains(" event timer countdown time 30 maxrun 60.5\n"))
        #expect(text.hasSuffix("event manager applet SPI-WATCH authorization bypass\n" + """
             event syslog occurs 2 period 60 pattern "%CRYPTO-4-RECVD_PKT_INV_SPI: .* \\| spi" maxrun 45 ratelimit 30
             action 1.0 cli command "enable"
             action 1.5 syslog msg "plain"
             action 2.0 cli command "show crypto session | include $_syslog_msg" pattern "#"
             action 3.0 syslog priority warnings msg "saw: $_syslog_msg"
             action 4.0 regexp "spi (0x[0-9A-F]+)" "$_syslog_msg" match spi
             action 5.0 puts "  two spaces kept  "
             action 6.0 set count "1"
            !
            end

            """))
    }

    @Test("the IOS defaults print both service timestamps lines, and no forms print and load back")
    func defaultsAndNoForms() throws {
        let text = RunningConfiguration.body(RouterConfiguration())
        #expect(text.hasPrefix("!\nservice timestamps debug datetime msec\nservice timestamps log datetime msec\n!\nhostname Router\n!\n"))
        let c = try load("no service timestamps log\nno logging buffered\nlogging buffered 7\n").configuration
        #expect(c.control.timestampsLog.enabled == false && c.control.logging.bufferedLevel == .debugging)
        #expect(c.control.logging.bufferedSize == LoggingConfiguration.defaultBufferedSize)
        let off = try load("no service timestamps debug\nno logging buffered\n").configuration
        let offText = RunningConfiguration.body(off)
        #expect(offText.contains("no service timestamps debug\nservice timestamps log datetime msec\n"))
        #expect(offText.contains("no logging buffered\n"))
        #expect(try load(offText).configuration == off)
    }

    @Test("configure terminal: sub-mode prompts, keyring peers, exit, no forms")
    func interactive() throws {
        var e = ConfigEditor(RouterConfiguration())
        #expect(language.execute("crypto isakmp policy 10", in: &e) == .applied && e.mode.promptName == "config-isakmp")
        #expect(language.execute("group 5", in: &e) == .applied)
        #expect(language.execute("no group", in: &e) == .applied && e.configuration.control.isakmpPolicies[10]?.group == nil)
        #expect(language.execute("crypto ikev2 keyring KR", in: &e) == .applied && e.mode.promptName == "config-ikev2-keyring")
        #expect(language.execute("peer A", in: &e) == .applied && e.mode.promptName == "config-ikev2-keyring-peer")
        #expect(language.execute("address 10.0.0.1", in: &e) == .applied)
        // Another peer from the peer sub-mode: the keyring's command, as on IOS.
        #expect(language.execute("peer B", in: &e) == .applied && e.mode == .ikev2KeyringPeer(keyring: "KR", peer: "B"))
        #expect(language.execute("exit", in: &e) == .applied && e.mode == .ikev2Keyring("KR"))
        #expect(e.configuration.control.ikev2Keyrings["KR"]?.peers.map(\.name) == ["A", "B"])
        #expect(language.execute("crypto ikev2 profile P", in: &e) == .applied && e.mode.promptName == "config-ikev2-profile")
        #expect(language.execute("crypto ikev2 proposal P", in: &e) == .applied && e.mode.promptName == "config-ikev2-proposal")
        #expect(language.execute("crypto ikev2 policy P", in: &e) == .applied && e.mode.promptName == "config-ikev2-policy")
        #expect(language.execute("crypto ipsec client ezvpn EZ", in: &e) == .applied && e.mode.promptName == "crypto-ezvpn")
        #expect(language.execute("event manager applet A", in: &e) == .applied && e.mode.promptName == "config-applet")
        #expect(language.execute("action 1 puts hi", in: &e) == .applied)
        #expect(language.execute("no action 1", in: &e) == .applied && e.configuration.control.applets["A"]?.actions.isEmpty == true)
        #expect(language.execute("cry isa keep 20", in: &e) == .applied && e.configuration.control.keepalive == DPDSettings(seconds: 20))
        #expect(language.execute("no crypto isakmp keepalive", in: &e) == .applied && e.configuration.control.keepalive == nil)
        #expect(language.execute("no event manager applet A", in: &e) == .applied && e.configuration.control.applets.isEmpty)
        #expect(e.notes.isEmpty)
    }

    @Test("mistakes in modelled lines are errors with the caret, not notes")
    func errors() {
        var e = ConfigEditor(RouterConfiguration())
        // Out of range keepalive: the caret under the number.
        #expect(language.execute("crypto isakmp keepalive 5", in: &e) == caret(24))
        #expect(language.execute("crypto isakmp keepalive 10 61", in: &e) == caret(27))
        #expect(language.execute("crypto isakmp policy 10", in: &e) == .applied)
        // Group 3 is in <1-24> but not a group IOS accepts.
        #expect(language.execute("group 3", in: &e) == caret(6))
        #expect(language.execute("hash sha1", in: &e) == caret(5))
        #expect(language.execute("lifetime 59", in: &e) == caret(9))
        #expect(language.execute("crypto ikev2 proposal P", in: &e) == .applied)
        #expect(language.execute("encryption aes-cbc-256 aes-cbc-512", in: &e) == caret(23))
        #expect(language.execute("logging buffered 100", in: &e) == caret(17))
        #expect(language.execute("service timestamps log datetime msec bogus", in: &e) == caret(37))
        #expect(e.notes.isEmpty)

        #expect(language.execute("event manager applet A", in: &e) == .applied)
        // Unterminated quote: the caret under the opening quote.
        #expect(language.execute("action 1.0 cli command \"enable", in: &e) == caret(23))
        #expect(language.execute("action 1.0 puts \"x\"y", in: &e) == caret(19))
        #expect(language.execute("action 1.0 launch", in: &e) == caret(11))
        #expect(language.execute("action 1.0 syslog priority loud msg \"x\"", in: &e) == caret(27))
        #expect(language.execute("event syslog occurs 2", in: &e) == .failed("% Incomplete command.\n\n"))
        #expect(language.execute("event syslog pattern \"a\" pattern \"b\"", in: &e) == caret(25))
        #expect(language.execute("event timer countdown time 10 extra", in: &e) == caret(30))
        #expect(e.configuration.control.applets["A"]?.actions.isEmpty == true && e.configuration.control.applets["A"]?.event == nil)

        // An action outside an applet is not a global command.
        var g = ConfigEditor(RouterConfiguration())
        #expect(language.execute("action 1.0 puts \"x\"", in: &g) == caret(0))
        #expect(g.notes.isEmpty)
    }

    @Test("a file with a bad control-plane line fails with its line number")
    func fileErrors() {
        let text = "crypto isakmp keepalive 5\nevent manager applet A\n action 1.0 cli command \"enable\n"
        guard case let .failure(failure) = language.load(text, source: "bad.cfg") else { Issue.record("loaded"); return }
        #expect(failure.errors.map(\.line) == [1, 3])
        #expect(failure.errors[1].description == """
            bad.cfg:3:  action 1.0 cli command "enable
                                               ^
            % Invalid input detected at '^' marker.


            """)
    }

    @Test("unmodelled forms of modelled families are still noted and their blocks skipped")
    func unmodelled() throws {
        let loaded = try load("""
            service password-encryption
            crypto isakmp profile ISA
             match identity address 1.1.1.1 255.255.255.255
             keyring default
            crypto isakmp nat keepalive 20
            crypto ikev2 dpd 10 2 on-demand
            logging console informational
            no logging console
            event manager environment q "x"
            crypto isakmp keepalive 30
            """)
        #expect(loaded.notes == [
            "test.cfg:1: % qfp: 'service password-encryption' is IOS configuration that qfp does not model; ignored",
            "test.cfg:2: % qfp: 'crypto isakmp profile ISA' is IOS configuration that qfp does not model; ignored",
            "test.cfg:5: % qfp: 'crypto isakmp nat keepalive 20' is IOS configuration that qfp does not model; ignored",
            "test.cfg:6: % qfp: 'crypto ikev2 dpd 10 2 on-demand' is IOS configuration that qfp does not model; ignored",
            "test.cfg:7: % qfp: 'logging console informational' is IOS configuration that qfp does not model; ignored",
            "test.cfg:8: % qfp: 'no logging console' is IOS configuration that qfp does not model; ignored",
            "test.cfg:9: % qfp: 'event manager environment q \"x\"' is IOS configuration that qfp does not model; ignored",
        ])
        #expect(loaded.configuration.control.keepalive == DPDSettings(seconds: 30))
    }

    @Test("? lists the new keywords with their help")
    func help() {
        let text = language.help("crypto isakmp ", mode: .global)
        #expect(text.contains("  keepalive ") && text.contains("Set a keepalive interval for use with IOS peers"))
        #expect(language.help("hash ", mode: .isakmpPolicy(10)).contains("  sha256"))
        #expect(language.help("service ", mode: .global).contains("  timestamps  Timestamp debug/log messages\n"))
    }
}

extension String {
    /// This configuration text without its final `end`, followed by `other`.
    func replacingEnd(with other: String) -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.isEmpty || last == "end" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n" + other
    }
}
