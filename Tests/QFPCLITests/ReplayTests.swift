import Foundation
import QFPCapture
@testable import QFPCLI
import QFPControl
import QFPDataplane
import Testing

/// Captures made by scapy (Tools/make-replay-captures.py), replayed through the default router,
/// against the ground truth scapy wrote beside them.
@Suite("qfp replay: captures from an independent tool, against its ground truth")
struct ReplayTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Captures")
    static let files = ["replay-ethernet.pcap", "replay-ethernet.pcapng", "replay-raw.pcap", "replay-sll.pcap", "replay-sll2.pcap"]

    struct GroundTruth: Decodable {
        struct Expected: Decodable {
            var not_ip: Int
            var injected: Int
            var forwarded: UInt64
            var IpsecInput: UInt64
            var ipsec_datapath_drops: [String: UInt64]
        }
        var expected: Expected
    }

    static func defaultRouter() -> RouterConfiguration {
        guard case let .success(l) = ConfigurationLanguage.shared.load(DefaultConfiguration.text, source: "default") else {
            fatalError("the default configuration loads")
        }
        return l.configuration
    }

    func bytes(_ name: String) throws -> [UInt8] { try readWholeFile(Self.directory.appendingPathComponent(name).path) }

    @Test("Every link type gives the counts scapy's ground truth says", arguments: files)
    func groundTruth(file: String) throws {
        let truth = try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: Self.directory.appendingPathComponent("replay-ground-truth.json"))).expected
        let replay = try CaptureReplay(configuration: Self.defaultRouter())
        replay.run(try bytes(file))
        let s = replay.summary
        #expect(s.error == nil)
        #expect(s.injected == truth.injected)
        #expect(s.notIP == (file == "replay-raw.pcap" ? 0 : truth.not_ip))
        #expect(s.records == s.injected + s.notIP && s.undecodable == 0 && s.oversize == 0)
        let c = replay.manual.statistics.totals()
        #expect(c[.offered] == UInt64(truth.injected))
        #expect(c[.forwarded] == truth.forwarded)
        #expect(c.packets(.ipsecInput) == truth.IpsecInput)
        for drop in IPsecDatapathDrop.allCases {
            #expect(c.packets(drop) == truth.ipsec_datapath_drops[String(drop.rawValue)] ?? 0, "drop \(drop.rawValue)")
        }
        #expect(c[.offered] == c.accountedFor)
        // The show commands render those counters.
        let table = replay.show("show platform hardware qfp active feature ipsec datapath drops")
        #expect(table.contains("        4  IN_US_V4_PKT_SA_NOT_FOUND_SPI                               6\n"))
    }

    @Test("A capture cut anywhere: what was read is counted, the error names the record and offset")
    func truncated() throws {
        let full = try bytes("replay-ethernet.pcap")
        // Record boundaries, from a clean read.
        var reader = try CaptureReader(full)
        var offsets: [Int] = []
        while let r = try reader.next() { offsets.append(r.fileOffset) }
        for cut in stride(from: 24, to: full.count, by: 97) {
            let replay = try CaptureReplay(configuration: Self.defaultRouter())
            replay.run(Array(full[..<cut]))
            let complete = offsets.indices.filter { i in (i + 1 < offsets.count ? offsets[i + 1] : full.count) <= cut }.count
            #expect(replay.summary.records == complete, "cut at \(cut)")
            let c = replay.manual.statistics.totals()
            #expect(c[.offered] == UInt64(replay.summary.injected))
            #expect(c[.offered] == c.accountedFor)
            if offsets.contains(cut) {
                #expect(replay.summary.error == nil)
            } else {
                let error = try #require(replay.summary.error, "cut at \(cut)")
                #expect(error.hasPrefix("record \(complete) at byte offset \(offsets[complete]): "), "\(error)")
            }
        }
    }

    @Test("Not a capture: an error at byte offset 0, nothing counted")
    func notACapture() throws {
        let replay = try CaptureReplay(configuration: Self.defaultRouter())
        replay.run(Array("hostname qfp\n".utf8))
        #expect(replay.summary.records == 0)
        #expect(replay.summary.error?.hasPrefix("byte offset 0: not a pcap or pcapng file") == true)
    }
}
