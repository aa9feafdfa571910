import QFPControl
import QFPDataplane
import Testing

/// A configuration using every construct qfp models.
let sampleConfiguration = """
    hostname pe1-asr
    !
    crypto ipsec security-association lifetime seconds 7200
    crypto ipsec security-association replay window-size 256
    !
    crypto ipsec transform-set TS-NULL esp-null
     mode transport
    crypto ipsec transform-set TS-AES esp-aes 256 esp-sha256-hmac
     mode tunnel
    !
    crypto ipsec profile PROF
     set transform-set TS-AES
     set security-association lifetime kilobytes 102400
     set pfs group14
    !
    crypto dynamic-map DYN 10
     set transform-set TS-AES
    !
    crypto map VPN 10 ipsec-isakmp
     set peer 198.51.100.7
     set transform-set TS-AES
     match address 101
    crypto map VPN 20 ipsec-manual
     set peer 198.51.100.9
     set transform-set TS-NULL
     match address SITE-C
     set session-key inbound esp 4096 cipher 00
     set session-key outbound esp 8192 cipher 00
     set security-association replay disable
    crypto map VPN 65535 ipsec-isakmp dynamic DYN
    !
    interface GigabitEthernet1
     description uplink to the Internet
     ip address 192.0.2.1 255.255.255.0
     crypto map VPN
    !
    interface GigabitEthernet2
     ip address 10.1.0.1 255.255.0.0
     ipv6 address 2001:DB8:1::1/64
    !
    interface Tunnel10
     ip address 172.16.0.1 255.255.255.252
     tunnel source GigabitEthernet1
     tunnel mode ipsec ipv4
     tunnel destination 203.0.113.5
     tunnel protection ipsec profile PROF
    !
    interface Tunnel20
     ip address 172.17.0.1 255.255.255.0
     ip nhrp map 172.17.0.2 203.0.113.20
     ip nhrp network-id 20
     tunnel source 192.0.2.1
     tunnel mode gre multipoint
     tunnel protection ipsec profile PROF
    !
    ip route 10.5.0.0 255.255.0.0 Tunnel10
    !
    ip access-list extended SITE-C
     10 permit ip 10.1.0.0 0.0.255.255 10.3.0.0 0.0.255.255
    !
    access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
    access-list 101 deny udp any host 10.2.0.53 eq 53
    end
    """

@Suite("IOS configuration")
struct ConfigurationTests {
    let language = ConfigurationLanguage.shared

    func load(_ text: String) throws -> ConfigurationLanguage.Loaded {
        switch language.load(text, source: "test.cfg") {
        case let .success(l): return l
        case let .failure(f): throw f
        }
    }

    @Test("every modelled construct loads into the model")
    func loadsEverything() throws {
        let c = try load(sampleConfiguration).configuration
        #expect(c.hostname == "pe1-asr")
        #expect(c.lifetimeSeconds == 7200 && c.replayWindow == 256 && c.lifetimeKilobytes == 4_608_000)
        #expect(c.transformSets["TS-NULL"]?.mode == .transport && c.transformSets["TS-NULL"]?.espTransform == .null)
        #expect(c.transformSets["TS-AES"]?.transforms == ["esp-aes 256", "esp-sha256-hmac"])
        #expect(c.ipsecProfiles["PROF"]?.pfsGroup == "group14" && c.ipsecProfiles["PROF"]?.lifetimeKilobytes == 102400)
        let manual = try #require(c.cryptoMaps["VPN"]?[20])
        #expect(manual.kind == .manual && manual.inboundKeys == [SessionKey(spi: 4096, cipher: "00")] && manual.replay == .disabled)
        #expect(manual.outboundKey?.spi == 8192 && manual.matchAddress == "SITE-C")
        #expect(c.cryptoMaps["VPN"]?[65535]?.kind == .dynamic("DYN"))
        #expect(c.interfaces["GigabitEthernet1"]?.cryptoMap == "VPN")
        #expect(c.interfaces["GigabitEthernet2"]?.ipv6.first?.length == 64)
        let t10 = try #require(c.interfaces["Tunnel10"]?.tunnel)
        #expect(t10.mode == .ipsecIPv4 && t10.sourceInterface == "GigabitEthernet1" && t10.destination == IPAddress("203.0.113.5"))
        #expect(c.interfaces["Tunnel20"]?.tunnel.nhrpMaps.count == 1 && c.interfaces["Tunnel20"]?.tunnel.mode == .greMultipoint)
        #expect(c.staticRoutes.first?.interface == "Tunnel10")
        #expect(c.accessLists["101"]?.entries.count == 2)
        #expect(c.accessLists["101"]?.entries[1].destinationPorts == .eq(53))
        #expect(c.accessLists["SITE-C"]?.entries.first?.source == IPPrefix("10.1.0.0/16"))
    }

    @Test("show running-config loads back to the same configuration")
    func roundTrip() throws {
        let c = try load(sampleConfiguration).configuration
        let text = RunningConfiguration.body(c)
        let again = try load(text).configuration
        #expect(again == c)
        #expect(RunningConfiguration.body(again) == text)
        #expect(text.contains("crypto ipsec transform-set TS-AES esp-aes 256 esp-sha256-hmac \n mode tunnel\n"))
        #expect(text.contains("interface GigabitEthernet1\n description uplink to the Internet\n ip address 192.0.2.1 255.255.255.0\n crypto map VPN\n!"))
        #expect(text.contains("access-list 101 deny udp any host 10.2.0.53 eq 53\n"))
    }

