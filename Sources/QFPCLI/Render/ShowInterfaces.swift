import QFPControl

/// `show interfaces [INTERFACE]` and `show interfaces summary` in the IOS XE layout of a
/// CSR1000v GigabitEthernet (virtual NIC): the lines, their order and spacing, including the
/// trailing spaces IOS leaves after `line protocol is up`, `DLY 10 usec,` and `throttles`.
///
/// Counters map from the live port (see docs/live-ports.md): packets/bytes input and output,
/// `no buffer`, `runts` (frames too short to decode), `giants` (too long for a buffer), input
/// errors (their sum), `Input queue` drops (the kernel's `tp_drops`), `Total output drops`
/// (sends the socket refused), `unknown protocol drops` (frames that are not IP). Counters qfp
/// cannot have (CRC, collisions, broadcasts, ...) print as 0.
public enum ShowInterfaces {
    public static func render(_ s: InterfacesSnapshot) -> String {
        s.interfaces.map(render).joined()
    }

    static func render(_ i: InterfacesSnapshot.Interface) -> String {
        let c = i.counters
        let state = i.administrativelyDown ? "administratively down" : (i.up ? "up" : "down")
        let line = i.up && !i.administrativelyDown ? "up" : "down"
        let mac = cisco(i.macAddress)
        var out = "\(i.name) is \(state), line protocol is \(line) \n"
        out += "  Hardware is CSR vNIC, address is \(mac) (bia \(mac))\n"
        if let d = i.description { out += "  Description: \(d)\n" }
        if let a = i.internetAddress { out += "  Internet address is \(a)\n" }
        out += "  MTU \(i.mtu) bytes, BW \(i.bandwidthKbit) Kbit/sec, DLY 10 usec, \n"
        out += "     reliability 255/255, txload \(load(i.rates.outputBitsPerSecond, i)), rxload \(load(i.rates.inputBitsPerSecond, i))\n"
        out += "  Encapsulation ARPA, loopback not set\n"
        out += "  Keepalive set (10 sec)\n"
        out += "  Full Duplex, \(i.bandwidthKbit / 1000)Mbps, link type is auto, media type is Virtual\n"
        out += "  output flow-control is unsupported, input flow-control is unsupported\n"
        out += "  ARP type: ARPA, ARP Timeout 04:00:00\n"
        out += "  Last input \(ago(i.lastInputSeconds)), output \(ago(i.lastOutputSeconds)), output hang never\n"
        out += "  Last clearing of \"show interface\" counters \(ago(i.lastClearingSeconds))\n"
        out += "  Input queue: 0/375/\(c.inputQueueDrops)/0 (size/max/drops/flushes); Total output drops: \(c.outputDrops)\n"
        out += "  Queueing strategy: fifo\n"
        out += "  Output queue: 0/40 (size/max)\n"
        out += "  5 minute input rate \(i.rates.inputBitsPerSecond) bits/sec, \(i.rates.inputPacketsPerSecond) packets/sec\n"
        out += "  5 minute output rate \(i.rates.outputBitsPerSecond) bits/sec, \(i.rates.outputPacketsPerSecond) packets/sec\n"
        out += "     \(c.packetsInput) packets input, \(c.bytesInput) bytes, \(c.noBuffer) no buffer\n"
        out += "     Received 0 broadcasts (0 IP multicasts)\n"
        out += "     \(c.runts) runts, \(c.giants) giants, 0 throttles \n"
        out += "     \(c.inputErrors) input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored\n"
        out += "     0 watchdog, 0 multicast, 0 pause input\n"
        out += "     \(c.packetsOutput) packets output, \(c.bytesOutput) bytes, 0 underruns\n"
        out += "     Output 0 broadcasts (0 IP multicasts)\n"
        out += "     0 output errors, 0 collisions, 0 interface resets\n"
        out += "     \(c.unknownProtocolDrops) unknown protocol drops\n"
        out += "     0 babbles, 0 late collision, 0 deferred\n"
        out += "     0 lost carrier, 0 no carrier, 0 pause output\n"
        out += "     0 output buffer failures, 0 output buffers swapped out\n"
        return out
    }

    /// `show interfaces summary`: the legend, then one row per interface (`*` when up), each
    /// count right-aligned in a 10-character column (a C `" %9d"`).
    public static func renderSummary(_ s: InterfacesSnapshot) -> String {
        var out = "\n *: interface is up\n"
            + " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue\n"
            + " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue\n"
            + " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)\n"
            + " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)\n"
            + " TRTL: throttle count\n\n"
        out += "  " + IOSText.padded("Interface", to: 21) + columns(["IHQ", "IQD", "OHQ", "OQD", "RXBS", "RXPS", "TXBS", "TXPS", "TRTL"]) + "\n"
        out += String(repeating: "-", count: 113) + "\n"
        for i in s.interfaces {
            let up = i.up && !i.administrativelyDown
            let r = i.rates
            let cells: [UInt64] = [0, i.counters.inputQueueDrops, 0, i.counters.outputDrops, r.inputBitsPerSecond,
                                   r.inputPacketsPerSecond, r.outputBitsPerSecond, r.outputPacketsPerSecond, 0]
            out += (up ? "* " : "  ") + IOSText.padded(i.name, to: 21) + columns(cells.map { String($0) }) + "\n"
        }
        return out
    }

    static func columns(_ cells: [String]) -> String {
        cells.map { " " + TextLayout.leftPadded($0, width: 9) }.joined()
    }

    /// `aabb.ccdd.eeff`.
    static func cisco(_ octets: [UInt8]) -> String {
        let hex = octets.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        guard hex.count == 6 else { return "0000.0000.0000" }
        return "\(hex[0])\(hex[1]).\(hex[2])\(hex[3]).\(hex[4])\(hex[5])"
    }

    /// `N/255` of the bandwidth, at least 1 as IOS prints it.
    static func load(_ bitsPerSecond: UInt64, _ i: InterfacesSnapshot.Interface) -> String {
        let bandwidth = UInt64(max(1, i.bandwidthKbit)) * 1000
        return "\(max(1, min(255, bitsPerSecond * 255 / bandwidth)))/255"
    }

    /// `never`, `00:00:05`, `1d02h`, `2w3d`.
    static func ago(_ seconds: UInt64?) -> String {
        seconds.map(IOSText.shortUptime) ?? "never"
    }
}
