import Foundation
import QFPCapture
import Testing

/// The captures written by `Tools/make-test-captures.py` with scapy, checked record by record
/// against the ground truth scapy wrote beside each from its own dissection.
@Suite("Captures written by scapy")
struct ScapyCaptureTests {
    struct Truth: Decodable {
        var file: String
        var records: [Record]
        struct Record: Decodable {
            var index: Int
            var linktype: UInt32
            var is_ip: Bool
            var ip_version: UInt8?
            var proto: UInt8?
            var spi: UInt32?
            var seq: UInt32?
            var udp_encap: Bool
            var ip_length: Int?
            var captured_length: Int
            var timestamp_ns: UInt64
            var comment: String?
        }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Captures")

    static var captures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    @Test("the six captures are there")
    func present() {
        #expect(Self.captures == ["ethernet-nsec.pcap", "ethernet-usec.pcap", "ethernet.pcapng",
                                  "linux-sll.pcap", "linux-sll2.pcap", "raw-ip.pcap"])
    }

    @Test("every record matches scapy's view", arguments: captures)
    func capture(name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        let truthURL = Self.directory.appendingPathComponent((name as NSString).deletingPathExtension + ".json")
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: truthURL))
        #expect(truth.file == name)
        let bytes = try readWholeFile(path)
        var reader = try CaptureReader(bytes)
        for expected in truth.records {
            let record = try #require(try reader.next())
            #expect(record.index == expected.index)
            #expect(record.linkType.rawValue == expected.linktype)
            #expect(record.capturedLength == expected.captured_length)
            #expect(record.timestampNanoseconds == expected.timestamp_ns)
            #expect(record.comment == expected.comment)
            switch try record.ipDatagram() {
            case .notIP:
                #expect(!expected.is_ip, "record \(expected.index)")
            case .ip(let version, let range):
                #expect(expected.is_ip)
                #expect(version == expected.ip_version)
                #expect(range.count == expected.ip_length)
                let ip = Array(bytes[range])
                let proto = version == 4 ? ip[9] : ip[6]
                #expect(proto == expected.proto)
                var esp = version == 4 ? Int(ip[0] & 0x0F) * 4 : 40
                #expect((proto == 17) == expected.udp_encap)
                if proto == 17 { esp += 8 }
                let word = { (at: Int) in ip[at ..< at + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
                #expect(word(esp) == expected.spi)
                #expect(word(esp + 4) == expected.seq)
            }
        }
        #expect(try reader.next() == nil)
    }
}
