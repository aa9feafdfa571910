import Foundation
import QFPCommandLanguage
import QFPControl
import QFPDataplane

/// The exec command table: every command's syntax, help and handler in one place. A new show
/// command is one `add` here plus its renderer.
enum ExecCommands {
    static let help: [String: String] = [
        "show": "Show running system information",
        "platform": "Show platform information",
        "hardware": "Show platform hardware information",
        "qfp": "Quantum Flow Processor",
        "active": "Active instance",
        "statistics": "QFP statistics",
        "drop": "Global drop statistics",
        "drop all": "Include the counters that are zero",
        "drop clear": "Clear the counters after showing them",
        "history": "Drop statistics over the last 1, 5 and 30 minutes",
        "history clear": "Clear the drop history after showing it",
        "worker": "(qfp extension, not in IOS) Counters of one worker core",
        "feature": "Feature specific information",
        "ipsec": "IPSec feature",
        "datapath": "Active datapath",
        "drops": "IPSec datapath drop counters",
        "drops all": "Include the counters that are zero",
        "drops clear": "Clear the counters after showing them",
        "utilization": "Datapath utilization",
        "state": "IPSec feature state",
        "sa": "IPSec security associations",
        "sa <1-4294967295>": "QFP SA id (the conn id in show crypto ipsec sa)",
        "crypto": "Encryption module",
        "isakmp": "Show ISAKMP",
        "ikev2": "Shows ikev2 info",
        "session": "Show crypto sessions (tunnels)",
        "detail": "Detailed information",
        "remote": "Remote endpoint",
        "peer": "Show all SAs for a given peer",
        "peer A.B.C.D": "IP address of the peer",
        "peer X:X:X:X::X": "IPv6 address of the peer",
        "logging": "Show the contents of logging buffers",
        "running-config": "Current operating configuration",
        "version": "System hardware and software status",
        "clock": "Display the system clock",
        "clear": "Reset functions",
        "interfaces": "Interface status and configuration",
        "interfaces WORD": "Interface name (GigabitEthernetN)",
        "summary": "Show interface summary",
        "counters": "Clear counters on one or all interfaces",
        "counters WORD": "Interface name (GigabitEthernetN)",
        "terminal": "Set terminal line parameters",
        "length": "Set number of lines on a screen",
        "length <0-512>": "Number of lines on screen (0 for no pausing)",
        "width": "Set width of the display terminal",
        "width <0-512>": "Number of characters on a screen line",
        "configure": "Enter configuration mode",
        "configure terminal": "Configure from the terminal",
        "exit": "Exit from the EXEC",
        "quit": "Exit from the EXEC",
        "logout": "Exit from the EXEC",
        "enable": "Turn on privileged commands",
        "disable": "Turn off privileged commands",
        "login": "Display Secure Login Configurations and State",
        "failures": "Display login failures",
        "show qfp": "qfp emulator diagnostics (a qfp extension, not IOS)",
        "invalid-spi": "Recurring invalid SPI flows (blackhole suspects) and recovery counters",
        "debug": "Debugging functions (see also 'undebug')",
        "undebug": "Disable debugging functions (see also 'debug')",
        "debugging": "State of each debugging option",
        "all": "Enable all debugging",
        "debug crypto": "Cryptographic subsystem",
        "undebug crypto": "Cryptographic subsystem",
        "event": "Event related commands",
        "manager": "Event Manager commands",
        "run": "Run an Embedded Event Manager policy",
        "run WORD": "Name of the policy to run",
        "more": "Display the contents of a file",
        "more WORD": "URL of the file to display (bootflash:NAME)",
        "ip": "IP information",
        "ip interface": "IP interface status and configuration",
        "brief": "Brief summary of IP status and configuration",
        "route": "IP routing table",
        "access-lists": "List access lists",
        "ip access-lists": "List IP access lists",
        "access-lists WORD": "ACL number or name",
        "map": "Crypto maps",
        "map tag": "Crypto maps with a given tag",
        "tag WORD": "Tag name",
        "map interface": "Crypto maps for an interface",
        "interface WORD": "Interface name (GigabitEthernetN, TunnelN)",
        "transform-set": "Crypto IPSEC transform sets",
        "transform-set tag": "Transform set with a given tag",
        "profile": "Show ipsec profile information",
        "profile WORD": "ipsec profile name",
        "users": "Display information about terminal lines",
        "ssh": "Status of SSH server connections",
    ]

