import CPacket
import QFPDataplane
@testable import QFPPort
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The port thread's loop over a TPACKET_V3 block laid out in memory as the kernel lays it out,
/// into a real pipeline, and out through a datagram socket pair standing in for the packet
/// socket: every frame counted under one name, the pipeline offered exactly the IP datagrams,
/// forwarded packets framed with the learned peer address. No interface or privilege needed.
@Suite("Live ports: the receive and transmit loop over a synthetic ring")
struct PortLoopTests {
    static let blockSize = 1 << 16

    /// An IPv4/UDP datagram of `total` bytes with a correct header checksum.
    static func ipv4(total: Int, id: UInt16) -> [UInt8] {
        var p = [UInt8](repeating: 0, count: total)
        p[0] = 0x45
        p[2] = UInt8(total >> 8); p[3] = UInt8(total & 0xFF)
        p[4] = UInt8(id >> 8); p[5] = UInt8(id & 0xFF)
        p[8] = 64; p[9] = 17
        p[12...15] = [10, 0, 0, 1]; p[16...19] = [10, 1, 0, 1]
        var sum: UInt32 = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(p[i]) << 8 | UInt32(p[i + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        p[10] = UInt8(checksum >> 8); p[11] = UInt8(checksum & 0xFF)
        let udpLength = total - 20
        p[20...23] = [0x30, 0x39, 0x30, 0x39]
        p[24] = UInt8(udpLength >> 8); p[25] = UInt8(udpLength & 0xFF)
        return p
    }

    static let peer: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0B]
    static let own: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0A]

    static func ethernet(_ etherType: UInt16, _ payload: [UInt8], tags: [UInt16] = []) -> [UInt8] {
        var f = own + peer
        for tag in tags { f += [0x81, 0x00, UInt8(tag >> 8), UInt8(tag & 0xFF)] }
        return f + [UInt8(etherType >> 8), UInt8(etherType & 0xFF)] + payload
    }

