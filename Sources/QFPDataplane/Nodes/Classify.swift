extension Worker {
    /// Stage 0: ask for every packet's first bytes (written by a source, often on another core).
    @inlinable @inline(__always)
    func prefetchPackets(_ n: Int) {
        for i in 0..<n { Prefetch.read(directory.buffer(scratch.handles[i]).base) }
    }

    /// Stage 1: parse outer headers; for ESP, hash the SPI-table key and prefetch its slot.
    @inlinable @inline(__always)
    mutating func classifyBurst(_ n: Int) {
        for i in 0..<n {
            let b = directory.buffer(scratch.handles[i])
            tally.receivedOctets &+= b.length
            Prefetch.read(b.data)
            let c = PacketClassifier.classify(b.data, length: b.length)
            scratch.classes[i] = c
            if c.kind == .esp || c.kind == .espInUDP {
                let h = table.hash(spi: c.spi, destination: c.destination)
                scratch.hashes[i] = h
                table.prefetch(hash: h)
            } else if c.kind == .clear, let spd = policies, let probe = spd.firstProbe(c) {
                scratch.hashes[i] = probe
                scratch.saSlots[i] = Self.probed
                spd.prefetchSlot(probe)
            } else {
                scratch.saSlots[i] = Self.noSA
            }
        }
    }
}
