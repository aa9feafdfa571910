import QFPDataplane

/// Inbound ESP protected with a real transform (AES-GCM, AES-CBC + HMAC) for throughput runs:
/// a ring of packets sealed once, at set-up, with the SAs' keys, and copied into the buffers in
/// turn.
///
/// The ICV covers the sequence number, so a sealed packet cannot have its sequence patched per
/// send as `InboundESPTraffic` does for ESP-NULL. Each SA's packets in the ring carry
/// increasing sequence numbers (1, 2, ...), and the ring is replayed: the SAs of a run using this
/// traffic must have anti-replay disabled (`ReplayProtection.disabled`), or every lap after the
/// first would be dropped as replays. The data plane still verifies the ICV and decrypts every
/// packet; only the window check is off.
public struct InboundSealedTraffic: @unchecked Sendable {
    @usableFromInline let packets: UnsafeMutableRawPointer
    @usableFromInline let stride: Int
    /// IP packet length (outer header, ESP header, IV, ciphertext, ICV).
    public let length: Int
    @usableFromInline let count: Int
    @usableFromInline var next = 0
    @usableFromInline let inputInterface: UInt16

    /// Bytes of IP header, ESP header, IV and ICV around the encrypted payload of `transform`.
    public static func overhead(_ transform: ESPTransform) -> Int {
        IPv4Header.minimumLength + ESPHeader.length + transform.ivLength + transform.icvLength
    }

    /// The encrypted length (inner datagram + padding + pad length + next header) used for a
    /// requested `payloadLength`: rounded up to the transform's block (CBC: 16 bytes) and to at
    /// least the 20-byte inner IPv4 header, 8-byte UDP header and trailer.
    public static func encryptedLength(_ payloadLength: Int, transform: ESPTransform) -> Int {
        let b = transform.blockSize
        let wanted = max(payloadLength, 28 + 2)
        return (wanted + b - 1) / b * b
    }

    /// `ringPackets` tunnel-mode packets from `peer` to `router`, round-robin over `spis`
    /// (this generator's share), each SA's with sequence numbers 1, 2, ...; every packet
    /// encrypts `encryptedLength(payloadLength, transform:)` bytes (an inner IPv4 UDP datagram
    /// and the ESP trailer).
    public init(spis: [UInt32], transform: ESPTransform, keys: ESPKeys, payloadLength: Int, ringPackets: Int = 1024,
                peer: IPAddress, router: IPAddress, inputInterface: UInt16 = 1) throws(DataplaneError) {
        precondition(transform != .null, "ESP-NULL traffic is InboundESPTraffic")
        let encrypted = Self.encryptedLength(payloadLength, transform: transform)
        let inner = PacketBuilder.clear(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A01_0001),
                                        payloadLength: encrypted - 2 - 28)
        count = spis.isEmpty ? 0 : max(ringPackets, 1)
        length = encrypted + Self.overhead(transform)
        stride = (length + 63) & ~63
        packets = .allocate(byteCount: max(count, 1) * stride, alignment: 64)
        self.inputInterface = inputInterface
        var sequences = [UInt32](repeating: 0, count: spis.count)
        for k in 0..<count {
            let s = k % spis.count
            sequences[s] += 1
            let packet: [UInt8]
            do {
                packet = try PacketBuilder.protectedESP(source: peer, destination: router, spi: spis[s], sequence: sequences[s],
                                                        inner: inner, transform: transform, keys: keys)
            } catch {
                packets.deallocate()
                throw error
            }
            precondition(packet.count == length)
            packet.withUnsafeBytes { (packets + k * stride).copyMemory(from: $0.baseAddress!, byteCount: length) }
        }
    }

    /// Whether there is nothing to send (no SA in this share).
    public var isEmpty: Bool { count == 0 }

    /// Frees the ring. Call once, when no thread uses it.
    public func deallocate() { packets.deallocate() }

    /// Copies the next `n` packets of the ring into the buffers.
    @inlinable
    public mutating func fill(_ source: PacketSource, _ handles: UnsafePointer<PacketHandle>, _ n: Int, now: UInt64) {
        for k in 0..<n {
            let b = source.buffer(handles[k])
            b.reset(length: length, inputInterface: inputInterface, timestamp: now)
            b.data.copyMemory(from: packets + next &* stride, byteCount: length)
            next &+= 1
            if next == count { next = 0 }
        }
    }
}
