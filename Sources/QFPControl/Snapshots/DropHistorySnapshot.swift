/// `show platform hardware qfp active statistics drop history [clear]`: packets dropped per
/// global cause over the last 1, 5 and 30 minutes and since the last clear.
public struct DropHistorySnapshot: Sendable, Equatable, Codable {
    /// One cause row.
    public struct Row: Sendable, Equatable, Codable {
        /// QFP cause name (`GlobalDropCause.rawValue`).
        public var name: String
        public var oneMinute: UInt64
        public var fiveMinutes: UInt64
        public var thirtyMinutes: UInt64
        /// Since the last clear.
        public var all: UInt64

        public init(name: String, oneMinute: UInt64, fiveMinutes: UInt64, thirtyMinutes: UInt64, all: UInt64) {
            self.name = name
            self.oneMinute = oneMinute
            self.fiveMinutes = fiveMinutes
            self.thirtyMinutes = thirtyMinutes
            self.all = all
        }

        enum CodingKeys: String, CodingKey {
            case name
            case oneMinute = "1_min"
            case fiveMinutes = "5_min"
            case thirtyMinutes = "30_min"
            case all
        }
    }

    /// Text after `Last clearing of QFP drops statistics : `: `never`, or the clear time as
    /// IOS prints it (`Mon Jun 26 07:29:14 2023`).
    public var lastClearing: String
    /// Seconds since that clear, printed on the next line as ` (1m 39s ago)`; nil when never
    /// cleared.
    public var secondsSinceClearing: UInt64?
    /// Every cause with its counts; the renderer drops all-zero rows and sorts by name.
    public var rows: [Row]

    public init(lastClearing: String = "never", secondsSinceClearing: UInt64? = nil, rows: [Row]) {
        self.lastClearing = lastClearing
        self.secondsSinceClearing = secondsSinceClearing
        self.rows = rows
    }

    enum CodingKeys: String, CodingKey {
        case lastClearing = "last_clearing"
        case secondsSinceClearing = "seconds_since_clearing"
        case rows
    }
}
