import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show logging` against device captures, and the buffer's ring model.
@Suite("show logging against device captures")
struct RenderLoggingTests {
    @Test("persistent logging, buffer not wrapped (logging/02)")
    func persistent() throws {
        let stamp = { (h: Int, m: Int, s: Int, ms: Int) in
            SyslogTimestamp(authority: .notAuthoritative, month: 10, day: 15, hour: h, minute: m, second: s, millisecond: ms)
        }
        let snapshot = LoggingSnapshot(
            messagesRateLimited: 3, console: .init(messagesLogged: 9789), monitor: .init(messagesLogged: 0),
            buffered: .init(messagesLogged: 9789), fileLogging: nil,
            persistent: .init(url: "bootflash:/syslog", diskSpaceBytes: 104_857_600, fileSizeBytes: 10_485_760, batchSizeBytes: 4096),
            trapMessageLinesLogged: 9780,
            buffer: LogBufferSnapshot(sizeBytes: 512_000, entries: [
                LogEntry(timestamp: stamp(9, 12, 40, 734), message: "%SYS-6-LOGOUT: User admin has exited tty session 866(192.168.1.31)"),
                LogEntry(timestamp: stamp(9, 13, 24, 5), message: "%SELINUX-3-MISMATCH: R0/0: audispd: type=AVC msg=audit(1602753204.003:5355): avc:  denied  { mounton } for  pid=11284 comm=\"DNS\" path=\"/sys\" dev=\"overlay\" ino=27798 scontext=system_u:system_r:polaris_vdaemon_t:s0 tcontext=system_u:object_r:tmp_t:s0 tclass=dir permissive=1"),
            ]))
        #expect(trimmedEnd(ShowLogging.render(snapshot)) == (try golden("logging_5_persistent.txt")))
    }

    @Test("sequence numbers, File logging line, wrapped buffer starting mid-message (logging/03)")
    func wrapped() throws {
        let entry = { (seq: UInt64, s: Int, text: String) in
            LogEntry(sequenceNumber: seq, timestamp: SyslogTimestamp(month: 6, day: 19, hour: 3, minute: 2, second: s), message: text)
        }
        let snapshot = LoggingSnapshot(
            messagesRateLimited: 34, console: .init(messagesLogged: 22827), monitor: .init(messagesLogged: 68),
            buffered: .init(messagesLogged: 22860), fileLogging: false, trapMessageLinesLogged: 22790,
            buffer: LogBufferSnapshot(
                sizeBytes: 16384, startsMidMessage: true,
                truncatedHead: "7:04: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet2/0/3, changed state to up",
                entries: [
                    entry(22701, 31, "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet2/0/3, changed state to down"),
                    entry(22702, 32, "%LINK-3-UPDOWN: Interface GigabitEthernet2/0/3, changed state to down"),
                    entry(22703, 37, "%LINK-3-UPDOWN: Interface GigabitEthernet2/0/3, changed state to up"),
                ]))
        let rendered = ShowLogging.render(snapshot)
        #expect(trimmedEnd(rendered) == (try golden("logging_ntc_mixed_timestamps.txt")))
        #expect(rendered.hasSuffix("changed state to up\n"))
    }

    @Test("console disabled, time zone stamps (logging/01 from `Console logging` on: older discriminator block)")
    func consoleDisabled() throws {
        let stamp = { (m: Int, s: Int, ms: Int) in
            SyslogTimestamp(month: 6, day: 5, hour: 5, minute: m, second: s, millisecond: ms, timeZone: "EST")
        }
        let dup = "%IP-4-DUPADDR: Duplicate address 172.16.1.216 on GigabitEthernet1, sourced by 5e00.80ff.0606"
        let snapshot = LoggingSnapshot(
            messagesRateLimited: 149, console: nil, monitor: .init(messagesLogged: 0), buffered: .init(messagesLogged: 481),
            fileLogging: nil, trapMessageLinesLogged: 478,
            buffer: LogBufferSnapshot(sizeBytes: 4096, startsMidMessage: true, entries: [
                LogEntry(timestamp: stamp(9, 30, 838), message: dup),
                LogEntry(timestamp: stamp(10, 36, 839), message: dup),
                LogEntry(timestamp: stamp(10, 59, 519), message: "%SYS-5-CONFIG_I: Configured from console by cisco on console"),
                LogEntry(timestamp: stamp(11, 4, 626), message: "Rollback:Acquired Configuration lock."),
                LogEntry(timestamp: stamp(11, 4, 626), message: "%SYS-5-CONFIG_R: Config Replace is Done"),
                LogEntry(timestamp: stamp(11, 14, 115), message: "Rollback:Acquired Configuration lock."),
                LogEntry(timestamp: stamp(11, 14, 115), message: "%SYS-5-CONFIG_R: Config Replace is Done"),
            ]))
        func fromConsole(_ text: String) -> String {
            String(text[text.range(of: "    Console logging:")!.lowerBound...])
        }
        let captured = try golden("logging_1.txt")
        #expect(fromConsole(trimmedEnd(ShowLogging.render(snapshot))) == fromConsole(captured))
        #expect(captured.hasPrefix("\nSyslog logging: enabled (0 messages dropped, 149 messages rate-limited,"))
        #expect(ShowLogging.render(snapshot).hasPrefix("Syslog logging: enabled (0 messages dropped, 149 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)\n"))
    }

    @Test("the ring keeps the newest messages; a cut message shows its tail; an empty buffer")
    func ring() {
        let entries = (1...4).map { LogEntry(message: "message \($0)") }   // 9 characters + newline each
        let whole = LogBufferSnapshot(sizeBytes: 40, writing: entries)
        #expect(whole == LogBufferSnapshot(sizeBytes: 40, entries: entries))
        #expect(ShowLogging.buffer(whole) == "Log Buffer (40 bytes):\n\nmessage 1\nmessage 2\nmessage 3\nmessage 4\n")
        let cut = LogBufferSnapshot(sizeBytes: 36, writing: entries)
        #expect(cut.startsMidMessage && cut.truncatedHead == "sage 1" && cut.entries.count == 3)
        #expect(ShowLogging.buffer(cut) == "Log Buffer (36 bytes):\nsage 1\nmessage 2\nmessage 3\nmessage 4\n")
        let boundary = LogBufferSnapshot(sizeBytes: 30, writing: entries)
        #expect(!boundary.startsMidMessage && boundary.entries.count == 3)
        #expect(ShowLogging.buffer(LogBufferSnapshot(sizeBytes: 4096)) == "Log Buffer (4096 bytes):\n\n")
    }

    @Test("timestamps: authority flags, padded day, optional parts; from a Date")
    func timestamps() {
        #expect(SyslogTimestamp(authority: .notAuthoritative, month: 10, day: 24, hour: 4, minute: 31, second: 10, millisecond: 58).text
            == "*Oct 24 04:31:10.058")
        #expect(SyslogTimestamp(month: 9, day: 2, hour: 12, minute: 18, second: 43, millisecond: 404, timeZone: "EDT").text
            == "Sep  2 12:18:43.404 EDT")
        let date = Date(timeIntervalSince1970: 1_754_541_474.8495)   // 2025-08-07 04:37:54.849 UTC
        let stamp = SyslogTimestamp(date, in: TimeZone(identifier: "UTC")!, authority: .unsynchronized, zoneName: "UTC", withYear: true)
        #expect(stamp.text == ".Aug  7 2025 04:37:54.849 UTC")
        #expect(LogEntry(sequenceNumber: 42, message: "%X-1-Y: z").line == "000042: %X-1-Y: z")
    }
}
