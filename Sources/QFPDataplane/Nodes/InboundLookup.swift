extension Worker {
    /// `saSlots` marker: no SA has this (SPI, destination).
    @usableFromInline static var noSA: UInt32 { .max }
    /// `saSlots` marker: SPI 0–255, reserved by RFC 4303 and never looked up.
    @usableFromInline static var reservedSPI: UInt32 { .max - 1 }

    /// Stage 2: SPI-table lookup for every ESP packet of the burst; prefetch the SA's lines.
    @inlinable @inline(__always)
    func lookupBurst(_ n: Int) {
        for i in 0..<n {
            let c = scratch.classes[i]
            guard c.kind == .esp || c.kind == .espInUDP else { continue }
            if c.spi < ESPHeader.firstAssignableSPI {
                scratch.saSlots[i] = Self.reservedSPI
                continue
            }
            if let slot = table.lookup(spi: c.spi, destination: c.destination, hash: scratch.hashes[i]) {
                scratch.saSlots[i] = slot
                let entry = inbound.entry(slot).base
                Prefetch.write(entry)
                Prefetch.write(entry + 64)
            } else {
                scratch.saSlots[i] = Self.noSA
            }
        }
    }
}
