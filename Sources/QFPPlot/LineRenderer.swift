/// Draws a `LineChart`: grid, ticks, one polyline and its markers per series, the legend.
struct LineRenderer {
    let chart: LineChart
    let index: Int

    func render(into svg: inout SVGWriter, layout: inout PanelLayout) {
        let c = NumberText.coordinate
        let points = chart.series.flatMap(\.points)
        let xAxis = ResolvedAxis(chart.x, values: points.map(\.x), padding: chart.x.scale == .linear ? 0.04 : 0)
        let yAxis = ResolvedAxis(chart.y, values: points.map(\.y))
        svg.begin("g", [("class", "panel line-chart"), ("id", "panel-\(index + 1)")])
        layout.header(into: &svg, yAxis: yAxis, yTitle: chart.y.title, xTitle: chart.x.title)
        svg.begin("g", [("class", "axis x")])
        for tick in xAxis.ticks {
            let px = layout.x((tick.position - xAxis.low) / (xAxis.high - xAxis.low))
            svg.element("line", [("class", "grid"), ("x1", c(px)), ("x2", c(px)), ("y1", c(layout.plotTop)), ("y2", c(layout.plotBottom)),
                                 ("stroke", "#e3e3e3"), ("stroke-width", "1")])
            svg.element("text", [("class", "tick"), ("x", c(px)), ("y", c(layout.plotBottom + 16)), ("text-anchor", "middle")],
                        content: tick.label)
        }
        svg.close()
        layout.frame(into: &svg)
        for (i, series) in chart.series.enumerated() {
            let color = Figure.color(i)
            svg.begin("g", [("class", "series")])
            svg.element("title", content: series.name)
            let placed: [(Double, Double, LineSeries.Point)] = series.points.compactMap { p in
                guard let fx = xAxis.fraction(p.x), let fy = yAxis.fraction(p.y) else { return nil }
                return (layout.x(fx), layout.y(fy), p)
            }
            if placed.count > 1 {
                var a = [("class", "series-line"), ("fill", "none"), ("stroke", color), ("stroke-width", "2"),
                         ("stroke-linejoin", "round"), ("points", placed.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " "))]
                if series.style == .dashed { a.append(("stroke-dasharray", "6 4")) }
                svg.element("polyline", a)
            }
            // Markers only where they stay readable (a percentile curve has a hundred points).
            if placed.count <= 24 {
                for (px, py, p) in placed {
                    svg.element("circle", [("class", "point"), ("cx", c(px)), ("cy", c(py)), ("r", "3.5"),
                                           ("fill", series.style == .dashed ? "#ffffff" : color), ("stroke", color), ("stroke-width", "1.5")],
                                title: "\(series.name): \(label(p.x, chart.x)), \(label(p.y, chart.y))")
                }
            }
            svg.close()
        }
        layout.legend(into: &svg, entries: chart.series.enumerated().map { ($1.name, Figure.color($0), $1.style, false) })
        svg.close()
    }

    /// A value as the tooltip shows it: `99.9%`, `100000`, `12.3 ns`.
    func label(_ v: Double, _ axis: Axis) -> String {
        switch axis.scale {
        case .nines: return NumberText.trimmed(v, 4) + "%"
        default: return NumberText.significant(v) + (axis.unit.map { " " + $0 } ?? "")
        }
    }
}
