import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Element names and `<text>` contents of an SVG file, read with XMLParser; nil when the file
/// is not well-formed XML.
func svgContents(_ path: String) -> (elements: [String], texts: [String])? {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        var inText = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(name)
            if name == "text" { inText = true; texts.append("") }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { texts[texts.count - 1] += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { inText = false }
        }
    }
    guard let parser = XMLParser(contentsOf: URL(fileURLWithPath: path)) else { return nil }
    let c = Collector()
    parser.delegate = c
    return parser.parse() ? (c.elements, c.texts) : nil
}

@Suite("qfp bench --plot")
struct BenchPlotCommandTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-plot-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path

    init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }

    @Test("bench --plot writes the charts of what it measured, with the peers' file beside ours")
    func benchPlot() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let peers = directory + "/peers.json"
        try #"{"format": "qfp-peers/1", "source": "test", "lookup_ns": {"rte_ipsec_sad SPI+DIP+SIP": {"1000": 20.8, "10000": 25}}}"#
            .write(toFile: peers, atomically: true, encoding: .utf8)
        let svg = directory + "/bench.svg"
        let r = try runQFP(["bench", "--json", "--only", "lookup", "--lookup-sizes", "1000", "10000", "--plot", svg, "--peers", peers])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("qfp bench: wrote 1 chart to \(svg)"))
        // --json still prints the object alone on stdout.
        #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil)
        let contents = try #require(svgContents(svg), "not well-formed: \(svg)")
        #expect(contents.texts.contains("SPI lookup against SA count"))
        #expect(contents.texts.contains("qfp SPI table") && contents.texts.contains("rte_ipsec_sad SPI+DIP+SIP"))
        #expect(contents.elements.filter { $0 == "circle" }.count == 4)
    }

    @Test("bad plot options fail before measuring, naming the file and field")
    func errors() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let noPlot = try runQFP(["bench", "--only", "lookup", "--peers", "/nonexistent.json"])
        #expect(noPlot.status != 0 && noPlot.stderr.contains("--peers needs --plot"))
        let bad = directory + "/bad.json"
        try #"{"format": "qfp-peers/1", "mpps_per_core": {"testpmd": {"one": 3}}}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try runQFP(["bench", "--only", "lookup", "--plot", directory + "/x.svg", "--peers", bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(bad): mpps_per_core.testpmd: key 'one' is not a positive number"), "\(r.stderr)")
        #expect(!r.stderr.contains("measuring"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.svg"))
    }
}

extension GeneratorDaemonTests {
    @Test("gen status --plot: tx/rx bars and a latency curve per stream of the running daemon")
    func statusPlot() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        // Wait (bounded) until a stream has latency samples.
        for _ in 0..<80 {
            if try gen(d, ["status", "--json"]).stdout.contains("\"distribution\"") { break }
            usleep(100_000)
        }
        let svg = d.directory + "/gen.svg"
        let r = try gen(d, ["status", "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Stream"))
        let contents = try #require(svgContents(svg), "not well-formed: \(svg)")
        #expect(contents.texts.contains("Streams: transmitted and received packets per second"))
        #expect(contents.texts.contains("Latency by percentile, per stream"))
        for stream in ["site-b-data", "site-c-voice", "hub-east-stale", "vti-west-stale"] {
            #expect(contents.texts.contains(stream), "\(stream) missing")
        }
        #expect(contents.elements.filter { $0 == "polyline" }.count >= 2)
    }
}
