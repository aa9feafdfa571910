/// Charts stacked top to bottom in one SVG document, with a title.
///
/// The output is a plain SVG 1.1 file: no script, no external resources, fonts by the generic
/// family `sans-serif`, a white background. The same figure always renders to the same bytes
/// (no dates, no random identifiers, numbers written by `NumberText`).
public struct Figure: Sendable, Equatable {
    public var title: String
    public var panels: [Panel]
    /// Width of the document in pixels (user units); each panel is as wide.
    public var width: Double

    public init(title: String, panels: [Panel], width: Double = 900) {
        self.title = title
        self.panels = panels
        self.width = width
    }

    /// The SVG document.
    public func svg() -> String {
        var body = SVGWriter()
        body.element("text", [("class", "figure-title"), ("x", NumberText.coordinate(width / 2)), ("y", "30"),
                              ("text-anchor", "middle"), ("font-size", "18"), ("font-weight", "bold")], content: title)
        var top = 44.0
        for (index, panel) in panels.enumerated() {
            var layout = PanelLayout(width: width, top: top, title: panel.title, note: note(of: panel))
            switch panel {
            case let .line(chart): LineRenderer(chart: chart, index: index).render(into: &body, layout: &layout)
            case let .bar(chart): BarRenderer(chart: chart, index: index).render(into: &body, layout: &layout)
            }
            top += layout.height
        }
        let height = top + 10
        var doc = SVGWriter()
        doc.begin("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
                          ("width", NumberText.coordinate(width)), ("height", NumberText.coordinate(height)),
                          ("viewBox", "0 0 \(NumberText.coordinate(width)) \(NumberText.coordinate(height))"),
                          ("font-family", "sans-serif"), ("font-size", "12")])
        doc.element("title", content: title)
        doc.element("rect", [("x", "0"), ("y", "0"), ("width", NumberText.coordinate(width)),
                             ("height", NumberText.coordinate(height)), ("fill", "#ffffff")])
        doc.append(body)
        return doc.finish()
    }

    private func note(of panel: Panel) -> String? {
        switch panel {
        case let .line(c): c.note
        case let .bar(c): c.note
        }
    }

    /// Series colours, in order (colour-blind-safe, after Okabe and Ito, then Tableau).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                          "#8c564b", "#7f7f7f", "#bcbd22"]

    static func color(_ i: Int) -> String { palette[i % palette.count] }
}