    @Test("abbreviations work in configuration too")
    func abbreviations() throws {
        let c = try load("hostn r2\nint gi3\n ip add 10.9.9.1 255.255.255.0\ncry ipsec transform-set T esp-null\n mod trans\n").configuration
        #expect(c.hostname == "r2" && c.interfaces["GigabitEthernet3"]?.ipv4?.address == IPAddress("10.9.9.1"))
        #expect(c.transformSets["T"]?.mode == .transport)
    }

    @Test("a file with errors reports each with its line and caret, and applies nothing")
    func errors() {
        let text = "hostname ok\ninterface GigabitEthernet1\n ip adress 1.1.1.1 255.0.0.0\ncrypto map X 10 ipsec-isakmp\n set peer 1.1.1.300\n"
        guard case let .failure(failure) = language.load(text, source: "bad.cfg") else { Issue.record("loaded"); return }
        #expect(failure.errors.map(\.line) == [3, 5])
        #expect(failure.errors[0].description == """
            bad.cfg:3:  ip adress 1.1.1.1 255.0.0.0
                           ^
            % Invalid input detected at '^' marker.


            """)
        #expect(failure.errors[1].description.contains("bad.cfg:5:  set peer 1.1.1.300\n"))
    }

    @Test("valid IOS that qfp does not model is reported with its line, with its sub-lines")
    func unsupported() throws {
        let loaded = try load("hostname r\nrouter ospf 1\n network 10.0.0.0 0.255.255.255 area 0\nntp server 1.1.1.1\ninterface gi1\n shutdown\n")
        #expect(loaded.notes.count == 2)
        #expect(loaded.notes[0] == "test.cfg:2: % qfp: 'router ospf 1' is IOS configuration that qfp does not model; ignored")
        #expect(loaded.configuration.interfaces["GigabitEthernet1"]?.shutdown == true)
    }

    @Test("configure terminal: modes, global commands from sub-modes, exit and end, no forms")
    func interactive() throws {
        var e = ConfigEditor(try load(sampleConfiguration).configuration)
        #expect(language.execute("interface Tunnel30", in: &e) == .applied)
        #expect(e.mode == .interface("Tunnel30") && e.mode.promptName == "config-if")
        #expect(language.execute("tunnel mode gre ip", in: &e) == .applied)
        #expect(language.execute("hostname edge", in: &e) == .applied)
        #expect(e.mode == .global && e.configuration.hostname == "edge")
        #expect(language.execute("interface GigabitEthernet2", in: &e) == .applied)
        guard case let .failed(text) = language.execute("tunnel mode gre ip", in: &e, prefix: "R(config-if)#") else {
            Issue.record("tunnel on a physical interface accepted"); return
        }
        #expect(text == "             ^\n% Invalid input detected at '^' marker.\n\n")
        #expect(language.execute("exit", in: &e) == .applied && e.mode == .global)
        #expect(language.execute("no crypto map VPN 20", in: &e) == .applied)
        #expect(e.configuration.cryptoMaps["VPN"]?[20] == nil && e.configuration.cryptoMaps["VPN"]?[10] != nil)
        #expect(language.execute("no interface GigabitEthernet1", in: &e) == .failed("% Removal of physical interfaces is not permitted\n"))
        #expect(language.execute("crypto map NEW 5 ipsec-isakmp", in: &e) == .applied)
        #expect(e.notes.last?.contains("remain disabled") == true)
        #expect(language.execute("set session-key inbound esp 300 cipher 00", in: &e)
                == .failed("% Session keys can only be set on ipsec-manual crypto map entries\n"))
        #expect(language.execute("end", in: &e) == .applied && e.finished)
    }

    @Test("? in configuration mode lists sub-mode commands")
    func help() {
        let text = language.help("set security-association replay ", mode: .cryptoMap("VPN", 10))
        #expect(text == "  disable      Disable replay checking.\n  window-size  Set replay window size.\n")
        #expect(language.help("tunnel mode ", mode: .interface("Tunnel1")).contains("  gre    "))
    }

    @Test("semantic errors name what is wrong")
    func semantic() {
        var e = ConfigEditor(RouterConfiguration())
        #expect(language.execute("ip route 10.1.1.0 255.255.0.0 Tunnel1", in: &e) == .failed("%Inconsistent address and mask\n"))
        #expect(language.execute("crypto ipsec security-association replay window-size 100", in: &e)
                == .failed(String(repeating: " ", count: 53) + "^\n% Invalid input detected at '^' marker.\n\n"))
        #expect(language.execute("interface gi1", in: &e) == .applied)
        #expect(language.execute("ip address 10.0.0.1 255.0.255.0", in: &e) == .failed("% Bad mask 0xFF00FF00 for address 10.0.0.1\n"))
        #expect(language.execute("hostname 9bad", in: &e) == .failed("% Hostname contains one or more illegal characters.\n"))
    }
}
