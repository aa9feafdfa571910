import Foundation
import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

@Suite("Scenarios: the router's IKE messages on the wire")
struct ScenarioCaptureTests {
    @Test("Recovery's DELETE carries the invalid SPI, as tshark's isakmp dissector reads it")
    func deleteDecodes() throws {
        var o = ScenarioOptions(kind: .peerReload)
        o.recovery = true
        o.lifetimeSeconds = 300
        o.maximumSeconds = 400
        let (result, capture) = try ScenarioRunner.runCapturing(o)
        #expect(result.endedBy == .recovery, "\(result.text)")
        let invalid = try #require(result.timeline.first { $0.text.contains("RECVD_PKT_INV_SPI") }?.text)
        let spi = try #require(invalid.split(separator: "spi=0x").last?.split(separator: "(").first).lowercased()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-scenario-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try capture.write(to: path)
        let rows = try IKEWireTests.tsharkFields(path, ["isakmp.exchangetype", "isakmp.delete.protoid", "isakmp.delete.spi", "_ws.malformed"])
        let deletes = rows.filter { $0.count == 4 && $0[2] != "" }
        #expect(deletes.count >= 1, "\(rows)")
        #expect(deletes.allSatisfy { $0[0] == "5" && $0[1] == "3" && $0[3] == "" }, "Informational, protocol ESP, well formed: \(deletes)")
        #expect(deletes.contains { $0[2].lowercased().hasSuffix(spi) }, "SPI \(spi) in \(deletes)")
    }

    @Test("DPD probes of a dead-peer scenario decode as R-U-THERE")
    func dpdDecodes() throws {
        var o = ScenarioOptions(kind: .deadPeer)
        o.lifetimeSeconds = 300
        o.maximumSeconds = 400
        let (result, capture) = try ScenarioRunner.runCapturing(o)
        #expect(result.endedBy == .dpd, "\(result.text)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-scenario-dpd-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try capture.write(to: path)
        let rows = try IKEWireTests.tsharkFields(path, ["isakmp.notify.msgtype", "ip.dst"])
        let probes = rows.filter { $0.first == "36136" }
        #expect(probes.count >= 5, "\(rows)")
        #expect(probes.allSatisfy { $0.last == RecoveryMatrixConfigurations.peerAddress.description })
    }
}
