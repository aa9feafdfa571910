import Foundation
@testable import QFPControl
import QFPDataplane
import Synchronization
import Testing

/// A logger on a virtual clock whose wall clock starts 2026-03-21 00:00:00 UTC.
func makeLogger(zone: TimeZone = TimeZone(identifier: "UTC")!) -> (SyslogBuffer, VirtualClock) {
    let clock = VirtualClock()
    let logger = SyslogBuffer(wallClock: DerivedWallClock(start: 1_774_051_200, clock: clock), clock: clock, localZone: zone)
    return (logger, clock)
}

let invalidSPISample = SyslogMessage.invalidSPI(
    destination: IPAddress("20.1.1.2")!, protocolNumber: 50, spi: 0xB761_863E, source: IPAddress("10.1.1.1")!,
    inputInterface: "GigabitEthernet1")

@Suite("Syslog messages, rate limits, timestamps, debugs")
struct SyslogTests {
    @Test("the factories print IOS's exact texts")
    func texts() {
        #expect(invalidSPISample.formatted == "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=20.1.1.2, prot=50, spi=0xB761863E(3076621886), srcaddr=10.1.1.1, input interface=GigabitEthernet1")
        let old = SyslogMessage.invalidSPI(destination: IPAddress("20.1.1.2")!, protocolNumber: 51, spi: 0x1A, source: IPAddress("10.1.1.1")!, inputInterface: nil)
        #expect(old.formatted == "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=20.1.1.2, prot=51, spi=0x1A(26), srcaddr=10.1.1.1")
        let mac = SyslogMessage.macError(connectionID: 2989, local: IPAddress("172.16.200.18")!, remote: IPAddress("172.16.204.18")!, spi: 0x999C_D43B, sequence: 0x71328)
        #expect(mac.formatted == "%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=2989 local=172.16.200.18 remote=172.16.204.18 spi=999CD43B seqno=00071328")
        #expect(SyslogMessage.replayError(connectionID: 311, sequence: 0).formatted == "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=311, sequence number=0")
        #expect(SyslogMessage.configured(by: "console by console").formatted == "%SYS-5-CONFIG_I: Configured from console by console")
        #expect(SyslogMessage.eemLog(applet: "X", text: "hi").formatted == "%HA_EM-6-LOG: X: hi")
        #expect(SyslogMessage(parsing: mac.formatted) == mac)
        #expect(SyslogMessage(parsing: "Rollback:Acquired Configuration lock.") == nil)
        #expect(SyslogMessage(parsing: "%X-9-Y: z") == nil)
    }

    @Test("10,000 invalid-SPI messages over 3 virtual minutes log once a minute; the rest are counted")
    func rateLimit() {
        let (logger, clock) = makeLogger()
        var logged = 0
        for _ in 0..<10_000 {
            if logger.log(invalidSPISample) { logged += 1 }
            clock.advance(by: .milliseconds(18))  // 10,000 × 18 ms = 180 s
        }
        #expect(logged == 3)
        #expect(logger.entries.count == 3)
        #expect(logger.messagesRateLimited == 9_997)
        #expect(logger.suppressedCounts == ["CRYPTO-RECVD_PKT_INV_SPI": 9_997])
        #expect(logger.entries.map { $0.timestamp!.text } == ["Mar 21 00:00:00.000", "Mar 21 00:01:00.012", "Mar 21 00:02:00.024"])
    }

    @Test("MAC errors every 30 s, replay errors every 60 s, other kinds unlimited, each kind on its own")
    func perKind() {
        let (logger, clock) = makeLogger()
        let mac = SyslogMessage.macError(connectionID: 1, local: IPAddress("1.1.1.1")!, remote: IPAddress("2.2.2.2")!, spi: 1, sequence: 1)
        let replay = SyslogMessage.replayError(connectionID: 1, sequence: 5)
        let status = SyslogMessage(facility: "CRYPTO", severity: .notifications, mnemonic: "SESSION_STATUS", text: "Crypto tunnel is UP")
        for _ in 0..<60 {
            logger.log(mac)
            logger.log(replay)
            logger.log(status)
            clock.advance(by: .seconds(1))
        }
        let counts = Dictionary(grouping: logger.entries, by: { SyslogMessage(parsing: $0.message)!.mnemonic }).mapValues(\.count)
        #expect(counts == ["RECVD_PKT_MAC_ERR": 2, "PKT_REPLAY_ERR": 1, "SESSION_STATUS": 60])
        #expect(logger.suppressedCounts == ["CRYPTO-RECVD_PKT_MAC_ERR": 58, "CRYPTO-PKT_REPLAY_ERR": 59])
        // The free-text path reads the kind too (60 s after the last replay line: logged once).
        #expect(logger.log(replay.formatted))
        #expect(!logger.log(replay.formatted))
    }

