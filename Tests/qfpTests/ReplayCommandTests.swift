import Foundation
import Testing

@Suite("qfp replay")
struct ReplayCommandTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("QFPCLITests/Captures")

    @Test("Both drop tables, as the router prints them")
    func tables() throws {
        let file = Self.captures.appendingPathComponent("replay-sll2.pcap").path
        let r = try runQFP(["replay", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Replayed \(file): 116 records, 115 IP packets into the router; skipped 1 not IP\n\nqfp-asr1k#show platform hardware qfp active statistics drop\n"))
        #expect(r.stdout.contains("IpsecInput                                     11                     984  \n"))
        #expect(r.stdout.contains("qfp-asr1k#show platform hardware qfp active feature ipsec datapath drops\n"))
        #expect(r.stdout.contains("      116  CD_IN_PKT_OUT_OF_WINDOW                                     1\n"))
    }

    @Test("--json, --speed, and a truncated file: counted, then exit 1 naming record and offset")
    func jsonAndErrors() throws {
        let full = try Data(contentsOf: Self.captures.appendingPathComponent("replay-ethernet.pcapng"))
        let path = NSTemporaryDirectory() + "qfp-replay-\(getpid()).pcapng"
        try full.prefix(5000).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runQFP(["replay", path, "--json", "--speed", "5000"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        let records = try #require(summary["records"] as? Int)
        #expect(records > 10 && records < 116)
        #expect(r.stderr.hasPrefix("qfp: \(path): record \(records) at byte offset "))
        #expect(object["ipsec_datapath_drops"] != nil && object["statistics_drop"] != nil)

        let badSpeed = try runQFP(["replay", path, "--speed", "fast"])
        #expect(badSpeed.status != 0 && badSpeed.stderr.contains("--speed must be max, original or a packet rate above 0, got 'fast'"))
        let missing = try runQFP(["replay", "/nonexistent.pcap"])
        #expect(missing.status == 1 && missing.stderr == "qfp: cannot read capture /nonexistent.pcap: open /nonexistent.pcap: No such file or directory\n")
    }
}
