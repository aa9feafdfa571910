import Foundation
import QFPControl
import QFPDataplane
import Testing

/// `qfp port linux DEV` (a qfp extension): parsing, errors, `no`, `show running-config`, `?`,
/// and what the port thread's egress table is built from.
@Suite("IOS configuration: interfaces mapped to Linux devices")
struct PortConfigurationTests {
    let language = ConfigurationLanguage.shared

    static let text = """
        hostname lab
        interface GigabitEthernet1
         description outside
         ip address 192.0.2.1 255.255.255.0
         qfp port linux veth-out0
        interface GigabitEthernet2
         ip address 10.1.0.1 255.255.0.0
         qfp port linux veth_in.1
        interface Tunnel5
         ip address 172.31.0.1 255.255.255.252
         tunnel source GigabitEthernet1
         tunnel mode ipsec ipv4
         tunnel destination 203.0.113.77
        ip route 10.77.0.0 255.255.0.0 Tunnel5
        ip route 0.0.0.0 0.0.0.0 192.0.2.254
        ip route 10.9.0.0 255.255.0.0 10.1.0.9
        end
        """

    func load(_ text: String) throws -> RouterConfiguration {
        switch language.load(text, source: "lab.cfg") {
        case let .success(l): return l.configuration
        case let .failure(f): throw f
        }
    }

    func errorText(_ line: String, in mode: String = "interface GigabitEthernet1") -> String? {
        var e = ConfigEditor(RouterConfiguration())
        _ = language.execute(mode, in: &e)
        guard case let .failed(text) = language.execute(line, in: &e, prefix: "R(config-if)#") else { return nil }
        return text
    }

    @Test("the device loads into the interface and round-trips through show running-config, in its interface block")
    func roundTrip() throws {
        let c = try load(Self.text)
        #expect(c.interfaces["GigabitEthernet1"]?.linuxDevice == "veth-out0")
        #expect(c.interfaces["GigabitEthernet2"]?.linuxDevice == "veth_in.1")
        #expect(c.interfaces["Tunnel5"]?.linuxDevice == nil)
        let body = RunningConfiguration.body(c)
        #expect(body.contains("interface GigabitEthernet1\n description outside\n ip address 192.0.2.1 255.255.255.0\n qfp port linux veth-out0\n!\n"))
        #expect(body.contains("interface GigabitEthernet2\n ip address 10.1.0.1 255.255.0.0\n qfp port linux veth_in.1\n!\n"))
        let again = try load(body)
        #expect(again == c)
        #expect(RunningConfiguration.body(again) == body)
    }

    @Test("no qfp port linux, with or without the device, unbinds; another device's name does not")
    func negation() throws {
        var e = ConfigEditor(try load(Self.text))
        #expect(language.execute("interface gi1", in: &e) == .applied)
        #expect(language.execute("no qfp port linux other0", in: &e) == .applied)
        #expect(e.configuration.interfaces["GigabitEthernet1"]?.linuxDevice == "veth-out0")
        #expect(language.execute("no qfp port linux veth-out0", in: &e) == .applied)
        #expect(e.configuration.interfaces["GigabitEthernet1"]?.linuxDevice == nil)
        #expect(language.execute("qfp port linux eth1", in: &e) == .applied)
        #expect(language.execute("no qfp port linux", in: &e) == .applied)
        #expect(e.configuration.interfaces["GigabitEthernet1"]?.linuxDevice == nil)
        #expect(!RunningConfiguration.body(e.configuration).contains("interface GigabitEthernet1\n description outside\n ip address 192.0.2.1 255.255.255.0\n qfp"))
    }

