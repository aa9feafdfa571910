import Foundation
import Testing

/// `qfp replay --config` on the captures scapy encrypted (Tools/make-crypto-captures.py), against
/// the ground truth scapy wrote beside them.
@Suite("qfp replay --config: ESP encrypted by scapy")
struct CryptoReplayCommandTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("QFPCLITests/Captures")

    @Test("--json counts equal the ground truth for every capture",
          arguments: ["crypto-esp-gcm-128.pcap", "crypto-esp-aes-256-sha1.pcap", "crypto-esp-aes-128-sha256.pcap"])
    func groundTruth(file: String) throws {
        let truthObject = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.captures.appendingPathComponent("crypto-ground-truth.json")))
        let captures = try #require((truthObject as? [String: Any])?["captures"] as? [[String: Any]])
        let capture = try #require(captures.first { $0["file"] as? String == file }, "\(file) in the ground truth")
        let expected = try #require(capture["expected"] as? [String: Any])
        let drops = try #require(expected["ipsec_datapath_drops"] as? [String: Int])

        let config = Self.captures.appendingPathComponent("crypto-router.cfg").path
        let r = try runQFP(["replay", Self.captures.appendingPathComponent(file).path, "--config", config, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["records"] as? Int == expected["records"] as? Int)
        #expect(summary["injected"] as? Int == expected["injected"] as? Int)
        let global = (object["statistics_drop"] as? [String: Any])?["global_drop_stats"] as? [String: Any]
        let ipsecInput = (global?["IpsecInput"] as? [String: Any])?["packets"] as? Int
        #expect(ipsecInput == expected["IpsecInput"] as? Int, "IpsecInput in \(r.stdout)")
        let table = try #require((object["ipsec_datapath_drops"] as? [String: Any])?["ipsec_datapath_drops"] as? [String: Any])
        var got: [String: Int] = [:]
        for (number, row) in table { got[number] = (row as? [String: Any])?["packets"] as? Int }
        #expect(got == drops, "ipsec datapath drops of \(file)")
        #expect((table["62"] as? [String: Any])?["name"] as? String == "IN_CD_SW_IPSEC_MAC_EXCEPTION")
        #expect((table["19"] as? [String: Any])?["name"] as? String == "IN_CD_SW_IPSEC_ANTI_REPLAY_FAIL")
    }

    @Test("Without the keys (the default router), the same capture is dropped: no SA for SPI 4098")
    func withoutKeys() throws {
        let r = try runQFP(["replay", Self.captures.appendingPathComponent("crypto-esp-aes-128-sha256.pcap").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("        4  IN_US_V4_PKT_SA_NOT_FOUND_SPI                              15\n"), "\(r.stdout)")
    }

    @Test("--write: the decrypted inner packets leave in a pcap, one per forwarded packet, at the capture's times",
          arguments: ["crypto-esp-gcm-128.pcap", "crypto-esp-aes-256-sha1.pcap", "crypto-esp-aes-128-sha256.pcap"])
    func write(file: String) throws {
        let truthObject = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.captures.appendingPathComponent("crypto-ground-truth.json")))
        let captures = try #require((truthObject as? [String: Any])?["captures"] as? [[String: Any]])
        let capture = try #require(captures.first { $0["file"] as? String == file })
        let packets = try #require(capture["packets"] as? [[String: Any]])
        let forwarded = packets.filter { $0["expected"] as? String == "forwarded" }.count
        #expect(forwarded > 0)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-replay-write-\(getpid())-\(file)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("sent.pcap").path
        let config = Self.captures.appendingPathComponent("crypto-router.cfg").path
        let input = Self.captures.appendingPathComponent(file).path
        let r = try runQFP(["replay", input, "--config", config, "--write", output])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\nWrote \(forwarded) packets the router sent to \(output)\n"), "\(r.stdout)")

        // tshark reads the file back: every packet an inner (clear) IPv4 datagram, none ESP,
        // stamped within the input capture's time span.
        let sent = try CaptureDecodeTests().tsharkFields(output, ["ip.proto", "frame.time_epoch"])
        let received = try CaptureDecodeTests().tsharkFields(input, ["frame.time_epoch"])
        #expect(sent.count == forwarded)
        #expect(sent.allSatisfy { $0[0] != "" && $0[0] != "50" }, "\(sent)")
        let times = received.compactMap { Double($0[0]) }
        if let first = times.min(), let last = times.max() {
            #expect(sent.allSatisfy { Double($0[1]).map { $0 >= first - 0.001 && $0 <= last + 1.001 } ?? false }, "\(sent) outside \(first)...\(last)")
        }

        let bad = try runQFP(["replay", input, "--config", config, "--write", directory.appendingPathComponent("missing/x.pcap").path])
        #expect(bad.status != 0 && bad.stderr.contains("--write"), "\(bad.stderr)")
    }
}
