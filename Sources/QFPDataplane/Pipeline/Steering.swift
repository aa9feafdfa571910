/// Chooses the worker for a packet, like a NIC's RSS: the SPI for ESP and ESP-in-UDP/4500
/// (so each inbound SA has one owner), a flow hash otherwise (so a flow keeps its order).
///
/// A 256-entry indirection table maps hash bytes to workers, filled round-robin. The control
/// plane installs each inbound SA on `worker(forSPI:)`, the same function sources use.
@frozen
public struct Steering: Sendable {
    public let workerCount: Int
    @usableFromInline let table: InlineArray<256, UInt8>

    public init(workerCount: Int) {
        precondition(workerCount >= 1 && workerCount <= 255, "1...255 workers")
        self.workerCount = workerCount
        var t = InlineArray<256, UInt8>(repeating: 0)
        for i in 0..<256 { t[i] = UInt8(i % workerCount) }
        table = t
    }

    /// The worker that owns `spi`.
    @inlinable @inline(__always)
    public func worker(forSPI spi: UInt32) -> Int {
        Int(table[Int((spi &* 0x9E37_79B1) >> 24)])
    }

    /// The worker for a flow hash.
    @inlinable @inline(__always)
    public func worker(forFlowHash h: UInt32) -> Int {
        Int(table[Int((h &* 0x85EB_CA6B) >> 24)])
    }

    /// Where a packet goes, and whether it is IPsec traffic (for tail-drop accounting).
    @frozen
    public struct Decision {
        public var worker: Int
        public var isIPsec: Bool
        @inlinable public init(worker: Int, isIPsec: Bool) {
            self.worker = worker
            self.isIPsec = isIPsec
        }
    }

    /// Steers the `length` bytes at `p`. Reads only the headers RSS would; never traps.
    @inlinable @inline(__always)
    public func steer(_ p: UnsafeRawPointer, length: Int) -> Decision {
        // Fast path: IPv4 without surprises. Anything else goes through the full classifier,
        // which gives the same answer for these packets.
        if length >= 28 {
            let vihl = p.load(as: UInt8.self)
            if vihl == 0x45 {
                let proto = p.load(fromByteOffset: 9, as: UInt8.self)
                let fragment = UInt16(bigEndian: p.loadUnaligned(fromByteOffset: 6, as: UInt16.self)) & 0x3FFF
                if proto == IPv4Header.protocolNumberESP && fragment == 0 {
                    let spi = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
                    return Decision(worker: worker(forSPI: spi), isIPsec: true)
                }
            }
        }
        let c = PacketClassifier.classify(p, length: length)
        switch c.kind {
        case .esp, .espInUDP:
            return Decision(worker: worker(forSPI: c.spi), isIPsec: true)
        case .ike, .natKeepalive, .espRunt, .fragment:
            return Decision(worker: worker(forFlowHash: flowHash(c)), isIPsec: true)
        case .clear:
            return Decision(worker: worker(forFlowHash: flowHash(c)), isIPsec: false)
        case .malformed:
            return Decision(worker: 0, isIPsec: false)
        }
    }

    @inlinable @inline(__always)
    func flowHash(_ c: PacketClassification) -> UInt32 {
        c.source.hash32 ^ (c.destination.hash32 &* 0x9E37_79B1)
            ^ (UInt32(c.sourcePort) << 16 | UInt32(c.destinationPort)) ^ UInt32(c.protocolNumber)
    }
}
