import QFPCommandLanguage
import QFPControl

/// `show ip interface brief`, `show ip route` and `show [ip] access-lists [NAME]`: what the
/// configuration makes of the interfaces, routes and access lists.
enum IPCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show ip interface brief", pipes: true) { ctx, _ in
            let snapshot = interfaceBrief(ctx.controlPlane)
            return CommandOutput(ShowIPInterfaceBrief.render(snapshot), json: snapshot)
        }
        t.add("show ip route", pipes: true) { ctx, _ in
            let cp = ctx.controlPlane
            let snapshot = ShowIPRoute.snapshot(RoutingTable.ipv4Routes(cp.router.configuration, linkUp: linkUp(cp)))
            return CommandOutput(ShowIPRoute.render(snapshot), json: snapshot)
        }
        // IOS prints nothing for a list that does not exist.
        t.add("show {access-lists | ip access-lists} [WORD]", pipes: true) { ctx, p in
            let snapshot = ShowAccessLists.snapshot(ctx.controlPlane.router.configuration, only: p.arguments.first)
            return CommandOutput(ShowAccessLists.render(snapshot), json: snapshot)
        }
    }

    /// A physical interface's link: its port's, or up when no port is mapped (as `show interfaces`).
    static func linkUp(_ cp: ControlPlane) -> (String) -> Bool {
        { cp.interfaces.view($0).port?.linkUp ?? true }
    }

    static func interfaceBrief(_ cp: ControlPlane) -> IPInterfaceBriefSnapshot {
        let c = cp.router.configuration
        let up = linkUp(cp)
        return IPInterfaceBriefSnapshot(interfaces: c.orderedInterfaces.map { i in
            let method: IPInterfaceBriefSnapshot.Method
            if i.ipv4 == nil {
                method = .unset
            } else {
                method = cp.startupConfiguration.interfaces[i.name]?.ipv4 == i.ipv4 ? .nvram : .manual
            }
            let lineUp = RoutingTable.lineProtocolUp(i.name, c, linkUp: up)
            // A tunnel's status is up once configured (its protocol tells whether it works);
            // a physical interface's follows its link.
            let status = i.shutdown ? "administratively down" : (i.isTunnel || lineUp ? "up" : "down")
            return .init(interface: i.name, ipAddress: i.ipv4.map { "\($0.address)" } ?? "unassigned", method: method,
                         status: status, protocolStatus: lineUp ? "up" : "down")
        })
    }
}
