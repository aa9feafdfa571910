extension Worker {
    /// Stage 3: sends packet `i` of the burst down its path. `batched`: the burst went through
    /// `openInboundBurst`, so `scratch.verdicts[i]` holds packet `i`'s crypto verdict.
    @inlinable @inline(__always)
    mutating func dispatch(_ i: Int, batched: Bool) {
        let handle = scratch.handles[i]
        let c = scratch.classes[i]
        switch c.kind {
        case .esp, .espInUDP:
            let slot = confirmedSlot(i, c)
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

    /// The SA slot of ESP packet `i`: the lookup stage's candidate once its destination is
    /// confirmed, else (same SPI and fingerprint, another destination) the rare full lookup.
    @inlinable @inline(__always)
    func confirmedSlot(_ i: Int, _ c: PacketClassification) -> UInt32 {
        let slot = scratch.saSlots[i]
        guard slot < Self.reservedSPI, !table.confirm(slot, destination: c.destination) else { return slot }
        return table.lookup(spi: c.spi, destination: c.destination, hash: scratch.hashes[i]) ?? Self.noSA
    }
}
