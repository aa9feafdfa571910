extension Worker {
    /// Stage 3: sends packet `i` of the burst down its path. `batched`: the burst went through
    /// `openInboundBurst`, so `scratch.verdicts[i]` holds packet `i`'s crypto verdict.
    @inlinable @inline(__always)
    mutating func dispatch(_ i: Int, batched: Bool) {
        let handle = scratch.handles[i]
        let c = scratch.classes[i]
        switch c.kind {
        case .esp, .espInUDP:
            var slot = scratch.saSlots[i]
            if slot < Self.reservedSPI && !table.confirm(slot, destination: c.destination) {
                // Same SPI and fingerprint, other destination: the rare full lookup.
                slot = table.lookup(spi: c.spi, destination: c.destination, hash: scratch.hashes[i]) ?? Self.noSA
            }
            if slot < Self.reservedSPI {
                espInbound(handle, c, slot: slot, verdict: batched ? scratch.verdicts[i] : ESPBurstVerdict.perPacket.rawValue)
            } else {
                unknownSPI(handle, c, reserved: slot == Self.reservedSPI)
            }
        case .clear:
            outboundPolicy(handle, c, policies == nil ? OutboundDecision() : scratch.decisions[i])
        case .ike:
            puntFrame(handle)
        case .natKeepalive:
            consume(handle)
        case .espRunt:
            drop(handle, .ipsecInput, .inPktHeadpadLenErr)
        case .fragment:
            if c.ipVersion == 4 {
                drop(handle, .ipFragErr, .inV4PktFragErr)
            } else {
                drop(handle, .ipFragErr)
            }
        case .malformed:
            drop(handle, .ipFormatErr)
        }
    }
}
