import Foundation
import QFPCapture
import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// The other direction: qfp encrypts with the outbound manual SAs of crypto-router.cfg, and
/// Wireshark's tshark, given the keys (its ESP SA table), decrypts every packet, finds the inner
/// packet qfp was given and every ICV good. Tools/setup --test installs tshark.
@Suite("Interoperation: ESP encrypted by qfp, decrypted by tshark")
struct CryptoTsharkTests {
    static var tshark: String? {
        ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    typealias Outbound = CryptoInteropTests.GroundTruth.Outbound

    /// One row of the ESP SA table (Wireshark 4.0 `esp_sa` UAT): protocol, source, destination,
    /// SPI, encryption, key, authentication, key. Keys are hex with 0x.
    static func uat(_ sa: Outbound, cipher: String? = nil) -> String {
        let spi = "0x" + String(repeating: "0", count: 8 - String(sa.spi, radix: 16).count) + String(sa.spi, radix: 16)
        let fields = ["IPv4", "192.0.2.1", sa.peer, spi, sa.tshark_encryption, "0x" + (cipher ?? sa.cipher),
                      sa.tshark_authentication, sa.authenticator.map { "0x" + $0 } ?? ""]
        return "uat:esp_sa:" + fields.map { "\"\($0)\"" }.joined(separator: ",")
    }

    /// tshark's fields for every packet of `file`, decrypting with `sas`; one array per packet,
    /// fields separated by tabs, repeated fields (outer and inner IP) by `;`.
    func tsharkFields(_ file: String, sas: [String], _ fields: [String]) throws -> [[String]] {
        let tshark = try #require(Self.tshark, "tshark is missing (looked in /usr/bin and /usr/local/bin): run Tools/setup --test")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", file, "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
            + sas.flatMap { ["-o", $0] }
            + ["-T", "fields", "-E", "separator=/t", "-E", "aggregator=;"] + fields.flatMap { ["-e", $0] }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tshark \(process.arguments!.joined(separator: " ")): \(errors)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Clear packets from the inside (10.1.0.10) to each peer's site, of sizes that need every
    /// amount of padding, through the router; what it transmits, and the clear packets.
    func encryptThroughRouter() throws -> (clear: [[UInt8]], encrypted: [[UInt8]]) {
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        let p = try ManualPipeline(c)
        let router = try Router(pipeline: p.pipeline, clock: VirtualClock(), configuration: CryptoInteropTests.router())
        p.drain()
        #expect(router.plan.outboundManual.count == 3)
        var clear: [[UInt8]] = []
        for site in 2...4 {
            for (i, length) in [0, 1, 2, 3, 15, 16, 17, 100, 1000, 1400].enumerated() {
                clear.append(PacketBuilder.clear(source: IPAddress("10.1.0.10")!, destination: IPAddress("10.\(site).0.20")!,
                                                 sourcePort: UInt16(40000 + i), destinationPort: 9,
                                                 payloadLength: length, fill: UInt8(site * 16 + i)))
            }
        }
        var encrypted: [[UInt8]] = []
        for packet in clear {
            p.inject(packet)
            p.drain()
            encrypted += (0..<p.workers.count).flatMap { p.takeTransmitted(worker: $0) }
        }
        #expect(p.statistics.totals()[.encapsulated] == UInt64(clear.count))
        return (clear, encrypted)
    }

    func writeCapture(_ packets: [[UInt8]]) throws -> String {
        var writer = PcapWriter(linkType: .raw)
        for (i, packet) in packets.enumerated() {
            writer.append(packet, timestampNanoseconds: 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000)
        }
        let path = NSTemporaryDirectory() + "qfp-esp-to-tshark-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pcap"
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("esp-gcm 128, esp-aes 256 + HMAC-SHA1-96, esp-aes 128 + HMAC-SHA256-128: tshark decrypts every packet qfp encrypted, every ICV good")
    func tsharkDecrypts() throws {
        let sas = try CryptoInteropTests.groundTruth().outbound
        let (clear, encrypted) = try encryptThroughRouter()
        try #require(encrypted.count == clear.count, "the router transmitted \(encrypted.count) of \(clear.count) packets")
        let path = try writeCapture(encrypted)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let rows = try tsharkFields(path, sas: sas.map { Self.uat($0) },
                                    ["esp.spi", "esp.sequence", "ip.src", "ip.dst", "ip.len", "udp.srcport", "data.data",
                                     "esp.icv_good", "esp.icv_bad", "esp.pad_len", "esp.protocol"])
        try #require(rows.count == clear.count, "tshark printed \(rows.count) rows for \(clear.count) packets")
        var sequences: [String: [Int]] = [:]
        for (i, (row, packet)) in zip(rows, clear).enumerated() {
            let site = Int(packet[17])  // 10.<site>.0.20
            let sa = sas[site - 2]
            let (spi, seq, src, dst, len, sport, data, good, bad, padLength, next) =
                (row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10])
            let what = "packet \(i) (\(sa.transforms), \(packet.count) bytes clear)"
            #expect(spi == String(format: "0x%08x", sa.spi), "\(what): SPI")
            sequences[spi, default: []].append(Int(seq) ?? -1)
            // Outer header, then the inner packet tshark found after decrypting.
            #expect(src == "192.0.2.1;10.1.0.10" && dst == "\(sa.peer);10.\(site).0.20", "\(what): addresses \(src) → \(dst)")
            #expect(len == "\(encrypted[i].count);\(packet.count)", "\(what): lengths \(len)")
            #expect(next == "0x04", "\(what): next header \(next) (4, IPv4 in tunnel mode)")
            #expect(Int(padLength).map { $0 < 16 } == true, "\(what): pad length \(padLength)")
            #expect(sport == String(40000 + (i % 10)), "\(what): inner UDP source port \(sport)")
            let payload = packet[28...].map { String(format: "%02x", $0) }.joined()
            #expect(data == payload, "\(what): inner payload")
            #expect(good == "1" && bad == "0", "\(what): ICV good \(good), bad \(bad)")
        }
        for sa in sas {
            #expect(sequences[String(format: "0x%08x", sa.spi)] == Array(1...10), "sequence numbers of SPI \(sa.spi)")
        }
    }

    @Test("Control: with one key byte wrong, tshark finds every ICV of that SA bad, the others good")
    func wrongKey() throws {
        let sas = try CryptoInteropTests.groundTruth().outbound
        let (_, encrypted) = try encryptThroughRouter()
        let path = try writeCapture(encrypted)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var table = sas.map { Self.uat($0) }
        let gcm = sas[0]
        // esp-gcm: the ICV covers the ciphertext under the key; a wrong AES key byte fails it.
        table[0] = Self.uat(gcm, cipher: (gcm.cipher.first == "0" ? "1" : "0") + gcm.cipher.dropFirst())
        let rows = try tsharkFields(path, sas: table, ["esp.spi", "esp.icv_good", "esp.icv_bad"])
        #expect(rows.count == encrypted.count)
        for row in rows {
            let bad = row[0] == String(format: "0x%08x", gcm.spi)
            #expect(row[1] == (bad ? "0" : "1") && row[2] == (bad ? "1" : "0"), "\(row)")
        }
    }
}
