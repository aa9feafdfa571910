extension Worker {
    /// Stage 3, inbound ESP: every ICV check of the burst, back to back.
    ///
    /// First pass, for each ESP packet: confirm its SA candidate (the rare full lookup when
    /// the destination differs), then the checks RFC 4303 puts before integrity (hard expiry,
    /// NAT-T match, replay pre-check, room for header, IV and ICV). Second pass: `verify` on the
    /// packets that passed, in packet order, with nothing else in between — the crypto loop
    /// runs on warm code and key schedules (VPP's esp-decrypt works on its frame the same way).
    /// AEAD transforms decrypt in place here; CBC decrypts in `espInbound`, after the window
    /// update.
    ///
    /// `espInbound` (stage 4, in packet order) then repeats the SA-state and replay checks
    /// against the state the packets before it left — the final check at window-update time of
    /// RFC 4303 §3.4.3 — and uses the verdict recorded here. The pre-check only saves ICV work
    /// for packets already known to be dropped: the window only moves forward within a burst,
    /// so a packet it rejects is rejected by the final check too; a packet it lets through may
    /// still be a duplicate of an earlier packet of the burst, and the final check drops it
    /// (its sequence number unconsumed only if its ICV failed, as before).
    @inlinable @inline(__always)
    mutating func inboundCryptoBurst(_ n: Int) {
        var queued = 0
        for i in 0..<n {
            let c = scratch.classes[i]
            guard c.kind == .esp || c.kind == .espInUDP else { continue }
            var slot = scratch.saSlots[i]
            if slot < Self.reservedSPI && !table.confirm(slot, destination: c.destination) {
                // Same SPI and fingerprint, other destination: the rare full lookup.
                slot = table.lookup(spi: c.spi, destination: c.destination, hash: scratch.hashes[i]) ?? Self.noSA
                scratch.saSlots[i] = slot
            }
            scratch.verdicts[i] = 0
            guard slot < Self.reservedSPI else { continue }
            let sa = inbound.entry(slot)
            let flags = sa.flags
            if flags.contains(.hardExpired) || flags.contains(.udpEncapsulated) != (c.kind == .espInUDP) { continue }
            let words = sa.replayWords
            if words > 0 && ReplayWindow.check(UInt64(c.sequenceNumber), top: sa.replayTop,
                                               bits: inbound.replayBits(slot, words: words), words: words) != .fresh {
                continue
            }
            let transform = flags.transform
            if transform == .null {
                scratch.verdicts[i] = 1
                continue
            }
            guard Int(c.ipLength) &- Int(c.espOffset) >= ESPHeader.length &+ transform.ivLength &+ transform.icvLength
            else { continue }
            scratch.cryptoQueue[queued] = UInt16(truncatingIfNeeded: i)
            queued &+= 1
        }
        var k = 0
        while k < queued {
            let i = Int(scratch.cryptoQueue[k])
            let c = scratch.classes[i]
            let ok = inbound.context(scratch.saSlots[i]).verify(
                packet: directory.buffer(scratch.handles[i]).data, espStart: Int(c.espOffset), end: Int(c.ipLength))
            scratch.verdicts[i] = ok ? 1 : 0
            k &+= 1
        }
    }
}
