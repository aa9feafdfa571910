/// Per-core packet dispositions and diagnostics that are not drops.
///
/// Together with the global drop causes they make the conservation invariant checkable:
/// `offered = forwarded + punted + consumed + Σ global drops` once the pipeline is drained.
/// The raw value is the JSON key.
public enum DatapathCounter: String, CaseIterable, Sendable, Codable {
    /// Packets a source handed to the pipeline (including those then tail-dropped).
    case offered = "packets_offered"
    /// Octets of `offered`.
    case offeredOctets = "octets_offered"
    /// Packets a worker took off its input rings.
    case received = "packets_received"
    /// Packets that left a worker: decapsulated, encapsulated or bypassed in the clear.
    case forwarded = "packets_forwarded"
    /// Octets of `forwarded` as they left.
    case forwardedOctets = "octets_forwarded"
    /// Inbound packets decapsulated by an SA.
    case decapsulated = "packets_decapsulated"
    /// Outbound packets encapsulated by an SA.
    case encapsulated = "packets_encapsulated"
    /// Packets that matched a bypass policy or no policy, forwarded in the clear.
    case bypassed = "packets_bypassed"
    /// IKE packets (UDP 500, or 4500 with the non-ESP marker) handed to the control plane.
    case punted = "packets_punted"
    /// Packets taken without a drop: NAT-T keepalives (RFC 3948) and dummy ESP (next header 59).
    case consumed = "packets_consumed"
    /// Bursts a worker processed.
    case bursts = "bursts"
    /// Records pushed onto the punt ring (invalid SPI, IKE start, lifetime events).
    case puntRecords = "punt_records"
    /// Invalid-SPI or IKE-start records suppressed by the per-worker token bucket.
    case puntRateLimited = "punt_rate_limited"
    /// Records lost because the punt ring was full.
    case puntRingFull = "punt_ring_full"
    /// Lifetime notifications deferred to a later packet because the punt ring was full.
    case eventDeferred = "event_deferred"
    /// Control commands a worker applied.
    case commandsApplied = "commands_applied"
    /// Cycle-counter ticks a worker spent in polls that found work (`CycleClock`).
    case busyCycles = "busy_cycles"
    /// Octets of `received`.
    case receivedOctets = "octets_received"
    /// Dropped packets copied to the drop-capture ring.
    case dropsCaptured = "drops_captured"
    /// Dropped packets not copied because the drop-capture ring was full.
    case dropCaptureMissed = "drop_capture_missed"

    /// Dense index after the drop counters of a block.
    @inlinable
    public var index: Int {
        switch self {
        case .offered: 0
        case .offeredOctets: 1
        case .received: 2
        case .forwarded: 3
        case .forwardedOctets: 4
        case .decapsulated: 5
        case .encapsulated: 6
        case .bypassed: 7
        case .punted: 8
        case .consumed: 9
        case .bursts: 10
        case .puntRecords: 11
        case .puntRateLimited: 12
        case .puntRingFull: 13
        case .eventDeferred: 14
        case .commandsApplied: 15
        case .busyCycles: 16
        case .receivedOctets: 17
        case .dropsCaptured: 18
        case .dropCaptureMissed: 19
        }
    }

    public static let count = allCases.count
}
