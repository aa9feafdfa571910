import Foundation
import Testing
@testable import QFPPlot

@Suite("SVG figures")
struct FigureTests {
    static let lines = LineChart(
        title: "Mpps against workers", note: "64-byte packets",
        x: Axis("workers", integerTicks: true), y: Axis("Mpps per worker", unit: "Mpps"),
        series: [LineSeries("inbound", points: [.init(1, 20.6), .init(2, 21.5)]),
                 LineSeries("outbound", points: [.init(1, 6.6), .init(2, 6.7)]),
                 LineSeries("steered", points: [.init(2, 14.7)]),
                 LineSeries("testpmd macswap", points: [.init(1, 138.6), .init(2, 69.3)], style: .dashed)])
    static let bars = BarChart(
        title: "Streams", categories: ["east", "west", "north"], categoryLabel: "stream", y: Axis("rate", unit: "pps", format: .si),
        series: [BarSeries("tx pps", values: [1_000_000, 500, nil]), BarSeries("rx pps", values: [999_000, 0, 20])])

    @Test("a line chart is well-formed SVG with its title, axis titles, one marker per point and one line per series of 2+ points")
    func lineChart() throws {
        let svg = Figure(title: "bench", panels: [.line(Self.lines)]).svg()
        let doc = try SVGDocument(svg)
        let root = try #require(doc.root)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["font-family"] == "sans-serif")
        #expect(doc.texts(class: "figure-title") == ["bench"])
        #expect(doc.texts(class: "panel-title") == ["Mpps against workers"])
        #expect(doc.texts(class: "panel-note") == ["64-byte packets"])
        #expect(doc.texts(class: "axis-label") == ["Mpps per worker (Mpps)", "workers"])
        #expect(doc.texts(class: "legend-label") == ["inbound", "outbound", "steered", "testpmd macswap"])
        #expect(doc.all("circle", class: "point").count == 7)
        #expect(doc.all("polyline", class: "series-line").count == 3)
        #expect(doc.all("polyline", class: "series-line").filter { $0.attributes["stroke-dasharray"] != nil }.count == 1)
        // Integer ticks only on the workers axis; the y axis covers the peer's 138.6.
        let ticks = doc.all("text", class: "tick").map(\.text)
        #expect(ticks.contains("1") && ticks.contains("2") && !ticks.contains("1.5"))
        #expect(ticks.contains("150") && ticks.contains("0"))
        #expect(!svg.contains("<script") && !svg.contains("href"))
    }

    @Test("markers sit where their values are: larger x further right, larger y higher up")
    func positions() throws {
        let doc = try SVGDocument(Figure(title: "t", panels: [.line(Self.lines)]).svg())
        let points = doc.all("circle", class: "point").map { (Double($0.attributes["cx"]!)!, Double($0.attributes["cy"]!)!) }
        // inbound (1, 20.6), (2, 21.5): right and (slightly) up; testpmd (1, 138.6) above inbound (1, 20.6).
        #expect(points[1].0 > points[0].0 && points[1].1 < points[0].1)
        #expect(points[5].1 < points[0].1 && points[5].0 == points[0].0)
    }

    @Test("a bar chart draws one bar and one value label per value, none for nil, and its categories")
    func barChart() throws {
        let doc = try SVGDocument(Figure(title: "gen", panels: [.bar(Self.bars)]).svg())
        #expect(doc.all("rect", class: "bar").count == 5)
        #expect(doc.texts(class: "value") == ["1M", "500", "999k", "0", "20"])
        #expect(doc.texts(class: "tick").suffix(3) == ["east", "west", "north"])
        #expect(doc.texts(class: "legend-label") == ["tx pps", "rx pps"])
        let tx = doc.all("rect", class: "bar")[0], rx = doc.all("rect", class: "bar")[2]
        #expect(Double(tx.attributes["height"]!)! > Double(rx.attributes["height"]!)!)
    }

    @Test("stacked panels: each panel below the previous one, the document tall enough for all")
    func stacked() throws {
        let doc = try SVGDocument(Figure(title: "both", panels: [.line(Self.lines), .bar(Self.bars)]).svg())
        #expect(doc.all("g", class: "panel").count == 2)
        let titles = doc.all("text", class: "panel-title").map { Double($0.attributes["y"]!)! }
        #expect(titles.count == 2 && titles[1] > titles[0] + 300)
        #expect(Double(doc.root!.attributes["height"]!)! > titles[1] + 300)
    }

    @Test("the same figure gives byte-identical SVG")
    func deterministic() {
        let a = Figure(title: "x", panels: [.line(Self.lines), .bar(Self.bars)]).svg()
        let b = Figure(title: "x", panels: [.line(Self.lines), .bar(Self.bars)]).svg()
        #expect(a == b)
        #expect(a != Figure(title: "x", panels: [.bar(Self.bars), .line(Self.lines)]).svg())
    }

