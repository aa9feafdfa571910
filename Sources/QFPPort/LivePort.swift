import CPacket
import QFPCapture
import QFPDataplane
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A pipeline port bound to a Linux interface through AF_PACKET.
///
/// **Receive.** A TPACKET_V3 ring (blocks of frames, mapped into the process) is walked by one
/// pinned thread, the port's own: for every block the kernel hands over (`TP_STATUS_USER`), each
/// frame's Ethernet header and VLAN tags are stripped exactly as `qfp replay` strips them
/// (`LinkType.ethernet.payload(of:)`), the IP datagram is copied into a buffer of the port's
/// `PacketSource` pool, and the block goes back to the kernel. Datagrams are sent into the
/// pipeline a burst at a time, steered by SPI like every source. Frames that carry no IP, whose
/// header is cut, that are too long for a buffer or find the pool empty are counted under those
/// names (`PortCounters`); nothing received goes uncounted. The socket ignores its own outgoing
/// frames (`PACKET_IGNORE_OUTGOING`, and `PACKET_OUTGOING` frames are skipped on older kernels).
///
/// **Transmit.** The same thread drains the workers' transmit rings (configure the pipeline with
/// `transmitRings`): each forwarded packet gets an Ethernet header written into its buffer's
/// headroom (or a copy when the headroom is short) and leaves with `send(2)` on the packet socket,
/// non-blocking; a refusal (full queue, link down) is counted in `transmitErrors`, never waited
/// for. Source address: the interface's own unless configured; destination: configured, or
/// learned from the source address of the latest received frame (broadcast until one arrives).
/// The buffer then goes back through the completion ring.
///
/// Nothing is allocated and no lock is taken per packet. Cold path: `init` opens the socket and
/// maps the ring; `start` starts the thread; `stop` joins it; `deinit` unmaps and closes.
public final class LivePort: @unchecked Sendable {
    public let configuration: PortConfiguration
    /// The live counters.
    public let statistics = PortStatistics()
    /// The interface's own Ethernet address (zero when it has none).
    public let interfaceAddress: MACAddress
    private var ring: qfp_packet_ring
    private var thread: PinnedThread?
    private let stopFlag = StopFlag()
    private let scratch: UnsafeMutableRawPointer

