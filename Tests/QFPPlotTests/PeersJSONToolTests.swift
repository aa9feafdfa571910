import Foundation
import QFPCLI
import Testing

/// `Tools/peers-json` on a directory laid out as run_peers.sh writes it (log lines as DPDK 22.11
/// prints them), read back by the same parser `qfp bench --peers` uses.
@Suite("Tools/peers-json")
struct PeersJSONToolTests {
    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tools/peers-json").standardized.path

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.tool] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, data, e)
    }

    @Test("medians over rounds, SAD cycles to ns with EAL's TSC, testpmd per core, crypto MOps by size")
    func converts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-peers-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func write(_ round: Int, _ name: String, _ text: String) throws {
            let dir = root + "/peers_r\(round)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        for (round, cycles, ring, mops) in [(1, "52.0", "1.30", "28.0"), (2, "54.6", "1.40", "29.0"), (3, "57.2", "1.32", "30.0")] {
            try write(round, "eal_tsc.log", "EAL: TSC frequency is ~2600000 KHz\n")
            try write(round, "sad_n1000_v4_d0-0-100_r1.log", "Average lookup cycles \(cycles), lookups/sec: 5e7\nAverage lookup cycles \(cycles), lookups/sec: 5e7\n")
            try write(round, "ring_xcore_r1.log", "XCORE SP/SC burst=32  elems=1000 mean_ns/elem=2.0 median_chunk_ns/elem=\(ring) best_chunk_ns/elem=1.0\n")
            try write(round, "cperf_aesni_gcm_gcm128_r1.log", """
                    lcore id    Buf Size  Burst Size    Enqueued    Dequeued  Failed Enq  Failed Deq        MOps        Gbps  Cycles/Buf

                           1          64          32     2000000     2000000           0           0      \(mops)      1.5179      877.02
                           1        1500          32     2000000     2000000           0           0      10.0000     16.8001     1857.13

                """)
        }
        let r = try run([root])
        #expect(r.status == 0, "\(r.stderr)")
        let peers = try PeerFigures.parse(r.stdout, source: "peers-json output")
        #expect(peers.source?.contains("median of 3 runs") == true)
        #expect(peers.ringNanoseconds.map(\.name) == ["rte_ring SP/SC burst 32 (ring_xcore)"])
        #expect(peers.ringNanoseconds.first?.value == 1.32)
        let sad = try #require(peers.lookupNanoseconds.first)
        #expect(sad.name == "rte_ipsec_sad SPI+DIP+SIP")
        #expect(sad.points.count == 1 && sad.points[0].x == 1000 && abs(sad.points[0].y - 21.0) < 1e-9)   // 54.6 cycles / 2.6 GHz
        let gcm = try #require(peers.cryptoMops.first)
        #expect(gcm.name == "aesni_gcm AES-128-GCM encrypt")
        #expect(gcm.points.map(\.x) == [64, 1500] && gcm.points.map(\.y) == [29, 10])
        #expect(peers.mppsPerCore.isEmpty)

        let empty = try run([root + "/nothing-here"])
        #expect(empty.status == 1 && empty.stderr.contains("not a directory"))
    }
}
