/// A worker's per-burst working vectors, allocated once in its node's memory.
@frozen
public struct BurstScratch: @unchecked Sendable {
    public static let maximumBurst = 256

    @usableFromInline let handles: UnsafeMutablePointer<PacketHandle>
    @usableFromInline let classes: UnsafeMutablePointer<PacketClassification>
    @usableFromInline let hashes: UnsafeMutablePointer<UInt32>
    @usableFromInline let saSlots: UnsafeMutablePointer<UInt32>
    /// Outbound policy decisions of clear packets.
    @usableFromInline let decisions: UnsafeMutablePointer<OutboundDecision>
    /// Handles to transmit this burst.
    @usableFromInline let transmit: UnsafeMutablePointer<PacketHandle>
    /// Per pool: handles to return this burst (`maximumBurst` each).
    @usableFromInline let releases: UnsafeMutablePointer<PacketHandle>
    @usableFromInline let releaseCounts: UnsafeMutablePointer<Int>
    /// Crypto verdict of each packet of the burst (`ESPBurstVerdict`), when a burst engine ran.
    @usableFromInline let verdicts: UnsafeMutablePointer<UInt8>
    /// The burst engine's arguments, one entry per packet handed to it (`openInboundBurst`).
    @usableFromInline let cryptoContexts: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @usableFromInline let cryptoPackets: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @usableFromInline let cryptoESPStarts: UnsafeMutablePointer<Int>
    @usableFromInline let cryptoEnds: UnsafeMutablePointer<Int>
    @usableFromInline let cryptoVerdicts: UnsafeMutablePointer<UInt8>
    /// Burst index of each entry.
    @usableFromInline let cryptoIndices: UnsafeMutablePointer<Int>

    static func byteCount(pools: Int) -> Int {
        let n = maximumBurst
        return RegionCarver.bytesNeeded([
            n * 4, n * MemoryLayout<PacketClassification>.stride, n * 4, n * 4,
            n * MemoryLayout<OutboundDecision>.stride, n * 4,
            pools * n * 4, pools * 8,
            n, n * 8, n * 8, n * 8, n * 8, n, n * 8,
        ])
    }

    init(carver: inout RegionCarver, pools: Int) {
        let n = Self.maximumBurst
        handles = carver.carve(n * 4).bindMemory(to: PacketHandle.self, capacity: n)
        classes = carver.carve(n * MemoryLayout<PacketClassification>.stride)
            .bindMemory(to: PacketClassification.self, capacity: n)
        classes.initialize(repeating: PacketClassification(), count: n)
        hashes = carver.carve(n * 4).bindMemory(to: UInt32.self, capacity: n)
        saSlots = carver.carve(n * 4).bindMemory(to: UInt32.self, capacity: n)
        decisions = carver.carve(n * MemoryLayout<OutboundDecision>.stride).bindMemory(to: OutboundDecision.self, capacity: n)
        decisions.initialize(repeating: OutboundDecision(), count: n)
        transmit = carver.carve(n * 4).bindMemory(to: PacketHandle.self, capacity: n)
        releases = carver.carve(pools * n * 4).bindMemory(to: PacketHandle.self, capacity: pools * n)
        releaseCounts = carver.carve(pools * 8).bindMemory(to: Int.self, capacity: pools)
        releaseCounts.initialize(repeating: 0, count: pools)
        verdicts = carver.carve(n).bindMemory(to: UInt8.self, capacity: n)
        verdicts.initialize(repeating: ESPBurstVerdict.perPacket.rawValue, count: n)
        cryptoContexts = carver.carve(n * 8).bindMemory(to: UnsafeMutableRawPointer.self, capacity: n)
        cryptoPackets = carver.carve(n * 8).bindMemory(to: UnsafeMutableRawPointer.self, capacity: n)
        cryptoESPStarts = carver.carve(n * 8).bindMemory(to: Int.self, capacity: n)
        cryptoESPStarts.initialize(repeating: 0, count: n)
        cryptoEnds = carver.carve(n * 8).bindMemory(to: Int.self, capacity: n)
        cryptoEnds.initialize(repeating: 0, count: n)
        cryptoVerdicts = carver.carve(n).bindMemory(to: UInt8.self, capacity: n)
        cryptoVerdicts.initialize(repeating: 0, count: n)
        cryptoIndices = carver.carve(n * 8).bindMemory(to: Int.self, capacity: n)
        cryptoIndices.initialize(repeating: 0, count: n)
    }
}

/// Counts gathered over one burst and added to the counter block once at its end.
@frozen
public struct BurstTally {
    @usableFromInline var forwarded = 0
    @usableFromInline var forwardedOctets = 0
    @usableFromInline var decapsulated = 0
    @usableFromInline var encapsulated = 0
    @usableFromInline var bypassed = 0
    @usableFromInline var consumed = 0
    @usableFromInline var punted = 0
    @usableFromInline var transmitCount = 0
    @usableFromInline var receivedOctets = 0

    @inlinable init() {}
}

/// Local crypto endpoints (this router's addresses) and their mode, which decides whether an
/// unknown SPI counts as tunnel (4) or transport (7). At most `capacity`; unknown addresses
/// count as tunnel, the common IOS configuration.
@frozen
public struct LocalEndpoints: @unchecked Sendable {
    public static let capacity = 64
    @usableFromInline let addresses: UnsafeMutablePointer<IPAddress>
    @usableFromInline let transport: UnsafeMutablePointer<Bool>
    @usableFromInline var count: Int

    static var byteCount: Int { capacity * 16 + capacity }

    init(carver: inout RegionCarver) {
        addresses = carver.carve(Self.capacity * 16).bindMemory(to: IPAddress.self, capacity: Self.capacity)
        transport = carver.carve(Self.capacity).bindMemory(to: Bool.self, capacity: Self.capacity)
        count = 0
    }

    /// Whether `address` is a transport-mode endpoint.
    @inlinable
    func isTransport(_ address: IPAddress) -> Bool {
        for i in 0..<count where addresses[i] == address { return transport[i] }
        return false
    }

    mutating func set(_ address: IPAddress, transport isTransport: Bool) {
        for i in 0..<count where addresses[i] == address {
            transport[i] = isTransport
            return
        }
        guard count < Self.capacity else { return }
        addresses[count] = address
        transport[count] = isTransport
        count += 1
    }

    mutating func remove(_ address: IPAddress) {
        for i in 0..<count where addresses[i] == address {
            addresses[i] = addresses[count - 1]
            transport[i] = transport[count - 1]
            count -= 1
            return
        }
    }
}
