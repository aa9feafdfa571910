import CPacket
import QFPCapture
import QFPDataplane

/// One port as the port thread sees it: its receive ring, its socket, its counters and the
/// Ethernet addresses of what it sends. Owned by the port thread alone.
struct PortSide {
    let fd: Int32
    let ringBase: UnsafeMutableRawPointer
    let blockSize: Int
    let blockCount: Int
    /// The next block of the ring to look at.
    var block = 0
    let statistics: PortStatistics
    /// The input-interface index stamped on what this port receives.
    let inputInterface: UInt16
    /// Destination (learned or configured) then source address: the first 12 bytes of every
    /// frame this port transmits.
    let header: UnsafeMutableRawPointer
    let learn: Bool

    init(fd: Int32, ringBase: UnsafeMutableRawPointer, blockSize: Int, blockCount: Int, statistics: PortStatistics,
         inputInterface: UInt16, source: MACAddress, destination: MACAddress?) {
        self.fd = fd
        self.ringBase = ringBase
        self.blockSize = blockSize
        self.blockCount = blockCount
        self.statistics = statistics
        self.inputInterface = inputInterface
        learn = destination == nil
        header = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
        let bytes = (destination ?? .broadcast).octets + source.octets
        for i in 0..<12 { header.storeBytes(of: bytes[i], toByteOffset: i, as: UInt8.self) }
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
}

/// The port thread's state and loop: owned by that thread alone. One thread serves every port
/// round-robin: it walks each port's receive ring into one `PacketSource`, and drains the
/// workers' transmit rings (each has a single consumer, so one thread must serve them all),
/// sending each packet out of the port `egress` picks. A port whose interface is shut down
/// takes nothing in and sends nothing out.
struct PortLoop: @unchecked Sendable {
    var source: PacketSource
    let sides: UnsafeMutablePointer<PortSide>
    let sideCount: Int
    /// The sockets, for `poll(2)` when idle.
    let fds: UnsafeMutablePointer<Int32>
    /// The table in use, and its generation in `publication` (looked at once per loop).
    var egress: EgressTable
    var egressGeneration: UInt64 = 0
    let publication: EgressPublication
    let directory: BufferDirectory
    let clock: CoarseClock
    let stop: StopFlag
    let transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)]
    let burst: Int
    /// A frame for packets with less headroom than an Ethernet header.
    let scratch: UnsafeMutableRawPointer
    /// Receive burst: `handles[0..<filled]` hold datagrams, `handles[filled..<available]` are
    /// allocated and empty.
    let handles: UnsafeMutablePointer<PacketHandle>
    let transmitHandles: UnsafeMutablePointer<PacketHandle>
    var filled = 0
    var available = 0
    var now: UInt64 = 0

    static let ethernetHeaderLength = 14

    /// A loop over several ports (`sides`, in port order; `egress` numbers them the same way).
    init(source: PacketSource, sides: [PortSide], egress: EgressPublication, directory: BufferDirectory, clock: CoarseClock,
         stop: StopFlag, transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)], burst: Int,
         scratch: UnsafeMutableRawPointer) {
        precondition(!sides.isEmpty, "a port loop needs a port")
        self.source = source
        sideCount = sides.count
        self.sides = .allocate(capacity: sides.count)
        self.sides.initialize(from: sides, count: sides.count)
        fds = .allocate(capacity: sides.count)
        for (i, side) in sides.enumerated() { fds[i] = side.fd }
        publication = egress
        let first = egress.current(after: 0)!
        self.egress = first.table
        egressGeneration = first.generation
        self.directory = directory
        self.clock = clock
        self.stop = stop
        self.transmit = transmit
        self.burst = burst
        self.scratch = scratch
        handles = .allocate(capacity: burst)
        transmitHandles = .allocate(capacity: burst)
    }

    /// A loop over one port: every forwarded packet leaves by it.
    init(source: PacketSource, fd: Int32, ringBase: UnsafeMutableRawPointer, blockSize: Int, blockCount: Int,
         directory: BufferDirectory, clock: CoarseClock, statistics: PortStatistics, stop: StopFlag,
         transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)], burst: Int,
         inputInterface: UInt16, source sourceAddress: MACAddress, destination: MACAddress?,
         scratch: UnsafeMutableRawPointer) {
        let side = PortSide(fd: fd, ringBase: ringBase, blockSize: blockSize, blockCount: blockCount, statistics: statistics,
                            inputInterface: inputInterface, source: sourceAddress, destination: destination)
        self.init(source: source, sides: [side], egress: EgressPublication(EgressTable(interfaces: [inputInterface])), directory: directory,
                  clock: clock, stop: stop, transmit: transmit, burst: burst, scratch: scratch)
    }

    /// Receives and transmits until asked to stop; sleeps in `poll(2)` (1 ms at most, so that
    /// forwarded packets do not wait longer) when neither side had work.
    mutating func run() {
        while !stop.value.load(ordering: .acquiring) {
            takeNewEgress()
            let received = receive()
            let sent = transmitPending()
            if received == 0 && sent == 0 {
                collectRingDrops()
                _ = qfp_packet_poll_many(fds, Int32(sideCount), 1)
            }
        }
        // A last pass: blocks already handed over and packets already forwarded.
        _ = receive()
        _ = transmitPending()
        collectRingDrops()
    }

    /// Frees the loop's own memory (after `run`).
    func finish() {
        for i in 0..<sideCount { sides[i].header.deallocate() }
        sides.deinitialize(count: sideCount)
        sides.deallocate()
        fds.deallocate()
        handles.deallocate()
        transmitHandles.deallocate()
    }

    /// Walks every block each port's kernel ring handed over, then sends what it filled.
    /// Returns frames seen.
    mutating func receive() -> Int {
        var frames = 0
        now = clock.now
        var p = 0
        while p < sideCount {
            frames &+= receive(port: p)
            p &+= 1
        }
        flushReceived()
        return frames
    }

    /// Switches to the newest egress table when the control plane published one.
    @inline(__always)
    mutating func takeNewEgress() {
        if let next = publication.current(after: egressGeneration) {
            egress = next.table
            egressGeneration = next.generation
        }
    }

    mutating func receive(port p: Int) -> Int {
        var frames = 0
        while true {
            let side = sides + p
            let b = side.pointee.ringBase + side.pointee.block &* side.pointee.blockSize
            // Acquire (in the shim) pairs with the kernel's release of the block to user space.
            guard qfp_block_ready(b) != 0 else { break }
            let n = Int(qfp_block_frames(b))
            if n > 0, var frame = qfp_block_first_frame(b) {
                for i in 0..<n {
                    take(frame, port: p)
                    if i &+ 1 < n { guard let next = qfp_frame_next(frame) else { break }; frame = next }
                }
            }
            // Release (in the shim): our reads of the block are done before the kernel reuses it.
            qfp_block_release(b)
            side.pointee.block = side.pointee.block &+ 1 == side.pointee.blockCount ? 0 : side.pointee.block &+ 1
            frames &+= n
        }
        return frames
    }

    /// One frame: counted, then skipped or copied into a buffer of the burst.
    mutating func take(_ frame: UnsafeRawPointer, port p: Int) {
        if qfp_frame_is_outgoing(frame) != 0 { return }
        // A shut-down interface receives nothing: the frame is skipped, not counted.
        if egress.isDown(p) { return }
        guard let data = qfp_frame_data(frame) else { return }
        let side = sides[p]
        let statistics = side.statistics
        let length = Int(qfp_frame_length(frame))
        statistics.add(.framesReceived, 1)
        statistics.add(.octetsReceived, UInt64(length))
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        if side.learn && length >= 12 { side.learnPeer(UnsafeRawPointer(data)) }
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
        b.reset(length: range.count, inputInterface: side.inputInterface, timestamp: now)
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

    /// Sends everything the workers forwarded, each packet out of its egress port. Returns
    /// packets taken off the transmit rings.
    mutating func transmitPending() -> Int {
        var total = 0
        for rings in transmit {
            while true {
                // Acquire (in the ring) pairs with the worker's release on enqueue.
                let n = rings.sent.dequeueBurst(into: transmitHandles, maximum: burst)
                if n == 0 { break }
                for k in 0..<n {
                    let b = directory.buffer(transmitHandles[k])
                    let chosen = sideCount == 1 ? 0 : egressPort(b)
                    let port = chosen < 0 ? ~chosen : chosen
                    let side = sides[port]
                    if chosen < 0 || egress.isDown(port) {
                        side.statistics.add(.shutDown, 1)
                        continue
                    }
                    let frameLength = transmitOne(b, side: side)
                    if frameLength > 0 {
                        side.statistics.add(.transmitted, 1)
                        side.statistics.add(.octetsTransmitted, UInt64(frameLength))
                    } else {
                        side.statistics.add(.transmitErrors, 1)
                    }
                }
                // The completion ring is as deep as the transmit ring: it always takes them back.
                var done = 0
                while done < n { done &+= rings.completed.enqueueBurst(transmitHandles + done, count: n &- done) }
                total &+= n
            }
        }
        return total
    }

    @inline(__always)
    func egressPort(_ b: PacketBuffer) -> Int {
        let length = b.length
        guard length > 0 else { return egress.fallback(b.inputInterface) }
        let p = egress.port(data: UnsafeRawPointer(b.data), length: length, inputInterface: b.inputInterface)
        return p < sideCount && ~p < sideCount ? p : 0
    }

    /// Frames and sends one forwarded packet. Returns the frame's length, or 0 when it was
    /// not sent (empty, not IP, refused by the socket).
    func transmitOne(_ b: PacketBuffer, side: PortSide) -> Int {
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
        frame.copyMemory(from: side.header, byteCount: 12)
        frame.storeBytes(of: etherType.bigEndian, toByteOffset: 12, as: UInt16.self)
        let frameLength = length &+ Self.ethernetHeaderLength
        return qfp_packet_send(side.fd, frame, frameLength) == 0 ? frameLength : 0
    }

    /// Adds the frames each kernel ring dropped for want of space since the last reading.
    func collectRingDrops() {
        for i in 0..<sideCount { sides[i].statistics.add(.ringDrops, UInt64(qfp_packet_ring_drops(sides[i].fd))) }
    }
}
