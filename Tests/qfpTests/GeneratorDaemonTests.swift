import Foundation
import Testing

@Suite("qfp gen against a running daemon", .serialized)   // each daemon wants both vCPUs for its rate checks
struct GeneratorDaemonTests {
    func gen(_ d: Daemon, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runQFP(["gen"] + arguments + ["--socket", d.socket])
    }

    func write(_ d: Daemon, _ name: String, _ text: String) throws -> String {
        let path = d.directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("qfp run with no config: the first show already has invalid-SPI drops; streams stop and start")
    func defaultTraffic() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        // The stale peers send 25 packets a second between them.
        var drops = ""
        for _ in 0..<40 {
            drops = try d.cli("show platform hardware qfp active feature ipsec datapath drops").stdout
            if drops.contains("IN_US_V4_PKT_SA_NOT_FOUND_SPI") { break }
            usleep(100_000)
        }
        #expect(drops.contains("        4  IN_US_V4_PKT_SA_NOT_FOUND_SPI"))
        let table = try d.cli("sh pl ha qfp ac st dr | i Ipsec").stdout
        #expect(table.hasPrefix("IpsecInput "))
        // The control plane turns the punts into the rate-limited syslog message: one per
        // minute however many packets, with the stale peer's SPI.
        var log = ""
        for _ in 0..<40 {
            // In IOS regular expressions `_` matches a delimiter, not an underscore: `.` it is.
            log = try d.cli("show logging | include RECVD.PKT.INV.SPI").stdout
            if !log.isEmpty { break }
            usleep(100_000)
        }
        let lines = log.split(separator: "\n")
        #expect(lines.count >= 1 && lines.count <= 2, "\(log)")
        #expect(lines.allSatisfy { $0.contains(": %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=") && $0.contains(", prot=50, spi=0x") })

        let status = try gen(d, ["status"])
        #expect(status.status == 0)
        for name in ["site-b-data", "site-c-voice", "hub-east-stale", "vti-west-stale"] {
            #expect(status.stdout.contains("\n\(name) "), "\(name) missing from\n\(status.stdout)")
        }
        let stopped = try gen(d, ["stop", "hub-east-stale", "vti-west-stale"])
        #expect(stopped.status == 0 && stopped.stdout == "stopped hub-east-stale, vti-west-stale\n")
        let again = try gen(d, ["stop", "hub-east-stale"])
        #expect(again.status == 1)
        #expect(again.stderr == "qfp: no stream named 'hub-east-stale' is running (running: site-b-data, site-c-voice)\n")
        let restart = try gen(d, ["start", "--stream", "hub-east-stale"])
        #expect(restart.status == 0 && restart.stdout.hasPrefix("started hub-east-stale\n"))
        let json = try gen(d, ["status", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let streams = try #require(object["streams"] as? [[String: Any]])
        #expect(Set(streams.compactMap { $0["name"] as? String }) == ["site-b-data", "site-c-voice", "hub-east-stale"])
    }

    @Test("Invalid-SPI recovery in the daemon: IKE to the stale peers, DELETE, they renegotiate, the drops stop")
    func recoveryEndsTheBlackhole() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        func invalidSPIDrops() throws -> Int {
            let text = try d.cli("show platform hardware qfp active feature ipsec datapath drops | include IN.US.V4").stdout
            return Int(text.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "") ?? 0
        }
        // The blackhole forms: the stale peers' packets are drop 4.
        var before = 0
        for _ in 0..<40 where before == 0 {
            before = try invalidSPIDrops()
            usleep(100_000)
        }
        #expect(before > 0)
        _ = try d.cli("debug crypto isakmp", "debug crypto ipsec")
        let configured = try d.cli("configure terminal", "crypto isakmp invalid-spi-recovery", "end")
        #expect(configured.status == 0, "\(configured.stderr)")
        // Both stale peers (a static crypto map peer and an sVTI peer) get an IKE SA and new SAs.
        // Wall-clock time in a shared machine: generous, the loop ends as soon as both are up.
        var isakmp = ""
        for _ in 0..<300 {
            isakmp = try d.cli("show crypto isakmp sa").stdout
            if isakmp.contains("203.0.113.5     192.0.2.1       QM_IDLE") && isakmp.contains("203.0.113.77    192.0.2.1       QM_IDLE") { break }
            usleep(100_000)
        }
        #expect(isakmp.contains("203.0.113.5     192.0.2.1       QM_IDLE"), "\(isakmp)")
        let log = try d.cli("show logging | begin Log Buffer").stdout + (try d.cli("show qfp invalid-spi").stdout)
        #expect(isakmp.contains("203.0.113.77    192.0.2.1       QM_IDLE"), "\(isakmp)\n\(log)")
        var settled = try invalidSPIDrops()
        for _ in 0..<50 {
            usleep(500_000)
            let now = try invalidSPIDrops()
            if now == settled { break }
            settled = now
        }
        usleep(1_500_000)
        #expect(try invalidSPIDrops() == settled, "no more invalid SPIs once the peers renegotiated")
        let sa = try d.cli("show crypto ipsec sa peer 203.0.113.5").stdout
        let decaps = sa.split(separator: "\n").first { $0.contains("#pkts decaps:") }.map(String.init) ?? ""
        #expect(!decaps.contains("#pkts decaps: 0,"), "\(sa)")
        // The negotiated SAs use the map's transform set (TS-AES256) with keys both sides
        // derived: the renegotiated streams are sealed with them and every packet verifies.
        #expect(sa.contains("        transform: esp-256-aes esp-sha256-hmac ,\n"), "\(sa)")
        let vti = try d.cli("show crypto ipsec sa peer 203.0.113.77").stdout
        #expect(vti.contains("        transform: esp-256-aes esp-sha256-hmac ,\n") && !vti.contains("#pkts decaps: 0,"), "\(vti)")
        let drops = try d.cli("show platform hardware qfp active feature ipsec datapath drops").stdout
        #expect(!drops.contains("MAC_EXCEPTION"), "\(drops)")
        let status = try gen(d, ["status"]).stdout
        #expect(status.contains("\nhub-east-stale ") && status.contains("\nvti-west-stale "), "\(status)")
    }

    @Test("A one-shot run with --wait: exact counts, rate within 1%, faults on their counters")
    func oneShot() throws {
        let d = try Daemon()
        defer { _ = d.stop() }
        let profile = try write(d, "burst.yaml", """
            peers: [{name: b, address: 198.51.100.7}]
            streams:
              - {name: burst, peer: b, size: 64, rate: 100kpps, duration: 2s, faults: {unknown-spi: 1%}}
            """)
        let r = try gen(d, ["start", profile, "--wait", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("100%"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let stream = try #require((object["streams"] as? [[String: Any]])?.first)
        let tx = try #require(stream["txPackets"] as? Int)
        #expect(tx >= 199_990 && tx <= 200_000, "tx \(tx)")
        let kinds = try #require(stream["kinds"] as? [String: Int])
        #expect((kinds["valid"] ?? 0) + (kinds["unknown-spi"] ?? 0) == tx)
        // The router counted each unknown SPI under drop 4 (the last bursts may still be in the
        // workers' rings when --wait returns: poll briefly).
        var drops = ""
        for _ in 0..<100 {
            drops = try d.cli("show platform hardware qfp active feature ipsec datapath drops | json").stdout
            if drops.contains("\(kinds["unknown-spi"] ?? -1)") { break }
            usleep(100_000)
        }
        #expect(drops.contains("\(kinds["unknown-spi"] ?? -1)"), "\(drops)")
        // Streams stopped once done.
        #expect(try gen(d, ["status"]).stdout.hasPrefix("Generator: 0 streams"))
    }

    @Test("Bad profiles and requests: a clear error naming file, line and key; exit 1; nothing started")
    func errors() throws {
        let d = try Daemon()
        defer { _ = d.stop() }
        let bad = try write(d, "bad.yaml", "peers:\n  - {name: b, address: 198.51.100.7}\nstreams:\n  - {name: s, peer: b, rate: lots}\n")
        let r = try gen(d, ["start", bad])
        #expect(r.status == 1)
        #expect(r.stderr == "qfp: \(bad):4:30: streams[0].rate: 'lots' is not a rate (e.g. 1000pps, 2.5kpps, 1Mpps, 10Mbps, 1Gbps, 5%, max)\n")
        let missing = try gen(d, ["start", d.directory + "/none.yaml"])
        #expect(missing.status == 1 && missing.stderr == "qfp: cannot read traffic profile \(d.directory)/none.yaml\n")
        let endless = try write(d, "endless.yaml", "peers: [{name: b, address: 198.51.100.7}]\nstreams: [{name: s, peer: b}]\n")
        let wait = try gen(d, ["start", endless, "--wait"])
        #expect(wait.status == 1)
        #expect(wait.stderr.hasSuffix("qfp: stream 's' runs until stopped; --wait needs count: or duration: on every stream (stopped them)\n"))
        // The last second's rates fall to zero within a second of the stop.
        var status = ""
        for _ in 0..<40 {
            status = try gen(d, ["status"]).stdout
            if status == "Generator: 0 streams (0 running), tx 0 pps, rx 0 pps\n" { break }
            usleep(100_000)
        }
        #expect(status == "Generator: 0 streams (0 running), tx 0 pps, rx 0 pps\n")
        let profileError = try runQFP(["run", "--socket", d.directory + "/other.sock", "--profile", bad])
        #expect(profileError.status == 1 && profileError.stderr.hasSuffix("qfp: \(bad):4:30: streams[0].rate: 'lots' is not a rate (e.g. 1000pps, 2.5kpps, 1Mpps, 10Mbps, 1Gbps, 5%, max)\n"))
    }
}