    static let table: CommandTree<ExecHandler> = {
        let t = CommandTree<ExecHandler>(help: help)
        // `sh log` stays `show logging`.
        t.minimumAbbreviation["login"] = "login".count
        PlatformCommands.register(t)
        CryptoCommands.register(t)
        SystemCommands.register(t)
        DebugCommands.register(t)
        InterfaceCommands.register(t)
        IPCommands.register(t)
        CryptoConfigShowCommands.register(t)
        LineCommands.register(t)
        return t
    }()
}

/// `show platform hardware qfp active ...`.
enum PlatformCommands {
    static let prefix = "show platform hardware qfp active"

    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("\(prefix) statistics drop [all | clear]", pipes: true) { ctx, p in
            let cp = ctx.controlPlane
            let clearing = p.has("clear")
            let counters = clearing ? cp.statistics.readAndClear(.globalDrops) : cp.statistics.sinceClear()
            let lastClearing = cp.lastGlobalClear.map { IOSDate.long(Date(timeIntervalSince1970: $0)) } ?? "never"
            if clearing { cp.noteClear(.globalDrops) }
            let text = GlobalDropTable.render(counters, lastClearing: lastClearing, all: p.has("all"), clearing: clearing)
            return CommandOutput(text, json: DropCountersJSON(counters, includeZero: p.has("all")).global)
        }
        t.add("\(prefix) statistics drop worker <0-63> [all]", pipes: true) { ctx, p in
            let counters = try worker(ctx, p)
            return CommandOutput(GlobalDropTable.render(counters, lastClearing: nil, all: p.has("all")),
                                 json: DropCountersJSON(counters, includeZero: p.has("all")).global)
        }
        t.add("\(prefix) statistics drop history [clear]", pipes: true) { ctx, p in
            let snapshot = ControlPlaneSnapshots.dropHistory(ctx.controlPlane)
            if p.has("clear") { ctx.controlPlane.dropHistory.clear() }
            return CommandOutput(ShowPlatformDropHistory.render(snapshot, clearing: p.has("clear")), json: snapshot)
        }
        t.add("\(prefix) feature ipsec datapath drops [all | clear]", pipes: true) { ctx, p in
            let cp = ctx.controlPlane
            let counters = p.has("clear") ? cp.statistics.readAndClear(.featureDrops) : cp.statistics.sinceClear()
            if p.has("clear") { cp.noteClear(.featureDrops) }
            return CommandOutput(IPsecDatapathDropTable.render(counters, all: p.has("all")),
                                 json: DropCountersJSON(counters, includeZero: p.has("all")).feature)
        }
        t.add("\(prefix) feature ipsec datapath drops worker <0-63> [all]", pipes: true) { ctx, p in
            let counters = try worker(ctx, p)
            return CommandOutput(IPsecDatapathDropTable.render(counters, all: p.has("all")),
                                 json: DropCountersJSON(counters, includeZero: p.has("all")).feature)
        }
        t.add("\(prefix) feature ipsec sa <1-4294967295>", pipes: true) { ctx, p in
            guard let snapshot = ControlPlaneSnapshots.qfpSA(ctx.controlPlane, id: Int(p.arguments[0])!) else {
                throw CommandFailure("% QFP SA id \(p.arguments[0]) not found")
            }
            return CommandOutput(ShowPlatformIPsecSA.render(snapshot), json: snapshot)
        }
        t.add("\(prefix) feature ipsec state", pipes: true) { ctx, _ in
            let snapshot = ControlPlaneSnapshots.ipsecState(ctx.controlPlane)
            return CommandOutput(ShowPlatformIPsecState.render(snapshot), json: snapshot)
        }
        t.add("\(prefix) datapath utilization", pipes: true) { ctx, _ in
            let snapshot = ControlPlaneSnapshots.utilization(ctx.controlPlane)
            return CommandOutput(ShowPlatformDatapathUtilization.render(snapshot), json: snapshot)
        }
    }

    /// One worker's counters since the last clear (the workers' tables sum to the totals).
    static func worker(_ ctx: ExecContext, _ p: ParsedCommand) throws -> CounterSnapshot {
        let w = Int(p.arguments[0])!
        let cores = ctx.controlPlane.statistics.sinceClearPerCore()
        let workers = ctx.controlPlane.router.pipeline.configuration.workers
        guard w < workers else { throw CommandFailure("% qfp: worker \(w) does not exist (workers 0-\(workers - 1))") }
        return cores[w]
    }
}

