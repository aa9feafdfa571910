import QFPDataplane
import Synchronization

/// Core-to-core SPSC ring throughput, measured like the DPDK peer (`ring_xcore.c`): a producer
/// thread on one CPU pushes sequence numbers in bursts through a 4096-slot ring, the consumer
/// on another CPU checks their order; the figure is the median over 64K-element chunks, which
/// filters out time slices lost to other tenants of a shared VM.
public enum RingBenchmark {
    public struct Result: Sendable {
        /// Median ns per element over chunks.
        public var medianNanosecondsPerElement: Double
        /// Fastest chunk.
        public var bestNanosecondsPerElement: Double
        /// Mean over the whole run.
        public var meanNanosecondsPerElement: Double
        public var elements: Int
        public var burst: Int
        public var elementBytes: Int
        public var inOrder: Bool
    }

    static let chunk = 1 << 16

    /// Element types measured: the pipeline's 4-byte buffer handles, and 8-byte words (the size
    /// of the pointers `rte_ring` moves).
    public enum Element: Sendable {
        case handle, word
    }

    /// Moves `elements` values in bursts of `burst` from `producerCPU` to `consumerCPU`.
    public static func run(_ element: Element, elements: Int = 1 << 22, burst: Int = 32,
                           producerCPU: Int? = nil, consumerCPU: Int? = nil,
                           topology: NUMATopology = .current) throws -> Result {
        switch element {
        case .handle:
            try measure(UInt32.self, elements: elements, burst: burst, producerCPU: producerCPU,
                        consumerCPU: consumerCPU, topology: topology)
        case .word:
            try measure(UInt64.self, elements: elements, burst: burst, producerCPU: producerCPU,
                        consumerCPU: consumerCPU, topology: topology)
        }
    }

    // Internal and generic: specialised per element type within this module.
    static func measure<T: FixedWidthInteger & BitwiseCopyable & Sendable>(
        _ type: T.Type, elements: Int, burst: Int, producerCPU: Int?, consumerCPU: Int?, topology: NUMATopology
    ) throws -> Result {
        let cpus = topology.allowedCPUs
        let producerOn = producerCPU ?? cpus[min(1, cpus.count - 1)]
        let consumerOn = consumerCPU ?? cpus[0]
        let ring = try SPSCRing<T>(minimumCapacity: 4096, node: topology.node(ofCPU: consumerOn))
        defer { ring.deallocate() }
        let go = Atomic<Bool>(false)
        let box = ResultBox()
        try withExtendedLifetime(go) {
            let consumer = try PinnedThread.start(name: "ring-consumer", cpu: consumerOn, topology: topology) { [box] in
                let buffer = UnsafeMutablePointer<T>.allocate(capacity: burst)
                let chunks = UnsafeMutablePointer<UInt64>.allocate(capacity: elements / chunk + 2)
                defer { buffer.deallocate(); chunks.deallocate() }
                var received = 0
                var inOrder = true
                var chunkCount = 0
                // Acquiring: pairs with the main thread's releasing store of `go`.
                while !go.load(ordering: .acquiring) { CPU.relax() }
                let start = MonotonicClock.nanoseconds()
                var last = start
                var mark = chunk
                while received < elements {
                    let n = ring.dequeueBurst(into: buffer, maximum: burst)
                    if n == 0 {
                        CPU.relax()
                        continue
                    }
                    for i in 0..<n where buffer[i] != T(truncatingIfNeeded: received &+ i) { inOrder = false }
                    received &+= n
                    if received >= mark {
                        let now = MonotonicClock.nanoseconds()
                        chunks[chunkCount] = now &- last
                        chunkCount &+= 1
                        last = now
                        mark &+= chunk
                    }
                }
                let end = MonotonicClock.nanoseconds()
                let sorted = (0..<chunkCount).map { chunks[$0] }.sorted()
                box.set(Result(
                    medianNanosecondsPerElement: Double(sorted[sorted.count / 2]) / Double(chunk),
                    bestNanosecondsPerElement: Double(sorted[0]) / Double(chunk),
                    meanNanosecondsPerElement: Double(end - start) / Double(elements),
                    elements: elements, burst: burst, elementBytes: MemoryLayout<T>.size, inOrder: inOrder))
            }
            let producer = try PinnedThread.start(name: "ring-producer", cpu: producerOn, topology: topology) {
                let buffer = UnsafeMutablePointer<T>.allocate(capacity: burst)
                defer { buffer.deallocate() }
                var sent = 0
                while !go.load(ordering: .acquiring) { CPU.relax() }
                while sent < elements {
                    let want = min(burst, elements &- sent)
                    for i in 0..<want { buffer[i] = T(truncatingIfNeeded: sent &+ i) }
                    var done = 0
                    while done < want {
                        let k = ring.enqueueBurst(buffer + done, count: want &- done)
                        if k == 0 { CPU.relax() }
                        done &+= k
                    }
                    sent &+= want
                }
            }
            // Releasing: pairs with both threads' acquiring loads.
            go.store(true, ordering: .releasing)
            producer.join()
            consumer.join()
        }
        return box.get()!
    }

    final class ResultBox: Sendable {
        private let value = Mutex<Result?>(nil)
        func set(_ r: Result) { value.withLock { $0 = r } }
        func get() -> Result? { value.withLock { $0 } }
    }
}
