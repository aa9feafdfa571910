import Synchronization

extension Worker {
    /// Encapsulates a clear packet with outbound SA `slot` (ESP, optionally in UDP/4500),
    /// tunnel or transport mode, and forwards it.
    ///
    /// Sequence numbers come from the SA's shared atomic counter, so they are unique across
    /// workers; number 2^32 would wrap (no ESN), so from then on packets are dropped (46,
    /// `IpsecOutput`). Hard lifetimes drop with 44 (`IpsecInvalidSa`); the packet that crosses a
    /// soft or hard limit — exactly one, by construction — tells the control plane.
    @inlinable
    mutating func espOutbound(_ original: PacketHandle, _ c: PacketClassification, slot: UInt32) {
        let sa = outbound.entry(slot)
        let flags = sa.flags
        let transform = flags.transform
        var handle = original
        var b = directory.buffer(handle)
        let tunnel = flags.contains(.tunnel)
        let udp = flags.contains(.udpEncapsulated) ? UDPHeader.length : 0
        let outerIPv6 = tunnel ? flags.contains(.ipv6) : c.ipVersion == 6
        let ipLength = Int(c.ipLength)

        // What is protected: the whole datagram (tunnel) or what follows the IP header.
        let headerLength = tunnel ? 0 : Int(c.l4Offset)
        let protectedLength = ipLength &- headerLength
        let block = transform.blockSize
        let padLength = (block &- (protectedLength &+ ESPHeader.trailerLength) % block) % block
        let trailer = padLength &+ ESPHeader.trailerLength &+ transform.icvLength
        let added = (tunnel ? (outerIPv6 ? IPv6Header.length : IPv4Header.minimumLength) : 0)
            &+ udp &+ ESPHeader.length &+ transform.ivLength
        let total = ipLength &+ added &+ trailer
        let limit = outerIPv6 ? IPv6Header.length &+ Int(UInt16.max) : Int(UInt16.max)
        if total > limit || ipLength &+ trailer > PacketBuffer.maximumLength {
            drop(handle, .ipsecOutput, outerIPv6 ? .outInfraV6PktLenTooBig : .outInfraV4PktLenTooBig)
            return
        }
        if b.headroom < added || b.dataOffset &+ ipLength &+ trailer > PacketBuffer.size {
            // Not enough room around the packet where it was received: rebuild it in one of
            // this worker's own buffers, which start with full headroom.
            guard let moved = relocate(handle) else {
                drop(handle, .ipsecOutput, .pktBufferUnavailable)
                return
            }
            handle = moved
            b = directory.buffer(handle)
        }

        // Sequence number and volume. Relaxed fetch-adds: each value is handed out once; no
        // other memory is published through these counters.
        let sequence = sa.sequence.pointee.wrappingAdd(1, ordering: .relaxed).newValue
        if sequence > UInt64(UInt32.max) {
            if sequence == UInt64(UInt32.max) &+ 1 { lifetimeEvent(.outboundHardExpired, slot: slot, sa: sa) }
            outboundCounters.bump(slot, .sequenceOverflowDrops)
            drop(handle, .ipsecOutput, .outCdSwIpsecDetectSeqOveflow)
            return
        }
        let hardPackets = sa.hardPackets
        if hardPackets != 0 && sequence > hardPackets {
            if sequence == hardPackets &+ 1 { lifetimeEvent(.outboundHardExpired, slot: slot, sa: sa) }
            outboundCounters.bump(slot, .hardExpiryDrops)
            drop(handle, .ipsecInvalidSa, .outCdSwIpsecHardExpiry)
            return
        }
        let hardBytes = sa.hardBytes
        let softBytes = sa.softBytes
        if hardBytes != 0 || softBytes != 0 {
            let added = UInt64(ipLength)
            let after = sa.bytes.pointee.wrappingAdd(added, ordering: .relaxed).newValue
            let before = after &- added
            if hardBytes != 0 && after > hardBytes {
                if before <= hardBytes { lifetimeEvent(.outboundHardExpired, slot: slot, sa: sa) }
                outboundCounters.bump(slot, .hardExpiryDrops)
                drop(handle, .ipsecInvalidSa, .outCdSwIpsecHardExpiry)
                return
            }
            if softBytes != 0 && before < softBytes && after >= softBytes {
                lifetimeEvent(.outboundSoftExpired, slot: slot, sa: sa)
            }
        }
        if sequence == sa.softPackets { lifetimeEvent(.outboundSoftExpired, slot: slot, sa: sa) }

        let data = b.data
        // Trailer after the protected bytes: padding 1, 2, 3, …, pad length, next header.
        let nextHeader: UInt8 = tunnel ? (c.ipVersion == 6 ? 41 : 4) : c.protocolNumber
        var k = 0
        while k < padLength {
            data.storeBytes(of: UInt8(truncatingIfNeeded: k &+ 1), toByteOffset: ipLength &+ k, as: UInt8.self)
            k &+= 1
        }
        data.storeBytes(of: UInt8(truncatingIfNeeded: padLength), toByteOffset: ipLength &+ padLength, as: UInt8.self)
        data.storeBytes(of: nextHeader, toByteOffset: ipLength &+ padLength &+ 1, as: UInt8.self)

        let start = data - added
        let espOffset: Int
        let outerProtocol = udp > 0 ? IPv4Header.protocolNumberUDP : IPv4Header.protocolNumberESP
        if tunnel {
            let outerHeader = outerIPv6 ? IPv6Header.length : IPv4Header.minimumLength
            if outerIPv6 {
                IPv6Header.write(to: start, payloadLength: total &- IPv6Header.length, nextHeader: outerProtocol,
                                 source: sa.tunnelSource, destination: sa.tunnelDestination)
            } else {
                IPv4Header.write(to: start, totalLength: total, protocolNumber: outerProtocol,
                                 source: sa.tunnelSource, destination: sa.tunnelDestination,
                                 identification: UInt16(truncatingIfNeeded: sequence))
            }
            espOffset = outerHeader &+ udp
            if udp > 0 {
                UDPHeader.write(to: start + outerHeader, sourcePort: sa.udpSourcePort,
                                destinationPort: sa.udpDestinationPort, length: total &- outerHeader)
            }
        } else {
            // Transport: the IP header moves up by `added`; ESP goes between it and its payload.
            start.copyMemory(from: data, byteCount: headerLength)
            if c.ipVersion == 4 {
                start.storeBytes(of: UInt16(truncatingIfNeeded: total).bigEndian, toByteOffset: 2, as: UInt16.self)
                start.storeBytes(of: outerProtocol, toByteOffset: 9, as: UInt8.self)
                IPv4Header.updateChecksum(start)
            } else {
                start.storeBytes(of: UInt16(truncatingIfNeeded: total &- IPv6Header.length).bigEndian,
                                 toByteOffset: 4, as: UInt16.self)
                start.storeBytes(of: outerProtocol, toByteOffset: IPv6Header.nextHeaderField(start, before: headerLength),
                                 as: UInt8.self)
            }
            espOffset = headerLength &+ udp
            if udp > 0 {
                UDPHeader.write(to: start + headerLength, sourcePort: sa.udpSourcePort,
                                destinationPort: sa.udpDestinationPort, length: total &- headerLength)
            }
        }
        ESPHeader.write(to: start + espOffset, spi: sa.spi, sequenceNumber: UInt32(truncatingIfNeeded: sequence))
        let payloadStart = espOffset &+ ESPHeader.length &+ transform.ivLength
        let icvStart = total &- transform.icvLength
        if transform != .null {
            sa.context.seal(packet: start, espStart: espOffset, payloadStart: payloadStart, icvStart: icvStart)
        }

        b.dataOffset = b.dataOffset &- added
        b.length = total
        outboundCounters.bump(slot, .encapsulatedPackets)
        outboundCounters.bump(slot, .encapsulatedBytes, by: UInt64(total))
        tally.encapsulated &+= 1
        forward(handle, length: total)
    }

    @inlinable
    func lifetimeEvent(_ kind: PuntRecord.Kind, slot: UInt32, sa: OutboundSA) {
        var r = PuntRecord(kind: kind, worker: index, time: now)
        r.spi = sa.spi
        r.slot = slot
        r.destination = sa.tunnelDestination
        _ = pushPunt(r)
    }
}