    /// Writes one block: the block descriptor, then each frame (tpacket3_hdr, sockaddr_ll, the
    /// bytes at tp_mac), `wire` overriding tp_len for frames the ring cut, `outgoing` marking
    /// PACKET_OUTGOING.
    static func writeBlock(_ block: UnsafeMutableRawPointer, frames: [(bytes: [UInt8], wire: Int?, outgoing: Bool)]) {
        block.initializeMemory(as: UInt8.self, repeating: 0, count: blockSize)
        let first = 64
        block.storeBytes(of: UInt32(3), toByteOffset: 0, as: UInt32.self)               // version
        block.storeBytes(of: UInt32(frames.count), toByteOffset: 12, as: UInt32.self)   // num_pkts
        block.storeBytes(of: UInt32(first), toByteOffset: 16, as: UInt32.self)          // offset_to_first_pkt
        var offset = first
        let mac = 48 + 32
        for (i, frame) in frames.enumerated() {
            let f = block + offset
            let slot = (mac + frame.bytes.count + 15) / 16 * 16
            f.storeBytes(of: UInt32(i + 1 < frames.count ? slot : 0), toByteOffset: 0, as: UInt32.self)   // tp_next_offset
            f.storeBytes(of: UInt32(frame.bytes.count), toByteOffset: 12, as: UInt32.self)                 // tp_snaplen
            f.storeBytes(of: UInt32(frame.wire ?? frame.bytes.count), toByteOffset: 16, as: UInt32.self)   // tp_len
            f.storeBytes(of: UInt16(mac), toByteOffset: 24, as: UInt16.self)                               // tp_mac
            f.storeBytes(of: UInt8(frame.outgoing ? 4 : 0), toByteOffset: 48 + 10, as: UInt8.self)         // sll_pkttype
            frame.bytes.withUnsafeBytes { (f + mac).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            offset += slot
        }
        // Hand the block to "user space" last, as the kernel does.
        block.storeBytes(of: UInt32(TP_STATUS_USER), toByteOffset: 8, as: UInt32.self)
    }

    static func configuration(pool: Int) -> PipelineConfiguration {
        var c = PipelineConfiguration()
        c.workers = 1
        c.sources = 1
        c.inboundSAsPerWorker = 1024
        c.outboundSAs = 64
        c.bindings = 64
        c.sourcePoolBuffers = pool
        c.workerPoolBuffers = 64
        c.inputRingSlots = 256
        c.commandRingSlots = 64
        c.puntRingSlots = 64
        c.frameRingSlots = 16
        c.transmitRings = true
        c.transmitRingSlots = 256
        return c
    }

    /// A pipeline with one worker, a synthetic two-block ring and a port loop over it, sending
    /// through `fd` (a socket pair end, or -1 for a socket that refuses every frame).
    final class Fixture {
        let pipeline: Pipeline
        var worker: Worker
        let ring: UnsafeMutableRawPointer
        let scratch: UnsafeMutableRawPointer
        let statistics = PortStatistics()
        var loop: PortLoop
        static let blocks = 2

        init(pool: Int, fd: Int32, destination: MACAddress?) throws {
            pipeline = try Pipeline(PortLoopTests.configuration(pool: pool))
            worker = pipeline.takeWorker(0)
            ring = UnsafeMutableRawPointer.allocate(byteCount: Self.blocks * PortLoopTests.blockSize, alignment: 4096)
            // Zeroed as the kernel's ring is: every block belongs to the kernel until it says
            // otherwise (leftover bytes could look like TP_STATUS_USER).
            ring.initializeMemory(as: UInt8.self, repeating: 0, count: Self.blocks * PortLoopTests.blockSize)
            scratch = UnsafeMutableRawPointer.allocate(byteCount: PacketBuffer.size + 64, alignment: 64)
            guard let transmit = pipeline.transmitRings(ofWorker: 0) else { throw DataplaneError.outOfMemory(what: "transmit rings", bytes: 0) }
            loop = PortLoop(
                source: pipeline.takeSource(0), fd: fd, ringBase: ring, blockSize: PortLoopTests.blockSize, blockCount: Self.blocks,
                directory: pipeline.directory, clock: pipeline.clock, statistics: statistics, stop: StopFlag(),
                transmit: [transmit], burst: 32, inputInterface: 1,
                source: MACAddress(octets: PortLoopTests.own), destination: destination, scratch: scratch)
        }

        /// The ring's block `n`.
        func block(_ n: Int) -> UnsafeMutableRawPointer { ring + n * PortLoopTests.blockSize }

        deinit {
            loop.finish()
            ring.deallocate()
            scratch.deallocate()
        }
    }

    @Test("The shim reads the layout this test writes (the kernel's ABI)")
    func layout() {
        #expect(MemoryLayout<tpacket3_hdr>.size == 48)
        #expect(MemoryLayout<tpacket_block_desc>.size == 48)
    }

    @Test("Every frame counted under one name; the pipeline gets exactly the IP datagrams; forwarded packets leave framed")
    func conservation() throws {
        var sockets: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0, &sockets) == 0)
        defer { close(sockets[0]); close(sockets[1]) }
        let f = try Fixture(pool: 256, fd: sockets[0], destination: nil)
        defer { withExtendedLifetime(f) {} }   // `ring` is f's memory
        let (pipeline, ring, statistics) = (f.pipeline, f.ring, f.statistics)

        let small = Self.ipv4(total: 60, id: 1)
        let padded = Self.ipv4(total: 28, id: 2) + [UInt8](repeating: 0, count: 18)   // Ethernet padding
        let tagged = Self.ipv4(total: 100, id: 3)
        let qinq = Self.ipv4(total: 80, id: 4)
        Self.writeBlock(ring, frames: [
            (Self.ethernet(0x0800, small), nil, false),
            (Self.ethernet(0x0806, [UInt8](repeating: 0, count: 28)), nil, false),        // ARP: not IP
            ([0x01, 0x02, 0x03, 0x04, 0x05], nil, false),                                   // runt: undecodable
            (Self.ethernet(0x0800, padded), nil, false),
            (Self.own + Self.peer + [0x81, 0x00, 0x00], nil, false),                                  // cut VLAN tag: undecodable
            (Self.ethernet(0x0800, tagged, tags: [100]), nil, false),
            (Self.ethernet(0x0800, qinq, tags: [100, 200]), nil, false),
            (Self.ethernet(0x0800, Self.ipv4(total: 1900, id: 5)), nil, false),             // longer than a buffer
            (Self.ethernet(0x0800, small), 3000, false),                                     // cut by the ring
            (Self.ethernet(0x0800, small), nil, true),                                       // our own: skipped
            ([], nil, false),                                                                // empty: undecodable
        ])
        #expect(f.loop.receive() == 11)
        #expect(qfp_block_ready(ring) == 0, "the block went back to the kernel")

