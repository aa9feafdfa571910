import QFPCrypto
import QFPDataplane

/// The kinds of packets a stream sends, for its counters.
public enum PacketKind: Int, CaseIterable, Sendable, Codable {
    case valid, unknownSPI, replay, tooOld, truncated, malformed

    public var name: String {
        switch self {
        case .valid: "valid"
        case .unknownSPI: "unknown-spi"
        case .replay: "replay"
        case .tooOld: "too-old"
        case .truncated: "truncated"
        case .malformed: "malformed"
        }
    }
}

/// The emulated peers' outbound sequence counters, one per (peer address, SPI), shared by every
/// stream that sends on the SA (so two streams never reuse a number) and kept when streams stop
/// (the peer's SA lives on). Slots are handed out by the control side; the generator thread
/// alone reads and writes the counters.
final class SequenceStore: @unchecked Sendable {
    static let capacity = 1 << 20
    let counters: UnsafeMutablePointer<UInt32>
    /// Control side, under the generator's control lock.
    var slots: [Key: Int] = [:]

    struct Key: Hashable {
        var peer: IPAddress
        var spi: UInt32
    }

    init() {
        counters = .allocate(capacity: Self.capacity)
        counters.initialize(repeating: 0, count: Self.capacity)
    }

    deinit { counters.deallocate() }

    func slot(peer: IPAddress, spi: UInt32) throws(GeneratorError) -> Int {
        let key = Key(peer: peer, spi: spi)
        if let s = slots[key] { return s }
        guard slots.count < Self.capacity else { throw GeneratorError("the emulated peers have more than \(Self.capacity) SAs") }
        slots[key] = slots.count
        return slots.count - 1
    }
}

/// One stream compiled for the hot path: packet templates per size, a size-choice table, the
/// SAs it sends on, the fault mix and the pacing state. Filling a burst copies a template and
/// patches SPI, sequence number, timestamp and stream id; it never allocates.
struct StreamEngine: @unchecked Sendable {
    /// 1-based id carried in each buffer's metadata (0: not generated).
    let id: UInt32
    let name: String
    let peerName: String
    /// The peer's address and the SPIs the stream sends with (control side: IKE, restarts).
    let peerAddress: IPAddress
    let peerSPIs: [UInt32]
    // Templates: `classes` packets of `slotBytes` each, and their lengths.
    let templates: UnsafeMutableRawPointer
    let lengths: UnsafeMutablePointer<Int>
    let classes: Int
    let slotBytes: Int
    /// Size choice: a uniform pick in this table gives a class, weighted by repetition.
    let classTable: UnsafeMutablePointer<UInt16>
    let classTableCount: Int
    let averageLength: Double
    /// Offset of the ESP header in every template.
    let espOffset: Int
    let inputInterface: UInt16
    // SAs: SPIs and their slots in the sequence store.
    let spis: UnsafeMutablePointer<UInt32>
    let sequenceSlots: UnsafeMutablePointer<Int>
    let sequences: UnsafeMutablePointer<UInt32>
    let saCount: Int
    let unknownSPIs: UnsafeMutablePointer<UInt32>
    let unknownCount: Int
    /// The SAs' transform (one per stream) and, unless ESP-NULL, one crypto context per SA
    /// (QFPCrypto, made here once): each packet is sealed in place after its SPI and sequence
    /// number are written.
    let transform: ESPTransform
    let contexts: UnsafeMutablePointer<ESPCryptoContext>
    let sealed: Bool
    let provider = SwiftCryptoProvider()
    /// Cumulative fault thresholds out of 2^32: unknown SPI, replay, too old, truncated, malformed.
    let thresholds: (UInt64, UInt64, UInt64, UInt64, UInt64)
    var random: FastRandom

    // Pacing.
    let rate: TrafficProfile.Rate
    /// Bytes (or packets, for pps) per nanosecond.
    let unitsPerNanosecond: Double
    /// Layer-1 overhead per packet for percent rates.
    let overhead: Int
    let countLimit: UInt64
    let durationNanoseconds: UInt64
    var startNanoseconds: UInt64 = 0
    var stoppedAt: UInt64 = 0
    var finished = false

