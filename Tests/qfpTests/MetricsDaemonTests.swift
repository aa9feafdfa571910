import Foundation
import Testing

@Suite("qfp run --metrics: the exposition parses and agrees with the CLI")
struct MetricsDaemonTests {
    typealias Sample = (name: String, labels: [String: String], value: Double)

    /// Scrapes through Tools/metrics_check.py (prometheus_client's parser).
    func scrape(_ port: Int) throws -> (contentType: String, families: [String: (type: String, samples: [Sample])]) {
        let r = try runProgram("/usr/bin/env", ["python3", SSHFixture.root.path + "/Tools/metrics_check.py", "http://127.0.0.1:\(port)/metrics"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        var families: [String: (type: String, samples: [Sample])] = [:]
        for (name, value) in try #require(object["families"] as? [String: [String: Any]]) {
            let samples = (value["samples"] as? [[Any]] ?? []).map { s in
                (name: s[0] as! String, labels: s[1] as! [String: String], value: (s[2] as! NSNumber).doubleValue)
            }
            families[name] = (value["type"] as? String ?? "", samples)
        }
        return (object["content_type"] as? String ?? "", families)
    }

    func json(_ d: Daemon, _ command: String) throws -> [String: Any] {
        let r = try d.cli(command + " | json")
        #expect(r.status == 0, "\(command): \(r.stdout)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("drops (total and per core), IPsec feature drops, per-SA and generator families equal the CLI once traffic stops")
    func agreesWithCLI() throws {
        let port = try freeLoopbackPort()
        // The embedded profile (in-sync sites, stale peers that cause drops) for 1.5 s: its
        // streams end and stay in the generator's status.
        let profile = try runQFP(["gen", "default-profile"]).stdout
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    rate: ") ? $0 + "\n    duration: 1500ms" : String($0) }.joined(separator: "\n")
        let path = "/tmp/qfp-metrics-profile-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).yaml"
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let d = try Daemon(extra: ["--metrics", "127.0.0.1:\(port)", "--profile", path])
        // Wait for the streams to end and the counters to settle (everything in flight counted).
        usleep(1_500_000)
        var previous = "", stable = false
        for _ in 0..<50 where !stable {
            usleep(200_000)
            let now = try d.cli("show platform hardware qfp active statistics drop all | json").stdout
                + (try d.cli("show crypto ipsec sa | json").stdout)
            stable = now == previous
            previous = now
        }
        #expect(stable)

        let (contentType, families) = try scrape(port)
        #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
        func value(_ family: String, _ name: String? = nil, _ labels: [String: String]) -> Double? {
            families[family]?.samples.first { s in s.name == (name ?? family) && labels.allSatisfy { k, v in s.labels[k] == v } }?.value
        }
        #expect(families["qfp_drops_packets"]?.type == "counter" && families["qfp_generator_latency_seconds"]?.type == "histogram")

        let global = try #require(try json(d, "show platform hardware qfp active statistics drop all")["global_drop_stats"] as? [String: [String: UInt64]])
        #expect((global["IpsecInput"]?["packets"] ?? 0) > 0)
        for (cause, counts) in global {
            #expect(value("qfp_drops_packets", "qfp_drops_packets_total", ["cause": cause]) == Double(counts["packets"]!), "\(cause)")
            #expect(value("qfp_drops_octets", "qfp_drops_octets_total", ["cause": cause]) == Double(counts["octets"]!), "\(cause)")
        }
        #expect(families["qfp_drops_packets"]?.samples.count == global.count)
        let worker0 = try #require(try json(d, "show platform hardware qfp active statistics drop worker 0 all")["global_drop_stats"] as? [String: [String: UInt64]])
        for (cause, counts) in worker0 {
            #expect(value("qfp_core_drops_packets", "qfp_core_drops_packets_total", ["core": "worker0", "cause": cause]) == Double(counts["packets"]!))
        }
        let feature = try #require(try json(d, "show platform hardware qfp active feature ipsec datapath drops all")["ipsec_datapath_drops"] as? [String: [String: Any]])
        #expect((feature["4"]?["packets"] as? UInt64 ?? 0) > 0)
        for (number, entry) in feature {
            let expected = Double(entry["packets"] as! UInt64)
            #expect(value("qfp_ipsec_datapath_drops", "qfp_ipsec_datapath_drops_total", ["number": number, "name": entry["name"] as! String]) == expected, "\(number)")
        }
        // Per core: the blocks sum to the totals.
        for cause in global.keys {
            let cores = families["qfp_core_drops_packets"]?.samples.filter { $0.labels["cause"] == cause }.map(\.value).reduce(0, +)
            #expect(cores == value("qfp_drops_packets", "qfp_drops_packets_total", ["cause": cause]))
        }

        // Per SA: each flow's encaps/decaps as show crypto ipsec sa has them.
        let sa = try json(d, "show crypto ipsec sa")
        let flows = (sa["interfaces"] as? [[String: Any]] ?? []).flatMap { i in (i["flows"] as? [[String: Any]] ?? []).map { (i["name"] as! String, $0) } }
        #expect(!flows.isEmpty)
        var decapsSeen = 0.0
        for (interface, flow) in flows {
            let counters = flow["counters"] as! [String: Any]
            let peer = flow["current_peer"] as! String
            let decaps = Double(counters["pkts_decaps"] as! UInt64)
            let got = families["qfp_ipsec_sa_packets"]?.samples.filter { $0.labels["interface"] == interface && $0.labels["peer"] == peer && $0.labels["direction"] == "in" }.map(\.value)
            #expect(got?.reduce(0, +) == decaps, "\(interface) \(peer)")
            decapsSeen += decaps
        }
        #expect(decapsSeen > 0)

        // Generator: each stream's counters as `qfp gen status --json` has them; histograms whole.
        let status = try runQFP(["gen", "status", "--json", "--socket", d.socket])
        let streams = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["streams"] as? [[String: Any]])
        #expect(!streams.isEmpty)
        for s in streams {
            let name = s["name"] as! String
            #expect(value("qfp_generator_tx_packets", "qfp_generator_tx_packets_total", ["stream": name]) == Double(s["txPackets"] as! UInt64), "\(name)")
            #expect(value("qfp_generator_rx_packets", "qfp_generator_rx_packets_total", ["stream": name]) == Double(s["rxPackets"] as! UInt64), "\(name)")
            let buckets = families["qfp_generator_latency_seconds"]?.samples.filter { $0.name.hasSuffix("_bucket") && $0.labels["stream"] == name }.map(\.value) ?? []
            let count = value("qfp_generator_latency_seconds", "qfp_generator_latency_seconds_count", ["stream": name])
            #expect(buckets.count == 16 && buckets == buckets.sorted() && buckets.last == count, "\(name)")
            if let latency = s["latency"] as? [String: Any] {
                #expect(count == Double(latency["samples"] as! UInt64), "\(name)")
            }
        }
    }

    @Test("only /metrics is served; --metrics refuses a bad address")
    func endpoints() throws {
        let port = try freeLoopbackPort()
        let d = try Daemon(extra: ["--metrics", "\(port)"])
        let missing = try runProgram("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/nope"])
        #expect(missing.stdout == "404")
        let post = try runProgram("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "http://127.0.0.1:\(port)/metrics"])
        #expect(post.stdout == "405")
        let ok = try runProgram("/usr/bin/env", ["curl", "-s", "http://127.0.0.1:\(port)/metrics"])
        #expect(ok.stdout.contains("# TYPE qfp_drops_packets_total counter\n"))
        _ = d
        let bad = try runQFP(["run", "--metrics", "localhost:http", "--socket", "/tmp/qfp-unused-\(getpid())/s.sock"])
        #expect(bad.status != 0 && bad.stderr.contains("--metrics: 'localhost:http' is not ADDRESS:PORT"))
    }
}
