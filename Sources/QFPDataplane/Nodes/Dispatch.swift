extension Worker {
    /// Stage 3: sends packet `i` of the burst down its path.
    @inlinable @inline(__always)
    mutating func dispatch(_ i: Int) {
        let handle = scratch.handles[i]
        let c = scratch.classes[i]
        switch c.kind {
        case .esp, .espInUDP:
            let slot = scratch.saSlots[i]
            if slot < Self.reservedSPI {
                espInbound(handle, c, slot: slot)
            } else {
                unknownSPI(handle, c, reserved: slot == Self.reservedSPI)
            }
        case .clear:
            outboundPolicy(handle, c)
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
