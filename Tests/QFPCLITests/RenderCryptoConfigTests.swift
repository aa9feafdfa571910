import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show crypto map`, `show crypto ipsec transform-set`, `show crypto ipsec profile`, `show
/// users` and `show ssh`: the IOS XE layouts byte for byte with the default configuration's
/// values, selection by tag and interface, and the caret for an unknown interface.
@Suite("show crypto map, transform-set, profile, users, ssh")
struct RenderCryptoConfigTests {
    static let configuration = DefaultConfiguration.text.replacingOccurrences(of: "\nend", with: """

        crypto ipsec profile PFS-PROFILE
         set security-association lifetime seconds 1800
         set transform-set TS-NULL TS-AES256
         set pfs group14
         set ikev2-profile IKEV2-PROF
        crypto map SPARE 5 ipsec-isakmp
         set pfs group14
         set transform-set TS-AES256
        end
        """)

    static func session() throws -> (TestRouter, CLISession) {
        let r = try TestRouter(configuration: configuration)
        return (r, CLISession(controlPlane: r.controlPlane, interactive: false))
    }

    @Test("show crypto map tag OUTSIDE: manual entries with their SPIs, the ISAKMP entry with lifetime and PFS, the interfaces once")
    func map() throws {
        let (_, s) = try Self.session()
        let expected = """
            Crypto Map IPv4 "OUTSIDE" 10 ipsec-manual
            \tPeer = 198.51.100.7
            \tAccess-List SS dynamic: False
            \tExtended IP access list SITE-B
            \t    access-list SITE-B permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
            \tCurrent peer: 198.51.100.7
            \tTransform sets={
            \t\tTS-NULL:  { esp-null  } ,
            \t}
            \tInbound esp spi: 4096
            \tOutbound esp spi: 8192

            Crypto Map IPv4 "OUTSIDE" 20 ipsec-manual
            \tPeer = 198.51.100.9
            \tAccess-List SS dynamic: False
            \tExtended IP access list SITE-C
            \t    access-list SITE-C permit ip 10.1.0.0 0.0.255.255 10.3.0.0 0.0.255.255
            \tCurrent peer: 198.51.100.9
            \tTransform sets={
            \t\tTS-NULL:  { esp-null  } ,
            \t}
            \tInbound esp spi: 4097
            \tOutbound esp spi: 8193

            Crypto Map IPv4 "OUTSIDE" 30 ipsec-isakmp
            \tPeer = 203.0.113.5
            \tAccess-List SS dynamic: False
            \tExtended IP access list 110
            \t    access-list 110 permit ip 10.1.0.0 0.0.255.255 10.4.0.0 0.0.255.255
            \tCurrent peer: 203.0.113.5
            \tSecurity association lifetime: 4608000 kilobytes/3600 seconds
            \tDualstack (Y/N): N

            \tResponder-Only (Y/N): N
            \tPFS (Y/N): N
            \tMixed-mode : Disabled
            \tTransform sets={
            \t\tTS-AES256:  { esp-256-aes esp-sha256-hmac  } ,
            \t}
            \tInterfaces using crypto map OUTSIDE:
            \t\tGigabitEthernet1

            """
        let text = s.execute("sh cry map tag OUTSIDE").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        #expect(s.execute("show crypto map interface gi1").output == expected)
        #expect(s.execute("show crypto map interface gi2").output.isEmpty)
        let bad = s.execute("show crypto map interface gi9", echo: true)
        #expect(bad.failed && bad.output.contains("                                    ^\n% Invalid input detected at '^' marker."))
    }

