@testable import QFPCLI
import QFPControl
import Testing

@Suite("qfp top: the screen and the plain lines")
struct TopScreenTests {
    /// Two snapshots 2 s apart: one worker, two causes, one feature drop, a flagged flow, syslog.
    func model() -> TopModel {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 3600, received: 10_000, forwarded: 9_000, busyMilliseconds: 0,
                             global: [("IpsecInput", 1000, 1000), ("IpsecTailDrop", 7, 7)],
                             feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 1000, 1000)]))
        var s = topSnapshot(seconds: 3602, received: 12_000, forwarded: 10_950, busyMilliseconds: 250,
                            global: [("IpsecInput", 1050, 1050), ("IpsecTailDrop", 7, 7)],
                            feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 1050, 1050)],
                            syslog: (1...30).map { "Mar 21 00:00:\($0 < 10 ? "0" : "")\($0).000: %CRYPTO-4-RECVD_PKT_INV_SPI: line \($0)" },
                            logged: 30)
        s.suspects = [SuspectFlowReport(source: "203.0.113.5", destination: "192.0.2.1", spi: 0x1F2E_3D4C, firstSeenSecondsAgo: 125,
                                        lastSeenSecondsAgo: 0, count: 61, cryptoConfig: "static-map", ikeSA: false,
                                        cause: "c", remedy: "r")]
        s.invalidSPIPunts = 61
        m.ingest(s)
        return m
    }

    @Test("a full frame: header, workers, both drop tables sorted by rate, flagged flows, syslog tail, keys")
    func fullFrame() {
        let lines = TopScreen.render(model().view, width: 100, height: 30)
        #expect(lines == [
            "qfp top - qfp-asr1k  up 01:00:02  workers 1  pps rx 1000 tx 975 drop 25",
            "since clear: the router's counters (last clearing of QFP drops: never)",
            "",
            "Worker  Load %      In pps     Out pps    Drop pps",
            "     0      13        1000         975          25",
            "",
            "Global drop cause                          *Rate pps         Total   Since clear",
            "IpsecInput                                        25          1050          1050",
            "IpsecTailDrop                                      0             7             7",
            "",
            "IPsec feature drop                         *Rate pps         Total   Since clear",
            "4 IN_US_V4_PKT_SA_NOT_FOUND_SPI                   25          1050          1050",
            "",
            "Invalid-SPI flows flagged by the blackhole detector: 1  (invalid-SPI punts: 61)",
            "Source          Destination     SPI           Count  First seen Last seen IKE SA",
            "203.0.113.5     192.0.2.1       0x1F2E3D4C       61  00:02:05   00:00:00  no",
            "",
            "Syslog (newest last)",
        ] + (20...30).map { "Mar 21 00:00:\($0).000: %CRYPTO-4-RECVD_PKT_INV_SPI: line \($0)" } + [
            "s sort: rate  p pause  c clear (top)  C clear (router)  q quit",
        ])
    }

    @Test("IPv6 flows: the address columns widen to the longest address, and the columns after them stay aligned")
    func ipv6Columns() {
        var m = TopModel()
        var s = topSnapshot(seconds: 10, received: 0, forwarded: 0, busyMilliseconds: 0, global: [], feature: [])
        s.suspects = [
            SuspectFlowReport(source: "2001:db8:ffff:1234:5678:9abc:def0:1", destination: "2001:db8::1", spi: 0xABCD, firstSeenSecondsAgo: 5,
                              lastSeenSecondsAgo: 1, count: 7, cryptoConfig: "static-map", ikeSA: true, cause: "c", remedy: "r"),
            SuspectFlowReport(source: "203.0.113.5", destination: "192.0.2.1", spi: 0x1F2E_3D4C, firstSeenSecondsAgo: 125,
                              lastSeenSecondsAgo: 0, count: 61, cryptoConfig: "static-map", ikeSA: false, cause: "c", remedy: "r"),
        ]
        m.ingest(s)
        let lines = TopScreen.render(m.view, width: 200, height: 40)
        let header = lines.first { $0.hasPrefix("Source") } ?? ""
        let rows = lines.filter { $0.hasPrefix("2001:") || $0.hasPrefix("203.") }
        #expect(rows.count == 2)
        // 35 characters + 1 space per address column.
        #expect(header.hasPrefix("Source" + String(repeating: " ", count: 30) + "Destination" + String(repeating: " ", count: 25) + "SPI "))
        for row in rows {
            let spiColumn = row.index(row.startIndex, offsetBy: 72)
            #expect(row[spiColumn...].hasPrefix("0x"), "SPI column at 72: \(row)")
        }
        #expect(rows[0].hasPrefix("2001:db8:ffff:1234:5678:9abc:def0:1 2001:db8::1"))
    }

    @Test("the frame changes as the counters change, and marks the sort column and the pause")
    func changes() {
        var m = model()
        let before = TopScreen.render(m.view, width: 100, height: 30)
        m.ingest(topSnapshot(seconds: 3604, received: 14_000, forwarded: 12_900, busyMilliseconds: 500,
                             global: [("IpsecInput", 1250, 1250), ("IpsecTailDrop", 7, 7)],
                             feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 1250, 1250)]))
        _ = m.handle(UInt8(ascii: "s"))
        _ = m.handle(UInt8(ascii: "p"))
        let after = TopScreen.render(m.view, width: 100, height: 30)
        #expect(before != after)
        #expect(after[0] == "qfp top [PAUSED] - qfp-asr1k  up 01:00:04  workers 1  pps rx 1000 tx 975 drop 100")
        #expect(after.contains("IpsecInput                                       100          1250          1250"))
        #expect(after.contains("Global drop cause                           Rate pps        *Total   Since clear"))
        #expect(after.last == "s sort: total  p resume  c clear (top)  C clear (router)  q quit")
    }

    @Test("lines are cut to the width; a short screen drops the syslog first, then cuts the tables and says so")
    func truncation() {
        let v = model().view
        let narrow = TopScreen.render(v, width: 30, height: 30)
        #expect(narrow.count == 30 && narrow.allSatisfy { $0.count <= 30 })
        #expect(narrow[0] == "qfp top - qfp-asr1k  up 01:00:")

        // 17 rows of tables + footer: exactly no room for the syslog (it needs 3 rows).
        let tight = TopScreen.render(v, width: 100, height: 18)
        #expect(tight.count == 17 && !tight.contains("Syslog (newest last)"))
        #expect(tight[15] == "203.0.113.5     192.0.2.1       0x1F2E3D4C       61  00:02:05   00:00:00  no")
        let three = TopScreen.render(v, width: 100, height: 20)
        #expect(three.count == 20 && three[17] == "Syslog (newest last)" && three[18].hasSuffix("line 30"))

        let short = TopScreen.render(v, width: 100, height: 8)
        #expect(short.count == 8)
        #expect(short[6] == "... 10 more lines: enlarge the terminal")
        #expect(short[7].hasPrefix("s sort: rate"))
        #expect(TopScreen.render(v, width: 100, height: 1) == ["qfp top - qfp-asr1k  up 01:00:02  workers 1  pps rx 1000 tx 975 drop 25"])
        #expect(TopScreen.render(v, width: 0, height: 10).isEmpty)
    }

    @Test("before the first snapshot the screen says it is waiting")
    func waiting() {
        #expect(TopScreen.render(TopModel().view, width: 80, height: 3)
                == ["qfp top: waiting for the daemon's first snapshot",
                    "s sort: rate  p pause  c clear (top)  C clear (router)  q quit"])
    }

    @Test("plain mode: one grep-friendly block per refresh, only the new syslog lines")
    func plain() {
        let m = model()
        let text = TopPlainText.render(m.view, newSyslog: ["a", "b"])
        #expect(text == """
            top qfp-asr1k uptime 01:00:02 workers 1 rx 1000 pps tx 975 pps drops 25 pps
            worker 0 load 13% in 1000 pps out 975 pps drops 25 pps
            global IpsecInput rate 25 pps total 1050 since-clear 1050
            global IpsecTailDrop rate 0 pps total 7 since-clear 7
            ipsec 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI rate 25 pps total 1050 since-clear 1050
            invalid-spi 203.0.113.5 > 192.0.2.1 spi 0x1F2E3D4C count 61 first-seen 00:02:05 last-seen 00:00:00 ike-sa no
            log a
            log b


            """)
        let s = topSnapshot(seconds: 1, syslog: ["x", "y", "z"], logged: 12)
        #expect(TopPlainText.newSyslog(s, since: 10) == ["y", "z"])
        #expect(TopPlainText.newSyslog(s, since: 12) == [])
        #expect(TopPlainText.newSyslog(s, since: 2) == ["x", "y", "z"])   // more than the snapshot carries
    }

    @Test("number formats: unknown, zero, tenths below 10, whole above; durations past a day")
    func formats() {
        #expect([nil, 0, 0.04, 2.46, 9.96, 10.4, 1234.5].map(TopFormat.rate) == ["-", "0", "0.0", "2.5", "10", "10", "1235"])
        #expect(TopFormat.duration(0) == "00:00:00")
        #expect(TopFormat.duration(93_784) == "1d 02:03:04")
    }

    @Test("a frame homes the cursor, erases each line's end and the rest of the screen")
    func frameBytes() {
        let bytes = TopConsole.frame(["ab", "c"])
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1B}[Hab\u{1B}[K\r\nc\u{1B}[K\u{1B}[J")
    }
}
