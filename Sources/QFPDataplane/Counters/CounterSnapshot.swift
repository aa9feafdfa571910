/// Counter values summed over cores at one moment, minus a baseline when taken since a clear.
///
/// Plain value type for renderers (CLI tables, JSON, metrics) and tests.
public struct CounterSnapshot: Equatable, Sendable {
    /// Packets per global cause, indexed by `GlobalDropCause.index`.
    public var globalPackets: [UInt64]
    /// Octets per global cause, indexed by `GlobalDropCause.index`.
    public var globalOctets: [UInt64]
    /// Packets per IPsec feature drop, indexed by the Cisco number.
    public var featurePackets: [UInt64]
    /// Datapath dispositions, indexed by `DatapathCounter.index`.
    public var datapath: [UInt64]

    /// All zero.
    public init() {
        globalPackets = Array(repeating: 0, count: GlobalDropCause.count)
        globalOctets = Array(repeating: 0, count: GlobalDropCause.count)
        featurePackets = Array(repeating: 0, count: IPsecDatapathDrop.slotCount)
        datapath = Array(repeating: 0, count: DatapathCounter.count)
    }

    /// Packets dropped under `cause`.
    public func packets(_ cause: GlobalDropCause) -> UInt64 { globalPackets[cause.index] }
    /// Octets dropped under `cause`.
    public func octets(_ cause: GlobalDropCause) -> UInt64 { globalOctets[cause.index] }
    /// Packets dropped under feature drop `drop`.
    public func packets(_ drop: IPsecDatapathDrop) -> UInt64 { featurePackets[Int(drop.rawValue)] }
    /// A datapath counter.
    public subscript(_ counter: DatapathCounter) -> UInt64 { datapath[counter.index] }

    /// Every packet counted under some global cause.
    public var totalDropped: UInt64 { globalPackets.reduce(0, &+) }

    /// Packets accounted for: forwarded, punted, consumed or dropped.
    public var accountedFor: UInt64 {
        self[.forwarded] &+ self[.punted] &+ self[.consumed] &+ totalDropped
    }

    /// `self + other`, cell by cell (wrapping).
    public func adding(_ other: CounterSnapshot) -> CounterSnapshot {
        var r = self
        for i in r.globalPackets.indices { r.globalPackets[i] &+= other.globalPackets[i] }
        for i in r.globalOctets.indices { r.globalOctets[i] &+= other.globalOctets[i] }
        for i in r.featurePackets.indices { r.featurePackets[i] &+= other.featurePackets[i] }
        for i in r.datapath.indices { r.datapath[i] &+= other.datapath[i] }
        return r
    }

    /// `self - baseline`, cell by cell (wrapping, so a counter reset never traps).
    public func subtracting(_ baseline: CounterSnapshot) -> CounterSnapshot {
        var r = self
        for i in r.globalPackets.indices { r.globalPackets[i] &-= baseline.globalPackets[i] }
        for i in r.globalOctets.indices { r.globalOctets[i] &-= baseline.globalOctets[i] }
        for i in r.featurePackets.indices { r.featurePackets[i] &-= baseline.featurePackets[i] }
        for i in r.datapath.indices { r.datapath[i] &-= baseline.datapath[i] }
        return r
    }
}
