import QFPDataplane

/// One IPv4 route of `show ip route`, as the configuration implies it: connected (`C`) and
/// local (`L`) routes of the interfaces whose line protocol is up, and static routes (`S`)
/// whose interface is up or whose next hop resolves. The workers do no routing: this is what
/// IOS would install, read from the configuration.
public struct IPRoute: Equatable, Sendable {
    /// The route code IOS prints in the first column.
    public enum Source: String, Equatable, Sendable {
        case connected = "C"
        case local = "L"
        case `static` = "S"
    }
    public var source: Source
    public var prefix: IPPrefix
    /// The outgoing interface (connected, local, static by interface).
    public var interface: String?
    /// The next hop (static by next hop).
    public var nextHop: IPAddress?

    public init(source: Source, prefix: IPPrefix, interface: String? = nil, nextHop: IPAddress? = nil) {
        self.source = source
        self.prefix = prefix
        self.interface = interface
        self.nextHop = nextHop
    }

    /// IOS's administrative distance of a static route (`[1/0]`).
    public static let staticDistance = 1
}

/// The routes `show ip route` lists and the line states `show ip interface brief` prints.
public enum RoutingTable {
    /// Whether interface `name`'s line protocol is up: not shut down, and for a physical
    /// interface `linkUp` (its port's link); a tunnel is up when it has a destination and its
    /// source interface is up (IOS brings a tunnel's protocol up once the destination is
    /// routable [I]; qfp does not wait for the VTI's IPsec SA).
    public static func lineProtocolUp(_ name: String, _ c: RouterConfiguration, linkUp: (String) -> Bool) -> Bool {
        guard let i = c.interfaces[name], !i.shutdown else { return false }
        guard i.isTunnel else { return linkUp(name) }
        guard i.tunnel.destination != nil else { return false }
        let source = i.tunnel.sourceInterface ?? i.tunnel.sourceAddress.flatMap { PortRouting.physical(owning: $0, c) }
        guard let source, source != name, c.interfaces[source]?.isTunnel == false else { return false }
        return lineProtocolUp(source, c, linkUp: linkUp)
    }

    /// The IPv4 routes, in IOS order (by network address, then prefix length).
    public static func ipv4Routes(_ c: RouterConfiguration, linkUp: (String) -> Bool) -> [IPRoute] {
        var routes: [IPRoute] = []
        for i in c.orderedInterfaces where lineProtocolUp(i.name, c, linkUp: linkUp) {
            guard let a = i.ipv4, a.address.isIPv4 else { continue }
            routes.append(IPRoute(source: .connected, prefix: a.network, interface: i.name))
            if a.length < 32 {
                routes.append(IPRoute(source: .local, prefix: IPPrefix(a.address, length: 32)!, interface: i.name))
            }
        }
        let connected = routes
        for r in c.staticRoutes where r.prefix.isIPv4 {
            if let name = r.interface {
                if lineProtocolUp(name, c, linkUp: linkUp) {
                    routes.append(IPRoute(source: .static, prefix: r.prefix, interface: name))
                }
            } else if let hop = r.nextHop, resolves(hop, c, connected: connected, linkUp: linkUp, depth: 0) {
                routes.append(IPRoute(source: .static, prefix: r.prefix, nextHop: hop))
            }
        }
        return routes.sorted { a, b in
            a.prefix.address != b.prefix.address ? a.prefix.address < b.prefix.address : a.prefix.length < b.prefix.length
        }
    }

    /// Whether `hop` is reachable: inside a connected prefix, or inside a static route that is
    /// itself installed (at most 8 levels, as `PortRouting` guards loops).
    static func resolves(_ hop: IPAddress, _ c: RouterConfiguration, connected: [IPRoute], linkUp: (String) -> Bool, depth: Int) -> Bool {
        guard depth < 8 else { return false }
        if connected.contains(where: { $0.source == .connected && $0.prefix.contains(hop) }) { return true }
        for r in c.staticRoutes where r.prefix.contains(hop) {
            if let name = r.interface, lineProtocolUp(name, c, linkUp: linkUp) { return true }
            if let next = r.nextHop, next != hop,
               resolves(next, c, connected: connected, linkUp: linkUp, depth: depth + 1) { return true }
        }
        return false
    }
}
