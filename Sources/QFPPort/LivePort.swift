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
    /// Several ports share one thread through `PortGroup`.
    public func start(pipeline: Pipeline, source: PacketSource, cpu: Int? = nil,
                      topology: NUMATopology = .current) throws(DataplaneError) {
        precondition(thread == nil, "port \(configuration.device) was already started")
        thread = try PortGroup.startThread(
            ports: [self], egress: EgressPublication(EgressTable(interfaces: [configuration.inputInterface])), pipeline: pipeline,
            source: source, stop: stopFlag, scratch: scratch, cpu: cpu ?? configuration.cpu, topology: topology)
    }

    /// This port as the port thread sees it.
    func side() -> PortSide {
        guard let base = ring.ring else { preconditionFailure("port \(configuration.device) is closed") }
        return PortSide(fd: ring.fd, ringBase: base, blockSize: Int(ring.block_size), blockCount: Int(ring.block_count),
                        statistics: statistics, inputInterface: configuration.inputInterface,
                        source: configuration.sourceMAC ?? interfaceAddress, destination: configuration.destinationMAC)
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

