import Foundation
@testable import QFPControl
import QFPDataplane
import Synchronization
import Testing

@Suite("EEM applets")
struct EEMTests {
    typealias Applet = EventManagerApplet

    /// A logger and an engine on one virtual clock.
    func make(_ applets: [Applet]) -> (SyslogBuffer, EEMEngine, VirtualClock) {
        let (logger, clock) = makeLogger()
        let engine = EEMEngine(logger: logger, clock: clock)
        engine.apply(Dictionary(uniqueKeysWithValues: applets.map { ($0.name, $0) }))
        return (logger, engine, clock)
    }

    func applet(_ name: String, _ event: Applet.Event, _ actions: [(String, Applet.Action)]) -> Applet {
        var a = Applet(name: name)
        a.event = event
        a.actions = actions.map { Applet.LabeledAction(label: $0.0, action: $0.1) }
        return a
    }

    func messages(_ logger: SyslogBuffer, _ mnemonic: String) -> [String] {
        logger.entries.map(\.message).filter { $0.contains(mnemonic) }
    }

    @Test("occurs 3 period 10: fires on the third match inside 10 s, not on three spread-out ones")
    func occursPeriod() {
        let a = applet("THREE", .syslog(pattern: "LINK-3-UPDOWN", occurs: 3, period: 10, ratelimit: nil),
                       [("1", .syslogMessage("three flaps", priority: nil))])
        let (logger, engine, clock) = make([a])
        let flap = SyslogMessage(facility: "LINK", severity: .errors, mnemonic: "UPDOWN", text: "Interface Gi1, changed state to down")
        for _ in 0..<3 {
            logger.log(flap)
            clock.advance(by: .seconds(6))
        }
        #expect(engine.runCount("THREE") == 0)
        logger.log(flap)
        clock.advance(by: .seconds(1))
        logger.log(flap)
        #expect(engine.runCount("THREE") == 1)
        #expect(messages(logger, "HA_EM") == ["%HA_EM-6-LOG: THREE: three flaps"])
    }

    @Test("ratelimit 60: no second run within a minute of the first")
    func ratelimit() {
        let a = applet("RL", .syslog(pattern: "UPDOWN", occurs: nil, period: nil, ratelimit: 60), [("1", .puts("x"))])
        let (logger, engine, clock) = make([a])
        let m = SyslogMessage(facility: "LINK", severity: .errors, mnemonic: "UPDOWN", text: "x")
        for _ in 0..<12 {
            logger.log(m)
            clock.advance(by: .seconds(10))
        }
        #expect(engine.runCount("RL") == 2)  // at 0 s and 60 s
    }

    @Test("actions run in label order compared as strings: 1.10 before 1.2")
    func labelOrder() throws {
        let a = applet("ORDER", .none, [
            ("1.2", .puts("second")), ("1.10", .puts("first")), ("2", .puts("third $x")), ("1.9", .set(variable: "x", value: "y")),
        ])
        let (_, engine, _) = make([a])
        #expect(try engine.run(name: "ORDER") == "first\nsecond\nthird y\n")
        #expect(throws: EEMEngine.RunFailure.self) { try engine.run(name: "NOPE") }
    }

    @Test("cli command goes through the executor; regexp sets match and sub-match variables")
    func cliAndRegexp() throws {
        let seen = Mutex<[String]>([])
        let a = applet("CLI", .none, [
            ("1.0", .cliCommand("enable", pattern: nil)),
            ("2.0", .cliCommand("show clock", pattern: nil)),
            ("3.0", .regexp(pattern: "([0-9]+):([0-9]+)", input: "$_cli_result", variables: ["all", "h", "m"])),
            ("4.0", .puts("$all $h ${m} $_regexp_result \\$h")),
        ])
        let (_, engine, _) = make([a])
        engine.setExecutor {
            { line in
                seen.withLock { $0.append(line) }
                return "*04:37:54.849 UTC Thu Aug 7 2025\n"
            }
        }
        #expect(try engine.run(name: "CLI") == "04:37 04 37 1 $h\n")
        #expect(seen.withLock { $0 } == ["show clock"])
    }

    @Test("an unknown variable stops the applet with FMPD errors, not a crash")
    func unknownVariable() throws {
        let a = applet("BAD", .none, [("1", .puts("$nope")), ("2", .syslogMessage("not reached", priority: nil))])
        let (logger, engine, _) = make([a])
        #expect(try engine.run(name: "BAD") == "")
        #expect(messages(logger, "HA_EM") == [
            "%HA_EM-3-FMPD_UNKNOWN_ENV: fh_parse_var: could not find environment variable: nope",
            "%HA_EM-3-FMPD_ERROR: Error executing applet BAD statement 1: could not find environment variable: nope",
        ])
    }

    @Test("an applet whose message matches its own pattern runs once per outside trigger")
    func noSelfRecursion() {
        let a = applet("LOOP", .syslog(pattern: "LOOP", occurs: nil, period: nil, ratelimit: nil),
                       [("1", .syslogMessage("LOOP again", priority: "warnings"))])
        let b = applet("CHAIN", .syslog(pattern: "HA_EM-4-LOG: LOOP", occurs: nil, period: nil, ratelimit: nil),
                       [("1", .syslogMessage("chained", priority: nil))])
        let (logger, engine, _) = make([a, b])
        logger.log(SyslogMessage(facility: "X", severity: .errors, mnemonic: "Y", text: "LOOP start"))
        #expect(engine.runCount("LOOP") == 1)
        #expect(engine.runCount("CHAIN") == 1)
        #expect(messages(logger, "HA_EM") == ["%HA_EM-4-LOG: LOOP: LOOP again", "%HA_EM-6-LOG: CHAIN: chained"])
    }

    @Test("timer countdown fires once after its time; watchdog repeats")
    func timers() {
        let c = applet("CD", .countdown(seconds: 30), [("1", .puts("x"))])
        let w = applet("WD", .watchdog(seconds: 10), [("1", .puts("x"))])
        let (_, engine, clock) = make([c, w])
        for _ in 0..<60 {
            clock.advance(by: .seconds(1))
            engine.tick()
        }
        #expect(engine.runCount("CD") == 1)
        #expect(engine.runCount("WD") == 6)
    }

    @Test("the seed recipe's regexp captures the invalid SPI from $_syslog_msg")
    func seedRegexp() {
        let a = applet("INV-SPI-CATCH", .syslog(pattern: "RECVD_PKT_INV_SPI", occurs: 1, period: 60, ratelimit: nil), [
            ("1.0", .cliCommand("enable", pattern: nil)),
            ("3.0", .regexp(pattern: "spi=(0x[0-9A-F]+)", input: "$_syslog_msg", variables: ["match", "spi"])),
            ("4.0", .syslogMessage("captured invalid SPI $spi", priority: nil)),
        ])
        let (logger, engine, clock) = make([a])  // the logger holds its observer weakly: keep the engine
        for _ in 0..<100 {
            logger.log(invalidSPISample)
            clock.advance(by: .seconds(1))
        }
        #expect(messages(logger, "HA_EM") == [
            "%HA_EM-6-LOG: INV-SPI-CATCH: captured invalid SPI 0xB761863E",
            "%HA_EM-6-LOG: INV-SPI-CATCH: captured invalid SPI 0xB761863E",
        ])
        #expect(engine.runCount("INV-SPI-CATCH") == 2)
    }
}
