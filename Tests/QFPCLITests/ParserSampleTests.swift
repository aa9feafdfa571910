import Foundation
@testable import QFPCLI
import QFPControl
import QFPDataplane
import Testing

/// Outputs with known counters for the public parsers engineers use (Cisco pyATS/Genie and
/// ntc-templates). `Tools/parser-check` sets `QFP_PARSER_SAMPLES=DIR`, which makes this test
/// write each command's text and its `| json` data (built from the same counters, not from
/// the text) to DIR; the script parses the text and compares the numbers with the data.
@Suite("Samples for the public parsers")
struct ParserSampleTests {
    static let commands = [
        "show platform hardware qfp active statistics drop",
        "show platform hardware qfp active statistics drop history",
        "show platform hardware qfp active feature ipsec datapath drops all",
        "show platform hardware qfp active feature ipsec datapath drops",
        "show platform hardware qfp active feature ipsec sa 2001",
        "show platform hardware qfp active feature ipsec sa 2003",
        "show platform hardware qfp active feature ipsec state",
        "show platform hardware qfp active datapath utilization",
        "show crypto ipsec sa",
        "show crypto ipsec sa detail",
        "show crypto ipsec sa peer 198.51.100.7",
        "show crypto ipsec sa peer 198.51.100.7 detail",
        "show crypto isakmp sa",
        "show crypto ikev2 sa",
        "show crypto session",
        "show crypto session detail",
        "show logging",
        "show version",
        "show clock",
        "show ip interface brief",
        "show ip route",
        "show access-lists",
        "show crypto map",
        "show crypto ipsec profile",
        "show users",
        // Last: it clears what the commands above show.
        "show platform hardware qfp active statistics drop clear",
    ]

    /// The default router after traffic of every kind the tables count.
    static func router() throws -> TestRouter {
        // A non-default replay window, so the detail output names it (ntc's template needs that).
        let text = DefaultConfiguration.text.replacingOccurrences(
            of: "\nend", with: "\ncrypto ipsec security-association replay window-size 1024\n"
                // A default route, a static route by next hop and a standard list for the parsers.
                + "ip route 0.0.0.0 0.0.0.0 192.0.2.254\nip route 10.9.0.0 255.255.0.0 10.1.0.2\n"
                + "access-list 10 permit 192.0.2.0 0.0.0.255\naccess-list 10 deny any\nend")
        let r = try TestRouter(configuration: text)
        let configure = CLISession(controlPlane: r.controlPlane, interactive: false)
        _ = configure.execute("configure terminal")
        _ = configure.execute("end")   // a line in the log
        let peer = IPAddress("198.51.100.7")!, us = IPAddress("192.0.2.1")!
        r.esp(from: peer, to: us, spi: 4096, count: 7, length: 120)         // decapsulated on SA 4096
        r.esp(from: peer, to: us, spi: 0x7777, count: 3, length: 100)       // 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI
        r.clear(from: IPAddress("10.1.0.9")!, to: IPAddress("10.2.0.9")!, count: 5, payload: 40)    // encapsulated, SPI 8192
        r.clear(from: IPAddress("10.1.0.9")!, to: IPAddress("10.4.0.9")!, count: 2, payload: 40)    // 33: no SA yet, IKE indicated
        r.sequence[4096] = 0
        r.esp(from: peer, to: us, spi: 4096, count: 2, length: 120)         // sequence 1 and 2 again: replay
        r.advance(seconds: 42)
        for _ in 0..<6 {
            r.advance(seconds: 1)
            r.controlPlane.tick()
        }
        return r
    }

    @Test("every sample command succeeds, has JSON data, and the data shows the traffic")
    func samples() throws {
        let r = try Self.router()
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        // `show users`: this session on the console, and an SSH user on vty 0.
        session.registration = r.controlPlane.sessions.register(line: .console, user: nil, location: nil)
        _ = r.controlPlane.sessions.register(line: .vty(0), user: "admin", location: "192.0.2.50",
                                             ssh: .init(encryption: "aes-gcm", hmac: "aead"))
        let directory = ProcessInfo.processInfo.environment["QFP_PARSER_SAMPLES"]
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        var index: [[String: String]] = []
        for (n, command) in Self.commands.enumerated() {
            // JSON first: the clear form resets the counters it prints.
            let json = command.hasSuffix(" clear") ? nil : session.execute(command + " | json")
            let text = session.execute(command)
            #expect(!text.failed, "\(command): \(text.output)")
            #expect(json.map { !$0.failed } ?? true, "\(command) | json: \(json?.output ?? "")")
            if let directory {
                let base = String(format: "%02d", n)
                try text.output.write(toFile: "\(directory)/\(base).txt", atomically: true, encoding: .utf8)
                if let json { try json.output.write(toFile: "\(directory)/\(base).json", atomically: true, encoding: .utf8) }
                index.append(["command": command, "text": "\(base).txt", "json": json == nil ? "" : "\(base).json"])
            }
        }
        if let directory {
            let data = try JSONSerialization.data(withJSONObject: index, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: "\(directory)/index.json"))
        }
        // The traffic is there to be parsed (the script compares the rest).
        let totals = r.controlPlane.statistics.totals()
        #expect(totals.packets(.ipsecInput) >= 3 && totals.packets(IPsecDatapathDrop(rawValue: 4)!) == 3)
        #expect(totals.packets(IPsecDatapathDrop(rawValue: 33)!) == 2)
        #expect(totals[.decapsulated] == 7)
    }
}
