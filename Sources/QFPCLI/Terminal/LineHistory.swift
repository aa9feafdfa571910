/// The lines entered, oldest first, bounded like IOS `terminal history size`.
///
/// Empty lines are not kept, nor a line equal to the one before it; past `size` the oldest
/// goes. A value type: copy it to save or share a session's history.
public struct LineHistory: Equatable, Sendable {
    /// Entries kept unless told otherwise.
    public static let defaultSize = 20

    /// The entries, oldest first.
    public private(set) var entries: [String] = []

    /// How many entries are kept (0 keeps none); lowering it drops the oldest.
    public var size: Int {
        didSet { trim() }
    }

    /// An empty history keeping up to `size` entries.
    public init(size: Int = defaultSize) {
        self.size = max(0, size)
    }

    /// Records `line` unless it is blank or repeats the newest entry.
    public mutating func add(_ line: String) {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }), entries.last != line else { return }
        entries.append(line)
        trim()
    }

    /// Forgets every entry.
    public mutating func removeAll() {
        entries.removeAll()
    }

    private mutating func trim() {
        if size < 0 { size = 0 }
        if entries.count > size {
            entries.removeFirst(entries.count - size)
        }
    }
}
