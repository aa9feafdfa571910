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
        if capturingDrops { captureDrop(handle, cause, feature: 0) }
        release(handle)
    }

    /// Drops a packet under a global cause and an IPsec feature drop.
    @inlinable @inline(__always)
    mutating func drop(_ handle: PacketHandle, _ cause: GlobalDropCause, _ feature: IPsecDatapathDrop) {
        counters.drop(cause, feature, octets: directory.buffer(handle).length)
        if capturingDrops { captureDrop(handle, cause, feature: feature.rawValue) }
        release(handle)
    }

    /// Copies a dropped packet's first bytes and reason to the drop-capture ring (capture on).
    @usableFromInline @inline(never)
    mutating func captureDrop(_ handle: PacketHandle, _ cause: GlobalDropCause, feature: UInt8) {
        guard let ring = dropCapture else { return }
        let b = directory.buffer(handle)
        var frame = DroppedFrame()
        frame.cause = UInt8(truncatingIfNeeded: cause.index)
        frame.feature = feature
        frame.worker = UInt8(truncatingIfNeeded: index)
        frame.inputInterface = b.inputInterface
        frame.length = UInt16(truncatingIfNeeded: b.length)
        let kept = min(b.length, DroppedFrame.snapLength)
        frame.capturedLength = UInt16(kept)
        frame.time = b.timestamp
        withUnsafeMutableBytes(of: &frame.bytes) { $0.baseAddress!.copyMemory(from: b.data, byteCount: kept) }
        if ring.enqueue(frame) {
            counters.count(.dropsCaptured)
        } else {
            counters.count(.dropCaptureMissed)
        }
    }

    /// Takes a packet that needs no further action and is not a drop (NAT keepalive, dummy ESP).
    @inlinable @inline(__always)
    mutating func consume(_ handle: PacketHandle) {
        tally.consumed &+= 1
        release(handle)
    }
}
