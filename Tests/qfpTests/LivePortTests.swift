import Foundation
import Testing

/// `qfp run --port` on one end of a veth pair, tcpreplay on the other, each end in a network
/// namespace the test creates and removes: the router counts a capture sent over the wire as
/// `qfp replay` counts the file. Nothing leaves the machine: the pair's ends live only in the
/// two namespaces.
@Suite("Live port: AF_PACKET on a veth pair between two network namespaces", .serialized)
struct LivePortTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("QFPCLITests/Captures")

    /// `ip`, wherever this system keeps it.
    static let ip: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Root (AF_PACKET and namespaces need it) and a working `ip netns`.
    static var canRun: Bool {
        guard getuid() == 0, let ip else { return false }
        return (try? run(ip, ["netns", "list"]).status) == 0
    }

    static func tcpreplay() -> String? {
        ["/usr/bin/tcpreplay", "/usr/sbin/tcpreplay", "/usr/local/bin/tcpreplay"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProgram(executable, arguments)
    }

    /// Two namespaces joined by veth pairs (one per name in `pairs`), IPv6 off on every end (no
    /// router solicitations or MLD reports of the host's own), no addresses (no ARP): the only
    /// frames on the wire are the capture's and the router's. Removed by `remove()`, which the
    /// test defers.
    final class Wire {
        let ip: String
        let router: String, sender: String
        /// The router's and the sender's ends, by pair.
        let routerDevices: [String], senderDevices: [String]
        var routerDevice: String { routerDevices[0] }
        var senderDevice: String { senderDevices[0] }

        /// `namespaces` tells the namespace names apart from another test's wires.
        init(ip: String, pairs: [String] = [""], namespaces: (router: String, sender: String) = ("router", "sender")) throws {
            self.ip = ip
            let tag = "\(getpid() % 100_000)"
            router = "qfp-test-\(tag)-\(namespaces.router)"
            sender = "qfp-test-\(tag)-\(namespaces.sender)"
            routerDevices = pairs.map { "qfpr\(tag)\($0)" }
            senderDevices = pairs.map { "qfps\(tag)\($0)" }
            remove()
            try step(["netns", "add", router])
            try step(["netns", "add", sender])
            for (r, s) in zip(routerDevices, senderDevices) {
                try step(["link", "add", r, "netns", router, "type", "veth", "peer", "name", s, "netns", sender])
                for (ns, device) in [(router, r), (sender, s)] {
                    try step(["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.\(device).disable_ipv6=1"])
                    try step(["netns", "exec", ns, "ip", "link", "set", device, "up"])
                }
            }
        }

        func step(_ arguments: [String]) throws {
            let r = try LivePortTests.run(ip, arguments)
            guard r.status == 0 else { throw WireError(description: "ip \(arguments.joined(separator: " ")): exit \(r.status): \(r.stderr)") }
        }

        /// Deleting a namespace deletes the veth ends inside it, and with them the other ends.
        func remove() {
            for ns in [router, sender] { _ = try? LivePortTests.run(ip, ["netns", "delete", ns]) }
        }

        /// Frames the sender's end `device` received: what the router sent out of that port.
        func received(_ device: String) throws -> Int {
            let r = try LivePortTests.run(ip, ["netns", "exec", sender, "cat", "/sys/class/net/\(device)/statistics/rx_packets"])
            return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        /// Frames the sender's end received: what the router sent out of its port.
        func senderReceived() throws -> Int { try received(senderDevice) }
    }

    /// `qfp run --port` inside the wire's router namespace, on a private control socket (a path:
    /// reachable from any namespace). `stop()` ends it with SIGTERM and returns its log.
    final class RouterOnWire {
        let daemon = Process()
        let log = Pipe()
        let socket: String
        private(set) var ready = false
        private var stopped = false
        private var text = ""

        init(ip: String, wire: Wire, port: String, socket: String) throws {
            self.socket = socket
            daemon.executableURL = URL(fileURLWithPath: ip)
            daemon.arguments = ["netns", "exec", wire.router, qfpBinary().path, "run", "--port", port,
                                "--socket", socket, "--workers", "1"]
            daemon.standardError = log
            daemon.standardOutput = FileHandle.nullDevice
            try daemon.run()
            for _ in 0..<400 where daemon.isRunning {
                if FileManager.default.fileExists(atPath: socket), (try? cli("show clock").status) == 0 { ready = true; break }
                usleep(25_000)
            }
        }

        func cli(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runQFP(["cli", "--socket", socket, "--json", command])
        }

        func stop() -> String {
            if !stopped {
                stopped = true
                if daemon.isRunning { kill(daemon.processIdentifier, SIGTERM) }
                daemon.waitUntilExit()
                text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            }
            return text
        }
    }

    /// A pcap of `count` Ethernet frames from 02:00:00:00:00:0b carrying UDP from `source` to
    /// `destination` (IPv4, 32 bytes of payload).
    static func clearCapture(count: Int, source: [UInt8], destination: [UInt8]) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        func le16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        var out = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65535) + le32(1)
        for i in 0..<count {
            var ip: [UInt8] = [0x45, 0, 0, 60, UInt8(i >> 8), UInt8(i & 0xFF), 0, 0, 64, 17, 0, 0] + source + destination
            var sum: UInt32 = 0
            for k in stride(from: 0, to: 20, by: 2) { sum += UInt32(ip[k]) << 8 | UInt32(ip[k + 1]) }
            while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
            ip[10] = UInt8(~UInt16(sum) >> 8); ip[11] = UInt8(~UInt16(sum) & 0xFF)
            ip += [0x04, 0xD2, 0x16, 0x2E, 0, 40, 0, 0] + [UInt8](repeating: 0x78, count: 32)
            let frame: [UInt8] = [2, 0, 0, 0, 0, 0x0A, 2, 0, 0, 0, 0, 0x0B, 0x08, 0x00] + ip
            out += le32(1) + le32(UInt32(i * 1000)) + le32(UInt32(frame.count)) + le32(UInt32(frame.count)) + frame
        }
        return out
    }

    struct WireError: Error, CustomStringConvertible { let description: String }

    struct GroundTruth: Decodable {
        struct Expected: Decodable { var forwarded: Int }
        var expected: Expected
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("tcpreplay into the port: the same counts as qfp replay of the file",
          .enabled(if: LivePortTests.canRun, "needs root (AF_PACKET, network namespaces) and a working `ip netns`: skipped"),
          arguments: ["replay-ethernet.pcap", "replay-ethernet.pcapng", "replay-ethernet.pcap tagged VLAN 100"])
    func sameCountsAsReplay(file: String) throws {
        guard let tcpreplay = Self.tcpreplay() else {
            Issue.record("tcpreplay is not installed: run `Tools/setup --test` (installs tcpreplay) to run this test")
            return
        }
        let ip = try #require(Self.ip)
        let directory = "/tmp/qfp-port-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/qfp.sock"
        var path = Self.captures.appendingPathComponent(file).path
        if file.hasSuffix(" tagged VLAN 100") {
            // 802.1Q on every frame (tcprewrite comes with tcpreplay). The receiving kernel moves
            // the tag into the frame's metadata or leaves it in place; the port counts alike.
            let original = Self.captures.appendingPathComponent(String(file.prefix { $0 != " " })).path
            path = directory + "/vlan100.pcap"
            let tcprewrite = URL(fileURLWithPath: tcpreplay).deletingLastPathComponent().appendingPathComponent("tcprewrite").path
            let r = try Self.run(tcprewrite, ["--enet-vlan=add", "--enet-vlan-tag=100", "--enet-vlan-cfi=0", "--enet-vlan-pri=0",
                                              "-i", original, "-o", path])
            try #require(r.status == 0, "tcprewrite: \(r.stderr)")
        }
        let forwarded = try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: Self.captures.appendingPathComponent("replay-ground-truth.json"))).expected.forwarded

        // What the file gives.
        let replayed = try runQFP(["replay", path, "--json"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let expected = try Self.json(replayed.stdout)
        let summary = try #require(expected["summary"] as? [String: Any])
        let expectedDrops = try #require(expected["statistics_drop"] as? NSDictionary)
        let expectedFeature = try #require(expected["ipsec_datapath_drops"] as? NSDictionary)

        let wire = try Wire(ip: ip)
        defer { wire.remove() }

        // The router on its end of the wire. One case names the router interface the device
        // stands for; the others take the default.
        let port = file.hasSuffix(".pcapng") ? "GigabitEthernet1=\(wire.routerDevice)" : wire.routerDevice
        let router = try RouterOnWire(ip: ip, wire: wire, port: port, socket: socket)
        defer { _ = router.stop() }
        guard router.ready else {
            Issue.record("qfp run --port \(port) did not start: \(router.stop())")
            return
        }
        func cli(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) { try router.cli(command) }

        // The capture onto the wire from the other end.
        let sent = try Self.run(ip, ["netns", "exec", wire.sender, tcpreplay, "-i", wire.senderDevice, "--topspeed", path])
        #expect(sent.status == 0, "tcpreplay: \(sent.stdout) \(sent.stderr)")
        #expect(sent.stdout.contains("Successful packets:        \(summary["records"] as? Int ?? -1)"), "\(sent.stdout)")

        // Wait (bounded) until the router counted the capture and the forwarded packets arrived.
        var drops: NSDictionary = [:], feature: NSDictionary = [:]
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let a = try cli("show platform hardware qfp active statistics drop")
            let b = try cli("show platform hardware qfp active feature ipsec datapath drops")
            if let d = try? Self.json(a.stdout) as NSDictionary, let f = try? Self.json(b.stdout) as NSDictionary {
                drops = d
                feature = f
            }
            if drops == expectedDrops && feature == expectedFeature, try wire.senderReceived() >= forwarded { break }
            usleep(50_000)
        }
        #expect(drops == expectedDrops)
        #expect(feature == expectedFeature)
        #expect(try wire.senderReceived() == forwarded)

        // The port's own counts, from its last log line.
        let text = router.stop()
        #expect(router.daemon.terminationStatus == 0, "\(text)")
        let line = try #require(text.split(separator: "\n").last { $0.contains("port \(wire.routerDevice) stopped: ") }, "\(text)")
        let records = summary["records"] as? Int ?? -1, injected = summary["injected"] as? Int ?? -1, notIP = summary["notIP"] as? Int ?? -1
        #expect(line.hasSuffix("port \(wire.routerDevice) stopped: rx \(records) frames (\(injected) IP, \(notIP) not IP), tx \(forwarded)"), "\(line)")
    }

    @Test("Clear packets from the inside leave the port encrypted: ESP to the peer, as dumpcap sees it on the other end",
          .enabled(if: LivePortTests.canRun, "needs root (AF_PACKET, network namespaces) and a working `ip netns`: skipped"))
    func outboundLeavesEncrypted() throws {
        guard let tcpreplay = Self.tcpreplay(), FileManager.default.isExecutableFile(atPath: "/usr/bin/dumpcap"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else {
            Issue.record("tcpreplay or tshark/dumpcap is not installed: run `Tools/setup --test` to run this test")
            return
        }
        let ip = try #require(Self.ip)
        let directory = "/tmp/qfp-port-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 10.1.0.5 -> 10.2.0.9 matches crypto map OUTSIDE 10 of the default router (manual SA,
        // outbound SPI 8192 to 198.51.100.7, ESP-NULL).
        let path = directory + "/clear.pcap"
        try Data(Self.clearCapture(count: 10, source: [10, 1, 0, 5], destination: [10, 2, 0, 9])).write(to: URL(fileURLWithPath: path))

        let wire = try Wire(ip: ip)
        defer { wire.remove() }
        let router = try RouterOnWire(ip: ip, wire: wire, port: wire.routerDevice, socket: directory + "/qfp.sock")
        defer { _ = router.stop() }
        guard router.ready else {
            Issue.record("qfp run --port \(wire.routerDevice) did not start: \(router.stop())")
            return
        }

        // dumpcap on the sender's end keeps the first 10 ESP frames (tcpreplay's are UDP).
        let seen = directory + "/seen.pcapng"
        let dumpcap = Process()
        dumpcap.executableURL = URL(fileURLWithPath: ip)
        dumpcap.arguments = ["netns", "exec", wire.sender, "/usr/bin/dumpcap", "-q", "-i", wire.senderDevice, "-f", "esp",
                             "-c", "10", "-w", seen]
        dumpcap.standardOutput = FileHandle.nullDevice
        // dumpcap says "Capturing on …" once its filter is in place: wait for that (bounded)
        // rather than a fixed time, so a loaded machine does not lose the first frames.
        let log = directory + "/dumpcap.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        dumpcap.standardError = FileHandle(forWritingAtPath: log)
        try dumpcap.run()
        defer { if dumpcap.isRunning { kill(dumpcap.processIdentifier, SIGKILL); dumpcap.waitUntilExit() } }
        func dumpcapSays() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        for _ in 0..<400 where dumpcap.isRunning && !dumpcapSays().contains("Capturing on") { usleep(25_000) }
        #expect(dumpcap.isRunning, "dumpcap ended early: \(dumpcapSays())")
        usleep(100_000)

        let sent = try Self.run(ip, ["netns", "exec", wire.sender, tcpreplay, "-i", wire.senderDevice, "--pps", "200", path])
        #expect(sent.status == 0, "tcpreplay: \(sent.stdout) \(sent.stderr)")
        for _ in 0..<400 where dumpcap.isRunning { usleep(25_000) }
        #expect(!dumpcap.isRunning, "dumpcap did not see 10 ESP frames: \(dumpcapSays())")
        dumpcap.waitUntilExit()
        for _ in 0..<80 where !FileManager.default.fileExists(atPath: seen) { usleep(25_000) }

        let fields = try Self.run("/usr/bin/tshark", ["-r", seen, "-T", "fields", "-E", "separator=,",
                                                      "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "esp.spi", "-e", "esp.sequence"])
        let rows = fields.stdout.split(separator: "\n").map(String.init)
        #expect(rows == (1...10).map { "02:00:00:00:00:0b,192.0.2.1,198.51.100.7,0x00002000,\($0)" },
                "\(fields.stdout) \(fields.stderr); dumpcap: \(dumpcapSays()) status \(dumpcap.isRunning ? -1 : dumpcap.terminationStatus)")

        let text = router.stop()
        let line = try #require(text.split(separator: "\n").last { $0.contains("port \(wire.routerDevice) stopped: ") }, "\(text)")
        #expect(line.hasSuffix("port \(wire.routerDevice) stopped: rx 10 frames (10 IP, 0 not IP), tx 10"), "\(line)")
    }

    @Test("A device that does not exist: exit 1, naming the device and errno text")
    func missingDevice() throws {
        let r = try runQFP(["run", "--port", "qfpnosuch0", "--socket", "/tmp/qfp-port-missing-\(getpid()).sock"])
        #expect(r.status == 1)
        #expect(r.stderr == "qfp: port qfpnosuch0: no such network device (if_nametoindex: No such device)\n")
    }

    @Test("AF_PACKET refused (an unprivileged user): exit 1, naming the device, the call and errno text",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv (util-linux) to drop to an unprivileged user: skipped"))
    func notPermitted() throws {
        let r = try Self.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                                                  qfpBinary().path, "run", "--port", "lo", "--socket", "/tmp/qfp-port-eperm-\(getpid()).sock"])
        #expect(r.status == 1)
        #expect(r.stderr == "qfp: port lo: AF_PACKET not permitted (socket(AF_PACKET, SOCK_RAW): Operation not permitted, errno 1); run as root or with CAP_NET_RAW\n")
    }

    @Test("Options that need --port, and --profile beside it, are refused")
    func refusedOptions() throws {
        let a = try runQFP(["run", "--peer-mac", "02:00:00:00:00:01"])
        #expect(a.status != 0 && a.stderr.contains("--port-mac and --peer-mac need --port"))
        let b = try runQFP(["run", "--port", "lo", "--peer-mac", "02:00:00:00:00"])
        #expect(b.status != 0 && b.stderr.contains("--peer-mac: '02:00:00:00:00' is not a MAC address"))
        let c = try runQFP(["run", "--port", "lo", "--profile", "x.yaml"])
        #expect(c.status != 0 && c.stderr.contains("--port replaces the traffic generator"))
        let d = try runQFP(["run", "--port", "Gi2=eth0"])
        #expect(d.status != 0 && d.stderr.contains("--port: 'Gi2=eth0' is neither a device name nor GigabitEthernetN=DEV (N in 1...65535)"))
        let e = try runQFP(["run", "--port", "GigabitEthernet9=lo", "--socket", "/tmp/qfp-port-gi9-\(getpid()).sock"])
        #expect(e.status == 1 && e.stderr == "qfp: --port GigabitEthernet9=lo: interface GigabitEthernet9 is not in configuration (embedded default)\n")
    }
}
