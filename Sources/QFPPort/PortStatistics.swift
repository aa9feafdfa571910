import Synchronization

/// What a live port counted, as one reading.
///
/// Conservation: `framesReceived == injected + notIP + undecodable + oversize + noBuffer`.
/// Every injected datagram is then a pipeline packet (`packets_offered`), forwarded or dropped
/// under a named cause there. `ringDrops` are frames the kernel dropped before the port saw
/// them (receive ring full); they are not part of `framesReceived`.
public struct PortCounters: Sendable, Equatable, Codable {
    /// Frames taken off the receive ring (the host's own outgoing frames excluded).
    public var framesReceived: UInt64 = 0
    /// Octets of those frames as captured.
    public var octetsReceived: UInt64 = 0
    /// IP datagrams handed to the pipeline (Ethernet and VLAN tags stripped).
    public var injected: UInt64 = 0
    /// Frames of another EtherType (ARP, LLDP, ...), skipped as `qfp replay` skips them.
    public var notIP: UInt64 = 0
    /// Frames shorter than their Ethernet header or VLAN tags, skipped.
    public var undecodable: UInt64 = 0
    /// Datagrams longer than a packet buffer, or cut by the ring, skipped.
    public var oversize: UInt64 = 0
    /// Datagrams dropped because the port's buffer pool was empty.
    public var noBuffer: UInt64 = 0
    /// Frames the kernel dropped because the receive ring was full (PACKET_STATISTICS).
    public var ringDrops: UInt64 = 0
    /// Forwarded packets sent out of the port.
    public var transmitted: UInt64 = 0
    /// Octets of those frames, Ethernet header included.
    public var octetsTransmitted: UInt64 = 0
    /// Forwarded packets the socket refused (send queue full, link down, not IP).
    public var transmitErrors: UInt64 = 0
    /// Forwarded packets not sent because their egress interface is shut down (`shutdown`), or
    /// their only route was withdrawn because an interface on its way is (output drops).
    public var shutDown: UInt64 = 0

    public init() {}

    /// Whether every received frame is accounted for.
    public var isConserved: Bool { framesReceived == injected + notIP + undecodable + oversize + noBuffer }

    /// One line for a log: `rx 116 frames (115 IP, 1 not IP), tx 104`, with the other counts
    /// when not zero.
    public var summary: String {
        var parts = ["rx \(framesReceived) frame\(framesReceived == 1 ? "" : "s") (\(injected) IP, \(notIP) not IP"]
        if undecodable > 0 { parts.append("\(undecodable) undecodable") }
        if oversize > 0 { parts.append("\(oversize) oversize") }
        if noBuffer > 0 { parts.append("\(noBuffer) no buffer") }
        var line = parts.joined(separator: ", ") + ")"
        if ringDrops > 0 { line += ", \(ringDrops) dropped by the kernel (ring full)" }
        line += ", tx \(transmitted)"
        if transmitErrors > 0 { line += " (\(transmitErrors) send errors)" }
        if shutDown > 0 { line += ", \(shutDown) not sent (shut down)" }
        return line
    }
}

/// The live counters of a port: written by the port thread only (relaxed load and store, as
/// `CounterBlock` does), read by any thread.
public final class PortStatistics: @unchecked Sendable {
    enum Cell: Int, CaseIterable {
        case framesReceived, octetsReceived, injected, notIP, undecodable, oversize, noBuffer, ringDrops
        case transmitted, octetsTransmitted, transmitErrors, shutDown
    }
    let base: UnsafeMutablePointer<Atomic<UInt64>>

    init() {
        base = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: Cell.allCases.count)
        for i in 0..<Cell.allCases.count { (base + i).initialize(to: Atomic(0)) }
    }

    deinit { base.deallocate() }

    @inline(__always)
    func add(_ cell: Cell, _ n: UInt64) {
        guard n != 0 else { return }
        let c = base + cell.rawValue
        c.pointee.store(c.pointee.load(ordering: .relaxed) &+ n, ordering: .relaxed)
    }

    func load(_ cell: Cell) -> UInt64 { base[cell.rawValue].load(ordering: .relaxed) }

    /// A reading of every counter (each relaxed; together they may lag by a burst).
    public var counters: PortCounters {
        var c = PortCounters()
        c.framesReceived = load(.framesReceived)
        c.octetsReceived = load(.octetsReceived)
        c.injected = load(.injected)
        c.notIP = load(.notIP)
        c.undecodable = load(.undecodable)
        c.oversize = load(.oversize)
        c.noBuffer = load(.noBuffer)
        c.ringDrops = load(.ringDrops)
        c.transmitted = load(.transmitted)
        c.octetsTransmitted = load(.octetsTransmitted)
        c.transmitErrors = load(.transmitErrors)
        c.shutDown = load(.shutDown)
        return c
    }
}
