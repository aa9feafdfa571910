import QFPDataplane

/// Inbound ESP as the emulated peers send it: packets to installed SAs with in-order sequence
/// numbers per SA, and a fraction to SPIs the router does not know.
///
/// Each SA is sent by exactly one generator (its sequence numbers are the generator's), so
/// several generators on several threads never reorder an SA. Hot path: a 64-byte template
/// copy and three stores per packet; no allocation.
public struct InboundESPTraffic: @unchecked Sendable {
    @usableFromInline let template: UnsafeMutableRawPointer
    @usableFromInline let length: Int
    @usableFromInline let spis: UnsafeMutablePointer<UInt32>
    @usableFromInline let sequences: UnsafeMutablePointer<UInt32>
    @usableFromInline let count: Int
    @usableFromInline let unknown: UnsafeMutablePointer<UInt32>
    @usableFromInline let unknownCount: Int
    /// Packets in 65,536 that go to an unknown SPI.
    @usableFromInline let unknownPer64K: UInt64
    @usableFromInline var random: FastRandom
    @usableFromInline let inputInterface: UInt16

    /// Traffic to `spis` (this generator's share), `unknownFraction` of it to `unknownSPIs`,
    /// as ESP-NULL tunnel packets of `length` bytes from `peer` to `router`.
    public init(spis: [UInt32], unknownSPIs: [UInt32], unknownFraction: Double, length: Int,
                peer: IPAddress, router: IPAddress, seed: UInt64, inputInterface: UInt16 = 1) {
        let packet = PacketBuilder.espOfLength(length, source: peer, destination: router, spi: 0, sequence: 0)
        self.length = packet.count
        let copy = UnsafeMutableRawPointer.allocate(byteCount: packet.count, alignment: 64)
        packet.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: packet.count) }
        template = copy
        count = spis.count
        self.spis = .allocate(capacity: max(spis.count, 1))
        self.spis.initialize(from: spis, count: spis.count)
        sequences = .allocate(capacity: max(spis.count, 1))
        sequences.initialize(repeating: 0, count: max(spis.count, 1))
        unknownCount = unknownSPIs.count
        unknown = .allocate(capacity: max(unknownSPIs.count, 1))
        unknown.initialize(from: unknownSPIs, count: unknownSPIs.count)
        unknownPer64K = unknownSPIs.isEmpty ? 0 : UInt64((unknownFraction * 65536).rounded())
        random = FastRandom(seed: seed)
        self.inputInterface = inputInterface
    }

    /// Whether there is nothing to send (no SA and no unknown SPI in this share).
    public var isEmpty: Bool { count == 0 && unknownCount == 0 }

    /// Frees the generator's tables. Call once, when no thread uses it.
    public func deallocate() {
        template.deallocate()
        spis.deallocate()
        sequences.deallocate()
        unknown.deallocate()
    }

    /// Writes one packet into each of `n` buffers.
    @inlinable
    public mutating func fill(_ source: PacketSource, _ handles: UnsafePointer<PacketHandle>, _ n: Int, now: UInt64) {
        for k in 0..<n {
            let b = source.buffer(handles[k])
            b.reset(length: length, inputInterface: inputInterface, timestamp: now)
            let data = b.data
            data.copyMemory(from: template, byteCount: length)
            let r = random.next()
            let spi: UInt32
            let sequence: UInt32
            if unknownCount > 0 && (r & 0xFFFF < unknownPer64K || count == 0) {
                spi = unknown[FastRandom.index(r, below: unknownCount)]
                sequence = 1
            } else {
                let i = FastRandom.index(r, below: count)
                spi = spis[i]
                sequence = sequences[i] &+ 1
                sequences[i] = sequence
            }
            data.storeBytes(of: spi.bigEndian, toByteOffset: 20, as: UInt32.self)
            data.storeBytes(of: sequence.bigEndian, toByteOffset: 24, as: UInt32.self)
        }
    }
}
