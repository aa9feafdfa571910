extension Worker {
    /// Inbound ESP for a known SA, in RFC 4303 order: SA state, replay pre-check, integrity,
    /// hard lifetime, window update, decryption, trailer, decapsulation, counters, soft lifetime.
    ///
    /// `verdict` is an `ESPBurstVerdict` raw value: `perPacket` calls the context's `verify` and
    /// `decrypt` here; any other is what the burst engine found before this pass
    /// (`openInboundBurst`). Every check is made here either way, against the SA as the earlier
    /// packets of the burst left it, so a duplicate of an earlier packet of the same burst is
    /// dropped as a duplicate, and the counters and drop reasons are those of per-packet order.
    @inlinable
    mutating func espInbound(_ handle: PacketHandle, _ c: PacketClassification, slot: UInt32, verdict: UInt8) {
        let sa = inbound.entry(slot)
        let flags = sa.flags
        let b = directory.buffer(handle)
        let octets = b.length

        if flags.contains(.hardExpired) {
            inbound.bump(slot, .hardExpiryDrops)
            drop(handle, .ipsecInvalidSa, .inCdSwIpsecHardExpiry)
            return
        }
        // An SA negotiated with NAT-T must arrive in UDP, and the other way round.
        if flags.contains(.udpEncapsulated) != (c.kind == .espInUDP) {
            drop(handle, .ipsecInput, .inNatDemuxFail)
            return
        }

        let words = sa.replayWords
        let sequence = UInt64(c.sequenceNumber)
        if words > 0 {
            switch ReplayWindow.check(sequence, top: sa.replayTop, bits: inbound.replayBits(slot, words: words), words: words) {
            case .fresh:
                break
            case .duplicate:
                inbound.bump(slot, .replayDuplicates)
                puntPacket(.replayFailure, c, slot: slot, interface: b.inputInterface)
                drop(handle, .ipsecInput, .inCdSwIpsecAntiReplayFail)
                return
            case .tooOld:
                inbound.bump(slot, .replayTooOld)
                puntPacket(.replayFailure, c, slot: slot, interface: b.inputInterface)
                drop(handle, .ipsecInput, .cdInPktOutOfWindow)
                return
            }
        }

        let transform = flags.transform
        let data = b.data
        let end = Int(c.ipLength)
        let espStart = Int(c.espOffset)
        let perPacket = verdict == ESPBurstVerdict.perPacket.rawValue
        if transform != .null {
            // Too short to hold header, IV and ICV: the ICV cannot be good.
            guard end &- espStart >= ESPHeader.length &+ transform.ivLength &+ transform.icvLength,
                  perPacket ? inbound.context(slot).verify(packet: data, espStart: espStart, end: end)
                            : verdict != ESPBurstVerdict.integrityFailure.rawValue
            else {
                inbound.bump(slot, .integrityFailures)
                puntPacket(.integrityFailure, c, slot: slot, interface: b.inputInterface)
                drop(handle, .ipsecInput, .inCdSwIpsecMacException)
                return
            }
        }

        // Hard lifetime: this packet may not take the SA past its limits.
        let hardPackets = UInt64(sa.hardPackets)
        let hardBytes = sa.hardBytes
        if (hardPackets != 0 && inbound.load(slot, .decapsulatedPackets) &+ 1 > hardPackets)
            || (hardBytes != 0 && inbound.load(slot, .decapsulatedBytes) &+ UInt64(octets) > hardBytes) {
            sa.flags = flags.union(.hardExpired)
            var r = PuntRecord(kind: .inboundHardExpired, worker: index, time: now)
            r.spi = sa.spi
            r.slot = slot
            r.destination = sa.destination
            _ = pushPunt(r)
            inbound.bump(slot, .hardExpiryDrops)
            drop(handle, .ipsecInvalidSa, .inCdSwIpsecHardExpiry)
            return
        }

        if words > 0 {
            var top = sa.replayTop
            ReplayWindow.update(sequence, top: &top, bits: inbound.replayBits(slot, words: words), words: words)
            sa.replayTop = top
        }

        let payloadStart = espStart &+ ESPHeader.length &+ transform.ivLength
        let payloadEnd = end &- transform.icvLength
        guard payloadEnd >= payloadStart,
              transform == .null
                || (perPacket ? inbound.context(slot).decrypt(packet: data, payloadStart: payloadStart, payloadEnd: payloadEnd)
                              : verdict == ESPBurstVerdict.opened.rawValue)
        else {
            inbound.bump(slot, .paddingErrors)
            drop(handle, .ipsecInput, .inPktHeadpadLenErr)
            return
        }
        decapsulate(handle, c, slot: slot, tunnel: flags.contains(.tunnel),
                    payloadStart: payloadStart, payloadEnd: payloadEnd)
    }

    /// Soft lifetime: one notification per SA. A full punt ring defers it to the next packet.
    @inlinable @inline(__always)
    mutating func checkSoftLifetime(_ slot: UInt32) {
        let sa = inbound.entry(slot)
        let softPackets = UInt64(sa.softPackets)
        let softBytes = sa.softBytes
        if softPackets == 0 && softBytes == 0 { return }
        notifySoftLifetime(slot, softPackets: softPackets, softBytes: softBytes)
    }

    @usableFromInline
    mutating func notifySoftLifetime(_ slot: UInt32, softPackets: UInt64, softBytes: UInt64) {
        let sa = inbound.entry(slot)
        let usedPackets = inbound.load(slot, .decapsulatedPackets)
        let usedBytes = inbound.load(slot, .decapsulatedBytes)
        guard (softPackets != 0 && usedPackets >= softPackets) || (softBytes != 0 && usedBytes >= softBytes),
              !sa.flags.contains(.softNotified) else { return }
        var r = PuntRecord(kind: .inboundSoftExpired, worker: index, time: now)
        r.spi = sa.spi
        r.slot = slot
        r.destination = sa.destination
        if punts.enqueue(r) {
            counters.count(.puntRecords)
            sa.flags = sa.flags.union(.softNotified)
        } else {
            counters.count(.eventDeferred)
        }
    }
}
