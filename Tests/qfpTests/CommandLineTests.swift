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
    }
}
