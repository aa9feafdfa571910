import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show interfaces`, `show interfaces summary` and `clear counters`: the IOS XE layout byte for
/// byte, counters from an attached port, baselines and the `[confirm]` question.
@Suite("show interfaces and clear counters")
struct RenderInterfacesTests {
    static func sample() -> InterfacesSnapshot.Interface {
        var c = InterfacePortReading.Counters()
        c.packetsInput = 44902; c.bytesInput = 6516293; c.noBuffer = 2
        c.runts = 3; c.giants = 4; c.unknownProtocolDrops = 5; c.inputQueueDrops = 6
        c.packetsOutput = 41188; c.bytesOutput = 17832827; c.outputDrops = 7
        var r = InterfaceCounters.Rates()
        r.inputBitsPerSecond = 3000; r.inputPacketsPerSecond = 2; r.outputBitsPerSecond = 2000; r.outputPacketsPerSecond = 1
        return InterfacesSnapshot.Interface(
            name: "GigabitEthernet1", administrativelyDown: false, up: true, device: "veth0",
            macAddress: [0x08, 0x00, 0x27, 0x29, 0x38, 0x0A], description: "outside", internetAddress: "192.0.2.1/24",
            lastInputSeconds: 0, lastOutputSeconds: 5, lastClearingSeconds: nil, rates: r, counters: c)
    }

    @Test("one interface, every line in IOS XE order and spacing (trailing spaces included)")
    func layout() {
        let expected = """
            GigabitEthernet1 is up, line protocol is up \n\
              Hardware is CSR vNIC, address is 0800.2729.380a (bia 0800.2729.380a)
              Description: outside
              Internet address is 192.0.2.1/24
              MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, \n\
                 reliability 255/255, txload 1/255, rxload 1/255
              Encapsulation ARPA, loopback not set
              Keepalive set (10 sec)
              Full Duplex, 1000Mbps, link type is auto, media type is Virtual
              output flow-control is unsupported, input flow-control is unsupported
              ARP type: ARPA, ARP Timeout 04:00:00
              Last input 00:00:00, output 00:00:05, output hang never
              Last clearing of "show interface" counters never
              Input queue: 0/375/6/0 (size/max/drops/flushes); Total output drops: 7
              Queueing strategy: fifo
              Output queue: 0/40 (size/max)
              5 minute input rate 3000 bits/sec, 2 packets/sec
              5 minute output rate 2000 bits/sec, 1 packets/sec
                 44902 packets input, 6516293 bytes, 2 no buffer
                 Received 0 broadcasts (0 IP multicasts)
                 3 runts, 4 giants, 0 throttles \n\
                 7 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
                 0 watchdog, 0 multicast, 0 pause input
                 41188 packets output, 17832827 bytes, 0 underruns
                 Output 0 broadcasts (0 IP multicasts)
                 0 output errors, 0 collisions, 0 interface resets
                 5 unknown protocol drops
                 0 babbles, 0 late collision, 0 deferred
                 0 lost carrier, 0 no carrier, 0 pause output
                 0 output buffer failures, 0 output buffers swapped out

            """
        let text = ShowInterfaces.render(InterfacesSnapshot(interfaces: [Self.sample()]))
        #expect(text == expected, "\(firstDifference(expected, text))")
    }

    @Test("shut down: administratively down; a dead link: down; load grows with the rate; times past a day")
    func states() {
        var i = Self.sample()
        i.administrativelyDown = true
        #expect(ShowInterfaces.render(.init(interfaces: [i])).hasPrefix("GigabitEthernet1 is administratively down, line protocol is down \n"))
        i.administrativelyDown = false
        i.up = false
        i.rates.inputBitsPerSecond = 500_000_000
        i.lastClearingSeconds = 93_600
        i.lastOutputSeconds = nil
        let text = ShowInterfaces.render(.init(interfaces: [i]))
        #expect(text.hasPrefix("GigabitEthernet1 is down, line protocol is down \n"))
        #expect(text.contains("     reliability 255/255, txload 1/255, rxload 127/255\n"))
        #expect(text.contains("  Last clearing of \"show interface\" counters 1d02h\n"))
        #expect(text.contains("  Last input 00:00:00, output never, output hang never\n"))
    }

    @Test("summary: the legend, the header, a row per interface with * when up")
    func summary() {
        var down = Self.sample()
        down.name = "GigabitEthernet2"
        down.administrativelyDown = true
        let text = ShowInterfaces.renderSummary(.init(interfaces: [Self.sample(), down]))
        let expected = """

             *: interface is up
             IHQ: pkts in input hold queue     IQD: pkts dropped from input queue
             OHQ: pkts in output hold queue    OQD: pkts dropped from output queue
             RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)
             TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)
             TRTL: throttle count

              Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS      TXBS      TXPS      TRTL
            -----------------------------------------------------------------------------------------------------------------
            * GigabitEthernet1              0         6         0         7      3000         2      2000         1         0
              GigabitEthernet2              0         6         0         7      3000         2      2000         1         0

            """
        #expect(text == expected, "\(firstDifference(expected, text))")
    }

    @Test("through the session: counters of the attached port, clear counters asks [confirm], n cancels, Return clears")
    func session() throws {
        let r = try TestRouter()
        let port = Port()
        r.controlPlane.interfaces.attach("GigabitEthernet1") {
            InterfacePortReading(device: "veth0", address: [2, 0, 0, 0, 0, 0x0A], linkUp: true, counters: port.counters)
        }
        port.counters.packetsInput = 10
        port.counters.bytesInput = 1000
        port.counters.packetsOutput = 4
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        var text = session.execute("show interfaces gi1").output
        #expect(text.hasPrefix("GigabitEthernet1 is up, line protocol is up \n  Hardware is CSR vNIC, address is 0200.0000.000a (bia 0200.0000.000a)\n"))
        #expect(text.contains("     10 packets input, 1000 bytes, 0 no buffer\n"))
        #expect(text.contains("     4 packets output, 0 bytes, 0 underruns\n"))
        #expect(!text.contains("GigabitEthernet2"))
        // Every Ethernet interface of the configuration; one without a port shows zeros.
        let all = session.execute("show interfaces").output
        #expect(all.contains("GigabitEthernet2 is up, line protocol is up \n") && !all.contains("Tunnel100"))
        #expect(all.components(separatedBy: "     0 packets input, 0 bytes, 0 no buffer\n").count == 2)

        let bad = session.execute("show interfaces gi9", echo: true)
        #expect(bad.failed && bad.output == "qfp-asr1k#show interfaces gi9\n" + String(repeating: " ", count: 26) + "^\n% Invalid input detected at '^' marker.\n\n")

        #expect(session.execute("clear counters gi1").output == "Clear \"show interface\" counters on this interface [confirm]\n")
        #expect(session.execute("n").output == "")
        #expect(session.execute("show interfaces gi1").output.contains("     10 packets input, 1000 bytes, 0 no buffer\n"))
        #expect(session.execute("clear counters").output == "Clear \"show interface\" counters on all interfaces [confirm]\n")
        #expect(session.execute("").output == "")
        port.counters.packetsInput = 13
        r.advance(seconds: 65)
        text = session.execute("show interfaces GigabitEthernet1").output
        #expect(text.contains("     3 packets input, 0 bytes, 0 no buffer\n"))
        #expect(text.contains("  Last clearing of \"show interface\" counters 00:01:05\n"))
        #expect(port.counters.packetsInput == 13, "the port's own counters are untouched")
        #expect(session.execute("show logging").output.contains("%CLEAR-5-COUNTERS: Clear counter on all interfaces by console"))

        let json = session.execute("show interfaces gi1 | json").output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(object["interfaces"] as? [[String: Any]])
        #expect(list.count == 1 && list[0]["name"] as? String == "GigabitEthernet1" && list[0]["device"] as? String == "veth0")
        #expect((list[0]["counters"] as? [String: Any])?["packetsInput"] as? Int == 3)
        #expect(session.execute("show interfaces summary").output.contains("* GigabitEthernet1 "))
    }

    final class Port: @unchecked Sendable {
        var counters = InterfacePortReading.Counters()
    }
}
