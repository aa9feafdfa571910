import QFPDataplane

/// SPI-table lookup cost in a worker's table, as the data path does it: bursts of 32 random
/// installed (SPI, destination) keys, hashed and prefetched first, then probed — the method of
/// DPDK's `dpdk-test-sad` (precomputed random tuples, burst 32, all hits).
public enum LookupBenchmark {
    public struct Result: Sendable {
        public var securityAssociations: Int
        public var nanosecondsPerLookup: Double
        public var lookups: Int
        public var allFound: Bool
    }

    /// Installs `securityAssociations` SAs in one worker and times `lookups` lookups.
    public static func run(securityAssociations: Int, lookups: Int = 10_000_000, burst: Int = 32,
                           topology: NUMATopology = .current) throws -> Result {
        var c = PipelineConfiguration()
        c.workers = 1
        c.sources = 0
        c.inboundSAsPerWorker = securityAssociations
        c.outboundSAs = 16
        c.bindings = 16
        c.cpus = [topology.allowedCPUs[0]]
        let pipeline = try Pipeline(c, topology: topology)
        var worker = pipeline.takeWorker(0)
        let router = IPAddress(ipv4: 0xC000_0201)
        let spis = SPISequence(seed: 0x5AD).spis(count: securityAssociations).spis
        try BulkInstall.inbound(spis: spis, destination: router, control: pipeline.control) {
            worker.applyPendingCommands()
        }

        // Precomputed random keys (1M, or fewer for small tables), cycled through.
        var random = FastRandom(seed: 42)
        let keyCount = 1 << 20
        let keys = UnsafeMutablePointer<UInt32>.allocate(capacity: keyCount)
        let hashes = UnsafeMutablePointer<UInt32>.allocate(capacity: burst)
        let results = UnsafeMutablePointer<UInt32>.allocate(capacity: burst)
        defer { keys.deallocate(); hashes.deallocate(); results.deallocate() }
        for i in 0..<keyCount { keys[i] = spis[FastRandom.index(random.next(), below: spis.count)] }

        // One untimed pass warms caches and TLB the way a running worker has them.
        var missing = 0
        var offset = 0
        func pass(_ count: Int) {
            var done = 0
            while done < count {
                worker.lookupBurst(spis: keys + offset, destination: router, count: burst, hashes: hashes, results: results)
                for i in 0..<burst where results[i] == .max { missing &+= 1 }
                offset = (offset &+ burst) & (keyCount - 1)
                done &+= burst
            }
        }
        pass(min(lookups, keyCount))
        let start = MonotonicClock.nanoseconds()
        pass(lookups)
        let end = MonotonicClock.nanoseconds()
        return Result(securityAssociations: securityAssociations,
                      nanosecondsPerLookup: Double(end - start) / Double(lookups),
                      lookups: lookups, allFound: missing == 0)
    }
}
