import Foundation
import QFPControl
import QFPDataplane
import QFPPort

/// The live ports of `qfp run`: every interface the configuration maps to a Linux device
/// (`qfp port linux DEV`), and `--port`, which adds one or replaces the device of the interface
/// it names. Opened before anything starts; served by one port thread (`PortGroup`).
struct RunPorts {
    /// One port to open: the interface, its input-interface index, the device, and where the
    /// mapping came from (for error messages).
    struct Mapping: Equatable {
        var interface: String
        var index: UInt16
        var device: String
        /// `configuration FILE` or `--port`.
        var origin: String
    }

    /// The mappings of `configuration`, with `port` (the `--port` option) applied over them, in
    /// interface order.
    static func mappings(_ configuration: RouterConfiguration, source: String, port: PortMapping?) -> [Mapping] {
        var out: [Mapping] = []
        for i in configuration.orderedInterfaces {
            guard let device = i.linuxDevice, let index = i.portIndex else { continue }
            out.append(Mapping(interface: i.name, index: index, device: device, origin: "configuration \(source)"))
        }
        if let port {
            let m = Mapping(interface: port.interface, index: port.index, device: port.device, origin: "--port")
            // The device may be mapped to another interface in the file: --port moves it.
            out.removeAll { $0.device == m.device && $0.interface != m.interface }
            if let k = out.firstIndex(where: { $0.interface == m.interface }) { out[k] = m } else { out.append(m) }
            out.sort { InterfaceName.order($0.interface, $1.interface) }
        }
        return out
    }

    /// Opens every mapping's device. A failure names the interface, the device and where the
    /// mapping came from: `configuration lab.cfg: interface GigabitEthernet2: qfp port linux
    /// veth9: port veth9: no such network device (...)`.
    static func open(_ mappings: [Mapping], port: PortMapping?, sourceMAC: MACAddress?, destinationMAC: MACAddress?) throws -> [LivePort] {
        var ports: [LivePort] = []
        for m in mappings {
            var c = PortConfiguration(device: m.device)
            c.inputInterface = m.index
            if m.origin == "--port" {
                c.sourceMAC = sourceMAC
                c.destinationMAC = destinationMAC
            }
            do {
                ports.append(try LivePort(c))
            } catch {
                // `--port` errors read as before: `port DEV: ...` names the device it was given.
                if m.origin == "--port" { throw QFPFailure("\(error)") }
                throw QFPFailure("\(m.origin): interface \(m.interface): qfp port linux \(m.device): \(error)")
            }
        }
        return ports
    }

    /// The port thread's egress table: the interfaces' addresses and routes, each resolved to
    /// the position of its port (interfaces without a port are left out), and the ports whose
    /// interface is shut down. Built at start and after every configuration change.
    static func egress(_ configuration: RouterConfiguration, mappings: [Mapping]) -> EgressTable {
        func position(_ interface: String) -> Int? { mappings.firstIndex { $0.interface == interface } }
        let locals = PortRouting.localAddresses(configuration).compactMap { a in position(a.interface).map { (a.address, $0) } }
        let routes = PortRouting.routes(configuration).compactMap { r in
            position(r.interface).map { EgressTable.Route(prefix: r.prefix, port: $0) }
        }
        let withdrawn = PortRouting.withdrawnRoutes(configuration).compactMap { r in
            position(r.interface).map { EgressTable.Route(prefix: r.prefix, port: $0) }
        }
        let down = Set(mappings.indices.filter { configuration.interfaces[mappings[$0].interface]?.shutdown ?? false })
        return EgressTable(localAddresses: locals, routes: routes, interfaces: mappings.map(\.index), down: down,
                           withdrawn: withdrawn)
    }

    /// Hands each port's counters to `show interfaces`.
    static func attach(_ ports: [LivePort], _ mappings: [Mapping], to counters: InterfaceCounters) {
        for (port, m) in zip(ports, mappings) {
            let device = m.device
            let address = port.interfaceAddress.octets
            let statistics = port.statistics
            counters.attach(m.interface) {
                InterfacePortReading(device: device, address: address, linkUp: linkUp(device),
                                     counters: reading(statistics.counters))
            }
        }
    }

    /// The port's counters in `show interfaces` terms.
    static func reading(_ p: PortCounters) -> InterfacePortReading.Counters {
        var c = InterfacePortReading.Counters()
        c.packetsInput = p.framesReceived
        c.bytesInput = p.octetsReceived
        c.noBuffer = p.noBuffer
        c.runts = p.undecodable
        c.giants = p.oversize
        c.unknownProtocolDrops = p.notIP
        c.inputQueueDrops = p.ringDrops
        c.packetsOutput = p.transmitted
        c.bytesOutput = p.octetsTransmitted
        // Output drops: refused by the socket, or the interface is shut down.
        c.outputDrops = p.transmitErrors &+ p.shutDown
        return c
    }

    /// Whether the device's operational state is up (`/sys/class/net/DEV/operstate`; `unknown`,
    /// as some virtual devices report, counts as up).
    static func linkUp(_ device: String) -> Bool {
        guard let state = try? String(contentsOfFile: "/sys/class/net/\(device)/operstate", encoding: .utf8) else { return false }
        let s = state.trimmingCharacters(in: .whitespacesAndNewlines)
        return s == "up" || s == "unknown"
    }
}
