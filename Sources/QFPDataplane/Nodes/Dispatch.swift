extension Worker {
    /// Stage 4: sends packet `i` of the burst down its path, in packet order.
    @inlinable @inline(__always)
    mutating func dispatch(_ i: Int) {
        let handle = scratch.handles[i]
        let c = scratch.classes[i]
        switch c.kind {
        case .esp, .espInUDP:
            // Confirmed by `inboundCryptoBurst`.
            let slot = scratch.saSlots[i]
            if slot < Self.reservedSPI {
                espInbound(handle, c, slot: slot, authenticated: scratch.verdicts[i] != 0)
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
