@testable import QFPCLI
import Testing

@Suite("Prometheus text writer")
struct PrometheusTextTests {
    @Test("HELP and TYPE once per family; label values escaped; numbers as Prometheus writes them")
    func format() {
        var t = PrometheusText()
        t.family("x_total", .counter, help: "An x.")
        t.sample("x_total", ["name": "a\"b\\c\nd"], UInt64(3))
        t.family("x_total", .counter, help: "ignored: declared already")
        t.sample("x_total", [("name", "plain")], 2.5)
        t.family("h_seconds", .histogram, help: "H.")
        t.histogram("h_seconds", [("s", "1")], bounds: [0.001, 1], cumulative: [2, 5], count: 6, sum: 7.25)
        #expect(t.text == """
            # HELP x_total An x.
            # TYPE x_total counter
            x_total{name="a\\"b\\\\c\\nd"} 3
            x_total{name="plain"} 2.5
            # HELP h_seconds H.
            # TYPE h_seconds histogram
            h_seconds_bucket{s="1",le="0.001"} 2
            h_seconds_bucket{s="1",le="1"} 5
            h_seconds_bucket{s="1",le="+Inf"} 6
            h_seconds_sum{s="1"} 7.25
            h_seconds_count{s="1"} 6

            """)
        #expect(PrometheusText.number(.infinity) == "+Inf" && PrometheusText.number(.nan) == "NaN" && PrometheusText.number(42) == "42")
    }
}
