import QFPDataplane

/// Several live ports served by one port thread: `qfp run` with more than one interface mapped
/// to a Linux device.
///
/// One thread, not one per port: the workers' transmit rings are single-consumer, so one thread
/// must drain them whatever the number of ports, and on a small machine (2 vCPUs) a thread per
/// port would take cores from the workers. The thread walks the ports round-robin — every block
/// each ring handed over, port after port — into one `PacketSource`, stamps each datagram with
/// its port's input-interface index, and sends each forwarded packet out of the port `egress`
/// picks. Each port keeps its own socket, TPACKET_V3 ring and `PortStatistics`.
public final class PortGroup: @unchecked Sendable {
    /// The ports, in the order `egress` numbers them.
    public let ports: [LivePort]
    let egress: EgressPublication
    private var thread: PinnedThread?
    private let stopFlag = StopFlag()
    private let scratch: UnsafeMutableRawPointer

    public init(ports: [LivePort], egress: EgressTable) {
        precondition(!ports.isEmpty && ports.count <= 64, "a port group has 1 to 64 ports")
        self.ports = ports
        self.egress = EgressPublication(egress)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: PacketBuffer.size + 64, alignment: 64)
    }

    /// Starts the thread: receives into `source` (one of `pipeline`'s sources) from every port,
    /// and transmits what the workers forward. Pinned to `cpu` when given. Once per group.
    public func start(pipeline: Pipeline, source: PacketSource, cpu: Int? = nil,
                      topology: NUMATopology = .current) throws(DataplaneError) {
        precondition(thread == nil, "the port group was already started")
        thread = try Self.startThread(ports: ports, egress: egress, pipeline: pipeline, source: source, stop: stopFlag,
                                      scratch: scratch, cpu: cpu, topology: topology)
    }

    /// Replaces the egress table (after a configuration change: routes, addresses, `shutdown`).
    /// The port thread takes it at its next loop, without a lock; packets already being sent
    /// finish by the old one. Any thread.
    public func update(egress table: EgressTable) {
        egress.publish(table)
    }

    /// Stops the thread after a last pass over the receive rings and the transmit rings. The
    /// sockets stay open until the ports are deinitialised.
    public func stop() {
        stopFlag.value.store(true, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    deinit {
        stop()
        scratch.deallocate()
    }

    /// The thread of one port (`LivePort.start`) or of a group.
    static func startThread(ports: [LivePort], egress: EgressPublication, pipeline: Pipeline, source: PacketSource,
                            stop: StopFlag, scratch: UnsafeMutableRawPointer, cpu: Int?,
                            topology: NUMATopology) throws(DataplaneError) -> PinnedThread {
        var transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)] = []
        for w in 0..<pipeline.configuration.workers {
            if let rings = pipeline.transmitRings(ofWorker: w) { transmit.append(rings) }
        }
        let loop = PortLoop(
            source: source, sides: ports.map { $0.side() }, egress: egress, directory: pipeline.directory,
            clock: pipeline.clock, stop: stop, transmit: transmit, burst: ports[0].configuration.burstSize, scratch: scratch)
        let name = String(("qfp-port-" + (ports.count == 1 ? ports[0].configuration.device : "\(ports.count)")).prefix(15))
        return try PinnedThread.start(name: name, cpu: cpu, topology: topology) {
            var l = loop
            l.run()
            l.finish()
        }
    }
}
