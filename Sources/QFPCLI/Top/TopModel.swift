/// What `qfp top` shows, from the snapshots it received and the keys pressed: rates between
/// the last two snapshots (on the daemon's clock), the "since clear" baseline, the sort order
/// and the pause. No terminal and no I/O here, so every behaviour is testable with snapshots.
public struct TopModel: Sendable {
    /// The column the drop tables are sorted by; `s` moves to the next one.
    public enum SortColumn: String, CaseIterable, Sendable {
        case rate, total, sinceClear = "since clear", name

        /// The next column in `s` order, back to the first after the last.
        public var next: SortColumn {
            let all = Self.allCases
            return all[(all.firstIndex(of: self)! + 1) % all.count]
        }
    }

    /// What a key asks the console to do beyond changing the model.
    public enum Action: Equatable, Sendable {
        case none
        /// Redraw (the model changed).
        case redraw
        /// Clear the router's QFP drop counters (`C`), then use them again.
        case clearRouter
        case quit
    }

    /// top's own "since clear" baseline (`c`): the totals at that instant.
    struct Baseline: Sendable {
        var time: UInt64
        var global: [String: UInt64]
        var feature: [UInt8: UInt64]
    }

    /// The snapshot before the latest, and the latest.
    public private(set) var previous: TopSnapshot?
    public private(set) var latest: TopSnapshot?
    /// The pair on screen: the latest pair, or the one frozen by `p`.
    private var shown: (previous: TopSnapshot?, current: TopSnapshot?) = (nil, nil)
    public var sort: SortColumn = .rate
    public private(set) var paused = false
    var baseline: Baseline?
    /// A one-line message for the status line (the result of `C`, an error), cleared by the next key.
    public var message: String?

    public init() {}

    /// Takes a new snapshot. A daemon that restarted (its clock or counters went back) starts
    /// the rates and the local baseline afresh.
    public mutating func ingest(_ snapshot: TopSnapshot) {
        if let last = latest, Self.restarted(from: last, to: snapshot) {
            previous = nil
            baseline = nil
        } else {
            previous = latest
        }
        latest = snapshot
        if !paused { shown = (previous, latest) }
    }

    static func restarted(from a: TopSnapshot, to b: TopSnapshot) -> Bool {
        b.time <= a.time || b.uptimeSeconds < a.uptimeSeconds
            || zip(a.workers, b.workers).contains { $0.receivedPackets > $1.receivedPackets }
    }

    /// Applies one key: `s` sort, `p` or space pause, `c` top's baseline, `C` the router's
    /// clear, `q`, Ctrl-C or Ctrl-D quit. Any key dismisses the status message; other keys do
    /// nothing else.
    public mutating func handle(_ key: UInt8) -> Action {
        let hadMessage = message != nil
        message = nil
        switch key {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03, 0x04: return .quit
        case UInt8(ascii: "s"):
            sort = sort.next
            return .redraw
        case UInt8(ascii: "p"), UInt8(ascii: " "):
            paused.toggle()
            if !paused { shown = (previous, latest) }
            return .redraw
        case UInt8(ascii: "c"):
            clearBaseline()
            return .redraw
        case UInt8(ascii: "C"): return .clearRouter
        default: return hadMessage ? .redraw : .none
        }
    }

    /// Makes "since clear" count from the snapshot on screen (top's own baseline; the router's
    /// counters are not touched).
    public mutating func clearBaseline() {
        guard let s = shown.current else { return }
        baseline = Baseline(time: s.time,
                            global: Dictionary(uniqueKeysWithValues: s.globalDrops.map { ($0.name, $0.packets) }),
                            feature: Dictionary(uniqueKeysWithValues: s.featureDrops.map { ($0.number, $0.packets) }))
    }

    /// Makes "since clear" the router's own view again (after `C` cleared it).
    public mutating func useRouterBaseline() {
        baseline = nil
    }

    /// The rows and figures to draw.
    public var view: TopView {
        TopView(previous: shown.previous, current: shown.current, baseline: baseline, sort: sort, paused: paused, message: message)
    }
}