    @Test("odd names are escaped: markup characters, quotes and control characters keep the file well-formed")
    func escaping() throws {
        let odd = "east<1> & \"west\" 'q' \u{01}\u{1F}\tok ü"
        var chart = Self.bars
        chart.categories[0] = odd
        chart.series[0].name = odd
        let svg = Figure(title: "</svg><script>alert(1)</script>", panels: [.bar(chart)]).svg()
        let doc = try SVGDocument(svg)
        #expect(!svg.contains("<script>"))
        #expect(doc.texts(class: "figure-title") == ["</svg><script>alert(1)</script>"])
        let expected = "east<1> & \"west\" 'q' \u{FFFD}\u{FFFD}\tok ü"
        #expect(doc.texts(class: "legend-label").first == expected)
        #expect(doc.texts(class: "tick").contains(expected))
        #expect(SVGWriter.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
    }

    @Test("the nines axis places 90 %, 99 %, 99.9 % evenly and labels them as HdrHistogram plots do")
    func nines() throws {
        let axis = ResolvedAxis(Axis("percentile", scale: .nines), values: [0, 50, 90, 99, 99.9, 99.99, 100])
        #expect(axis.low == 0 && axis.high == 4)
        #expect(axis.ticks.map(\.label) == ["0%", "90%", "99%", "99.9%", "99.99%"])
        #expect(abs(axis.fraction(90)! - 0.25) < 1e-9)
        #expect(abs(axis.fraction(99)! - 0.5) < 1e-9)
        #expect(abs(axis.fraction(99.9)! - 0.75) < 1e-9)
        #expect(axis.fraction(100) == nil)
        // Few nines in the data: the axis still reaches 99 %.
        #expect(ResolvedAxis(Axis("p", scale: .nines), values: [0, 50]).high == 2)
    }

    @Test("linear axes get 1-2-5 ticks covering the data; log axes decades, with 2 and 5 when narrow")
    func ticks() {
        #expect(ResolvedAxis(Axis("y"), values: [3, 23]).ticks.map(\.label) == ["0", "5", "10", "15", "20", "25"])
        #expect(ResolvedAxis(Axis("y"), values: [0.12, 0.9]).ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ResolvedAxis(Axis("n", scale: .log10, format: .si), values: [1000, 100_000, 1_000_000]).ticks.map(\.label)
                    == ["1k", "10k", "100k", "1M"])
        #expect(ResolvedAxis(Axis("µs", scale: .log10), values: [3, 40]).ticks.map(\.label) == ["1", "2", "5", "10", "20", "50", "100"])
        let log = ResolvedAxis(Axis("n", scale: .log10), values: [1000, 1_000_000])
        #expect(log.fraction(-5) == nil && log.fraction(0) == nil)
        #expect(abs(log.fraction(31622.7766)! - 0.5) < 1e-6)
    }

    @Test("numbers are written without locale: fixed, trimmed, significant, SI")
    func numbers() {
        #expect(NumberText.fixed(1.25, 2) == "1.25")
        #expect(NumberText.fixed(-0.004, 2) == "0.00")
        #expect(NumberText.fixed(-3.5, 1) == "-3.5")
        #expect(NumberText.fixed(7, 0) == "7")
        #expect(NumberText.trimmed(12.5, 2) == "12.5")
        #expect(NumberText.trimmed(3, 2) == "3")
        #expect(NumberText.coordinate(.nan) == "0")
        #expect(NumberText.significant(0.01234) == "0.0123")
        #expect(NumberText.significant(12345.6) == "12346")
        #expect(NumberText.si(1500) == "1.5k")
        #expect(NumberText.si(2_500_000_000) == "2.5G")
        #expect(NumberText.si(42) == "42")
        #expect(NumberText.si(500.495) == "500")
        #expect(NumberText.si(19.98) == "20")
        #expect(NumberText.si(0.125) == "0.125")
        #expect(NumberText.si(0) == "0")
    }
}

@Suite("SVG figure layout")
struct FigureLayoutTests {
    @Test("a long note wraps into lines within the width and reads back whole; the plot moves down to make room")
    func noteWraps() throws {
        let long = (1...40).map { "word\($0)" }.joined(separator: " ")
        var chart = FigureTests.lines
        chart.note = long
        let doc = try SVGDocument(Figure(title: "t", panels: [.line(chart)]).svg())
        let lines = doc.all("tspan").map(\.text)
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { $0.count <= Int((900 - 40) / 6) + 1 })
        #expect(doc.texts(class: "panel-note") == [long])
        let shortFrame = try SVGDocument(Figure(title: "t", panels: [.line(FigureTests.lines)]).svg()).all("rect", class: "frame")[0]
        let longFrame = doc.all("rect", class: "frame")[0]
        #expect(Double(longFrame.attributes["y"]!)! == Double(shortFrame.attributes["y"]!)! + Double(lines.count - 1) * 15)
        #expect(PanelLayout.wrap("a bb ccc", columns: 4) == ["a bb", "ccc"])
        #expect(PanelLayout.wrap("abcdefgh x", columns: 4) == ["abcdefgh", "x"])
    }
}
