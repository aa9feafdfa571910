import Foundation
import Testing

/// Runs the built `qfp` executable (next to this test bundle) with no input and captures its output.
func runQFP(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runQFP(arguments, stdin: "")
}

@Suite("qfp command line")
struct CommandLineTests {
    @Test("bench --json prints one object with the fields scripts rely on")
    func benchJSON() throws {
        let r = try runQFP(["bench", "--json", "--only", "lookup", "inbound", "--lookup-sizes", "1000",
                            "--sas", "2000", "--seconds", "0.2", "--workers", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["workers", "sas", "packets_offered", "packets_forwarded", "packets_dropped", "mpps_per_worker",
                    "lookup_ns", "runs", "global_drop_stats", "ipsec_datapath_drops"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let drops = try #require(object["ipsec_datapath_drops"] as? [String: [String: Any]])
        #expect(drops["4"]?["name"] as? String == "IN_US_V4_PKT_SA_NOT_FOUND_SPI")
        #expect((drops["4"]?["packets"] as? Int ?? 0) > 0)
        let offered = object["packets_offered"] as? Int ?? 0
        let forwarded = object["packets_forwarded"] as? Int ?? 0
        let dropped = object["packets_dropped"] as? Int ?? 0
        #expect(offered > 0 && offered == forwarded + dropped)
    }

    @Test("the table ends with both drop tables")
    func benchTable() throws {
        let r = try runQFP(["bench", "--only", "inbound", "--sas", "1000", "--seconds", "0.2", "--workers", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Global Drop Stats                         Packets                  Octets  \n"))
        #expect(r.stdout.contains("Drop Type  Name                                     Packets"))
        #expect(r.stdout.contains("        4  IN_US_V4_PKT_SA_NOT_FOUND_SPI"))
    }

    @Test("bad flags: a clear error naming the flag, and a non-zero exit")
    func badFlags() throws {
        let r = try runQFP(["bench", "--workers", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--workers must be in 1...64, got 0"))
        let u = try runQFP(["bench", "--only", "teleport"])
        #expect(u.status != 0 && u.stderr.contains("teleport"))
        for command in ["bench", "run"] {
            let c = try runQFP([command, "--crypto-provider", "openssl"])
            #expect(c.status != 0, "\(command)")
            #expect(c.stderr.contains("openssl") && c.stderr.contains("--crypto-provider") && c.stderr.contains("ipsec-mb"), "\(command): \(c.stderr)")
        }
    }

    @Test("bench --crypto-provider: the JSON and the table name the provider; forcing ipsec-mb without the library is an error naming it")
    func benchCryptoProvider() throws {
        let common = ["bench", "--only", "crypto", "--crypto-sizes", "64", "--crypto-sas", "64", "--seconds", "0.05"]
        let boring = try runQFP(common + ["--json", "--crypto-provider", "boringssl"])
        #expect(boring.status == 0, "\(boring.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(boring.stdout.utf8)) as? [String: Any])
        #expect(object["crypto_provider"] as? String == "boringssl")
        #expect((object["crypto_only"] as? [[String: Any]])?.count == 2)
        // BoringSSL opens per packet: no burst-engine figure.
        #expect((object["crypto_only"] as? [[String: Any]])?.allSatisfy { $0["inbound_burst_mops"] == nil } == true)
        let forced = try runQFP(common + ["--crypto-provider", "ipsec-mb"])
        if forced.status == 0 {
            #expect(forced.stdout.contains("Crypto provider: ipsec-mb ("), "\(forced.stdout)")
            #expect(forced.stdout.contains("burst engine in "), "\(forced.stdout)")
            // --crypto-transforms cbc: the CBC runs only, with the burst engine's figure.
            let cbc = try runQFP(common + ["--json", "--crypto-provider", "ipsec-mb", "--crypto-transforms", "cbc"])
            #expect(cbc.status == 0, "\(cbc.stderr)")
            let c = try #require(try JSONSerialization.jsonObject(with: Data(cbc.stdout.utf8)) as? [String: Any])
            let only = c["crypto_only"] as? [[String: Any]]
            #expect(only?.count == 1 && (c["crypto"] as? [[String: Any]])?.count == 1)
            #expect((only?.first?["inbound_burst_mops"] as? Double ?? 0) > 0, "\(cbc.stdout)")
            let auto = try runQFP(common + ["--json"])
            #expect(auto.status == 0, "\(auto.stderr)")
            let a = try #require(try JSONSerialization.jsonObject(with: Data(auto.stdout.utf8)) as? [String: Any])
            #expect((a["crypto_provider"] as? String)?.hasPrefix("ipsec-mb (") == true)
        } else {
            #expect(forced.stderr.contains("libIPSec_MB.so.1") || forced.stderr.contains("intel-ipsec-mb.h"), "\(forced.stderr)")
            #expect(forced.stderr.contains("apt-get install libipsec-mb-dev"), "\(forced.stderr)")
        }
    }

    @Test("without the library: --crypto-provider ipsec-mb fails naming the file and the package; auto runs on BoringSSL")
    func cryptoProviderLibraryMissing() throws {
        let missing = ["QFP_IPSEC_MB_LIBRARY": "/nonexistent/libIPSec_MB.so.1"]
        let probe = ["bench", "--only", "lookup", "--lookup-sizes", "1", "--json"]
        for command in [probe, ["run", "--no-traffic", "--socket", "/nonexistent/qfp.sock"]] {
            let forced = try runQFP(command + ["--crypto-provider", "ipsec-mb"], stdin: "", environment: missing)
            #expect(forced.status != 0)
            #expect(forced.stderr.contains("--crypto-provider ipsec-mb: crypto provider ipsec-mb (intel-ipsec-mb) is not available: cannot load /nonexistent/libIPSec_MB.so.1"),
                    "\(forced.stderr)")
            #expect(forced.stderr.contains("(Debian/Ubuntu: apt-get install libipsec-mb-dev)"), "\(forced.stderr)")
        }
        let auto = try runQFP(probe, stdin: "", environment: missing)
        #expect(auto.status == 0, "\(auto.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(auto.stdout.utf8)) as? [String: Any])
        #expect(object["crypto_provider"] as? String == "boringssl")
    }
}

@Suite("qfp scenario")
struct ScenarioCommandTests {
    @Test("--json: the documented fields; the text form shows the timeline and figures")
    func json() throws {
        let r = try runQFP(["scenario", "missed-delete", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["ended_by"] as? String == "recovery")
        #expect((object["packets_lost"] as? Int ?? 0) > 0)
        #expect((object["blackhole_seconds"] as? Double ?? 99) < 2)
        let text = try runQFP(["scenario", "peer-reload", "--crypto-config", "svti", "--recovery", "on"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("crypto config svti (invalid-spi-recovery support: yes), crypto isakmp invalid-spi-recovery on"))
        #expect(text.stdout.contains("%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50"))
        #expect(text.stdout.contains("ended by                              recovery\n"))
    }

    @Test("--write: the router's IKE messages as a pcap")
    func write() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-scenario-cli-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runQFP(["scenario", "peer-reload", "--recovery", "on", "--write", path])
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 24 + 16 + 28, "a pcap header and at least one IKE datagram")
        #expect(bytes.prefix(4) == Data([0x4D, 0x3C, 0xB2, 0xA1]) || bytes.prefix(4) == Data([0xA1, 0xB2, 0x3C, 0x4D]))
    }

    @Test("bad input: an error naming the option, non-zero exit", arguments: [
        (["scenario", "nonsense"], "unknown scenario 'nonsense'"),
        (["scenario", "peer-reload", "--crypto-config", "vti"], "--crypto-config must be one of"),
        (["scenario", "peer-reload", "--recovery", "maybe"], "--recovery must be on or off"),
        (["scenario", "peer-reload", "--lifetime", "5"], "--lifetime must be in 120...86400"),
        (["scenario", "peer-reload", "--loss", "120"], "--loss must be in 0...100"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let r = try runQFP(arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("a keepalive the configuration refuses is reported with the configuration error")
    func badKeepalive() throws {
        let r = try runQFP(["scenario", "dead-peer", "--keepalive", "5 2"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("qfp: scenario dead-peer: scenario configuration refused:"), "\(r.stderr)")
        #expect(r.stderr.contains("crypto isakmp keepalive 5 2"))
    }
}
