/// Sizes and policies of a pipeline. Defaults suit `qfp run` on a small machine; every size is
/// a count of items, rounded up to a power of two where a ring or table needs one.
public struct PipelineConfiguration: Sendable, Equatable {
    /// Worker threads (each owns a shard of the inbound SAs).
    public var workers: Int = 2
    /// Packet sources (generator threads, capture readers); each gets a pool and one input
    /// ring per worker.
    public var sources: Int = 1
    /// Source `i` runs on worker `i`'s thread and shares its counters and node (sources ==
    /// workers): the run-to-completion layout of the throughput benchmark.
    public var colocatedSources: Bool = false
    /// Inbound SAs each worker can hold.
    public var inboundSAsPerWorker: Int = 1 << 20
    /// Outbound SAs (shared by all workers).
    public var outboundSAs: Int = 1 << 16
    /// Policy bindings (protect policies' SA references).
    public var bindings: Int = 1 << 16
    /// Buffers per source pool.
    public var sourcePoolBuffers: Int = 8192
    /// Buffers per worker pool (worker-originated packets).
    public var workerPoolBuffers: Int = 256
    /// Slots per worker input ring (per source).
    public var inputRingSlots: Int = 4096
    /// Slots per worker command ring.
    public var commandRingSlots: Int = 4096
    /// Slots per worker punt ring.
    public var puntRingSlots: Int = 4096
    /// Slots per worker IKE frame ring.
    public var frameRingSlots: Int = 64
    /// Slots of each worker's drop-capture ring (0: no drop capture).
    public var dropCaptureRingSlots: Int = 0
    /// Packets per burst taken off an input ring (32–256).
    public var burstSize: Int = 32
    /// Give each worker a transmit ring (and completion ring) instead of releasing
    /// forwarded packets at once.
    public var transmitRings: Bool = false
    /// Slots per transmit ring.
    public var transmitRingSlots: Int = 4096
    /// Invalid-SPI and acquire records each worker may punt per second, and burst.
    public var puntRatePerSecond: UInt64 = 1000
    public var puntBurst: UInt64 = 200
    /// CPUs to pin workers to, in order; nil = the allowed CPUs round-robin.
    public var cpus: [Int]? = nil

    public init() {}

    func validate() throws(DataplaneError) {
        guard (1...64).contains(workers) else { throw .invalidConfiguration("workers \(workers) not in 1...64") }
        guard (0...64).contains(sources) else { throw .invalidConfiguration("sources \(sources) not in 0...64") }
        if colocatedSources && sources != workers {
            throw .invalidConfiguration("co-located sources need sources == workers (\(sources) != \(workers))")
        }
        guard (32...BurstScratch.maximumBurst).contains(burstSize) else {
            throw .invalidConfiguration("burst size \(burstSize) not in 32...\(BurstScratch.maximumBurst)")
        }
        guard inboundSAsPerWorker <= SPITable.maximumCapacity else {
            throw .invalidConfiguration("inbound SAs per worker \(inboundSAsPerWorker) above \(SPITable.maximumCapacity)")
        }
        guard inboundSAsPerWorker >= 1, outboundSAs >= 1, bindings >= 1 else {
            throw .invalidConfiguration("SA and binding capacities must be positive")
        }
        guard sources + workers <= BufferDirectory.maximumPools else {
            throw .invalidConfiguration("too many pools (\(sources + workers))")
        }
        guard sourcePoolBuffers >= burstSize, workerPoolBuffers >= 1 else {
            throw .invalidConfiguration("pools must hold at least one burst")
        }
    }
}
