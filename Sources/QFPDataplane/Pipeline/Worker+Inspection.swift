extension Worker {
    /// Looks up `count` (SPI, destination) keys in this worker's table the way a burst does —
    /// hash and prefetch every key first, then probe — writing slots (or `UInt32.max`) to
    /// `results`. For benchmarks and tests; the owning thread only.
    @inlinable
    public func lookupBurst(spis: UnsafePointer<UInt32>, destination: IPAddress, count: Int,
                            hashes: UnsafeMutablePointer<UInt32>, results: UnsafeMutablePointer<UInt32>) {
        for i in 0..<count {
            let h = table.hash(spi: spis[i], destination: destination)
            hashes[i] = h
            table.prefetch(hash: h)
        }
        for i in 0..<count {
            let sa = table.candidate(spi: spis[i], destination: destination, hash: hashes[i]) ?? .max
            results[i] = sa
            if sa != .max { Prefetch.read(inbound.entry(sa).base) }
        }
        for i in 0..<count where results[i] != .max && !table.confirm(results[i], destination: destination) {
            results[i] = table.lookup(spi: spis[i], destination: destination, hash: hashes[i]) ?? .max
        }
    }

    /// Applies pending control commands now (owning thread only); for set-up loops that
    /// install many SAs before traffic starts.
    public mutating func applyPendingCommands() {
        applyCommands(limit: .max)
    }
}

extension Worker {
    /// Whether this worker opens inbound packets through a crypto burst engine (the provider
    /// made one and the worker applied `setCryptoBurst`).
    public var hasCryptoBurstEngine: Bool { cryptoBurst != nil }

    /// Installed inbound SAs whose packets the burst engine opens (0 without an engine).
    public var burstEngineSAs: Int { burstSAs }
}
