import QFPDataplane

/// Clear traffic from the inside towards protected destinations: one /32 destination per
/// outbound SA, plus a fraction towards protected destinations whose SA is not up yet.
///
/// Hot path: a template copy, a 4-byte destination patch and an incremental checksum fix
/// (RFC 1624) per packet.
public struct OutboundClearTraffic: @unchecked Sendable {
    @usableFromInline let template: UnsafeMutableRawPointer
    @usableFromInline let length: Int
    @usableFromInline let destinations: UnsafeMutablePointer<UInt32>
    @usableFromInline let count: Int
    @usableFromInline let pending: UnsafeMutablePointer<UInt32>
    @usableFromInline let pendingCount: Int
    @usableFromInline let pendingPer64K: UInt64
    @usableFromInline let baseChecksumComplement: UInt32
    @usableFromInline var random: FastRandom

    public init(destinations: [UInt32], pendingDestinations: [UInt32], pendingFraction: Double,
                length: Int, source: IPAddress, seed: UInt64) {
        let packet = PacketBuilder.clear(source: source, destination: IPAddress(ipv4: 0),
                                         payloadLength: max(length - 28, 0))
        self.length = packet.count
        let copy = UnsafeMutableRawPointer.allocate(byteCount: packet.count, alignment: 64)
        packet.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: packet.count) }
        template = copy
        let checksum = UInt16(packet[10]) << 8 | UInt16(packet[11])
        baseChecksumComplement = UInt32(~checksum)
        count = destinations.count
        self.destinations = .allocate(capacity: max(count, 1))
        self.destinations.initialize(from: destinations, count: count)
        pendingCount = pendingDestinations.count
        pending = .allocate(capacity: max(pendingCount, 1))
        pending.initialize(from: pendingDestinations, count: pendingCount)
        pendingPer64K = pendingDestinations.isEmpty ? 0 : UInt64((pendingFraction * 65536).rounded())
        random = FastRandom(seed: seed)
    }

    /// Whether there is nothing to send.
    public var isEmpty: Bool { count == 0 && pendingCount == 0 }

    public func deallocate() {
        template.deallocate()
        destinations.deallocate()
        pending.deallocate()
    }

    @inlinable
    public mutating func fill(_ source: PacketSource, _ handles: UnsafePointer<PacketHandle>, _ n: Int, now: UInt64) {
        for k in 0..<n {
            let b = source.buffer(handles[k])
            b.reset(length: length, inputInterface: 2, timestamp: now)
            let data = b.data
            data.copyMemory(from: template, byteCount: length)
            let r = random.next()
            let destination = pendingCount > 0 && (r & 0xFFFF < pendingPer64K || count == 0)
                ? pending[FastRandom.index(r, below: pendingCount)]
                : destinations[FastRandom.index(r, below: count)]
            data.storeBytes(of: destination.bigEndian, toByteOffset: 16, as: UInt32.self)
            // RFC 1624: HC' = ~(~HC + m'), the template's destination (m) being zero.
            var sum = baseChecksumComplement &+ (destination >> 16) &+ (destination & 0xFFFF)
            sum = (sum & 0xFFFF) &+ (sum >> 16)
            sum = (sum & 0xFFFF) &+ (sum >> 16)
            data.storeBytes(of: (~UInt16(truncatingIfNeeded: sum)).bigEndian, toByteOffset: 10, as: UInt16.self)
        }
    }
}