    @Test("an entry without peer or access list: the incomplete-state warning, PFS with its group, no interfaces")
    func incomplete() throws {
        let (_, s) = try Self.session()
        let expected = """
            Crypto Map IPv4 "SPARE" 5 ipsec-isakmp
            \tWARNING: This crypto map is in an incomplete state!
            \t\t(missing peer or access-list definitions)
            \tAccess-List SS dynamic: False
            \tNo matching address list set.
            \tSecurity association lifetime: 4608000 kilobytes/3600 seconds
            \tDualstack (Y/N): N

            \tResponder-Only (Y/N): N
            \tPFS (Y/N): Y
            \tDH group:  group14
            \tMixed-mode : Disabled
            \tTransform sets={
            \t\tTS-AES256:  { esp-256-aes esp-sha256-hmac  } ,
            \t}
            \tInterfaces using crypto map SPARE:

            """
        let text = s.execute("show crypto map tag SPARE").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(s.execute("show crypto map | json").output.utf8)) as? [String: Any])
        let maps = try #require(json["crypto_maps"] as? [[String: Any]])
        #expect(maps.map { $0["sequence"] as? Int } == [10, 20, 30, 5])
        #expect(maps[0]["inbound_esp_spis"] as? [Int] == [4096] && maps[3]["incomplete"] as? Bool == true)
    }

    @Test("show crypto ipsec transform-set: IOS transform names, the mode, trailing spaces, a blank line after each")
    func transformSets() throws {
        let (_, s) = try Self.session()
        let expected = """
            Transform set TS-AES256: { esp-256-aes esp-sha256-hmac  } \n\
               will negotiate = { Tunnel,  }, \n\

            Transform set TS-NULL: { esp-null  } \n\
               will negotiate = { Tunnel,  }, \n\

            Transform set TS-NULL-TRANSPORT: { esp-null  } \n\
               will negotiate = { Transport,  }, \n\


            """
        let text = s.execute("sh crypto ipsec transform-set").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        #expect(s.execute("show crypto ipsec transform-set tag TS-NULL-TRANSPORT").output
            == "Transform set TS-NULL-TRANSPORT: { esp-null  } \n   will negotiate = { Transport,  }, \n\n")
    }

    @Test("show crypto ipsec profile: IKEv2 profile, own lifetime, PFS group, every transform set, a blank line between")
    func profiles() throws {
        let (_, s) = try Self.session()
        let expected = """
            IPSEC profile PFS-PROFILE
                    IKEv2 Profile: IKEV2-PROF
                    Security association lifetime: 4608000 kilobytes/1800 seconds
                    Responder-Only (Y/N): N
                    PFS (Y/N): Y
                    DH group:  group14
                    Mixed-mode : Disabled
                    Transform sets={
                            TS-NULL:  { esp-null  } ,
                            TS-AES256:  { esp-256-aes esp-sha256-hmac  } ,
                    }

            IPSEC profile VTI-PROFILE
                    Security association lifetime: 4608000 kilobytes/3600 seconds
                    Responder-Only (Y/N): N
                    PFS (Y/N): N
                    Mixed-mode : Disabled
                    Transform sets={
                            TS-AES256:  { esp-256-aes esp-sha256-hmac  } ,
                    }

            """
        let text = s.execute("show crypto ipsec profile").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        #expect(s.execute("show crypto ipsec profile VTI-PROFILE").output.hasPrefix("IPSEC profile VTI-PROFILE\n"))
    }

    @Test("show users: console and vty rows by line number, * on the asking session, idle times from the control clock")
    func users() throws {
        let (r, s) = try Self.session()
        let cp = r.controlPlane
        let vty = cp.sessions.register(line: .vty(1), user: "admin", location: "192.0.2.50",
                                       ssh: .init(encryption: "aes-gcm", hmac: "aead"))
        r.advance(seconds: 125)
        s.registration = cp.sessions.register(line: .console, user: nil, location: nil)
        let expected = """
                Line       User       Host(s)              Idle       Location
            *  0 con 0                idle                 00:00:00
               3 vty 1     admin      idle                 00:02:05 192.0.2.50

              Interface    User               Mode         Idle     Peer Address

            """
        let text = s.execute("show users").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        let ssh = """
            Connection Version Mode Encryption  Hmac         State                 Username
            1          2.0     IN   aes-gcm     aead         Session started       admin
            1          2.0     OUT  aes-gcm     aead         Session started       admin
            %No SSHv1 server connections running.

            """
        #expect(s.execute("sh ssh").output == ssh)
        cp.sessions.remove(vty)
        #expect(s.execute("show ssh").output == "%No SSHv2 server connections running.\n")
        #expect(s.execute("show users | json").output.contains("\"current\" : true"))
    }
}
