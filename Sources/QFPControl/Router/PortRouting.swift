import QFPDataplane

/// What the port thread needs to send a forwarded packet out of the right port, resolved from
/// the configuration (see `EgressTable` in QFPPort for how it is used): the interfaces' own
/// addresses, and every prefix that leads out of a physical interface.
public enum PortRouting {
    /// An interface address and the physical interface it belongs to. A tunnel's own
    /// addresses count for its source interface (encapsulated packets leave by it).
    public static func localAddresses(_ c: RouterConfiguration) -> [(address: IPAddress, interface: String)] {
        var out: [(IPAddress, String)] = []
        for i in c.orderedInterfaces where !i.isTunnel {
            if let a = i.ipv4 { out.append((a.address, i.name)) }
            for a in i.ipv6 { out.append((a.address, i.name)) }
        }
        for i in c.orderedInterfaces where i.isTunnel {
            if let a = i.tunnel.sourceAddress, let physical = physical(owning: a, c) { out.append((a, physical)) }
        }
        return out
    }

    /// Prefixes that lead out of a physical interface: connected networks, then static routes
    /// (by interface — a tunnel's meaning its source interface — or by next hop, looked up
    /// recursively), in configuration order. Routes by way of a shut-down interface are left
    /// out.
    public static func routes(_ c: RouterConfiguration) -> [(prefix: IPPrefix, interface: String)] {
        var out: [(IPPrefix, String)] = []
        for i in c.orderedInterfaces {
            guard let physical = resolve(interface: i.name, c) else { continue }
            if let a = i.ipv4 { out.append((a.network, physical)) }
            for a in i.ipv6 { out.append((a.network, physical)) }
        }
        for r in c.staticRoutes {
            if let name = r.interface, let physical = resolve(interface: name, c) {
                out.append((r.prefix, physical))
            } else if let hop = r.nextHop, let physical = resolve(nextHop: hop, c, connected: out, depth: 0) {
                out.append((r.prefix, physical))
            }
        }
        return out
    }

    /// The routes `routes(_:)` leaves out because an interface on the way is shut down, as they
    /// would be with every interface up. The port thread keeps them behind the live routes, so
    /// that traffic with no other way out is dropped at the shut-down port (IOS drops it, no
    /// route) rather than sent out of the port it came in by.
    public static func withdrawnRoutes(_ c: RouterConfiguration) -> [(prefix: IPPrefix, interface: String)] {
        var up = c
        for name in up.interfaces.keys { up.interfaces[name]?.shutdown = false }
        let live = routes(c)
        return routes(up).filter { r in !live.contains { $0.prefix == r.prefix && $0.interface == r.interface } }
    }

    /// The physical interface `name` sends by: itself, or a tunnel's source interface. Nil when
    /// either is shut down: IOS withdraws the connected and static routes of a down interface.
    static func resolve(interface name: String, _ c: RouterConfiguration) -> String? {
        guard let i = c.interfaces[name], !i.shutdown else { return nil }
        let physicalName: String?
        if !i.isTunnel {
            physicalName = name
        } else if let source = i.tunnel.sourceInterface, let s = c.interfaces[source], !s.isTunnel {
            physicalName = source
        } else if let a = i.tunnel.sourceAddress {
            physicalName = physical(owning: a, c)
        } else {
            physicalName = nil
        }
        guard let physicalName, c.interfaces[physicalName]?.shutdown != true else { return nil }
        return physicalName
    }

    /// The physical interface with address `a`.
    static func physical(owning a: IPAddress, _ c: RouterConfiguration) -> String? {
        c.orderedInterfaces.first { !$0.isTunnel && ($0.ipv4?.address == a || $0.ipv6.contains { $0.address == a }) }?.name
    }

    /// The interface of the longest prefix among `connected` and the static routes that holds
    /// `hop` (at most 8 levels of recursion, as a loop guard).
    static func resolve(nextHop hop: IPAddress, _ c: RouterConfiguration, connected: [(IPPrefix, String)], depth: Int) -> String? {
        guard depth < 8 else { return nil }
        var best: (length: Int, interface: String)?
        for (prefix, interface) in connected where prefix.contains(hop) {
            if best == nil || prefix.length > best!.length { best = (prefix.length, interface) }
        }
        if let best { return best.interface }
        let routes = c.staticRoutes.filter { $0.prefix.contains(hop) }.sorted { $0.prefix.length > $1.prefix.length }
        for r in routes {
            if let name = r.interface, let physical = resolve(interface: name, c) { return physical }
            if let next = r.nextHop, next != hop,
               let physical = resolve(nextHop: next, c, connected: connected, depth: depth + 1) { return physical }
        }
        return nil
    }
}
