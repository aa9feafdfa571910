@testable import QFPCLI
import QFPControl
import Testing

/// Snapshots as the daemon sends them, built by hand: `seconds` on the daemon's clock.
func topSnapshot(seconds: UInt64, received: UInt64 = 0, forwarded: UInt64 = 0, busyMilliseconds: UInt64 = 0,
                 global: [(String, UInt64, UInt64)] = [], feature: [(UInt8, String, UInt64, UInt64)] = [],
                 syslog: [String] = [], logged: UInt64 = 0) -> TopSnapshot {
    let dropped = global.reduce(0) { $0 + $1.1 }
    return TopSnapshot(
        hostname: "qfp-asr1k", time: seconds * 1_000_000_000, uptimeSeconds: seconds,
        workers: [.init(index: 0, receivedPackets: received, forwardedPackets: forwarded, droppedPackets: dropped,
                        busyNanoseconds: busyMilliseconds * 1_000_000)],
        globalDrops: global.map { .init(name: $0.0, packets: $0.1, sinceClear: $0.2) },
        featureDrops: feature.map { .init(number: $0.0, name: $0.1, packets: $0.2, sinceClear: $0.3) },
        syslog: syslog, syslogLogged: logged)
}

@Suite("qfp top: rates, baselines, sorting and pause")
struct TopModelTests {
    @Test("rates come from two snapshots and the daemon's timestamps; none before the second")
    func rates() {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 10, received: 1000, forwarded: 900, busyMilliseconds: 0,
                             global: [("IpsecInput", 100, 100)], feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 100, 100)]))
        var v = m.view
        #expect(v.global == [.init(label: "IpsecInput", rate: nil, total: 100, sinceClear: 100)])
        #expect(v.workers == [.init(index: 0, loadPercent: nil, inPPS: nil, outPPS: nil, dropPPS: nil)])
        #expect(v.rxPPS == nil)

        // Four seconds later on the daemon's clock, however long the client took.
        m.ingest(topSnapshot(seconds: 14, received: 5000, forwarded: 4500, busyMilliseconds: 1000,
                             global: [("IpsecInput", 200, 200), ("IpsecTailDrop", 8, 8)],
                             feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 200, 200)]))
        v = m.view
        #expect(v.workers == [.init(index: 0, loadPercent: 25, inPPS: 1000, outPPS: 900, dropPPS: 27)])
        #expect(v.rxPPS == 1000 && v.txPPS == 900 && v.dropPPS == 27)
        // A cause new since the last snapshot counted from zero.
        #expect(v.global == [.init(label: "IpsecInput", rate: 25, total: 200, sinceClear: 200),
                             .init(label: "IpsecTailDrop", rate: 2, total: 8, sinceClear: 8)])
        #expect(v.feature == [.init(label: "4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", number: 4, rate: 25, total: 200, sinceClear: 200)])
    }

    @Test("a daemon that restarted (clock or counters went back) has no rates until its second snapshot")
    func restart() {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 100, received: 9000, global: [("IpsecInput", 500, 500)]))
        m.ingest(topSnapshot(seconds: 3, received: 10, global: [("IpsecInput", 5, 5)]))
        #expect(m.view.global.first?.rate == nil)
        m.ingest(topSnapshot(seconds: 5, received: 30, global: [("IpsecInput", 9, 9)]))
        #expect(m.view.global.first?.rate == 2)
    }

    @Test("s cycles the sort column: rate, total, since clear, name; ties by total then name")
    func sorting() {
        var m = TopModel()
        let causes: [(String, UInt64, UInt64)] = [("IpFormatErr", 10, 10), ("IpsecInput", 50, 5), ("IpsecTailDrop", 30, 30)]
        m.ingest(topSnapshot(seconds: 1, global: causes))
        m.ingest(topSnapshot(seconds: 2, global: [("IpFormatErr", 40, 40), ("IpsecInput", 60, 15), ("IpsecTailDrop", 30, 30)]))
        #expect(m.sort == .rate)
        #expect(m.view.global.map(\.label) == ["IpFormatErr", "IpsecInput", "IpsecTailDrop"])   // 30, 10, 0 pps
        #expect(m.handle(UInt8(ascii: "s")) == .redraw)
        #expect(m.sort == .total)
        #expect(m.view.global.map(\.label) == ["IpsecInput", "IpFormatErr", "IpsecTailDrop"])   // 60, 40, 30
        _ = m.handle(UInt8(ascii: "s"))
        #expect(m.sort == .sinceClear)
        #expect(m.view.global.map(\.label) == ["IpFormatErr", "IpsecTailDrop", "IpsecInput"])   // 40, 30, 15
        _ = m.handle(UInt8(ascii: "s"))
        #expect(m.sort == .name)
        #expect(m.view.global.map(\.label) == ["IpFormatErr", "IpsecInput", "IpsecTailDrop"])
        _ = m.handle(UInt8(ascii: "s"))
        #expect(m.sort == .rate)
    }

    @Test("feature drops sort by Cisco number under name, by rate by default")
    func featureSorting() {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 1, feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 1, 1), (31, "IN_V4_PKT_REPLAY_WINDOW_FAIL", 1, 1)]))
        m.ingest(topSnapshot(seconds: 2, feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 2, 2), (31, "IN_V4_PKT_REPLAY_WINDOW_FAIL", 9, 9)]))
        #expect(m.view.feature.map(\.number) == [31, 4])
        m.sort = .name
        #expect(m.view.feature.map(\.number) == [4, 31])
    }

    @Test("c counts since top's own baseline without touching the router; C asks for the router's clear")
    func baselines() {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 1, global: [("IpsecInput", 100, 40)], feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 100, 100)]))
        #expect(m.view.global.first?.sinceClear == 40)   // the router's own since-clear
        #expect(m.view.clearNote == "since clear: the router's counters (last clearing of QFP drops: never)")
        #expect(m.handle(UInt8(ascii: "c")) == .redraw)
        m.ingest(topSnapshot(seconds: 66, global: [("IpsecInput", 130, 70), ("IpsecTailDrop", 2, 2)],
                             feature: [(4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI", 130, 130)]))
        let v = m.view
        #expect(v.global.map(\.sinceClear) == [30, 2])
        #expect(v.global.map(\.total) == [130, 2])
        #expect(v.feature.map(\.sinceClear) == [30])
        #expect(v.clearNote == "since clear: top's baseline, taken 00:01:05 ago")
        #expect(m.handle(UInt8(ascii: "C")) == .clearRouter)
        m.useRouterBaseline()
        #expect(m.view.global.map(\.sinceClear) == [70, 2])
    }

    @Test("p freezes the screen while snapshots keep coming; resuming shows the newest")
    func pause() {
        var m = TopModel()
        m.ingest(topSnapshot(seconds: 1, global: [("IpsecInput", 10, 10)]))
        m.ingest(topSnapshot(seconds: 2, global: [("IpsecInput", 20, 20)]))
        #expect(m.handle(UInt8(ascii: "p")) == .redraw)
        #expect(m.paused && m.view.paused)
        m.ingest(topSnapshot(seconds: 3, global: [("IpsecInput", 50, 50)]))
        #expect(m.view.global.first?.total == 20)
        #expect(m.handle(UInt8(ascii: " ")) == .redraw)
        #expect(!m.paused)
        #expect(m.view.global.first == .init(label: "IpsecInput", rate: 30, total: 50, sinceClear: 50))
    }

    @Test("q, Q, Ctrl-C and Ctrl-D quit; other keys only dismiss the status message")
    func keys() {
        var m = TopModel()
        for key: UInt8 in [UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03, 0x04] { #expect(m.handle(key) == .quit) }
        for key: UInt8 in [UInt8(ascii: "x"), 0x0D, 0x1B] { #expect(m.handle(key) == TopModel.Action.none) }
        m.message = "cleared"
        #expect(m.handle(UInt8(ascii: "x")) == .redraw)   // the message goes away at once
        #expect(m.message == nil)
        #expect(m.handle(UInt8(ascii: "x")) == TopModel.Action.none)
    }
}
