import Foundation
import QFPCLI
import QFPGenerator
import QFPPlot
import Testing

/// The figures of `qfp bench --plot` and `qfp gen status --plot`, built from their data as the
/// commands build them, parsed back as XML.
@Suite("bench and generator plots")
struct CommandPlotTests {
    static let peersJSON = """
        {"format": "qfp-peers/1", "source": "run_peers.sh, 3 rounds",
         "ring_ns_per_element": {"rte_ring SP/SC, burst 32": 1.32},
         "lookup_ns": {"rte_ipsec_sad SPI+DIP+SIP": {"1000": 20.8, "100000": 29.5, "1000000": 42.2},
                       "rte_ipsec_sad SPI only": {"1000000": 21.5, "1000": 10.2}},
         "mpps_per_core": {"testpmd macswap": {"1": 138.6, "2": 70.1}},
         "crypto_mops": {"aesni_gcm AES-128-GCM encrypt": {"64": 28.5, "1500": 10.9}}}
        """

    static var bench: BenchPlotData {
        var d = BenchPlotData(title: "qfp bench: 2 workers, 100000 SAs", settings: "64-byte packets, 5.0% unknown SPIs")
        d.throughput = [.init(direction: "inbound", generation: "rss", workers: 1, securityAssociations: 100_000, mppsPerWorker: 20.6),
                        .init(direction: "inbound", generation: "rss", workers: 2, securityAssociations: 100_000, mppsPerWorker: 21.5),
                        .init(direction: "inbound", generation: "spread", workers: 2, securityAssociations: 100_000, mppsPerWorker: 14.7),
                        .init(direction: "outbound", generation: "rss", workers: 1, securityAssociations: 100_000, mppsPerWorker: 6.6),
                        .init(direction: "outbound", generation: "rss", workers: 2, securityAssociations: 100_000, mppsPerWorker: 6.7)]
        d.lookups = [(1000, 6.2), (100_000, 8.2), (1_000_000, 19.0)]
        d.ring = [("4-byte handles", 0.88), ("8-byte words", 0.92)]
        d.crypto = [64, 128, 512, 1500].map { .init(transform: "esp-gcm 128", encryptedBytes: $0, mppsPerWorker: 9.6 - Double($0) / 300) }
        d.cryptoOnly = [64, 1500].map { .init(transform: "esp-gcm 128", encryptedBytes: $0, mppsPerWorker: 20 - Double($0) / 100) }
        d.cryptoBurst = [64, 1500].map { .init(transform: "esp-aes 128 esp-sha-hmac", encryptedBytes: $0, mppsPerWorker: 17 - Double($0) / 120) }
        return d
    }

