import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show ip interface brief`, `show ip route` and `show access-lists`: the IOS XE layouts byte
/// for byte (column widths from the captures named in the renderers), filled from a
/// configuration with every case: a manual address, an interface without one, a shut-down
/// interface, a default route, a static route by next hop, standard and extended lists.
@Suite("show ip interface brief, show ip route, show access-lists")
struct RenderIPShowTests {
    static let configuration = DefaultConfiguration.text.replacingOccurrences(of: "\nend", with: """

        interface GigabitEthernet3
         no ip address
        !
        interface GigabitEthernet4
         ip address 198.18.0.1 255.255.255.0
         shutdown
        !
        ip route 0.0.0.0 0.0.0.0 192.0.2.254
        ip route 10.9.0.0 255.255.0.0 10.1.0.2
        ip route 10.8.0.0 255.255.0.0 GigabitEthernet4
        access-list 10 permit 192.0.2.0 0.0.0.255
        access-list 10 permit 203.0.113.5
        access-list 10 deny any
        end
        """)

    static func session() throws -> (TestRouter, CLISession) {
        let r = try TestRouter(configuration: configuration)
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        // Gi2's address changed by configure terminal: `manual`.
        _ = s.execute("configure terminal")
        _ = s.execute("interface GigabitEthernet2")
        _ = s.execute("ip address 10.1.0.1 255.255.255.0")
        _ = s.execute("end")
        return (r, s)
    }

    @Test("show ip interface brief: NVRAM, manual and unset, administratively down, the trailing spaces of Protocol")
    func interfaceBrief() throws {
        let (_, s) = try Self.session()
        let expected = """
            Interface              IP-Address      OK? Method Status                Protocol
            GigabitEthernet1       192.0.2.1       YES NVRAM  up                    up      
            GigabitEthernet2       10.1.0.1        YES manual up                    up      
            GigabitEthernet3       unassigned      YES unset  up                    up      
            GigabitEthernet4       198.18.0.1      YES NVRAM  administratively down down    
            Tunnel100              172.31.0.1      YES NVRAM  up                    up      

            """
        let text = s.execute("sh ip int br").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        #expect(s.execute("show ip interface brief | include down").output
            == "GigabitEthernet4       198.18.0.1      YES NVRAM  administratively down down    \n")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(s.execute("show ip interface brief | json").output.utf8)) as? [String: Any])
        let rows = try #require(json["interfaces"] as? [[String: Any]])
        #expect(rows[1]["method"] as? String == "manual" && rows[3]["protocol"] as? String == "down")
        #expect(rows[2]["ip_address"] as? String == "unassigned")
    }

    @Test("a tunnel whose source is shut down: up/down; a dead link: down/down")
    func lineStates() throws {
        var c = RouterConfiguration()
        var gi = InterfaceConfiguration(name: "GigabitEthernet1")
        gi.shutdown = true
        var tu = InterfaceConfiguration(name: "Tunnel1")
        tu.tunnel.sourceInterface = "GigabitEthernet1"
        tu.tunnel.destination = .init("203.0.113.1")
        c.interfaces = ["GigabitEthernet1": gi, "Tunnel1": tu, "GigabitEthernet2": InterfaceConfiguration(name: "GigabitEthernet2")]
        #expect(!RoutingTable.lineProtocolUp("Tunnel1", c, linkUp: { _ in true }))
        #expect(!RoutingTable.lineProtocolUp("GigabitEthernet2", c, linkUp: { _ in false }))
        c.interfaces["GigabitEthernet1"]?.shutdown = false
        #expect(RoutingTable.lineProtocolUp("Tunnel1", c, linkUp: { _ in true }))
        c.interfaces["Tunnel1"]?.tunnel.destination = nil
        #expect(!RoutingTable.lineProtocolUp("Tunnel1", c, linkUp: { _ in true }))
    }

    @Test("show ip route: legend, gateway, classful headers, static by next hop and interface, shut-down routes withdrawn")
    func route() throws {
        let (_, s) = try Self.session()
        let expected = ShowIPRoute.legend + """

            Gateway of last resort is 192.0.2.254 to network 0.0.0.0

            S*    0.0.0.0/0 [1/0] via 192.0.2.254
                  10.0.0.0/8 is variably subnetted, 4 subnets, 3 masks
            C        10.1.0.0/24 is directly connected, GigabitEthernet2
            L        10.1.0.1/32 is directly connected, GigabitEthernet2
            S        10.9.0.0/16 [1/0] via 10.1.0.2
            S        10.77.0.0/16 is directly connected, Tunnel100
                  172.31.0.0/16 is variably subnetted, 2 subnets, 2 masks
            C        172.31.0.0/30 is directly connected, Tunnel100
            L        172.31.0.1/32 is directly connected, Tunnel100
                  192.0.2.0/24 is variably subnetted, 2 subnets, 2 masks
            C        192.0.2.0/24 is directly connected, GigabitEthernet1
            L        192.0.2.1/32 is directly connected, GigabitEthernet1

            """
        let text = s.execute("sh ip ro").output
        #expect(text == expected, "\(firstDifference(expected, text))")
    }

    @Test("show ip route: one mask under a classful network prints it in the header and not on the routes")
    func subnetted() throws {
        let routes = [IPRoute(source: .static, prefix: .init("40.1.1.0/24")!, nextHop: .init("10.1.1.2")),
                      IPRoute(source: .static, prefix: .init("40.1.2.0/24")!, nextHop: .init("10.1.1.2")),
                      IPRoute(source: .static, prefix: .init("192.168.5.0/24")!, interface: "GigabitEthernet1")]
        let text = ShowIPRoute.render(ShowIPRoute.snapshot(routes))
        #expect(text.hasSuffix("""
            Gateway of last resort is not set

                  40.0.0.0/24 is subnetted, 2 subnets
            S        40.1.1.0 [1/0] via 10.1.1.2
            S        40.1.2.0 [1/0] via 10.1.1.2
            S     192.168.5.0/24 is directly connected, GigabitEthernet1

            """))
    }

    @Test("show access-lists: numbered first, standard entries with wildcard bits and a padded deny, extended as configured")
    func accessLists() throws {
        let (_, s) = try Self.session()
        let expected = """
            Standard IP access list 10
                10 permit 192.0.2.0, wildcard bits 0.0.0.255
                20 permit 203.0.113.5
                30 deny   any
            Extended IP access list 110
                10 permit ip 10.1.0.0 0.0.255.255 10.4.0.0 0.0.255.255
            Extended IP access list SITE-B
                10 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
            Extended IP access list SITE-C
                10 permit ip 10.1.0.0 0.0.255.255 10.3.0.0 0.0.255.255

            """
        let text = s.execute("sh access-l").output
        #expect(text == expected, "\(firstDifference(expected, text))")
        #expect(s.execute("show ip access-lists SITE-C").output
            == "Extended IP access list SITE-C\n    10 permit ip 10.1.0.0 0.0.255.255 10.3.0.0 0.0.255.255\n")
        // A list that does not exist: nothing, as IOS.
        let missing = s.execute("show access-lists NOPE")
        #expect(missing.output.isEmpty && !missing.failed)
    }
}
