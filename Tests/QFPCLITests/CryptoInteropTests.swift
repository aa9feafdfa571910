import Foundation
import QFPCapture
@testable import QFPCLI
import QFPControl
import QFPDataplane
import Testing

/// Interoperation of the ESP transforms with independent implementations: captures encrypted by
/// scapy's `SecurityAssociation` (Tools/make-crypto-captures.py) replayed through the router of
/// crypto-router.cfg against scapy's ground truth, and (CryptoTsharkTests) what qfp encrypts,
/// decrypted by Wireshark's tshark.
@Suite("Interoperation: ESP encrypted by scapy, replayed through the router")
struct CryptoInteropTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Captures")
    static let files = ["crypto-esp-gcm-128.pcap", "crypto-esp-aes-256-sha1.pcap", "crypto-esp-aes-128-sha256.pcap"]

    struct GroundTruth: Decodable {
        struct Capture: Decodable {
            struct Expected: Decodable {
                var records: Int
                var injected: Int
                var decapsulated: UInt64
                var forwarded: UInt64
                var IpsecInput: UInt64
                var ipsec_datapath_drops: [String: UInt64]
            }
            var file: String
            var transforms: String
            var peer: String
            var spi: UInt32
            var expected: Expected
            /// The clear inner packets scapy encrypted, hex, in capture order, of the packets
            /// the router must decapsulate.
            var decrypted: [String]
        }
        struct Outbound: Decodable {
            var peer: String
            var spi: UInt32
            var transforms: String
            var cipher: String
            var authenticator: String?
            var tshark_encryption: String
            var tshark_authentication: String
        }
        var captures: [Capture]
        var outbound: [Outbound]
    }

    static func groundTruth() throws -> GroundTruth {
        try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: directory.appendingPathComponent("crypto-ground-truth.json")))
    }

    /// The router of crypto-router.cfg: the manual SAs and keys the captures were made with.
    static func router() throws -> RouterConfiguration {
        let path = directory.appendingPathComponent("crypto-router.cfg").path
        switch ConfigurationLanguage.shared.load(try String(contentsOfFile: path, encoding: .utf8), source: path) {
        case let .success(l): return l.configuration
        case let .failure(f): throw f
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    @Test("Each capture decrypts to scapy's clear packets; forwarded, drop 62 and drop 19 as scapy's ground truth says",
          arguments: files)
    func replay(file: String) throws {
        let capture = try #require(try Self.groundTruth().captures.first { $0.file == file }, "\(file) in crypto-ground-truth.json")
        let truth = capture.expected
        let replay = try CaptureReplay(configuration: Self.router(), keepTransmitted: true)
        replay.run(try readWholeFile(Self.directory.appendingPathComponent(file).path))
        let s = replay.summary
        #expect(s.error == nil)
        #expect(s.records == truth.records && s.injected == truth.injected, "\(s)")
        let c = replay.manual.statistics.totals()
        #expect(c[.offered] == UInt64(truth.injected))
        #expect(c[.decapsulated] == truth.decapsulated, "decapsulated by SPI \(capture.spi) (\(capture.transforms))")
        #expect(c[.forwarded] == truth.forwarded)
        #expect(c.packets(.ipsecInput) == truth.IpsecInput)
        for drop in IPsecDatapathDrop.allCases {
            #expect(c.packets(drop) == truth.ipsec_datapath_drops[String(drop.rawValue)] ?? 0, "drop \(drop.rawValue) \(drop)")
        }
        #expect(c[.offered] == c.accountedFor)

        // The decrypted inner packets are the very packets scapy encrypted.
        let expected = capture.decrypted.map(Self.bytes(hex:))
        #expect(replay.transmitted.count == expected.count, "transmitted \(replay.transmitted.count), scapy encrypted \(expected.count) good packets")
        for (i, (got, want)) in zip(replay.transmitted, expected).enumerated() {
            #expect(got == want, "decrypted packet \(i) of \(file) differs from scapy's clear packet")
        }

        // The SA's own counters, as `show crypto ipsec sa` prints them.
        let sa = replay.show("show crypto ipsec sa peer \(capture.peer) detail")
        let decaps = truth.decapsulated
        #expect(sa.contains("#pkts decaps: \(decaps), #pkts decrypt: \(decaps), #pkts verify: \(decaps)"), "\(sa)")
        let failed = truth.ipsec_datapath_drops["62"] ?? 0
        #expect(sa.contains("#pkts verify failed: \(failed)"), "\(sa)")
        #expect(!sa.contains("#recv errors"), "detail lists the receive errors one by one")
        #expect(sa.contains("##pkts replay failed (rcv): \(truth.ipsec_datapath_drops["19"] ?? 0)"), "\(sa)")
        #expect(sa.contains("spi: 0x\(String(capture.spi, radix: 16, uppercase: true))(\(capture.spi))"), "\(sa)")
    }

    @Test("The ground truth covers every capture and every transform scapy encrypted")
    func coverage() throws {
        let truth = try Self.groundTruth()
        #expect(truth.captures.map(\.file) == Self.files)
        #expect(truth.captures.map(\.transforms) == ["esp-gcm 128", "esp-aes 256 esp-sha-hmac", "esp-aes esp-sha256-hmac"])
        for capture in truth.captures {
            #expect((capture.expected.ipsec_datapath_drops["62"] ?? 0) > 0 && (capture.expected.ipsec_datapath_drops["19"] ?? 0) > 0,
                    "\(capture.file) has bad packets to count")
        }
    }
}
