extension Worker {
    /// Pushes a record to the control plane; counts it, or counts the full ring.
    @inlinable @inline(__always)
    func pushPunt(_ record: PuntRecord) -> Bool {
        if punts.enqueue(record) {
            counters.count(.puntRecords)
            return true
        }
        counters.count(.puntRingFull)
        return false
    }

    /// Copies an IKE packet to the control plane's frame ring and frees its buffer. A full
    /// ring drops it as `PuntPerCausePolicerDrops`, as the QFP punt policer would.
    @inlinable
    mutating func puntFrame(_ handle: PacketHandle) {
        let b = directory.buffer(handle)
        var frame = PuntedFrame()
        let length = min(b.length, PuntedFrame.capacity)
        frame.length = UInt16(length)
        frame.inputInterface = b.inputInterface
        frame.worker = UInt8(truncatingIfNeeded: index)
        frame.time = now
        withUnsafeMutableBytes(of: &frame.bytes) {
            $0.baseAddress!.copyMemory(from: b.data, byteCount: length)
        }
        if frames.enqueue(frame) {
            tally.punted &+= 1
            release(handle)
        } else {
            drop(handle, .puntPerCausePolicerDrops)
        }
    }
}