/// `show crypto ...` and `clear crypto ...`.
enum CryptoCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show crypto ipsec sa [peer {A.B.C.D | X:X:X:X::X}] [detail]", pipes: true) { ctx, p in
            let peer = p.argument(after: "peer").flatMap(IPAddress.init)
            let snapshot = ControlPlaneSnapshots.ipsecSA(ctx.controlPlane, peer: peer)
            return CommandOutput(ShowCryptoIPsecSA.render(snapshot, detail: p.has("detail")), json: snapshot)
        }
        t.add("show crypto isakmp sa [detail]", pipes: true) { ctx, p in
            let snapshot = ControlPlaneSnapshots.isakmpSA(ctx.controlPlane)
            let text = p.has("detail") ? ShowCryptoISAKMPSA.renderDetail(snapshot) : ShowCryptoISAKMPSA.render(snapshot)
            return CommandOutput(text, json: snapshot)
        }
        t.add("show crypto ikev2 sa [detail]", pipes: true) { ctx, p in
            let snapshot = ControlPlaneSnapshots.ikev2SA(ctx.controlPlane)
            return CommandOutput(ShowCryptoIKEv2SA.render(snapshot, detail: p.has("detail")), json: snapshot)
        }
        t.add("show crypto session [detail]", pipes: true) { ctx, p in
            let snapshot = ControlPlaneSnapshots.sessions(ctx.controlPlane)
            return CommandOutput(ShowCryptoSession.render(snapshot, detail: p.has("detail")), json: snapshot)
        }
        t.add("clear crypto sa [peer {A.B.C.D | X:X:X:X::X}]") { ctx, p in
            let peer = p.argument(after: "peer").flatMap(IPAddress.init)
            ctx.controlPlane.ike.request(.clearChildSAs(peer: peer))
            try ctx.controlPlane.router.clearSAs(peer: peer)
            return CommandOutput("")
        }
        t.add("clear crypto isakmp") { ctx, _ in
            ctx.controlPlane.ike.request(.clearIKESAs)
            return CommandOutput("")
        }
        // IOS's remedy for a session stuck on stale SAs: its IPsec and IKE SAs go (DELETE
        // notifies for both), the next packet negotiates afresh.
        t.add("clear crypto session [remote {A.B.C.D | X:X:X:X::X}]") { ctx, p in
            let peer = p.argument(after: "remote").flatMap(IPAddress.init)
            ctx.controlPlane.ike.request(.clearSessions(peer: peer))
            try ctx.controlPlane.router.clearSAs(peer: peer)
            return CommandOutput("")
        }
        IKECommands.register(t)
    }
}