    @Test("device names: the caret under the first character Linux or qfp refuses, or the 16th of a long name")
    func invalidNames() {
        let marker = "% Invalid input detected at '^' marker.\n\n"
        // "R(config-if)#" is 13 characters; "qfp port linux " 15 more: the name starts at 28.
        #expect(errorText("qfp port linux eth/1") == String(repeating: " ", count: 28 + 3) + "^\n" + marker)
        #expect(errorText("qfp port linux eth:1") == String(repeating: " ", count: 28 + 3) + "^\n" + marker)
        #expect(errorText("qfp port linux abcdefghijklmnopq") == String(repeating: " ", count: 28 + 15) + "^\n" + marker)
        #expect(errorText("qfp port linux ..") == String(repeating: " ", count: 28) + "^\n" + marker)
        #expect(errorText("qfp port linux éth0") == String(repeating: " ", count: 28) + "^\n" + marker)
        #expect(errorText("qfp port linux abcdefghijklmno") == nil, "15 characters is the longest name")
        #expect(errorText("qfp port linux") == "% Incomplete command.\n\n")
        #expect(errorText("qfp port linux eth0", in: "interface Tunnel1")
                == "% qfp: only GigabitEthernetN interfaces (N in 1-65535) can be ports; Tunnel1 cannot\n")
        #expect(LinuxDeviceName.isValid("veth0") && !LinuxDeviceName.isValid("") && !LinuxDeviceName.isValid("a b"))
    }

    @Test("a device is the port of one interface only")
    func duplicate() throws {
        var e = ConfigEditor(try load(Self.text))
        #expect(language.execute("interface GigabitEthernet3", in: &e) == .applied)
        #expect(language.execute("qfp port linux veth-out0", in: &e)
                == .failed("% qfp: device veth-out0 is already the port of GigabitEthernet1\n"))
        #expect(e.configuration.interfaces["GigabitEthernet3"]?.linuxDevice == nil)
        guard case let .failure(f) = language.load(Self.text.replacingOccurrences(of: "\nend", with: "\ninterface GigabitEthernet3\n qfp port linux veth-out0\nend"), source: "dup.cfg") else {
            Issue.record("a duplicate device loaded"); return
        }
        #expect(f.description.contains("dup.cfg:"))
        #expect(f.description.contains("is already the port of GigabitEthernet1"))
    }

    @Test("? lists the extension, marked as such, and its arguments")
    func help() {
        let top = language.help("", mode: .interface("GigabitEthernet1"))
        #expect(top.contains("  qfp ") && top.contains("(qfp extension, not in IOS) qfp emulator settings"), "\(top)")
        #expect(language.help("qfp port ", mode: .interface("GigabitEthernet1")).contains("linux"))
        #expect(language.help("qfp port linux ", mode: .interface("GigabitEthernet1")).contains("WORD"))
    }

    @Test("egress: own addresses, connected networks, and static routes by interface, tunnel and next hop")
    func routing() throws {
        let c = try load(Self.text)
        let locals = PortRouting.localAddresses(c)
        #expect(locals.contains { $0.address == IPAddress("192.0.2.1") && $0.interface == "GigabitEthernet1" })
        #expect(locals.contains { $0.address == IPAddress("10.1.0.1") && $0.interface == "GigabitEthernet2" })
        let routes = PortRouting.routes(c).map { "\($0.prefix) \($0.interface)" }
        #expect(routes.contains("192.0.2.0/24 GigabitEthernet1"))
        #expect(routes.contains("10.1.0.0/16 GigabitEthernet2"))
        #expect(routes.contains("172.31.0.0/30 GigabitEthernet1"), "a tunnel's network leaves by its source interface")
        #expect(routes.contains("10.77.0.0/16 GigabitEthernet1"), "a route to a tunnel leaves by its source interface")
        #expect(routes.contains("0.0.0.0/0 GigabitEthernet1"), "a next hop resolves through the connected network")
        #expect(routes.contains("10.9.0.0/16 GigabitEthernet2"))
        #expect(c.interfaces["GigabitEthernet2"]?.portIndex == 2 && c.interfaces["Tunnel5"]?.portIndex == nil)
    }

    @Test("egress: shutting an interface withdraws its connected network and every route by way of it")
    func routingWithShutdown() throws {
        var c = try load(Self.text)
        c.interfaces["GigabitEthernet1"]?.shutdown = true
        let routes = PortRouting.routes(c).map { "\($0.prefix) \($0.interface)" }
        #expect(!routes.contains { $0.hasSuffix(" GigabitEthernet1") }, "\(routes)")
        #expect(routes.contains("10.1.0.0/16 GigabitEthernet2"))
        #expect(routes.contains("10.9.0.0/16 GigabitEthernet2"), "routes by way of the other interface stay")
        // Own addresses stay: what the router sends from them still names the interface (and is
        // then not sent, the port being down).
        #expect(PortRouting.localAddresses(c).contains { $0.address == IPAddress("192.0.2.1") })

        var t = try load(Self.text)
        t.interfaces["Tunnel5"]?.shutdown = true
        let tunnelDown = PortRouting.routes(t).map { "\($0.prefix) \($0.interface)" }
        #expect(!tunnelDown.contains("10.77.0.0/16 GigabitEthernet1") && !tunnelDown.contains("172.31.0.0/30 GigabitEthernet1"))
        #expect(tunnelDown.contains("192.0.2.0/24 GigabitEthernet1"), "the source interface itself stays up")
    }
}

