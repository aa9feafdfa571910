/// How a series is drawn: our own figures solid, a reference (a peer's figures) dashed and lighter.
public enum SeriesStyle: Sendable, Equatable {
    case solid
    case dashed
}

/// A named series of (x, y) points, drawn as a line with a marker at each point.
public struct LineSeries: Sendable, Equatable {
    public var name: String
    public var points: [Point]
    public var style: SeriesStyle

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    }

    public init(_ name: String, points: [Point], style: SeriesStyle = .solid) {
        self.name = name
        self.points = points
        self.style = style
    }
}

/// Lines over a numeric x axis (Mpps against workers, ns against SA count, latency by percentile).
public struct LineChart: Sendable, Equatable {
    public var title: String
    /// One line under the title (what was measured, where the peer figures come from).
    public var note: String?
    public var x: Axis
    public var y: Axis
    public var series: [LineSeries]

    public init(title: String, note: String? = nil, x: Axis, y: Axis, series: [LineSeries]) {
        self.title = title
        self.note = note
        self.x = x
        self.y = y
        self.series = series
    }
}

/// A named series of bars, one value per category (nil: no bar in that category).
public struct BarSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double?]
    public var style: SeriesStyle

    public init(_ name: String, values: [Double?], style: SeriesStyle = .solid) {
        self.name = name
        self.values = values
        self.style = style
    }
}

/// Grouped bars: one group per category, one bar per series in each group, the value written above it.
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var note: String?
    public var categories: [String]
    /// The category axis' title.
    public var categoryLabel: String
    public var y: Axis
    public var series: [BarSeries]

    public init(title: String, note: String? = nil, categories: [String], categoryLabel: String, y: Axis, series: [BarSeries]) {
        self.title = title
        self.note = note
        self.categories = categories
        self.categoryLabel = categoryLabel
        self.y = y
        self.series = series
    }
}

/// One chart of a figure.
public enum Panel: Sendable, Equatable {
    case line(LineChart)
    case bar(BarChart)

    public var title: String {
        switch self {
        case let .line(c): c.title
        case let .bar(c): c.title
        }
    }
}