/// Everything else: logging, configuration, version, clock, terminal, modes.
enum SystemCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show logging", pipes: true) { ctx, _ in
            let snapshot = ControlPlaneSnapshots.logging(ctx.controlPlane)
            return CommandOutput(ShowLogging.render(snapshot), json: snapshot)
        }
        t.add("clear logging") { ctx, _ in
            // IOS asks first; qfp takes the confirmation as given (scripts that answer the
            // prompt with a newline send an empty line, which does nothing).
            ctx.controlPlane.syslog.clear()
            return CommandOutput("Clear logging buffer [confirm]\n")
        }
        t.add("show running-config", pipes: true) { ctx, _ in
            let cp = ctx.controlPlane
            let change = Date(timeIntervalSince1970: cp.wallClock.secondsSince1970()
                - Double(cp.clock.now() &- cp.router.lastChange) / 1e9)
            let text = RunningConfiguration.show(cp.router.configuration, lastChange: IOSDate.change(change))
            return CommandOutput(text, json: ["running_config": text])
        }
        t.add("show version", pipes: true) { ctx, _ in
            let snapshot = ControlPlaneSnapshots.version(ctx.controlPlane)
            return CommandOutput(ShowVersion.render(snapshot), json: snapshot)
        }
        t.add("show clock", pipes: true) { ctx, _ in
            let snapshot = ClockSnapshot(ctx.controlPlane.now, in: TimeZone(identifier: "UTC")!, zoneName: "UTC")
            return CommandOutput(ShowClock.render(snapshot), json: snapshot)
        }
        t.add("terminal length <0-512>") { ctx, p in
            ctx.session.terminalLength = Int(p.arguments[0])!
            return CommandOutput("")
        }
        t.add("terminal width <0-512>") { ctx, p in
            ctx.session.terminalWidth = Int(p.arguments[0])!
            return CommandOutput("")
        }
        t.add("configure terminal") { ctx, _ in
            ctx.session.enterConfiguration()
            return CommandOutput("Enter configuration commands, one per line.  End with CNTL/Z.\n")
        }
        t.add("enable") { ctx, _ in try ctx.session.requestEnable() }
        t.add("disable") { ctx, _ in
            ctx.session.privilege = 1
            return CommandOutput("")
        }
        t.add("show login failures", pipes: true) { ctx, _ in
            let (total, rows) = ctx.controlPlane.logins.failures
            return CommandOutput(ShowLoginFailures.render(total: total, rows: rows),
                                 json: ShowLoginFailures.JSON(total: total, rows: rows))
        }
        t.add("show login", pipes: true) { ctx, _ in
            let access = ctx.controlPlane.router.configuration.control.access
            let status = ctx.controlPlane.logins.watchStatus
            return CommandOutput(ShowLogin.render(access, status), json: ShowLogin.JSON(access, status))
        }
        t.add("{exit | quit | logout}") { ctx, _ in
            ctx.session.close()
            return CommandOutput("")
        }
    }
}

/// `debug crypto …`, `undebug …`, `show debugging`, `event manager run`, `more`.
enum DebugCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("debug crypto {isakmp | ipsec}") { ctx, p in
            let category = self.category(p)
            ctx.controlPlane.syslog.setDebug(category, true)
            return CommandOutput("\(category.title) debugging is on\n")
        }
        t.add("{no debug | undebug} crypto {isakmp | ipsec}") { ctx, p in
            let category = self.category(p)
            ctx.controlPlane.syslog.setDebug(category, false)
            return CommandOutput("\(category.title) debugging is off\n")
        }
        t.add("{no debug | undebug} all") { ctx, _ in
            ctx.controlPlane.syslog.undebugAll()
            return CommandOutput("All possible debugging has been turned off\n")
        }
        t.add("show debugging", pipes: true) { ctx, _ in
            let on = ctx.controlPlane.syslog.debugs.sorted()
            let text = on.isEmpty ? "" : "Cryptographic Subsystem:\n" + on.map { "  \($0.title) debugging is on\n" }.joined()
            return CommandOutput(text, json: ["debugging": on.map(\.rawValue)])
        }
        t.add("event manager run WORD") { ctx, p in
            do {
                return CommandOutput(try ctx.controlPlane.eem.run(name: p.arguments[0]))
            } catch {
                throw CommandFailure("\(error)\n")
            }
        }
        t.add("more WORD", pipes: true) { ctx, p in
            do {
                return CommandOutput(try ctx.controlPlane.flash.read(p.arguments[0]))
            } catch {
                throw CommandFailure("\(error)\n")
            }
        }
    }

    static func category(_ p: ParsedCommand) -> SyslogBuffer.DebugCategory {
        p.has("isakmp") ? .cryptoISAKMP : .cryptoIPsec
    }
}

/// Dates as IOS prints them (UTC).
enum IOSDate {
    static let utc = TimeZone(identifier: "UTC")!

    static func parts(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// `Tue Mar 21 00:00:15 2023` (last clearing of QFP drops statistics).
    static func long(_ date: Date) -> String {
        let c = parts(date)
        let day = c.day! < 10 ? " \(c.day!)" : String(c.day!)
        return "\(days[c.weekday! - 1]) \(months[c.month! - 1]) \(day) \(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) \(c.year!)"
    }

    /// `17:27:09 UTC Sun Nov 29 2026` (last configuration change).
    static func change(_ date: Date) -> String {
        let c = parts(date)
        return "\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) UTC \(days[c.weekday! - 1]) \(months[c.month! - 1]) \(c.day!) \(c.year!)"
    }
}