    // Counters, written by the generator thread only.
    var sentPackets: UInt64 = 0
    var sentOctets: UInt64 = 0
    /// Octets plus layer-1 overhead (the pacing budget of percent rates).
    var sentUnits: Double = 0
    var kinds: InlineArray<6, UInt64> = .init(repeating: 0)

    static let tooOldDistance: UInt32 = 4096

    init(id: UInt32, stream: TrafficProfile.Stream, peer view: PeerView, sequences store: SequenceStore,
         profile: TrafficProfile, avoid: Set<UInt32>, inputInterface: UInt16 = 1) throws(GeneratorError) {
        self.id = id
        name = stream.name
        peerName = view.name
        peerAddress = view.address
        self.inputInterface = inputInterface

        // SAs.
        var indices: [Int] = []
        if let spis = stream.spis {
            for spi in spis {
                guard let i = view.sas.firstIndex(where: { $0.spi == spi }) else {
                    throw GeneratorError("stream '\(stream.name)': SPI \(spi) (0x\(String(spi, radix: 16, uppercase: true))) is not in peer '\(view.name)''s view; add it to the peer's sas:")
                }
                indices.append(i)
            }
        } else {
            indices = Array(view.sas.indices)
        }
        let unknownOnly = indices.isEmpty
        if unknownOnly && stream.faults.unknownSPI == 0 {
            throw GeneratorError("stream '\(stream.name)': peer '\(view.name)' believes in no SA (the router has none for \(view.address)); give the peer sas: or the stream spi:")
        }
        var slots: [Int] = []
        for i in indices { slots.append(try store.slot(peer: view.address, spi: view.sas[i].spi)) }
        let transforms = Set(indices.map { view.sas[$0].transform })
        guard transforms.count <= 1 else {
            throw GeneratorError("stream '\(stream.name)': peer '\(view.name)''s SAs use different transforms ("
                + transforms.map(\.iosName).sorted().joined(separator: ", ") + "); give each its own stream with spi:")
        }
        transform = transforms.first ?? .null
        sealed = transform != .null
        var made: [ESPCryptoContext] = []
        if sealed {
            for i in indices {
                do {
                    made.append(try provider.makeContext(transform: transform, keys: view.sas[i].keys))
                } catch {
                    for c in made { provider.releaseContext(c) }
                    throw GeneratorError("stream '\(stream.name)': SA 0x\(String(view.sas[i].spi, radix: 16, uppercase: true)) of peer '\(view.name)': \(error)")
                }
            }
        }
        contexts = .allocate(capacity: max(made.count, 1))
        contexts.initialize(from: made, count: made.count)
        saCount = indices.count
        peerSPIs = indices.map { view.sas[$0].spi }
        spis = .allocate(capacity: max(indices.count, 1))
        spis.initialize(from: indices.map { view.sas[$0].spi }, count: indices.count)
        sequenceSlots = .allocate(capacity: max(indices.count, 1))
        sequenceSlots.initialize(from: slots, count: slots.count)
        sequences = store.counters

        let mode = stream.mode ?? indices.lazy.compactMap { view.sas[$0].mode }.first ?? .tunnel
        let udp = stream.encapsulation == .espUDP
        espOffset = (view.address.isIPv4 ? IPv4Header.minimumLength : IPv6Header.length) + (udp ? UDPHeader.length : 0)

        // Sizes and templates.
        var sizes: [Int] = []
        var weights: [Int] = []
        switch stream.size {
        case let .fixed(n): sizes = [n]; weights = [1]
        case let .range(a, b):
            var s = Set<Int>()
            for n in a...b { s.insert(StreamEngine.achievableLength(n, ipv4: view.address.isIPv4, mode: mode, udp: udp, transform: transform)) }
            sizes = s.sorted(); weights = sizes.map { _ in 1 }
        case let .mix(mix): sizes = mix.map(\.size); weights = mix.map(\.weight)
        }
        var actual: [Int] = []
        var packets: [[UInt8]] = []
        for n in sizes {
            let p = StreamEngine.template(length: n, peer: view, mode: mode, udp: udp, transform: transform)
            actual.append(p.count)
            packets.append(p)
        }
        let slot = (packets.map(\.count).max()! + 63) / 64 * 64
        let memory = UnsafeMutableRawPointer.allocate(byteCount: packets.count * slot, alignment: 64)
        let lengthTable = UnsafeMutablePointer<Int>.allocate(capacity: packets.count)
        for (i, p) in packets.enumerated() {
            p.withUnsafeBytes { (memory + i * slot).copyMemory(from: $0.baseAddress!, byteCount: p.count) }
            (lengthTable + i).initialize(to: p.count)
        }
        classes = packets.count
        slotBytes = slot
        templates = memory
        lengths = lengthTable
        let table = weights.enumerated().flatMap { i, w in Array(repeating: UInt16(i), count: w) }
        classTableCount = table.count
        classTable = .allocate(capacity: table.count)
        classTable.initialize(from: table, count: table.count)
        averageLength = Double(zip(actual, weights).reduce(0) { $0 + $1.0 * $1.1 }) / Double(weights.reduce(0, +))

        // Unknown SPIs: random, never one the peer or the router believes in.
        let seed = stream.seed ?? (profile.seed &+ UInt64(id) &* 0x9E37_79B9_7F4A_7C15)
        random = FastRandom(seed: seed)
        var unknown: [UInt32] = []
        var r = FastRandom(seed: seed ^ 0x5EED_0000_0000_0001)
        let believed = Set(view.sas.map(\.spi))
        while unknown.count < 64 {
            let spi = UInt32(truncatingIfNeeded: r.next() >> 32)
            if spi >= 256 && !believed.contains(spi) && !avoid.contains(spi) && !unknown.contains(spi) { unknown.append(spi) }
        }
        unknownCount = unknown.count
        unknownSPIs = .allocate(capacity: unknown.count)
        unknownSPIs.initialize(from: unknown, count: unknown.count)

        func scaled(_ x: Double) -> UInt64 { x >= 1 ? UInt64.max : UInt64(x * 4_294_967_296) }
        let f = stream.faults
        let u = unknownOnly ? 1 : f.unknownSPI
        let sums = [u, u + f.replay, u + f.replay + f.tooOld, u + f.replay + f.tooOld + f.truncated,
                    u + f.replay + f.tooOld + f.truncated + f.malformed]
        thresholds = (scaled(sums[0]), scaled(sums[1]), scaled(sums[2]), scaled(sums[3]), scaled(sums[4]))

        rate = stream.rate
        switch stream.rate {
        case let .packetsPerSecond(pps): unitsPerNanosecond = pps / 1e9; overhead = 0
        case let .bitsPerSecond(bps): unitsPerNanosecond = bps / 8e9; overhead = 0
        case let .percent(pc): unitsPerNanosecond = profile.portSpeed * pc / 100 / 8e9; overhead = 38
        case .maximum: unitsPerNanosecond = 0; overhead = 0
        }
        countLimit = stream.count ?? .max
        durationNanoseconds = stream.duration.map { UInt64($0 * 1e9) } ?? .max
    }

