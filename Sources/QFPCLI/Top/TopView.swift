import QFPControl

/// One frame of `qfp top`: the figures of the latest snapshot, with rates against the one
/// before it, sorted. Both the full-screen and the plain renderers draw from this.
public struct TopView: Sendable {
    /// One worker core. Rates and load are nil until a second snapshot arrives.
    public struct WorkerRow: Equatable, Sendable {
        public var index: Int
        /// Share of the interval the worker spent on packets, 0–100.
        public var loadPercent: Double?
        public var inPPS: Double?
        public var outPPS: Double?
        public var dropPPS: Double?
    }

    /// One drop counter: a global cause (`IpsecInput`) or an IPsec feature drop
    /// (`4 IN_US_V4_PKT_SA_NOT_FOUND_SPI`).
    public struct DropRow: Equatable, Sendable {
        public var label: String
        /// The feature drop's Cisco number (for sorting by name); nil for global causes.
        public var number: UInt8?
        public var rate: Double?
        /// Since the daemon started.
        public var total: UInt64
        /// Since the clear the view counts from (`clearNote` says which).
        public var sinceClear: UInt64
    }

    public var hostname = ""
    public var uptimeSeconds: UInt64 = 0
    public var workers: [WorkerRow] = []
    public var rxPPS: Double?
    public var txPPS: Double?
    public var dropPPS: Double?
    public var global: [DropRow] = []
    public var feature: [DropRow] = []
    /// What "since clear" counts from.
    public var clearNote = ""
    public var suspects: [SuspectFlowReport] = []
    public var invalidSPIPunts: UInt64 = 0
    public var syslog: [String] = []
    public var syslogLogged: UInt64 = 0
    public var sort: TopModel.SortColumn
    public var paused: Bool
    public var message: String?
    /// False before the first snapshot.
    public var hasData: Bool

    init(previous: TopSnapshot?, current: TopSnapshot?, baseline: TopModel.Baseline?, sort: TopModel.SortColumn,
         paused: Bool, message: String?) {
        self.sort = sort
        self.paused = paused
        self.message = message
        hasData = current != nil
        guard let s = current else { return }
        hostname = s.hostname
        uptimeSeconds = s.uptimeSeconds
        suspects = s.suspects
        invalidSPIPunts = s.invalidSPIPunts
        syslog = s.syslog
        syslogLogged = s.syslogLogged
        let seconds = previous.map { s.time > $0.time ? Double(s.time - $0.time) / 1e9 : 0 } ?? 0
        /// Per second between the two snapshots; nil without an earlier one.
        func rate(_ before: UInt64?, _ now: UInt64) -> Double? {
            guard seconds > 0, let before else { return nil }
            return now >= before ? Double(now - before) / seconds : 0
        }
        let before = Dictionary(uniqueKeysWithValues: (previous?.workers ?? []).map { ($0.index, $0) })
        workers = s.workers.map { w in
            let p = before[w.index]
            let load = rate(p?.busyNanoseconds, w.busyNanoseconds).map { min(100, max(0, $0 / 1e7)) }
            return WorkerRow(index: w.index, loadPercent: load, inPPS: rate(p?.receivedPackets, w.receivedPackets),
                             outPPS: rate(p?.forwardedPackets, w.forwardedPackets), dropPPS: rate(p?.droppedPackets, w.droppedPackets))
        }
        let rows = workers
        func sum(_ f: (WorkerRow) -> Double?) -> Double? {
            rows.isEmpty || previous == nil ? nil : rows.reduce(0) { $0 + (f($1) ?? 0) }
        }
        rxPPS = sum(\.inPPS)
        txPPS = sum(\.outPPS)
        dropPPS = sum(\.dropPPS)

        // A counter absent from the earlier snapshot had counted nothing then.
        let globalBefore = Dictionary(uniqueKeysWithValues: (previous?.globalDrops ?? []).map { ($0.name, $0.packets) })
        let featureBefore = Dictionary(uniqueKeysWithValues: (previous?.featureDrops ?? []).map { ($0.number, $0.packets) })
        global = s.globalDrops.map { d in
            let since = baseline.map { d.packets &- min(d.packets, $0.global[d.name] ?? 0) } ?? d.sinceClear
            return DropRow(label: d.name, rate: rate(previous == nil ? nil : globalBefore[d.name] ?? 0, d.packets),
                           total: d.packets, sinceClear: since)
        }
        feature = s.featureDrops.map { d in
            let since = baseline.map { d.packets &- min(d.packets, $0.feature[d.number] ?? 0) } ?? d.sinceClear
            return DropRow(label: "\(d.number) \(d.name)", number: d.number,
                           rate: rate(previous == nil ? nil : featureBefore[d.number] ?? 0, d.packets),
                           total: d.packets, sinceClear: since)
        }
        global.sort(by: Self.order(sort))
        feature.sort(by: Self.order(sort))
        if let b = baseline {
            clearNote = "since clear: top's baseline, taken \(TopFormat.duration(s.time > b.time ? (s.time - b.time) / 1_000_000_000 : 0)) ago"
        } else {
            clearNote = "since clear: the router's counters (last clearing of QFP drops: \(s.lastClearing ?? "never"))"
        }
    }

    /// Descending by the column (a rate not known yet sorts last), then by total, then by name;
    /// by name: global causes alphabetically, feature drops by their Cisco number.
    static func order(_ column: TopModel.SortColumn) -> (DropRow, DropRow) -> Bool {
        func byName(_ a: DropRow, _ b: DropRow) -> Bool {
            if let x = a.number, let y = b.number { return x < y }
            return a.label < b.label
        }
        return { a, b in
            switch column {
            case .name: return byName(a, b)
            case .rate:
                let x = a.rate ?? -1, y = b.rate ?? -1
                if x != y { return x > y }
            case .total: break
            case .sinceClear:
                if a.sinceClear != b.sinceClear { return a.sinceClear > b.sinceClear }
            }
            if a.total != b.total { return a.total > b.total }
            return byName(a, b)
        }
    }
}
