import Foundation
@testable import QFPCLI
import QFPControl
import QFPDataplane
import Testing

@Suite("qfp top: the daemon's snapshot")
struct TopSnapshotTests {
    let peer = IPAddress("198.51.100.7")!
    let us = IPAddress("192.0.2.1")!

    @Test("one snapshot holds totals and the router's since-clear; rates on the virtual clock are exact")
    func fromControlPlane() throws {
        let r = try TestRouter()
        r.esp(from: peer, to: us, spi: 0x7777, count: 3, length: 100)
        let first = TopSnapshot(r.controlPlane)
        #expect(first.hostname == "qfp-asr1k")
        #expect(first.time == r.clock.now())
        #expect(first.globalDrops == [.init(name: "IpsecInput", packets: 3, sinceClear: 3)])
        #expect(first.featureDrops == [.init(number: 4, name: "IN_US_V4_PKT_SA_NOT_FOUND_SPI", packets: 3, sinceClear: 3)])
        #expect(first.workers.map(\.index) == Array(0..<r.pipeline.workers.count))
        #expect(first.workers.reduce(0) { $0 + $1.receivedPackets } == 3)
        #expect(first.workers.reduce(0) { $0 + $1.droppedPackets } == 3)
        #expect(first.lastClearing == nil)

        // The router's clear moves "since clear", never the totals.
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(!session.execute("show platform hardware qfp active statistics drop clear").failed)
        #expect(!session.execute("show platform hardware qfp active feature ipsec datapath drops clear").failed)
        r.advance(seconds: 4)
        r.esp(from: peer, to: us, spi: 0x7777, count: 8, length: 100)
        let second = TopSnapshot(r.controlPlane)
        #expect(second.time - first.time == 4_000_000_000)
        #expect(second.globalDrops == [.init(name: "IpsecInput", packets: 11, sinceClear: 8)])
        #expect(second.featureDrops == [.init(number: 4, name: "IN_US_V4_PKT_SA_NOT_FOUND_SPI", packets: 11, sinceClear: 8)])
        #expect(second.lastClearing?.contains(":") == true)

        var model = TopModel()
        model.ingest(first)
        model.ingest(second)
        #expect(model.view.global == [.init(label: "IpsecInput", rate: 2, total: 11, sinceClear: 8)])
        #expect(model.view.rxPPS == 2 && model.view.dropPPS == 2)
    }

    @Test("the syslog tail: newest lines as show logging prints them, as many as asked")
    func syslogTail() throws {
        let r = try TestRouter()
        for i in 1...5 { r.controlPlane.syslog.log("%SYS-5-CONFIG_I: line \(i)") }
        let entries = r.controlPlane.syslog.entries.map(\.line)
        let s = TopSnapshot(r.controlPlane, syslogLines: 2)
        #expect(s.syslog == Array(entries.suffix(2)))
        #expect(s.syslog.last?.hasSuffix("%SYS-5-CONFIG_I: line 5") == true)
        #expect(s.syslogLogged == r.controlPlane.syslog.bufferedMessagesLogged)
        #expect(TopSnapshot(r.controlPlane, syslogLines: -3).syslog.isEmpty)
    }

    @Test("the blackhole detector's flagged flows are in the snapshot and on the screen")
    func flaggedFlows() throws {
        let r = try TestRouter(configuration: RecoveryMatrixConfigurations.text(.dynamicMap, recovery: true))
        let router = RecoveryMatrixConfigurations.routerAddress
        let peer = RecoveryMatrixConfigurations.peerAddress
        for _ in 0..<8 {
            r.esp(from: peer, to: router, spi: 0x3EA7_1AED, count: 5, length: 100)
            for _ in 0..<100 {
                r.clock.advance(by: .milliseconds(100))
                r.pipeline.setTime(r.clock.now())
                r.controlPlane.serviceDataplane()
                r.settle()
            }
        }
        let s = TopSnapshot(r.controlPlane)
        #expect(s.suspects.map(\.spi) == [0x3EA7_1AED])
        #expect(s.invalidSPIPunts == 40)
        var model = TopModel()
        model.ingest(s)
        let screen = TopScreen.render(model.view, width: 120, height: 40)
        #expect(screen.contains("Invalid-SPI flows flagged by the blackhole detector: 1  (invalid-SPI punts: 40)"))
        #expect(screen.contains { $0.hasPrefix("\(peer)    \(router)       0x3EA71AED       40  00:01:") && $0.hasSuffix("no") })
    }

    @Test("the control socket answers a top request with one snapshot")
    func overTheSocket() throws {
        let s = try TestServer()
        s.router.esp(from: peer, to: us, spi: 0x7777, count: 3, length: 100)
        let c = try s.client()
        let reply = try c.send(ControlProtocol.Request(operation: .top, syslogLines: 1))
        let top = try #require(reply.top)
        #expect(top.globalDrops == [.init(name: "IpsecInput", packets: 3, sinceClear: 3)])
        #expect(top.syslog.count <= 1)
        // The same connection still runs commands (the key C sends the router's clear on it).
        #expect(try c.execute("show platform hardware qfp active statistics drop clear").failed == false)
        #expect(try c.send(ControlProtocol.Request(operation: .top)).top?.globalDrops.first?.sinceClear == 0)
    }
}
