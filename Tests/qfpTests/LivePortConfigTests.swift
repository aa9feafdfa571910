import Foundation
import Testing

/// `qfp run --config` with two interfaces mapped to Linux devices (`qfp port linux`): two veth
/// pairs between two namespaces the test creates and removes, a capture sent into each port,
/// the router's drop tables compared with `qfp replay` and `show interfaces` per interface.
/// In the LivePortTests suite, so it runs alone with the other wall-clock tests (Tools/test).
extension LivePortTests {
    /// The embedded default router with GigabitEthernet1 and 2 mapped to `outside` and `inside`.
    static func configuration(outside: String, inside: String) throws -> String {
        let text = try runQFP(["run", "--show-default-config"]).stdout
        return text.replacingOccurrences(of: " description outside\n", with: " description outside\n qfp port linux \(outside)\n")
            .replacingOccurrences(of: " description inside\n", with: " description inside\n qfp port linux \(inside)\n")
    }

    @Test("qfp run --config with two ports: each capture counted on its interface, drops as qfp replay, forwarded packets out of the egress interface; shutdown at run time",
          .enabled(if: LivePortTests.canRun, "needs root (AF_PACKET, network namespaces) and a working `ip netns`: skipped"))
    func twoPortsFromConfiguration() throws {
        guard let tcpreplay = Self.tcpreplay() else {
            Issue.record("tcpreplay is not installed: run `Tools/setup --test` (installs tcpreplay) to run this test")
            return
        }
        let ip = try #require(Self.ip)
        let directory = "/tmp/qfp-port2-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let esp = Self.captures.appendingPathComponent("replay-ethernet.pcap").path
        // 10.1.0.5 -> 10.2.0.9: crypto map OUTSIDE 10 encrypts it to 198.51.100.7 from 192.0.2.1.
        let clear = directory + "/clear.pcap"
        try Data(Self.clearCapture(count: 10, source: [10, 1, 0, 5], destination: [10, 2, 0, 9])).write(to: URL(fileURLWithPath: clear))
        let forwarded = try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: Self.captures.appendingPathComponent("replay-ground-truth.json"))).expected.forwarded

        // What the files give: the ESP capture's drops; the clear one drops nothing.
        let replayed = try Self.json(try runQFP(["replay", esp, "--json"]).stdout)
        let summary = try #require(replayed["summary"] as? [String: Any])
        let expectedDrops = try #require(replayed["statistics_drop"] as? NSDictionary)
        let expectedFeature = try #require(replayed["ipsec_datapath_drops"] as? NSDictionary)
        let clearReplay = try Self.json(try runQFP(["replay", clear, "--json"]).stdout)
        #expect((clearReplay["statistics_drop"] as? [String: Any])?["global_drop_stats"] as? [String: Any] == nil
                || ((clearReplay["statistics_drop"] as? [String: Any])?["global_drop_stats"] as? [String: Any])?.isEmpty == true,
                "the clear capture drops nothing: \(clearReplay)")

        // Two veth pairs: `a` for GigabitEthernet1 (outside), `b` for GigabitEthernet2 (inside).
        let wires = try Wire(ip: ip, pairs: ["a", "b"], namespaces: ("r2", "s2"))
        defer { wires.remove() }
        let configPath = directory + "/two-ports.cfg"
        try Self.configuration(outside: wires.routerDevices[0], inside: wires.routerDevices[1]).write(toFile: configPath, atomically: true, encoding: .utf8)

        let socket = directory + "/qfp.sock"
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: ip)
        daemon.arguments = ["netns", "exec", wires.router, qfpBinary().path, "run", "--config", configPath, "--socket", socket, "--workers", "1"]
        let log = Pipe()
        daemon.standardError = log
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        var stopped = false
        func stop() -> String {
            if !stopped {
                stopped = true
                if daemon.isRunning { kill(daemon.processIdentifier, SIGTERM) }
                daemon.waitUntilExit()
            }
            return String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        defer { if !stopped { _ = stop() } }
        func cli(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runQFP(["cli", "--socket", socket, "--json", command])
        }
        var ready = false
        for _ in 0..<400 where daemon.isRunning {
            if FileManager.default.fileExists(atPath: socket), (try? cli("show clock").status) == 0 { ready = true; break }
            usleep(25_000)
        }
        guard ready else {
            Issue.record("qfp run --config with two ports did not start: \(stop())")
            return
        }
        let running = try runQFP(["cli", "--socket", socket, "show running-config"]).stdout
        #expect(running.contains(" description outside\n ip address 192.0.2.1 255.255.255.0\n crypto map OUTSIDE\n qfp port linux \(wires.routerDevices[0])\n"))

        let a = try Self.run(ip, ["netns", "exec", wires.sender, tcpreplay, "-i", wires.senderDevices[0], "--topspeed", esp])
        #expect(a.status == 0, "tcpreplay: \(a.stdout) \(a.stderr)")
        let b = try Self.run(ip, ["netns", "exec", wires.sender, tcpreplay, "-i", wires.senderDevices[1], "--pps", "500", clear])
        #expect(b.status == 0, "tcpreplay: \(b.stdout) \(b.stderr)")

        func counters(_ interface: String) throws -> [String: Any] {
            let object = try Self.json(try cli("show interfaces \(interface)").stdout)
            let list = try #require(object["interfaces"] as? [[String: Any]])
            return try #require(list.first?["counters"] as? [String: Any])
        }
        let records = summary["records"] as? Int ?? -1
        var drops: NSDictionary = [:], feature: NSDictionary = [:]
        var gi1: [String: Any] = [:], gi2: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let d = try? Self.json(try cli("show platform hardware qfp active statistics drop").stdout) as NSDictionary { drops = d }
            if let f = try? Self.json(try cli("show platform hardware qfp active feature ipsec datapath drops").stdout) as NSDictionary { feature = f }
            gi1 = try counters("GigabitEthernet1")
            gi2 = try counters("GigabitEthernet2")
            if drops == expectedDrops && feature == expectedFeature, gi1["packetsInput"] as? Int == records, gi2["packetsInput"] as? Int == 10,
               (gi1["packetsOutput"] as? Int ?? 0) + (gi2["packetsOutput"] as? Int ?? 0) >= forwarded + 10 { break }
            usleep(50_000)
        }
        #expect(drops == expectedDrops)
        #expect(feature == expectedFeature)
        // Input: every frame of each capture on its own interface, the not-IP one counted as such.
        #expect(gi1["packetsInput"] as? Int == records && gi1["unknownProtocolDrops"] as? Int == summary["notIP"] as? Int)
        #expect(gi2["packetsInput"] as? Int == 10 && gi2["unknownProtocolDrops"] as? Int == 0)
        // Output: the encrypted packets leave by the crypto map's interface (Gi1); the decrypted
        // ones by the interface of their destination (10.1.0.0/16, Gi2).
        #expect(gi1["packetsOutput"] as? Int == 10, "\(gi1)")
        #expect(gi2["packetsOutput"] as? Int == forwarded, "\(gi2)")
        #expect(try wires.received(wires.senderDevices[0]) == 10)
        #expect(try wires.received(wires.senderDevices[1]) == forwarded)

        // The layout itself, and clear counters with its [confirm] answered.
        let text = try runQFP(["cli", "--socket", socket, "show interfaces GigabitEthernet2"]).stdout
        #expect(text.hasPrefix("GigabitEthernet2 is up, line protocol is up \n  Hardware is CSR vNIC, address is "))
        #expect(text.contains("     10 packets input, "))
        let cleared = try runQFP(["cli", "--socket", socket, "clear counters GigabitEthernet2", "", "show interfaces GigabitEthernet2"]).stdout
        #expect(cleared.contains("Clear \"show interface\" counters on this interface [confirm]\n"))
        #expect(cleared.contains("     0 packets input, 0 bytes, 0 no buffer\n"))
        #expect(try counters("GigabitEthernet1")["packetsInput"] as? Int == records, "clearing one interface leaves the other")

        // `shutdown` at run time reaches the port thread: GigabitEthernet2 takes nothing in, and
        // clear traffic from outside to its network (10.1.0.0/16, no longer routed) is an output
        // drop there; `no shutdown` restores both. 203.0.113.5 -> 10.1.0.9 is not in the crypto
        // ACL: forwarded in the clear.
        let transit = directory + "/transit.pcap"
        try Data(Self.clearCapture(count: 10, source: [203, 0, 113, 5], destination: [10, 1, 0, 9])).write(to: URL(fileURLWithPath: transit))
        let before1 = try counters("GigabitEthernet1"), before2 = try counters("GigabitEthernet2")
        let sentInside = try wires.received(wires.senderDevices[1])
        let shut = try runQFP(["cli", "--socket", socket, "configure terminal", "interface GigabitEthernet2", "shutdown", "end",
                               "show interfaces GigabitEthernet2"]).stdout
        #expect(shut.contains("GigabitEthernet2 is administratively down, line protocol is down \n"), "\(shut)")
        let ignored = try Self.run(ip, ["netns", "exec", wires.sender, tcpreplay, "-i", wires.senderDevices[1], "--pps", "500", clear])
        #expect(ignored.status == 0, "tcpreplay: \(ignored.stdout) \(ignored.stderr)")
        let c = try Self.run(ip, ["netns", "exec", wires.sender, tcpreplay, "-i", wires.senderDevices[0], "--pps", "500", transit])
        #expect(c.status == 0, "tcpreplay: \(c.stdout) \(c.stderr)")
        var down: [String: Any] = [:]
        let shutDeadline = Date().addingTimeInterval(20)
        while Date() < shutDeadline {
            down = try counters("GigabitEthernet2")
            // The port thread walks Gi2's ring after Gi1's and in every pass: once the transit
            // packets from Gi1 are dropped, Gi2's earlier frames were seen too.
            if down["outputDrops"] as? Int == 10 { break }
            usleep(50_000)
        }
        #expect(down["packetsInput"] as? Int == before2["packetsInput"] as? Int, "a shut-down interface receives nothing: \(down)")
        #expect(down["packetsOutput"] as? Int == before2["packetsOutput"] as? Int && down["outputDrops"] as? Int == 10, "\(down)")
        #expect(try counters("GigabitEthernet1")["packetsInput"] as? Int == (before1["packetsInput"] as? Int ?? 0) + 10)
        #expect(try wires.received(wires.senderDevices[1]) == sentInside, "nothing left by the shut-down interface")

        _ = try runQFP(["cli", "--socket", socket, "configure terminal", "interface GigabitEthernet2", "no shutdown", "end"])
        let d = try Self.run(ip, ["netns", "exec", wires.sender, tcpreplay, "-i", wires.senderDevices[0], "--pps", "500", transit])
        #expect(d.status == 0, "tcpreplay: \(d.stdout) \(d.stderr)")
        var up: [String: Any] = [:]
        let upDeadline = Date().addingTimeInterval(20)
        while Date() < upDeadline {
            up = try counters("GigabitEthernet2")
            if up["packetsOutput"] as? Int == (before2["packetsOutput"] as? Int ?? 0) + 10 { break }
            usleep(50_000)
        }
        #expect(up["packetsOutput"] as? Int == (before2["packetsOutput"] as? Int ?? 0) + 10 && up["outputDrops"] as? Int == 10, "\(up)")
        #expect(try wires.received(wires.senderDevices[1]) == sentInside + 10)
        #expect(try runQFP(["cli", "--socket", socket, "show interfaces GigabitEthernet2"]).stdout
            .hasPrefix("GigabitEthernet2 is up, line protocol is up \n"))

        let text2 = stop()
        #expect(daemon.terminationStatus == 0, "\(text2)")
        #expect(text2.contains("port \(wires.routerDevices[0]) stopped: rx \(records + 20) frames"), "\(text2)")
        #expect(text2.contains("port \(wires.routerDevices[1]) stopped: rx 10 frames (10 IP, 0 not IP), tx \(forwarded + 10), 10 not sent (shut down)"), "\(text2)")
    }

    @Test("A mapped device that does not exist: exit 1, naming the configuration file, the interface and the device")
    func missingMappedDevice() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-missing-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("lab.cfg").path
        try Self.configuration(outside: "qfpnosuch8", inside: "qfpnosuch9").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runQFP(["run", "--config", path, "--socket", directory.appendingPathComponent("qfp.sock").path])
        #expect(r.status == 1)
        #expect(r.stderr == "qfp: configuration \(path): interface GigabitEthernet1: qfp port linux qfpnosuch8: port qfpnosuch8: no such network device (if_nametoindex: No such device)\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("qfp.sock").path), "nothing started")
    }
}
