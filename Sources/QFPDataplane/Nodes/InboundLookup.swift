extension Worker {
    /// `saSlots` marker: no SA has this (SPI, destination).
    @usableFromInline static var noSA: UInt32 { .max }
    /// `saSlots` marker: SPI 0–255, reserved by RFC 4303 and never looked up.
    @usableFromInline static var reservedSPI: UInt32 { .max - 1 }
    /// `saSlots` marker of a clear packet whose policy probe is in `hashes` (stage 1).
    @usableFromInline static var probed: UInt32 { .max - 2 }

    /// Stage 2: SPI-table candidates for every ESP packet of the burst, from the table alone;
    /// prefetch each candidate's SA lines. `dispatch` confirms the destination there.
    @inlinable @inline(__always)
    func lookupBurst(_ n: Int) {
        // Clear packets: bring in the policy their probe lands on.
        if let spd = policies {
            for i in 0..<n where scratch.saSlots[i] == Self.probed { spd.prefetchPolicy(scratch.hashes[i]) }
        }
        for i in 0..<n {
            let c = scratch.classes[i]
            guard c.kind == .esp || c.kind == .espInUDP else { continue }
            if c.spi < ESPHeader.firstAssignableSPI {
                scratch.saSlots[i] = Self.reservedSPI
                continue
            }
            if let slot = table.candidate(spi: c.spi, destination: c.destination, hash: scratch.hashes[i]) {
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
