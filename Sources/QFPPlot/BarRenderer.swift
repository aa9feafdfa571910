/// Draws a `BarChart`: grid, y ticks, a group of bars per category with its value above each bar, the legend.
struct BarRenderer {
    let chart: BarChart
    let index: Int

    func render(into svg: inout SVGWriter, layout: inout PanelLayout) {
        let c = NumberText.coordinate
        let values = chart.series.flatMap { $0.values.compactMap { $0 } }
        var y = chart.y
        y.includesZero = true
        let yAxis = ResolvedAxis(y, values: values)
        svg.begin("g", [("class", "panel bar-chart"), ("id", "panel-\(index + 1)")])
        layout.header(into: &svg, yAxis: yAxis, yTitle: chart.y.title, xTitle: chart.categoryLabel)
        let groups = max(chart.categories.count, 1)
        let groupWidth = layout.plotWidth / Double(groups)
        let barWidth = groupWidth * 0.8 / Double(max(chart.series.count, 1))
        svg.begin("g", [("class", "axis x")])
        for (k, category) in chart.categories.enumerated() {
            svg.element("text", [("class", "tick"), ("x", c(layout.left + (Double(k) + 0.5) * groupWidth)),
                                 ("y", c(layout.plotBottom + 16)), ("text-anchor", "middle")], content: category)
        }
        svg.close()
        let base = layout.y(max(0, min(1, yAxis.fraction(0) ?? 0)))
        for (i, series) in chart.series.enumerated() {
            let color = Figure.color(i)
            svg.begin("g", [("class", "series")])
            svg.element("title", content: series.name)
            for (k, value) in series.values.enumerated() where k < chart.categories.count {
                guard let value, let f = yAxis.fraction(value) else { continue }
                let px = layout.left + Double(k) * groupWidth + groupWidth * 0.1 + Double(i) * barWidth
                let py = layout.y(f)
                var a = [("class", "bar"), ("x", c(px)), ("y", c(min(py, base))), ("width", c(max(barWidth - 2, 1))),
                         ("height", c(abs(base - py))), ("fill", color)]
                if series.style == .dashed { a += [("fill-opacity", "0.45"), ("stroke", color), ("stroke-dasharray", "4 2")] }
                let unit = chart.y.unit.map { " " + $0 } ?? ""
                svg.element("rect", a, title: "\(series.name), \(chart.categories[k]): \(NumberText.significant(value))\(unit)")
                svg.element("text", [("class", "value"), ("x", c(px + (barWidth - 2) / 2)), ("y", c(min(py, base) - 4)),
                                     ("text-anchor", "middle"), ("font-size", "10")],
                            content: chart.y.format == .si ? NumberText.si(value) : NumberText.significant(value))
            }
            svg.close()
        }
        layout.frame(into: &svg)
        layout.legend(into: &svg, entries: chart.series.enumerated().map { ($1.name, Figure.color($0), $1.style, true) })
        svg.close()
    }
}
