import QFPDataplane

/// Flags invalid-SPI flows that look like a blackhole rather than a rekey race (reference §6.1:
/// one message per flow is a transient race; the same SPI recurring means the SAs are out of
/// sync): a flow (source, destination, SPI) whose invalid SPI is still arriving more than one
/// rate-limit interval after it was first seen.
public struct BlackholeDetector: Sendable {
    public struct Key: Hashable, Sendable {
        public var source: IPAddress
        public var destination: IPAddress
        public var spi: UInt32
    }

    /// What the detector knows of one flow.
    public struct Flow: Sendable, Equatable {
        public var source: IPAddress
        public var destination: IPAddress
        public var spi: UInt32
        public var protocolNumber: UInt8
        /// Control-clock times (nanoseconds).
        public var firstSeen: UInt64
        public var lastSeen: UInt64
        /// Invalid-SPI punts seen (the data plane's punt limiter samples a flood; the drop
        /// counters have the exact packet count).
        public var count: UInt64
    }

    /// The interval a flow must outlast to be suspect: the RECVD_PKT_INV_SPI rate limit.
    public var interval: UInt64 = 60_000_000_000
    /// Flows not seen for this long are forgotten.
    public var forgetAfter: UInt64 = 600_000_000_000
    /// Bound on remembered flows (oldest forgotten first).
    public var capacity = 4096
    public private(set) var flows: [Key: Flow] = [:]

    public init() {}

    /// Records one invalid-SPI packet.
    public mutating func record(source: IPAddress, destination: IPAddress, spi: UInt32, protocolNumber: UInt8, now: UInt64) {
        let key = Key(source: source, destination: destination, spi: spi)
        if var f = flows[key] {
            f.lastSeen = now
            f.count &+= 1
            flows[key] = f
            return
        }
        if flows.count >= capacity, let oldest = flows.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key {
            flows[oldest] = nil
        }
        flows[key] = Flow(source: source, destination: destination, spi: spi, protocolNumber: protocolNumber,
                          firstSeen: now, lastSeen: now, count: 1)
    }

    /// When `expire` last swept the flows.
    var lastSweep: UInt64 = 0

    /// Forgets flows idle for `forgetAfter`. The daemon calls this every few milliseconds; the
    /// sweep runs at most once a second.
    public mutating func expire(now: UInt64) {
        guard now &- lastSweep >= 1_000_000_000 else { return }
        lastSweep = now
        flows = flows.filter { now &- $0.value.lastSeen < forgetAfter }
    }

    /// Forgets the flows of one SPI (its sender stopped using it).
    public mutating func forget(source: IPAddress, spi: UInt32) {
        flows = flows.filter { !($0.key.source == source && $0.key.spi == spi) }
    }

    /// Flows whose invalid SPI recurred past one interval, by source address, destination and
    /// SPI: a stable order from one look to the next (two senders that started together are
    /// first seen nanoseconds apart, in whichever order the punt rings were drained).
    public var suspects: [Flow] {
        flows.values.filter { $0.lastSeen &- $0.firstSeen >= interval }
            .sorted { ($0.source, $0.destination, $0.spi) < ($1.source, $1.destination, $1.spi) }
    }
}
