extension Worker {
    /// Inbound crypto once per burst, as VPP's esp-decrypt hands a frame to its crypto engine
    /// and DPDK's ipsec-secgw a burst to `rte_cryptodev_enqueue_burst`.
    ///
    /// Pass 1 (here, nothing written but the scratch vectors): every ESP packet of a known SA
    /// whose transform the engine opens, and which passes the checks RFC 4303 puts before
    /// integrity — SA not hard-expired, NAT-T encapsulation as negotiated, sequence number
    /// fresh against the window as the burst found it, long enough for header, IV and ICV — is
    /// collected. Then one `engine.open` authenticates all of them and decrypts those whose
    /// ICV is good (a forged packet is never decrypted). Pass 2 is `dispatch` → `espInbound`
    /// in the burst's order, which makes every check again against the SA as the earlier
    /// packets left it (the window update of RFC 4303 §3.4.3 happens only there, after the
    /// ICV passed; a second packet with the same sequence number in one burst is a duplicate)
    /// and uses the verdict instead of calling the context. So drops, punts and per-SA counters
    /// are exactly those of one packet at a time. Packets not collected keep
    /// `ESPBurstVerdict.perPacket` and are handled as without an engine.
    ///
    /// One cost: a genuine packet that pass 2 then drops (a same-burst duplicate, or the one
    /// that reaches the hard lifetime) was already decrypted in place; its drop-capture copy
    /// shows plaintext. A bad ICV never leaves plaintext.
    @inlinable
    mutating func openInboundBurst(_ n: Int, _ engine: ESPCryptoBurst) {
        var k = 0
        for i in 0..<n {
            scratch.verdicts[i] = ESPBurstVerdict.perPacket.rawValue
            let c = scratch.classes[i]
            guard c.kind == .esp || c.kind == .espInUDP else { continue }
            // As dispatch will; the resolved slot is kept for it.
            let slot = confirmedSlot(i, c)
            scratch.saSlots[i] = slot
            guard slot < Self.reservedSPI else { continue }
            let sa = inbound.entry(slot)
            let flags = sa.flags
            let transform = flags.transform
            guard engine.opens(transform), !flags.contains(.hardExpired),
                  flags.contains(.udpEncapsulated) == (c.kind == .espInUDP) else { continue }
            let end = Int(c.ipLength)
            let espStart = Int(c.espOffset)
            guard end &- espStart >= ESPHeader.length &+ transform.ivLength &+ transform.icvLength else { continue }
            let words = sa.replayWords
            if words > 0 {
                guard case .fresh = ReplayWindow.check(UInt64(c.sequenceNumber), top: sa.replayTop,
                                                       bits: inbound.replayBits(slot, words: words), words: words)
                else { continue }
            }
            scratch.cryptoContexts[k] = inbound.context(slot).base
            scratch.cryptoPackets[k] = directory.buffer(scratch.handles[i]).data
            scratch.cryptoESPStarts[k] = espStart
            scratch.cryptoEnds[k] = end
            scratch.cryptoIndices[k] = i
            k &+= 1
        }
        guard k > 0 else { return }
        engine.open(count: k, contexts: scratch.cryptoContexts, packets: scratch.cryptoPackets,
                    espStarts: scratch.cryptoESPStarts, ends: scratch.cryptoEnds, verdicts: scratch.cryptoVerdicts)
        for j in 0..<k { scratch.verdicts[scratch.cryptoIndices[j]] = scratch.cryptoVerdicts[j] }
    }
}
