/// Where one panel's parts go, and the drawing they share: title, frame, grid, axes, legend.
struct PanelLayout {
    let width: Double
    let top: Double
    let title: String
    let note: String?
    let left = 84.0
    let plotHeight = 240.0
    /// Set by `legend`: the whole panel's height.
    private(set) var height = 0.0

    init(width: Double, top: Double, title: String, note: String?) {
        self.width = width
        self.top = top
        self.title = title
        self.note = note
    }

    var right: Double { width - 30 }
    /// The note in lines that fit the width (11-pixel text, about 6 pixels a character).
    var noteLines: [String] { note.map { Self.wrap($0, columns: Int((width - 40) / 6)) } ?? [] }
    var plotTop: Double { top + 40 + (noteLines.isEmpty ? 0 : Double(noteLines.count) * 15 + 2) }
    var plotBottom: Double { plotTop + plotHeight }
    var plotWidth: Double { right - left }

    func x(_ fraction: Double) -> Double { left + fraction * plotWidth }
    func y(_ fraction: Double) -> Double { plotBottom - fraction * plotHeight }

    /// Title, note, the plot frame, horizontal grid lines with the y ticks, and both axis titles.
    func header(into svg: inout SVGWriter, yAxis: ResolvedAxis, yTitle: String, xTitle: String) {
        let c = NumberText.coordinate
        svg.element("text", [("class", "panel-title"), ("x", c(width / 2)), ("y", c(top + 22)), ("text-anchor", "middle"),
                             ("font-size", "15"), ("font-weight", "bold")], content: title)
        let lines = noteLines
        if !lines.isEmpty {
            // One <text>, a <tspan> per line: the note reads back as one string.
            svg.begin("text", [("class", "panel-note"), ("x", c(width / 2)), ("y", c(top + 40)), ("text-anchor", "middle"),
                               ("font-size", "11"), ("fill", "#555555")])
            for (i, line) in lines.enumerated() {
                svg.element("tspan", [("x", c(width / 2)), ("dy", i == 0 ? "0" : "15")], content: i < lines.count - 1 ? line + " " : line)
            }
            svg.close()
        }
        svg.begin("g", [("class", "axis y")])
        for tick in yAxis.ticks {
            let py = y((tick.position - yAxis.low) / (yAxis.high - yAxis.low))
            svg.element("line", [("class", "grid"), ("x1", c(left)), ("x2", c(right)), ("y1", c(py)), ("y2", c(py)),
                                 ("stroke", "#e3e3e3"), ("stroke-width", "1")])
            svg.element("text", [("class", "tick"), ("x", c(left - 6)), ("y", c(py + 4)), ("text-anchor", "end")], content: tick.label)
        }
        let middle = (plotTop + plotBottom) / 2
        svg.element("text", [("class", "axis-label"), ("x", "18"), ("y", c(middle)), ("text-anchor", "middle"),
                             ("transform", "rotate(-90 18 \(c(middle)))")], content: yTitle)
        svg.close()
        svg.element("text", [("class", "axis-label"), ("x", c((left + right) / 2)), ("y", c(plotBottom + 36)),
                             ("text-anchor", "middle")], content: xTitle)
    }

    /// `text` broken at spaces into lines of at most `columns` characters (a longer word gets a line of its own).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && line.count + 1 + word.count > columns {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The frame around the plot area, drawn over the grid.
    func frame(into svg: inout SVGWriter) {
        let c = NumberText.coordinate
        svg.element("rect", [("class", "frame"), ("x", c(left)), ("y", c(plotTop)), ("width", c(plotWidth)),
                             ("height", c(plotHeight)), ("fill", "none"), ("stroke", "#888888"), ("stroke-width", "1")])
    }

    /// The legend under the x axis title, wrapped in rows; sets `height`.
    mutating func legend(into svg: inout SVGWriter, entries: [(name: String, color: String, style: SeriesStyle, bar: Bool)]) {
        let c = NumberText.coordinate
        var px = left, row = 0
        let rowHeight = 18.0, firstRow = plotBottom + 58
        svg.begin("g", [("class", "legend")])
        for entry in entries {
            let w = 34 + Double(entry.name.count) * 6.8 + 18
            if px + w > right && px > left { row += 1; px = left }
            let py = firstRow + Double(row) * rowHeight
            svg.begin("g", [("class", "legend-entry")])
            if entry.bar {
                var a = [("x", c(px)), ("y", c(py - 9)), ("width", "24"), ("height", "10"), ("fill", entry.color)]
                if entry.style == .dashed { a += [("fill-opacity", "0.45"), ("stroke", entry.color), ("stroke-dasharray", "4 2")] }
                svg.element("rect", a)
            } else {
                var a = [("x1", c(px)), ("x2", c(px + 24)), ("y1", c(py - 4)), ("y2", c(py - 4)), ("stroke", entry.color), ("stroke-width", "2")]
                if entry.style == .dashed { a.append(("stroke-dasharray", "6 4")) }
                svg.element("line", a)
            }
            svg.element("text", [("class", "legend-label"), ("x", c(px + 30)), ("y", c(py))], content: entry.name)
            svg.close()
            px += w
        }
        svg.close()
        height = firstRow + Double(entries.isEmpty ? 0 : row + 1) * rowHeight + 6 - top
    }
}