    /// Frees the tables (the generator thread, once the stream is retired).
    func deallocate() {
        templates.deallocate()
        lengths.deallocate()
        classTable.deallocate()
        spis.deallocate()
        sequenceSlots.deallocate()
        unknownSPIs.deallocate()
        if sealed { for i in 0..<saCount { provider.releaseContext(contexts[i]) } }
        contexts.deallocate()
    }

    /// The length a request of `n` bytes gets: rounded down so that payload and trailer fill
    /// whole blocks of `transform` (ESP-NULL and GCM: 4 bytes, RFC 4303 §2.4; CBC: 16), and up
    /// to the smallest packet that carries an inner UDP datagram (tunnel) or a UDP header
    /// (transport). IV and ICV are added around it.
    static func achievableLength(_ n: Int, ipv4: Bool, mode: IPsecMode, udp: Bool, transform: ESPTransform = .null) -> Int {
        let outer = (ipv4 ? IPv4Header.minimumLength : IPv6Header.length) + (udp ? UDPHeader.length : 0) + ESPHeader.length
            + transform.ivLength
        let innerMinimum = mode == .tunnel ? (ipv4 ? 28 : 48) : 8
        let block = transform.blockSize
        let smallest = (innerMinimum + ESPHeader.trailerLength + block - 1) / block * block
        let encrypted = max((n - outer - transform.icvLength) / block * block, smallest)
        return outer + encrypted + transform.icvLength
    }