/// The counters behind `show interfaces`: baselines on clear, decayed rates on the virtual clock.
@Suite("Interface counters: clear baselines and 5-minute rates")
struct InterfaceCounterTests {
    final class Port: @unchecked Sendable {
        var counters = InterfacePortReading.Counters()
    }

    @Test("clear counters stores a baseline (the port's counters are never written) and the time")
    func clear() {
        let clock = VirtualClock()
        let counters = InterfaceCounters(clock: clock)
        let port = Port()
        counters.attach("GigabitEthernet1") { InterfacePortReading(device: "eth1", address: [2, 0, 0, 0, 0, 1], linkUp: true, counters: port.counters) }
        port.counters.packetsInput = 100
        port.counters.bytesInput = 6400
        port.counters.inputQueueDrops = 3
        #expect(counters.view("GigabitEthernet1").port?.counters.packetsInput == 100)
        #expect(counters.view("GigabitEthernet1").sinceClear == nil)
        counters.clear(nil, among: ["GigabitEthernet1", "GigabitEthernet2"])
        clock.advance(by: .seconds(7))
        port.counters.packetsInput = 130
        let v = counters.view("GigabitEthernet1")
        #expect(v.port?.counters.packetsInput == 30 && v.port?.counters.bytesInput == 0 && v.port?.counters.inputQueueDrops == 0)
        #expect(v.sinceClear == 7_000_000_000)
        #expect(counters.view("GigabitEthernet2").sinceClear == 7_000_000_000 && counters.view("GigabitEthernet2").port == nil)
        #expect(port.counters.packetsInput == 130)
    }

    @Test("rates decay toward the offered rate with IOS's 300-second load interval")
    func rates() {
        let clock = VirtualClock()
        let counters = InterfaceCounters(clock: clock)
        let port = Port()
        counters.attach("GigabitEthernet1") { InterfacePortReading(device: "eth1", address: [2, 0, 0, 0, 0, 1], linkUp: true, counters: port.counters) }
        // 1000 packets/s of 100 bytes for 300 s: 1 - e^-1 of the rate (63.2 %).
        for _ in 0..<300 {
            clock.advance(by: .seconds(1))
            port.counters.packetsInput &+= 1000
            port.counters.bytesInput &+= 100_000
            counters.sample()
        }
        let v = counters.view("GigabitEthernet1")
        #expect((630...634).contains(v.rates.inputPacketsPerSecond))
        #expect((505_000...507_500).contains(v.rates.inputBitsPerSecond))
        #expect(v.rates.outputPacketsPerSecond == 0)
        #expect(v.sinceInput == 0 && v.sinceOutput == nil)
    }
}
