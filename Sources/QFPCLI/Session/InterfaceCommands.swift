import QFPCommandLanguage
import QFPControl

/// `show interfaces [INTERFACE | summary]` and `clear counters [INTERFACE]`.
enum InterfaceCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show interfaces [WORD]", pipes: true) { ctx, p in
            let name = try p.arguments.first.map { try interface($0, ctx, column: p.argumentColumns[0]) }
            let snapshot = snapshot(ctx.controlPlane, only: name)
            return CommandOutput(ShowInterfaces.render(snapshot), json: snapshot)
        }
        t.add("show interfaces summary", pipes: true) { ctx, _ in
            let snapshot = snapshot(ctx.controlPlane, only: nil)
            return CommandOutput(ShowInterfaces.renderSummary(snapshot), json: snapshot)
        }
        t.add("clear counters [WORD]") { ctx, p in
            let cp = ctx.controlPlane
            let name = try p.arguments.first.map { try interface($0, ctx, column: p.argumentColumns[0]) }
            let who = ctx.session.origin.components(separatedBy: " by ").last ?? ctx.session.origin
            let question = name == nil ? "on all interfaces" : "on this interface"
            // IOS asks; the answer is the session's next line (Return or y: clear).
            ctx.session.confirm {
                cp.interfaces.clear(name, among: ethernet(cp.router.configuration).map(\.name))
                cp.syslog.log("%CLEAR-5-COUNTERS: Clear counter on \(name.map { "interface \($0)" } ?? "all interfaces") by \(who)")
                return ""
            }
            return CommandOutput("Clear \"show interface\" counters \(question) [confirm]\n")
        }
    }

    /// The canonical name of an Ethernet interface of the configuration, or IOS's invalid input
    /// at its column.
    static func interface(_ text: String, _ ctx: ExecContext, column: Int) throws -> String {
        guard let name = InterfaceName.canonical(text),
              ethernet(ctx.controlPlane.router.configuration).contains(where: { $0.name == name }) else {
            throw InvalidInput(column: column)
        }
        return name
    }

    /// The interfaces `show interfaces` lists: GigabitEthernet and TenGigabitEthernet, in IOS order.
    static func ethernet(_ c: RouterConfiguration) -> [InterfaceConfiguration] {
        c.orderedInterfaces.filter { $0.name.hasPrefix("GigabitEthernet") || $0.name.hasPrefix("TenGigabitEthernet") }
    }

    static func snapshot(_ cp: ControlPlane, only: String?) -> InterfacesSnapshot {
        let c = cp.router.configuration
        let list = ethernet(c).filter { only == nil || $0.name == only }
        return InterfacesSnapshot(interfaces: list.enumerated().map { position, i in
            let view = cp.interfaces.view(i.name)
            func seconds(_ ns: UInt64?) -> UInt64? { ns.map { $0 / 1_000_000_000 } }
            // An interface without a port gets a fixed, locally administered address.
            let number = UInt16(i.portIndex ?? UInt16(truncatingIfNeeded: 0x8000 + position))
            let mac = view.port?.address ?? [0x02, 0x51, 0x46, 0x50, UInt8(number >> 8), UInt8(number & 0xFF)]
            return InterfacesSnapshot.Interface(
                name: i.name, administrativelyDown: i.shutdown, up: !i.shutdown && (view.port?.linkUp ?? true),
                device: view.port?.device ?? i.linuxDevice, macAddress: mac, description: i.description,
                internetAddress: i.ipv4.map { "\($0.address)/\($0.length)" },
                lastInputSeconds: seconds(view.sinceInput), lastOutputSeconds: seconds(view.sinceOutput),
                lastClearingSeconds: seconds(view.sinceClear), rates: view.rates,
                counters: view.port?.counters ?? InterfacePortReading.Counters())
        })
    }
}