    /// A packet from the peer to the router of about `length` bytes (see `achievableLength`),
    /// SPI and sequence number zero, in clear (IV and ICV zero: a real transform seals each
    /// copy). The inner datagram is UDP from the peer's side (10.2.0.10 or 2001:db8:2::10) to
    /// the router's inside (10.1.0.10 or 2001:db8:1::10), port 5001 to 5001.
    static func template(length: Int, peer: PeerView, mode: IPsecMode, udp: Bool, transform: ESPTransform = .null) -> [UInt8] {
        let ipv4 = peer.address.isIPv4
        let total = achievableLength(length, ipv4: ipv4, mode: mode, udp: udp, transform: transform)
        let outer = (ipv4 ? IPv4Header.minimumLength : IPv6Header.length) + (udp ? UDPHeader.length : 0) + ESPHeader.length
            + transform.ivLength
        let inner = total - outer - ESPHeader.trailerLength - transform.icvLength
        let innerBytes: [UInt8]
        if mode == .tunnel {
            let src = ipv4 ? IPAddress(ipv4: 0x0A02_000A) : IPAddress("2001:db8:2::10")!
            let dst = ipv4 ? IPAddress(ipv4: 0x0A01_000A) : IPAddress("2001:db8:1::10")!
            innerBytes = PacketBuilder.clear(source: src, destination: dst, sourcePort: 5001, destinationPort: 5001,
                                             payloadLength: inner - (ipv4 ? 28 : 48))
        } else {
            var u = [UInt8](repeating: 0xAB, count: inner)
            u[0] = 0x13; u[1] = 0x89; u[2] = 0x13; u[3] = 0x89
            u[4] = UInt8(inner >> 8); u[5] = UInt8(truncatingIfNeeded: inner); u[6] = 0; u[7] = 0
            innerBytes = u
        }
        // Left in clear: with a real transform each copy is sealed with its SA's context when sent.
        return PacketBuilder.espPacket(source: peer.address, destination: peer.router, spi: 0, sequence: 0,
                                       inner: innerBytes, transform: transform, sealedWith: nil, mode: mode,
                                       transportProtocol: 17, udp: udp)
    }

    // MARK: Hot path

    /// Packets due at `now` (nanoseconds), at most `maximum`; marks the stream finished when
    /// its count or duration is reached.
    @inline(__always)
    mutating func due(now: UInt64, maximum: Int) -> Int {
        if finished { return 0 }
        if sentPackets >= countLimit {
            finished = true
            stoppedAt = now
            return 0
        }
        var elapsedNanoseconds = now &- startNanoseconds
        if elapsedNanoseconds >= durationNanoseconds {
            // The last packets due within the duration, then done.
            elapsedNanoseconds = durationNanoseconds
            finished = true
            stoppedAt = startNanoseconds &+ durationNanoseconds
        }
        var n: Int
        let elapsed = Double(elapsedNanoseconds)
        switch rate {
        case .maximum:
            n = finished ? 0 : maximum
        case .packetsPerSecond:
            let target = elapsed * unitsPerNanosecond
            n = target > Double(sentPackets) ? Int(min(target - Double(sentPackets), Double(maximum))) : 0
        case .bitsPerSecond, .percent:
            let budget = elapsed * unitsPerNanosecond - sentUnits
            n = budget > 0 ? Int(min((budget / (averageLength + Double(overhead))).rounded(.up), Double(maximum))) : 0
        }
        let left = countLimit &- sentPackets
        if UInt64(n) > left { n = Int(left) }
        return n
    }