    /// Opens `configuration.device`: an AF_PACKET socket, TPACKET_V3, the receive ring, bound.
    ///
    /// - Throws: `PortError` naming the device, the failed call and its errno (no such device,
    ///   AF_PACKET not permitted, ring sizes refused), or sizes this type refuses.
    public init(_ configuration: PortConfiguration) throws(PortError) {
        let c = configuration
        func refuse(_ detail: String) -> PortError { PortError(device: c.device, step: "configuration", errno: 0, detail: detail) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard !c.device.isEmpty else { throw refuse("no device name") }
        guard c.blockSize >= page, c.blockSize & (c.blockSize - 1) == 0 else {
            throw refuse("ring block size \(c.blockSize) is not a power of two of at least a page (\(page))")
        }
        guard (2...65536).contains(c.blockCount) else { throw refuse("ring block count \(c.blockCount) not in 2...65536") }
        guard c.frameSize >= 256, c.frameSize % 16 == 0, c.frameSize <= c.blockSize else {
            throw refuse("ring frame size \(c.frameSize) is not a multiple of 16 in 256...\(c.blockSize)")
        }
        guard (1...BurstScratch.maximumBurst).contains(c.burstSize) else {
            throw refuse("burst size \(c.burstSize) not in 1...\(BurstScratch.maximumBurst)")
        }
        guard (1...1000).contains(c.blockTimeoutMilliseconds) else {
            throw refuse("block timeout \(c.blockTimeoutMilliseconds) ms not in 1...1000")
        }
        var r = qfp_packet_ring()
        var step: UnsafePointer<CChar>? = nil
        let rc = c.device.withCString {
            qfp_packet_open($0, UInt32(c.blockSize), UInt32(c.blockCount), UInt32(c.frameSize),
                            UInt32(c.blockTimeoutMilliseconds), &r, &step)
        }
        guard rc == 0 else {
            throw PortError(device: c.device, step: step.map { String(cString: $0) } ?? "open", errno: rc)
        }
        self.configuration = c
        ring = r
        interfaceAddress = MACAddress(octets: withUnsafeBytes(of: r.mac) { Array($0) })
        scratch = UnsafeMutableRawPointer.allocate(byteCount: PacketBuffer.size + 64, alignment: 64)
    }

    /// Starts the port thread: receives into `source` (one of `pipeline`'s sources, taken for the
    /// port) and transmits what the workers forward, when `pipeline` has transmit rings. The
    /// thread is pinned to `cpu`, else to `configuration.cpu`, else unpinned. Once per port.
    public func start(pipeline: Pipeline, source: PacketSource, cpu: Int? = nil,
                      topology: NUMATopology = .current) throws(DataplaneError) {
        precondition(thread == nil, "port \(configuration.device) was already started")
        var transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)] = []
        for w in 0..<pipeline.configuration.workers {
            if let rings = pipeline.transmitRings(ofWorker: w) { transmit.append(rings) }
        }
        guard let base = ring.ring else { preconditionFailure("port \(configuration.device) is closed") }
        let loop = PortLoop(
            source: source, fd: ring.fd, ringBase: base, blockSize: Int(ring.block_size), blockCount: Int(ring.block_count),
            directory: pipeline.directory, clock: pipeline.clock, statistics: statistics, stop: stopFlag,
            transmit: transmit, burst: configuration.burstSize, inputInterface: configuration.inputInterface,
            source: configuration.sourceMAC ?? interfaceAddress, destination: configuration.destinationMAC,
            scratch: scratch)
        let name = String(("qfp-port-" + configuration.device).prefix(15))
        thread = try PinnedThread.start(name: name, cpu: cpu ?? configuration.cpu, topology: topology) {
            var l = loop
            l.run()
            l.finish()
        }
    }

    /// Stops the port thread after a last pass over the receive ring and the transmit rings.
    /// The socket stays open until the port is deinitialised.
    public func stop() {
        stopFlag.value.store(true, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    deinit {
        stop()
        qfp_packet_close(&ring)
        scratch.deallocate()
    }
}

/// The port thread's stop request.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// The port thread's state and loop: owned by that thread alone.
struct PortLoop: @unchecked Sendable {
    var source: PacketSource
    let fd: Int32
    let ringBase: UnsafeMutableRawPointer
    let blockSize: Int
    let blockCount: Int
    let directory: BufferDirectory
    let clock: CoarseClock
    let statistics: PortStatistics
    let stop: StopFlag
    let transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)]
    let burst: Int
    let inputInterface: UInt16
    /// Destination (learned or configured) then source address: the first 12 bytes of every
    /// transmitted frame.
    let header: UnsafeMutableRawPointer
    let learn: Bool
    /// A frame for packets with less headroom than an Ethernet header.
    let scratch: UnsafeMutableRawPointer
    /// Receive burst: `handles[0..<filled]` hold datagrams, `handles[filled..<available]` are
    /// allocated and empty.
    let handles: UnsafeMutablePointer<PacketHandle>
    let transmitHandles: UnsafeMutablePointer<PacketHandle>
    var filled = 0
    var available = 0
    var block = 0
    var now: UInt64 = 0

    static let ethernetHeaderLength = 14

    init(source: PacketSource, fd: Int32, ringBase: UnsafeMutableRawPointer, blockSize: Int, blockCount: Int,
         directory: BufferDirectory, clock: CoarseClock, statistics: PortStatistics, stop: StopFlag,
         transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)], burst: Int,
         inputInterface: UInt16, source sourceAddress: MACAddress, destination: MACAddress?,
         scratch: UnsafeMutableRawPointer) {
        self.source = source
        self.fd = fd
        self.ringBase = ringBase
        self.blockSize = blockSize
        self.blockCount = blockCount
        self.directory = directory
        self.clock = clock
        self.statistics = statistics
        self.stop = stop
        self.transmit = transmit
        self.burst = burst
        self.inputInterface = inputInterface
        self.scratch = scratch
        learn = destination == nil
        header = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
        let bytes = (destination ?? .broadcast).octets + sourceAddress.octets
        for i in 0..<12 { header.storeBytes(of: bytes[i], toByteOffset: i, as: UInt8.self) }
        handles = .allocate(capacity: burst)
        transmitHandles = .allocate(capacity: burst)
    }

    /// Receives and transmits until asked to stop; sleeps in `poll(2)` (1 ms at most, so that
    /// forwarded packets do not wait longer) when neither side had work.
    mutating func run() {
        while !stop.value.load(ordering: .acquiring) {
            let received = receive()
            let sent = transmitPending()
            if received == 0 && sent == 0 {
                collectRingDrops()
                _ = qfp_packet_poll(fd, 1)
            }
        }
        // A last pass: blocks already handed over and packets already forwarded.
        _ = receive()
        _ = transmitPending()
        collectRingDrops()
    }

    /// Frees the loop's own memory (after `run`).
    func finish() {
        header.deallocate()
        handles.deallocate()
        transmitHandles.deallocate()
    }

    /// Walks every block the kernel handed over, then sends what it filled. Returns frames seen.
    mutating func receive() -> Int {
        var frames = 0
        now = clock.now
        while true {
            let b = ringBase + block &* blockSize
            // Acquire (in the shim) pairs with the kernel's release of the block to user space.
            guard qfp_block_ready(b) != 0 else { break }
            let n = Int(qfp_block_frames(b))
            if n > 0, var frame = qfp_block_first_frame(b) {
                for i in 0..<n {
                    take(frame)
                    if i &+ 1 < n { guard let next = qfp_frame_next(frame) else { break }; frame = next }
                }
            }
            // Release (in the shim): our reads of the block are done before the kernel reuses it.
            qfp_block_release(b)
            block = block &+ 1 == blockCount ? 0 : block &+ 1
            frames &+= n
        }
        flushReceived()
        return frames
    }

    /// One frame: counted, then skipped or copied into a buffer of the burst.
    mutating func take(_ frame: UnsafeRawPointer) {
        if qfp_frame_is_outgoing(frame) != 0 { return }
        guard let data = qfp_frame_data(frame) else { return }
        let length = Int(qfp_frame_length(frame))
        statistics.add(.framesReceived, 1)
        statistics.add(.octetsReceived, UInt64(length))
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        if learn && length >= 12 { learnPeer(UnsafeRawPointer(data)) }
        let payload: LinkPayload
        do {
            payload = try LinkType.ethernet.payload(of: bytes)
        } catch {
            statistics.add(.undecodable, 1)
            return
        }
        guard case let .ip(_, range) = payload else {
            statistics.add(.notIP, 1)
            return
        }
        guard range.count <= PacketBuffer.maximumLength, Int(qfp_frame_wire_length(frame)) <= length else {
            statistics.add(.oversize, 1)
            return
        }
        if filled == available && !refill() {
            statistics.add(.noBuffer, 1)
            return
        }
        let b = directory.buffer(handles[filled])
        b.reset(length: range.count, inputInterface: inputInterface, timestamp: now)
        if range.count > 0 { b.data.copyMemory(from: UnsafeRawPointer(data) + range.lowerBound, byteCount: range.count) }
        filled &+= 1
        statistics.add(.injected, 1)
    }

    /// Makes an empty buffer available: sends a full burst first, then allocates. False when
    /// the pool has none.
    mutating func refill() -> Bool {
        if available == burst {
            source.send(handles, count: filled)
            filled = 0
            available = 0
        }
        available &+= source.allocate(into: handles + available, maximum: burst &- available)
        return available > filled
    }

    /// Sends the datagrams of the burst and gives back the buffers not filled.
    mutating func flushReceived() {
        if filled > 0 { source.send(handles, count: filled) }
        if available > filled { source.free(handles + filled, count: available &- filled) }
        filled = 0
        available = 0
    }

    /// Takes the frame's source address as the destination of what the port sends.
    @inline(__always)
    func learnPeer(_ frame: UnsafeRawPointer) {
        let high = frame.loadUnaligned(fromByteOffset: 6, as: UInt32.self)
        let low = frame.loadUnaligned(fromByteOffset: 10, as: UInt16.self)
        if header.load(as: UInt32.self) != high || header.load(fromByteOffset: 4, as: UInt16.self) != low {
            header.storeBytes(of: high, as: UInt32.self)
            header.storeBytes(of: low, toByteOffset: 4, as: UInt16.self)
        }
    }

    /// Sends everything the workers forwarded. Returns packets taken off the transmit rings.
    mutating func transmitPending() -> Int {
        var total = 0
        for rings in transmit {
            while true {
                // Acquire (in the ring) pairs with the worker's release on enqueue.
                let n = rings.sent.dequeueBurst(into: transmitHandles, maximum: burst)
                if n == 0 { break }
                var sent: UInt64 = 0, octets: UInt64 = 0
                for k in 0..<n {
                    let frameLength = transmitOne(directory.buffer(transmitHandles[k]))
                    if frameLength > 0 { sent &+= 1; octets &+= UInt64(frameLength) }
                }
                statistics.add(.transmitted, sent)
                statistics.add(.octetsTransmitted, octets)
                statistics.add(.transmitErrors, UInt64(n) &- sent)
                // The completion ring is as deep as the transmit ring: it always takes them back.
                var done = 0
                while done < n { done &+= rings.completed.enqueueBurst(transmitHandles + done, count: n &- done) }
                total &+= n
            }
        }
        return total
    }

    /// Frames and sends one forwarded packet. Returns the frame's length, or 0 when it was
    /// not sent (empty, not IP, refused by the socket).
    func transmitOne(_ b: PacketBuffer) -> Int {
        let length = b.length
        guard length > 0, length <= PacketBuffer.size else { return 0 }
        let etherType: UInt16
        switch b.data.load(as: UInt8.self) >> 4 {
        case 4: etherType = 0x0800
        case 6: etherType = 0x86DD
        default: return 0
        }
        let frame: UnsafeMutableRawPointer
        if b.headroom >= Self.ethernetHeaderLength {
            frame = b.data - Self.ethernetHeaderLength
        } else {
            frame = scratch
            (scratch + Self.ethernetHeaderLength).copyMemory(from: b.data, byteCount: length)
        }
        frame.copyMemory(from: header, byteCount: 12)
        frame.storeBytes(of: etherType.bigEndian, toByteOffset: 12, as: UInt16.self)
        let frameLength = length &+ Self.ethernetHeaderLength
        return qfp_packet_send(fd, frame, frameLength) == 0 ? frameLength : 0
    }

    /// Adds the frames the kernel dropped for want of ring space since the last reading.
    func collectRingDrops() {
        statistics.add(.ringDrops, UInt64(qfp_packet_ring_drops(fd)))
    }
}