    @Test("service timestamps: msec, year, show-timezone, localtime, uptime, disabled")
    func timestamps() {
        let (logger, clock) = makeLogger(zone: TimeZone(identifier: "America/New_York")!)
        clock.advance(by: .milliseconds(3 * 86_400_000 + 7_384_056))  // Mar 24 02:03:04.056 UTC
        func line(_ t: ServiceTimestamps) -> String {
            var c = ControlConfiguration()
            c.timestampsLog = t
            logger.apply(c)
            logger.clear()
            logger.log(SyslogMessage.configured(by: "console by console"))
            return logger.entries[0].line
        }
        let text = "%SYS-5-CONFIG_I: Configured from console by console"
        #expect(line(.iosDefault) == "Mar 24 02:03:04.056: " + text)
        #expect(line(ServiceTimestamps(msec: false)) == "Mar 24 02:03:04: " + text)
        #expect(line(ServiceTimestamps(showTimezone: true, year: true)) == "Mar 24 2026 02:03:04.056 UTC: " + text)
        #expect(line(ServiceTimestamps(localtime: true, showTimezone: true)) == "Mar 23 22:03:04.056 EDT: " + text)
        #expect(line(ServiceTimestamps(kind: .uptime)) == "3d02h: " + text)
        #expect(line(ServiceTimestamps(enabled: false)) == text)
        logger.authority = .notAuthoritative
        #expect(line(.iosDefault) == "*Mar 24 02:03:04.056: " + text)
        logger.sequenceNumbers = true
        #expect(line(ServiceTimestamps(msec: false)).hasPrefix("000008: *Mar 24 02:03:04: "))
    }

    @Test("uptime stamps: hh:mm:ss under a day, then days and hours, weeks and days")
    func uptime() {
        #expect(SyslogUptime(seconds: 178).text == "00:02:58")
        #expect(SyslogUptime(seconds: 86_400 + 2 * 3600 + 5).text == "1d02h")
        #expect(SyslogUptime(seconds: 15 * 86_400).text == "2w1d")
    }

    @Test("debug lines are logged only while their debug is on, stamped per service timestamps debug")
    func debugGating() {
        let (logger, clock) = makeLogger()
        let line = "ISAKMP-ERROR: (0):ignoring request to send delete notify (no ISAKMP sa) src 61.128.1.1 dst 103.1.1.1 for SPI 0x3EA71AED"
        #expect(!logger.debug(.cryptoISAKMP, line))
        #expect(!logger.debug(line))
        logger.setDebug(.cryptoISAKMP, true)
        var c = ControlConfiguration()
        c.timestampsDebug = ServiceTimestamps(kind: .uptime)
        logger.apply(c)
        clock.advance(by: .seconds(178))
        #expect(logger.debug(line))
        #expect(!logger.debug(.cryptoIPsec, "IPSEC(key_engine): got a queue event with 1 KMI message(s)"))
        #expect(logger.entries.map(\.line) == ["00:02:58: " + line])
        logger.undebugAll()
        #expect(!logger.debug(line))
        #expect(logger.debugs.isEmpty)
    }

    @Test("buffer size and level: a smaller buffer keeps the newest lines; lines below the level stay out")
    func buffered() {
        let (logger, _) = makeLogger()
        var c = ControlConfiguration()
        c.logging.bufferedSize = 4096
        c.logging.bufferedLevel = .warnings
        logger.apply(c)
        for i in 0..<200 { logger.log(SyslogMessage(facility: "T", severity: .warnings, mnemonic: "N", text: "message \(i)")) }
        logger.log(SyslogMessage(facility: "T", severity: .informational, mnemonic: "I", text: "kept out"))
        #expect(logger.capacity == 4096)
        #expect(logger.bytesUsed <= 4096)
        #expect(logger.entries.last?.message == "%T-4-N: message 199")
        #expect(logger.messagesLogged == 201)
        #expect(logger.bufferedMessagesLogged == 200)
    }

    @Test("observers see every logged message, not suppressed ones")
    func observers() {
        let (logger, _) = makeLogger()
        let seen = Mutex<[String]>([])
        logger.addObserver { e in seen.withLock { $0.append(e.message) } }
        logger.log(invalidSPISample)
        logger.log(invalidSPISample)
        #expect(seen.withLock { $0 } == [invalidSPISample.formatted])
    }

    @Test("datagram framing: <PRI>SEQ: STAMP: message, local7")
    func datagram() {
        let entry = LogEntry(timestamp: SyslogTimestamp(month: 3, day: 1, hour: 0, minute: 0, second: 1, millisecond: 5), message: invalidSPISample.formatted)
        #expect(SyslogBuffer.datagram(entry, severity: .warnings, sequence: 7) == "<188>7: Mar  1 00:00:01.005: " + invalidSPISample.formatted)
        #expect(SyslogBuffer.datagram(LogEntry(message: "x"), severity: .debugging, sequence: 1) == "<191>1: x")
    }
}