        let p = statistics.counters
        #expect(p.framesReceived == 10)
        #expect(p.injected == 4 && p.notIP == 1 && p.undecodable == 3 && p.oversize == 2 && p.noBuffer == 0)
        #expect(p.isConserved)
        #expect(pipeline.statistics.totals()[.offered] == 4)

        // The worker forwards them (no policy: in the clear); the loop frames and sends them.
        while f.worker.poll() > 0 {}
        #expect(f.loop.transmitPending() == 4)
        let q = statistics.counters
        #expect(q.transmitted == 4 && q.transmitErrors == 0)
        var lengths: [Int] = []
        var frame = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<4 {
            let n = recv(sockets[1], &frame, frame.count, Int32(MSG_DONTWAIT))
            try #require(n > 14)
            #expect(Array(frame[0..<6]) == Self.peer, "destination: the learned peer (the frames' source)")
            #expect(Array(frame[6..<12]) == Self.own)
            #expect(frame[12] == 0x08 && frame[13] == 0x00)
            lengths.append(n - 14)
        }
        #expect(lengths == [60, 28, 100, 80], "Ethernet padding and VLAN tags stripped")
        #expect(q.octetsTransmitted == UInt64(60 + 28 + 100 + 80 + 4 * 14))

        // Every buffer comes back once the worker reclaims the completions.
        while f.worker.poll() > 0 {}
        _ = f.worker.poll()
        f.loop.source.reclaim()
        #expect(f.loop.source.freeBuffers == 256)
        let totals = pipeline.statistics.totals()
        #expect(totals[.offered] == totals.accountedFor)
    }

    @Test("shutdown at run time: a new egress table reaches the running loop; a down port takes nothing in and sends nothing out; old tables are freed")
    func shutdownAtRunTime() throws {
        var sockets: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0, &sockets) == 0)
        defer { close(sockets[0]); close(sockets[1]) }
        let f = try Fixture(pool: 256, fd: sockets[0], destination: nil)
        defer { withExtendedLifetime(f) {} }   // `ring` is f's memory
        let (pipeline, ring, statistics) = (f.pipeline, f.ring, f.statistics)
        let frames: [(bytes: [UInt8], wire: Int?, outgoing: Bool)] = [
            (Self.ethernet(0x0800, Self.ipv4(total: 60, id: 1)), nil, false),
            (Self.ethernet(0x0800, Self.ipv4(total: 70, id: 2)), nil, false),
        ]

        // Shut down: the frames are walked (the block goes back to the kernel) but not taken in.
        f.loop.publication.publish(EgressTable(interfaces: [1], down: [0]))
        f.loop.takeNewEgress()
        Self.writeBlock(ring, frames: frames)
        #expect(f.loop.receive() == 2)
        #expect(qfp_block_ready(ring) == 0, "the block went back to the kernel")
        #expect(statistics.counters.framesReceived == 0 && statistics.counters.injected == 0)
        #expect(pipeline.statistics.totals()[.offered] == 0)

        // Up again: taken in and forwarded by the worker; shut before the loop sends them.
        f.loop.publication.publish(EgressTable(interfaces: [1]))
        f.loop.takeNewEgress()
        Self.writeBlock(f.block(1), frames: frames)
        #expect(f.loop.receive() == 2)
        #expect(statistics.counters.injected == 2)
        while f.worker.poll() > 0 {}
        f.loop.publication.publish(EgressTable(interfaces: [1], down: [0]))
        f.loop.takeNewEgress()
        #expect(f.loop.transmitPending() == 2)
        var q = statistics.counters
        #expect(q.shutDown == 2 && q.transmitted == 0 && q.transmitErrors == 0)
        var frame = [UInt8](repeating: 0, count: 4096)
        #expect(recv(sockets[1], &frame, frame.count, Int32(MSG_DONTWAIT)) < 0, "nothing left by a shut-down port")

        // Up once more: the next forwarded packets leave.
        f.loop.publication.publish(EgressTable(interfaces: [1]))
        f.loop.takeNewEgress()
        Self.writeBlock(ring, frames: frames)
        #expect(f.loop.receive() == 2)
        while f.worker.poll() > 0 {}
        #expect(f.loop.transmitPending() == 2)
        q = statistics.counters
        #expect(q.transmitted == 2 && q.shutDown == 2)
        #expect(recv(sockets[1], &frame, frame.count, Int32(MSG_DONTWAIT)) == 14 + 60)

        // Every buffer comes back; conservation holds across the changes.
        while f.worker.poll() > 0 {}
        _ = f.worker.poll()
        f.loop.source.reclaim()
        #expect(f.loop.source.freeBuffers == 256)
        let totals = pipeline.statistics.totals()
        #expect(totals[.offered] == 4 && totals[.offered] == totals.accountedFor)
        // Replaced tables the loop moved past are freed at the next publication.
        for _ in 0..<5 {
            f.loop.publication.publish(EgressTable(interfaces: [1]))
            f.loop.takeNewEgress()
        }
        #expect(f.loop.publication.heldCount <= 2)
    }

    @Test("Withdrawn routes come after every live route, and mean drop (~port)")
    func withdrawnRoutes() throws {
        let table = EgressTable(
            routes: [EgressTable.Route(prefix: try #require(IPPrefix(IPAddress(ipv4: 0x0A00_0000), length: 8)), port: 0)],
            interfaces: [1, 2], down: [1],
            withdrawn: [EgressTable.Route(prefix: try #require(IPPrefix(IPAddress(ipv4: 0x0A01_0000), length: 16)), port: 1),
                        EgressTable.Route(prefix: try #require(IPPrefix(IPAddress(ipv4: 0xAC10_0000), length: 12)), port: 1)])
        func port(_ destination: [UInt8]) -> Int {
            var p = Self.ipv4(total: 40, id: 1)
            p[16...19] = destination[0...3]
            return p.withUnsafeBytes { table.port(data: $0.baseAddress!, length: 40, inputInterface: 2) }
        }
        #expect(port([10, 1, 2, 3]) == 0, "a live /8 wins over a longer withdrawn /16")
        #expect(port([172, 16, 0, 1]) == ~1, "only a withdrawn route: dropped, counted on port 1")
        #expect(port([192, 168, 0, 1]) == 1, "no route at all: the port it came in by")
        #expect(table.isDown(1) && !table.isDown(0) && !table.isDown(63) && !table.isDown(64))
    }

    @Test("A table published while the loop has not looked yet stays held until it has")
    func publicationHoldsUntilAcknowledged() {
        let publication = EgressPublication(EgressTable(interfaces: [1]))
        let first = publication.current(after: 0)
        #expect(first?.generation == 1)
        #expect(publication.current(after: 1) == nil, "nothing new")
        publication.publish(EgressTable(interfaces: [1], down: [0]))
        publication.publish(EgressTable(interfaces: [1]))
        #expect(publication.heldCount == 3, "the reader still uses generation 1: nothing freed")
        let next = publication.current(after: 1)
        #expect(next?.generation == 3 && next?.table.isDown(0) == false)
        publication.publish(EgressTable(interfaces: [1], down: [0]))
        #expect(publication.heldCount == 2, "generations 1 and 2 freed; 3 (in use) and 4 held")
    }

    @Test("An empty pool: the rest of the burst counted as noBuffer, conservation holds; blocks wrap around the ring")
    func noBuffer() throws {
        let f = try Fixture(pool: 32, fd: -1, destination: MACAddress(octets: Self.peer))
        defer { withExtendedLifetime(f) {} }   // `ring` is f's memory
        let (pipeline, ring, statistics) = (f.pipeline, f.ring, f.statistics)
        let frames = (0..<40).map { (Self.ethernet(0x0800, Self.ipv4(total: 64, id: UInt16($0))), Int?.none, false) }
        Self.writeBlock(ring, frames: frames)
        #expect(f.loop.receive() == 40)
        var p = statistics.counters
        #expect(p.framesReceived == 40 && p.injected == 32 && p.noBuffer == 8 && p.isConserved)
        #expect(pipeline.statistics.totals()[.offered] == 32)

        // The worker forwards; the socket (fd -1) refuses every frame: counted, buffers returned.
        while f.worker.poll() > 0 {}
        #expect(f.loop.transmitPending() == 32)
        p = statistics.counters
        #expect(p.transmitted == 0 && p.transmitErrors == 32)
        _ = f.worker.poll()

        // The second block, then the first again.
        for b in [1, 0] {
            Self.writeBlock(f.block(b), frames: Array(frames.prefix(10)))
            #expect(f.loop.receive() == 10)
        }
        p = statistics.counters
        #expect(p.framesReceived == 60 && p.injected == 52 && p.noBuffer == 8 && p.isConserved)
        #expect(pipeline.statistics.totals()[.offered] == 52)
    }
}