    @Test("bench: one panel per measured kind, our series solid, the peers' dashed beside them")
    func benchWithPeers() throws {
        let peers = try PeerFigures.parse(Data(Self.peersJSON.utf8), source: "peers.json")
        let figure = try BenchPlot.figure(Self.bench, peers: peers)
        #expect(figure.panels.map(\.title) == ["End to end: Mpps per worker against workers", "SPI lookup against SA count",
                                               "SPSC ring, core to core", "Inbound crypto: Mpps per worker against packet size"])
        let doc = try SVGDocument(figure.svg())
        #expect(doc.texts(class: "legend-label") == [
            "qfp inbound, RSS queues", "qfp inbound, steered across cores", "qfp outbound, RSS queues", "testpmd macswap",
            "qfp SPI table", "rte_ipsec_sad SPI only", "rte_ipsec_sad SPI+DIP+SIP",
            "qfp SPSC ring, 4-byte handles", "qfp SPSC ring, 8-byte words", "rte_ring SP/SC, burst 32",
            "qfp inbound esp-gcm 128", "qfp crypto only, verify+decrypt, esp-gcm 128",
            "qfp crypto only, burst engine, esp-aes 128 esp-sha-hmac", "aesni_gcm AES-128-GCM encrypt"])
        // Points: 2+1+2+2 | 3+2+3 | (bars) | 4+2+2+2.
        #expect(doc.all("circle", class: "point").count == 7 + 8 + 10)
        #expect(doc.all("rect", class: "bar").count == 3)
        #expect(doc.all("polyline", class: "series-line").filter { $0.attributes["stroke-dasharray"] != nil }.count == 4)
        #expect(doc.texts(class: "panel-note").allSatisfy { $0.contains("dashed: peers measured in the same session (run_peers.sh, 3 rounds)") })
        #expect(doc.texts(class: "tick").contains("1M"))
    }

    @Test("bench: without peers nothing dashed; with an SA sweep a panel against SA count; nothing measured is an error")
    func benchVariants() throws {
        let plain = try SVGDocument(BenchPlot.figure(Self.bench).svg())
        #expect(plain.all("polyline").allSatisfy { $0.attributes["stroke-dasharray"] == nil })
        #expect(!plain.texts(class: "panel-note").contains { $0.contains("dashed") })
        var swept = Self.bench
        swept.throughput += [1000, 1_000_000].map { .init(direction: "inbound", generation: "rss", workers: 1, securityAssociations: $0, mppsPerWorker: 22) }
        let figure = try BenchPlot.figure(swept)
        #expect(figure.panels.map(\.title).contains("End to end: Mpps per worker against SA count"))
        #expect(throws: PlotInputError.self) { try BenchPlot.figure(BenchPlotData(title: "t", settings: "s")) }
    }

    @Test("peers file: wrong format, non-numeric keys and values are reported with the field")
    func peerErrors() {
        func error(_ json: String) -> String? {
            do { _ = try PeerFigures.parse(Data(json.utf8), source: "p.json"); return nil } catch { return error.description }
        }
        #expect(error(#"{"lookup_ns": {}}"#) == #"p.json: format: expected "qfp-peers/1", got nothing"#)
        #expect(error(#"{"format": "qfp-peers/1", "lookup_ns": {"sad": {"1k": 3}}}"#) == "p.json: lookup_ns.sad: key '1k' is not a positive number")
        #expect(error(#"{"format": "qfp-peers/1", "mpps_per_core": {"testpmd": {"1": "fast"}}}"#) == "p.json: mpps_per_core.testpmd.1: expected a number")
        #expect(error(#"{"format": "qfp-peers/1", "ring_ns_per_element": {"r": -1}}"#) == "p.json: ring_ns_per_element.r: -1.0 is not a positive number")
        #expect(error("{nope") != nil)
        #expect(error(#"{"format": "qfp-peers/1"}"#) == nil)
    }

    static func status(_ streams: String) throws -> GeneratorStatus {
        try JSONDecoder().decode(GeneratorStatus.self, from: Data(#"{"time": 1, "txPPS": 0, "rxPPS": 0, "topDrops": [], "captures": [], "streams": [\#(streams)]}"#.utf8))
    }

    static func stream(_ name: String, state: String = "running", latency: String = "null") -> String {
        #"{"name": "\#(name)", "peer": "p", "state": "\#(state)", "rate": "1k", "txPackets": 2000, "txOctets": 0, "rxPackets": 1000, "rxOctets": 0,"#
            + #""txPPS": 1000, "rxPPS": 900, "kinds": {}, "seconds": 4, "latency": \#(latency)}"#
    }

    static let latency = #"{"samples": 1000, "p50": 2, "p99": 40, "p999": 90, "max": 120, "distribution": ["#
        + #"{"percentile": 0, "us": 1}, {"percentile": 50, "us": 2}, {"percentile": 90, "us": 8}, {"percentile": 99, "us": 40},"#
        + #"{"percentile": 99.9, "us": 90}, {"percentile": 100, "us": 120}]}"#

    @Test("gen status: tx and rx bars per stream, one percentile curve per stream with latency, 100 % left off")
    func generator() throws {
        let status = try Self.status([Self.stream("east<&>\\\"", latency: Self.latency), Self.stream("west", state: "done"),
                                      Self.stream("north", latency: Self.latency)].joined(separator: ","))
        let doc = try SVGDocument(GeneratorPlot.figure(status).svg())
        #expect(doc.all("rect", class: "bar").count == 6)
        #expect(doc.texts(class: "tick").contains("east<&>\""))
        #expect(doc.texts(class: "tick").contains("west (done)"))
        #expect(doc.texts(class: "legend-label") == ["tx pps", "rx pps", "east<&>\"", "north"])
        #expect(doc.all("polyline", class: "series-line").count == 2)
        #expect(doc.all("circle", class: "point").count == 10)
        #expect(doc.texts(class: "tick").contains("99.9%"))
        // A finished stream's bars show its average (2000 packets in 4 s = 500 pps), not the last second's 0.
        #expect(doc.texts(class: "value").contains("500"))
        // The tail is 90× the lowest value: a log latency axis.
        #expect(doc.texts(class: "tick").contains("100"))
        #expect(throws: PlotInputError.self) { try GeneratorPlot.figure(try Self.status("")) }
    }
}
