import Foundation
import Testing

/// The generator's captures, decoded by Wireshark's tshark (Tools/setup --test installs it):
/// the SPIs, sequence numbers, encapsulations and sizes the profile asked for.
@Suite("Generated captures in tshark")
struct CaptureDecodeTests {
    static var tshark: String? {
        ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func tsharkFields(_ file: String, _ fields: [String]) throws -> [[String]] {
        let tshark = try #require(Self.tshark, "tshark is missing: run Tools/setup --test")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", file, "-T", "fields", "-E", "separator=,", "-E", "occurrence=f"] + fields.flatMap { ["-e", $0] }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("ESP and ESP-in-UDP, IPv4 and IPv6, tunnel and transport, fixed, range and mixed sizes")
    func decode() throws {
        let d = try Daemon()
        defer { _ = d.stop() }
        let profile = d.directory + "/decode.yaml"
        try """
            seed: 7
            peers:
              - {name: site-b, address: 198.51.100.7}
              - {name: natted, address: 198.51.100.77, router: 192.0.2.1, sas: 0x00ABCDEF}
              - {name: v6, address: "2001:db8:1::7", router: "2001:db8::1", sas: [0x2222, 0x2223]}
            streams:
              - {name: fixed, peer: site-b, size: 200, rate: 20kpps, count: 300}
              - {name: nat-t, peer: natted, encapsulation: esp-udp, mode: transport, size: 100-300, rate: 20kpps, count: 200}
              - {name: six, peer: v6, size: [{size: 576, weight: 3}, {size: 1400}], rate: 20kpps, count: 100}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let capture = d.directory + "/gen.pcap"
        let r = try runQFP(["gen", "start", profile, "--wait", "--write", capture, "--socket", d.socket])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try tsharkFields(capture, ["ip.src", "ipv6.src", "ip.len", "ipv6.plen", "udp.dstport", "esp.spi", "esp.sequence"])
        #expect(rows.count == 600)
        var sequences: [String: [Int]] = [:]
        var counts: [String: Int] = [:]
        for row in rows {
            let (src4, src6, len4, plen6, udp, spi, seq) = (row[0], row[1], row[2], row[3], row[4], row[5], row[6])
            let length = len4.isEmpty ? (Int(plen6) ?? 0) + 40 : Int(len4) ?? 0
            sequences[spi, default: []].append(Int(seq) ?? -1)
            switch src4.isEmpty ? src6 : src4 {
            case "198.51.100.7":
                counts["fixed", default: 0] += 1
                #expect(spi == "0x00001000" && length == 200 && udp.isEmpty)
            case "198.51.100.77":
                counts["nat-t", default: 0] += 1
                #expect(spi == "0x00abcdef" && udp == "4500")
                #expect(length >= 100 && length <= 300 && length % 4 == 0, "length \(length)")
            case "2001:db8:1::7":
                counts["six", default: 0] += 1
                #expect(spi == "0x00002222" || spi == "0x00002223")
                #expect(length == 576 || length == 1400, "length \(length)")
            default:
                Issue.record("unexpected source in \(row)")
            }
        }
        #expect(counts == ["fixed": 300, "nat-t": 200, "six": 100])
        // Each SA's sequence numbers run 1, 2, 3, … in capture order.
        for (spi, list) in sequences {
            #expect(list == Array(1...list.count), "SPI \(spi)")
        }
        #expect(sequences["0x00002222", default: []].count + sequences["0x00002223", default: []].count == 100)
    }

    @Test("qfp capture: the daemon's drops in pcapng, each with its reason as the packet comment")
    func dropCapture() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        let file = d.directory + "/drops.pcapng"
        let start = try runQFP(["capture", "start", file, "--socket", d.socket])
        #expect(start.status == 0, "\(start.stderr)")
        let again = try runQFP(["capture", "start", file, "--socket", d.socket])
        #expect(again.status == 1 && again.stderr == "qfp: already capturing drops to \(file) (qfp capture stop first)\n")
        // Capture until the stale peers' drops counted since the start reach 25 (1 s of their
        // traffic), however slowly a loaded machine runs the daemon; then every one of them is
        // in the file (a full capture ring would be counted as missed, never here at 25/s).
        let before = try Self.invalidSPIDrops(d)
        let deadline = Date().addingTimeInterval(30)
        while try Self.invalidSPIDrops(d) < before + 25 && Date() < deadline { usleep(250_000) }
        let stop = try runQFP(["capture", "stop", "--socket", d.socket])
        #expect(stop.status == 0)
        let written = try #require(Int(stop.stdout.split(separator: " ")[1]), "\(stop.stdout)")
        #expect(written >= 20, "the stale peers send 25 a second")
        let rows = try tsharkFields(file, ["ip.src", "esp.spi", "frame.comment"])
        #expect(rows.count == written)
        for row in rows where row[0] == "203.0.113.5" || row[0] == "203.0.113.77" {
            #expect(row[2] == "IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI")
            #expect(row[1] == "0x5a3c11e7" || row[1] == "0x0badf00d")
        }
        #expect(rows.contains { $0[2] == "IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI" })
        let none = try runQFP(["capture", "stop", "--socket", d.socket])
        #expect(none.status == 1 && none.stderr == "qfp: not capturing drops\n")
    }

    /// Drop 4 (`IN_US_V4_PKT_SA_NOT_FOUND_SPI`) as the daemon counts it now.
    static func invalidSPIDrops(_ d: Daemon) throws -> Int {
        let text = try d.cli("show platform hardware qfp active feature ipsec datapath drops").stdout
        guard let line = text.split(separator: "\n").first(where: { $0.contains(" 4  IN_US_V4_PKT_SA_NOT_FOUND_SPI") }),
              let count = line.split(separator: " ").last.flatMap({ Int($0) }) else { return 0 }
        return count
    }
}
