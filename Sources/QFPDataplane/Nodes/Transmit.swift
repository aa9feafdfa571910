extension Worker {
    /// Sends a finished packet on: to the transmit ring when there is one, else it is counted
    /// as forwarded and its buffer returned (the emulator's wire).
    @inlinable @inline(__always)
    mutating func forward(_ handle: PacketHandle, length: Int) {
        tally.forwarded &+= 1
        tally.forwardedOctets &+= length
        if transmitRing != nil {
            scratch.transmit[tally.transmitCount] = handle
            tally.transmitCount &+= 1
        } else {
            release(handle)
        }
    }

    /// Drops a packet under a global cause.
    @inlinable @inline(__always)
    mutating func drop(_ handle: PacketHandle, _ cause: GlobalDropCause) {
        counters.drop(cause, octets: directory.buffer(handle).length)
        release(handle)
    }

    /// Drops a packet under a global cause and an IPsec feature drop.
    @inlinable @inline(__always)
    mutating func drop(_ handle: PacketHandle, _ cause: GlobalDropCause, _ feature: IPsecDatapathDrop) {
        counters.drop(cause, feature, octets: directory.buffer(handle).length)
        release(handle)
    }

    /// Takes a packet that needs no further action and is not a drop (NAT keepalive, dummy ESP).
    @inlinable @inline(__always)
    mutating func consume(_ handle: PacketHandle) {
        tally.consumed &+= 1
        release(handle)
    }
}