    /// Nanoseconds from `now` until the next packet is due (0 at maximum rate or when late).
    func nanosecondsUntilDue(now: UInt64) -> UInt64 {
        let used: Double, perPacket: Double
        switch rate {
        case .maximum: return 0
        case .packetsPerSecond: used = Double(sentPackets); perPacket = 1
        case .bitsPerSecond, .percent: used = sentUnits; perPacket = averageLength + Double(overhead)
        }
        let next = (used + perPacket) / unitsPerNanosecond
        let elapsed = Double(now &- startNanoseconds)
        return next > elapsed ? UInt64(next - elapsed) : 0
    }

    /// Writes one packet into each of `n` buffers, stamped with `now`.
    @inline(__always)
    mutating func fill(_ source: PacketSource, _ handles: UnsafePointer<PacketHandle>, _ n: Int, now: UInt64) {
        for k in 0..<n {
            let r = random.next()
            let cls = Int(classTable[FastRandom.index(r, below: classTableCount)])
            var length = lengths[cls]
            let b = source.buffer(handles[k])
            b.reset(length: length, inputInterface: inputInterface, timestamp: now)
            b.streamID = id
            let data = b.data
            data.copyMemory(from: templates + cls &* slotBytes, byteCount: length)

            let f = random.next() >> 32
            var kind = PacketKind.valid
            var spi: UInt32
            var sequence: UInt32
            var sa = -1
            if f < thresholds.0 || saCount == 0 {
                kind = .unknownSPI
                spi = unknownSPIs[FastRandom.index(r, below: unknownCount)]
                sequence = 1
            } else {
                sa = saCount == 1 ? 0 : FastRandom.index(r << 16, below: saCount)
                spi = spis[sa]
                let slot = sequenceSlots[sa]
                let last = sequences[slot]
                if f < thresholds.1 && last > 0 {
                    kind = .replay
                    sequence = last
                } else if f < thresholds.2 && last > Self.tooOldDistance {
                    kind = .tooOld
                    sequence = last &- Self.tooOldDistance
                } else {
                    sequence = last &+ 1
                    if f >= thresholds.2 && f < thresholds.3 { kind = .truncated }
                    else if f >= thresholds.3 && f < thresholds.4 { kind = .malformed }
                    // A broken packet never reaches the SA's window, so the peer's next valid
                    // packet may reuse its number; a replay then always repeats a packet the
                    // router accepted.
                    else { sequences[slot] = sequence }
                }
            }
            data.storeBytes(of: spi.bigEndian, toByteOffset: espOffset, as: UInt32.self)
            data.storeBytes(of: sequence.bigEndian, toByteOffset: espOffset &+ 4, as: UInt32.self)
            // Sealed with the SA's keys (an unknown SPI's packet stays in clear: no one has keys
            // for it, and the router drops it before any ICV check).
            if sealed && sa >= 0 {
                contexts[sa].seal(packet: data, espStart: espOffset, payloadStart: espOffset &+ ESPHeader.length &+ transform.ivLength,
                                  icvStart: length &- transform.icvLength)
            }
            if kind == .truncated {
                length = espOffset &+ 6
                b.length = length
            } else if kind == .malformed {
                data.storeBytes(of: data.load(as: UInt8.self) & 0x0F, as: UInt8.self)
            }
            kinds[kind.rawValue] &+= 1
            sentOctets &+= UInt64(length)
            sentUnits += Double(length &+ overhead)
        }
        sentPackets &+= UInt64(n)
    }
}
