import Foundation
@testable import QFPCLI
import QFPControl
import QFPDataplane
import Testing

/// The seed recipe of ios-xe-qfp.md §11 on a router of its own, and the CLI glue around it.
@Suite("EEM recipe, debug and file commands")
struct EEMRecipeTests {
    typealias Applet = EventManagerApplet

    static let invalidSPI = SyslogMessage.invalidSPI(
        destination: IPAddress("20.1.1.2")!, protocolNumber: 50, spi: 0xB761_863E, source: IPAddress("10.1.1.1")!,
        inputInterface: "GigabitEthernet1")

    /// `event manager applet INV-SPI-CATCH` exactly as the recipe writes it.
    static var seed: Applet {
        var a = Applet(name: "INV-SPI-CATCH")
        a.event = .syslog(pattern: "RECVD_PKT_INV_SPI", occurs: 1, period: 60, ratelimit: nil)
        a.maxrun = 60
        a.actions = [
            .init(label: "1.0", action: .cliCommand("enable", pattern: nil)),
            .init(label: "2.0", action: .cliCommand("show crypto ipsec sa | append bootflash:invspi.txt", pattern: nil)),
            .init(label: "3.0", action: .regexp(pattern: "spi=(0x[0-9A-F]+)", input: "$_syslog_msg", variables: ["match", "spi"])),
            .init(label: "4.0", action: .syslogMessage("captured invalid SPI $spi", priority: nil)),
        ]
        return a
    }

    @Test("an invalid-SPI message appends show crypto ipsec sa to bootflash and logs the captured SPI")
    func seedRecipe() throws {
        let r = try TestRouter()
        var configuration = r.controlPlane.router.configuration
        configuration.control.applets = [Self.seed.name: Self.seed]
        try r.controlPlane.configure(configuration, by: "console by console")
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        let show = session.execute("show crypto ipsec sa").output
        #expect(!show.isEmpty)

        var showAtMinute = ""  // the SA lifetimes count down: the second run sees other numbers
        for second in 0..<90 {  // one a second for 90 s: the logger lets one through a minute
            if second == 60 { showAtMinute = session.execute("show crypto ipsec sa").output }
            r.controlPlane.syslog.log(Self.invalidSPI)
            r.advance(seconds: 1)
        }
        let file = try String(contentsOf: r.flashRoot.appendingPathComponent("invspi.txt"), encoding: .utf8)
        #expect(file == show + showAtMinute)
        let log = r.controlPlane.syslog.entries.map(\.message)
        #expect(log.filter { $0.hasPrefix("%HA_EM") } == [
            "%HA_EM-6-LOG: INV-SPI-CATCH: captured invalid SPI 0xB761863E",
            "%HA_EM-6-LOG: INV-SPI-CATCH: captured invalid SPI 0xB761863E",
        ])
        #expect(session.execute("more bootflash:invspi.txt").output == show + showAtMinute)
        #expect(session.execute("show logging").output.contains("88 messages rate-limited"))
    }

    @Test("debug switches, show debugging, undebug all")
    func debugs() throws {
        let r = try TestRouter()
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(s.execute("show debugging").output == "")
        #expect(s.execute("debug crypto isakmp").output == "Crypto ISAKMP debugging is on\n")
        #expect(s.execute("debug crypto ipsec").output == "Crypto IPSEC debugging is on\n")
        #expect(s.execute("show debugging").output == "Cryptographic Subsystem:\n  Crypto ISAKMP debugging is on\n  Crypto IPSEC debugging is on\n")
        #expect(r.controlPlane.syslog.debug("ISAKMP-ERROR: (0):ignoring request to send delete notify (no ISAKMP sa) src 61.128.1.1 dst 103.1.1.1 for SPI 0x3EA71AED"))
        #expect(s.execute("no debug crypto ipsec").output == "Crypto IPSEC debugging is off\n")
        #expect(s.execute("undebug all").output == "All possible debugging has been turned off\n")
        #expect(r.controlPlane.syslog.debugs.isEmpty)
        _ = s.execute("debug crypto isakmp")
        #expect(s.execute("no debug all").output == "All possible debugging has been turned off\n")
        #expect(!r.controlPlane.syslog.debug("ISAKMP: off now"))
    }

    @Test("| redirect and | append write bootflash files; escapes are refused")
    func files() throws {
        let r = try TestRouter()
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        let clock = s.execute("show clock").output
        #expect(s.execute("show clock | redirect bootflash:c.txt").output == "")
        #expect(s.execute("show clock | append flash:/c.txt").output == "")
        #expect(s.execute("more harddisk:c.txt").output == clock + clock)
        #expect(s.execute("show clock | redirect bootflash:c.txt").output == "")
        #expect(s.execute("more bootflash:c.txt").output == clock)
        let escape = s.execute("show clock | append bootflash:../x")
        #expect(escape.failed && escape.output == "%Error opening bootflash:../x (Permission denied)\n")
        #expect(s.execute("more bootflash:nope").output == "%Error opening bootflash:nope (No such file or directory)\n")
        #expect(s.execute("more nvram:x").output == "%Error opening nvram:x (Invalid argument)\n")
        #expect(s.execute("show clock | redirect bootflash:a b").failed)
    }

    @Test("event manager run: puts output, and a clear error for applets without event none")
    func run() throws {
        let r = try TestRouter()
        var a = Applet(name: "HELLO")
        a.event = EventManagerApplet.Event.none
        a.actions = [.init(label: "1", action: .cliCommand("show clock", pattern: nil)), .init(label: "2", action: .puts("$_cli_result"))]
        var configuration = r.controlPlane.router.configuration
        configuration.control.applets = ["HELLO": a, "SEED": Self.seed]
        try r.controlPlane.configure(configuration, by: "console by console")
        let s = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(s.execute("event manager run HELLO").output == s.execute("show clock").output + "\n")
        #expect(s.execute("event manager run SEED").output == "EEM policy SEED not registered with event none Event Detector\n")
    }
}
