/// The same pipeline stepped by hand on the calling thread: one source, `workers` workers,
/// no threads. Tests inject packets, step bursts, program SAs through `control` and read the
/// counters, deterministically (swift-nio's `EmbeddedChannel` idea).
public final class ManualPipeline {
    public let pipeline: Pipeline
    public private(set) var workers: [Worker]
    public private(set) var source: PacketSource

    /// A manual pipeline. `configuration.sources` is forced to 1 and sources are not co-located.
    public init(_ configuration: PipelineConfiguration = ManualPipeline.smallConfiguration) throws(DataplaneError) {
        var c = configuration
        c.sources = 1
        c.colocatedSources = false
        let pipeline = try Pipeline(c)
        self.pipeline = pipeline
        workers = (0..<c.workers).map { pipeline.takeWorker($0) }
        source = pipeline.takeSource(0)
    }

    /// Small sizes for tests: 2 workers, 4096 SAs each, 1024 buffers, rings of 256.
    public static var smallConfiguration: PipelineConfiguration {
        var c = PipelineConfiguration()
        c.workers = 2
        c.inboundSAsPerWorker = 4096
        c.outboundSAs = 1024
        c.bindings = 1024
        c.sourcePoolBuffers = 1024
        c.workerPoolBuffers = 64
        c.inputRingSlots = 256
        c.commandRingSlots = 1024
        c.puntRingSlots = 256
        c.frameRingSlots = 16
        return c
    }

    public var control: DataplaneControl { pipeline.control }
    public var statistics: DropStatistics { pipeline.statistics }

    /// Publishes virtual time (nanoseconds) to the workers.
    public func setTime(_ nanoseconds: UInt64) { pipeline.clock.publish(nanoseconds) }

    /// Copies `packet` into a free buffer and sends it (steering, input ring). Returns false,
    /// sending nothing, when no buffer is free or the packet does not fit a buffer.
    @discardableResult
    public func inject(_ packet: [UInt8], inputInterface: UInt16 = 0) -> Bool {
        packet.withUnsafeBytes { inject($0, inputInterface: inputInterface) }
    }

    /// Copies `packet` into a free buffer and sends it; false when no buffer is free or the
    /// packet does not fit one.
    @discardableResult
    public func inject(_ packet: UnsafeRawBufferPointer, inputInterface: UInt16 = 0) -> Bool {
        guard packet.count <= PacketBuffer.maximumLength else { return false }
        var handle: PacketHandle = 0
        guard source.allocate(into: &handle, maximum: 1) == 1 else { return false }
        let b = source.buffer(handle)
        b.reset(length: packet.count, inputInterface: inputInterface, timestamp: pipeline.clock.now)
        if let base = packet.baseAddress { b.data.copyMemory(from: base, byteCount: packet.count) }
        source.send(&handle, count: 1)
        return true
    }

    /// Runs `body` with the source, to allocate, fill and send buffers directly (generators).
    public func withSource<R>(_ body: (inout PacketSource) throws -> R) rethrows -> R {
        try body(&source)
    }

    /// One poll of every worker. Returns packets processed.
    @discardableResult
    public func step() -> Int {
        var n = 0
        for i in workers.indices { n += workers[i].poll() }
        return n
    }

    /// Steps until every ring is empty and every command applied. Returns packets processed.
    @discardableResult
    public func drain() -> Int {
        var total = 0
        while true {
            let n = step()
            total += n
            if n == 0 && control.isQuiescent { break }
        }
        source.reclaim()
        return total
    }

    /// Packets waiting in worker `index`'s transmit ring (configured with `transmitRings`):
    /// their bytes, in order. Their buffers go back through the completion ring.
    public func takeTransmitted(worker index: Int) -> [[UInt8]] {
        guard let rings = pipeline.transmitRings(ofWorker: index) else { return [] }
        var out: [[UInt8]] = []
        while let h = rings.sent.dequeue() {
            let b = pipeline.directory.buffer(h)
            out.append(Array(UnsafeRawBufferPointer(start: b.data, count: b.length)))
            _ = rings.completed.enqueue(h)
        }
        return out
    }

    /// Free buffers at the source once everything returned (for leak checks).
    public var freeSourceBuffers: Int {
        source.reclaim()
        return source.freeBuffers
    }
}
