import QFPDataplane

extension IKEWire {
    /// The NAT-T port (RFC 3948): IKE on it is preceded by the 4-byte non-ESP marker.
    public static let natTraversalPort: UInt16 = 4500

    /// Whether a datagram with these ports carries the non-ESP marker: either port is 4500 (after
    /// NAT the far side's port may be anything, but one end is always 4500).
    public static func usesNonESPMarker(sourcePort: UInt16, destinationPort: UInt16) -> Bool {
        sourcePort == natTraversalPort || destinationPort == natTraversalPort
    }

    /// The whole IP packet of `d`: IPv4 (both addresses IPv4) or IPv6 (otherwise; an IPv4
    /// address then appears in its mapped form), UDP with its checksum computed, the 4-byte
    /// non-ESP marker when a port is 4500, then the IKE message.
    ///
    /// IPv4: no options, DF set, Identification 0 (RFC 6864 allows it for atomic datagrams),
    /// TTL 255. IPv6: traffic class and flow label 0, hop limit 255, no extension headers.
    public static func datagram(_ d: IKEDatagram) -> [UInt8] {
        var payload: [UInt8] = usesNonESPMarker(sourcePort: d.sourcePort, destinationPort: d.destinationPort) ? [0, 0, 0, 0] : []
        payload += encode(d.message)
        let udpLength = 8 + payload.count
        var udp: [UInt8] = []
        udp.reserveCapacity(udpLength)
        udp.appendWire(d.sourcePort)
        udp.appendWire(d.destinationPort)
        udp.appendWire(UInt16(truncatingIfNeeded: udpLength))
        udp.appendWire(0 as UInt16)
        udp += payload
        let v4 = d.source.isIPv4 && d.destination.isIPv4
        var checksum = onesComplementChecksum(pseudoHeader(d.source, d.destination, v4: v4, udpLength: udpLength) + udp)
        if checksum == 0 { checksum = 0xFFFF }  // 0 means "no checksum" (RFC 768)
        udp[6] = UInt8(checksum >> 8)
        udp[7] = UInt8(truncatingIfNeeded: checksum)

        var ip: [UInt8] = []
        if v4 {
            ip.reserveCapacity(20 + udpLength)
            ip += [0x45, 0]
            ip.appendWire(UInt16(truncatingIfNeeded: 20 + udpLength))
            ip.appendWire(0 as UInt16)  // Identification
            ip.appendWire(0x4000 as UInt16)  // DF
            ip += [255, 17, 0, 0]
            ip.appendWire(d.source.ipv4)
            ip.appendWire(d.destination.ipv4)
            let sum = onesComplementChecksum(ip)
            ip[10] = UInt8(sum >> 8)
            ip[11] = UInt8(truncatingIfNeeded: sum)
        } else {
            ip.reserveCapacity(40 + udpLength)
            ip.appendWire(0x6000_0000 as UInt32)
            ip.appendWire(UInt16(truncatingIfNeeded: udpLength))
            ip += [17, 255]
            ip.appendWire(d.source.high)
            ip.appendWire(d.source.low)
            ip.appendWire(d.destination.high)
            ip.appendWire(d.destination.low)
        }
        return ip + udp
    }

    /// The IKE datagram in an IPv4 or IPv6 packet (`bytes` starts with the IP header; bytes
    /// after the IP total length, such as Ethernet padding, are ignored). Checks the IPv4 header
    /// checksum and a non-zero UDP checksum; on port 4500 expects the non-ESP marker.
    public static func parseDatagram(_ bytes: [UInt8]) throws(IKEWireError) -> IKEDatagram {
        guard let first = bytes.first else { throw .truncatedPacket(length: 0) }
        let source: IPAddress
        let destination: IPAddress
        let v4: Bool
        let udpStart: Int
        let ipEnd: Int
        switch first >> 4 {
        case 4:
            guard bytes.count >= 20 else { throw .truncatedPacket(length: bytes.count) }
            let headerLength = Int(first & 0x0F) * 4
            let total = Int(bytes.wireUInt16(at: 2))
            guard headerLength >= 20, total >= headerLength, total <= bytes.count else { throw .badIPLength }
            guard onesComplementChecksum(bytes[0..<headerLength]) == 0 else { throw .badIPChecksum }
            guard bytes.wireUInt16(at: 6) & 0x3FFF == 0 else { throw .fragmented }
            guard bytes[9] == 17 else { throw .notUDP(protocol: bytes[9]) }
            source = IPAddress(ipv4: bytes.wireUInt32(at: 12))
            destination = IPAddress(ipv4: bytes.wireUInt32(at: 16))
            v4 = true
            udpStart = headerLength
            ipEnd = total
        case 6:
            guard bytes.count >= 40 else { throw .truncatedPacket(length: bytes.count) }
            let total = 40 + Int(bytes.wireUInt16(at: 4))
            guard total <= bytes.count else { throw .badIPLength }
            guard bytes[6] == 17 else { throw .notUDP(protocol: bytes[6]) }
            source = IPAddress(high: bytes.wireUInt64(at: 8), low: bytes.wireUInt64(at: 16))
            destination = IPAddress(high: bytes.wireUInt64(at: 24), low: bytes.wireUInt64(at: 32))
            v4 = false
            udpStart = 40
            ipEnd = total
        default:
            throw .unsupportedIPVersion(first >> 4)
        }
        guard ipEnd - udpStart >= 8 else { throw .truncatedPacket(length: bytes.count) }
        let udpLength = Int(bytes.wireUInt16(at: udpStart + 4))
        guard udpLength >= 8, udpStart + udpLength <= ipEnd else { throw .badUDPLength }
        let udp = bytes[udpStart..<(udpStart + udpLength)]
        let checksum = bytes.wireUInt16(at: udpStart + 6)
        if checksum != 0 || !v4 {
            let sum = onesComplementChecksum(pseudoHeader(source, destination, v4: v4, udpLength: udpLength) + udp)
            guard checksum != 0, sum == 0 else { throw .badUDPChecksum }
        }
        let sourcePort = bytes.wireUInt16(at: udpStart)
        let destinationPort = bytes.wireUInt16(at: udpStart + 2)
        var payloadStart = udpStart + 8
        let payloadEnd = udpStart + udpLength
        if usesNonESPMarker(sourcePort: sourcePort, destinationPort: destinationPort) {
            if payloadEnd - payloadStart == 1, bytes[payloadStart] == 0xFF { throw .natKeepalive }
            guard payloadEnd - payloadStart >= 4 else { throw .truncatedHeader(length: payloadEnd - payloadStart) }
            let marker = bytes.wireUInt32(at: payloadStart)
            guard marker == 0 else { throw .espInUDP(spi: marker) }
            payloadStart += 4
        }
        let message = try decode(Array(bytes[payloadStart..<payloadEnd]))
        return IKEDatagram(source: source, destination: destination, sourcePort: sourcePort,
                           destinationPort: destinationPort, message: message)
    }

    /// The UDP pseudo-header (RFC 768 for IPv4, RFC 8200 §8.1 for IPv6).
    static func pseudoHeader(_ source: IPAddress, _ destination: IPAddress, v4: Bool, udpLength: Int) -> [UInt8] {
        var p: [UInt8] = []
        if v4 {
            p.appendWire(source.ipv4)
            p.appendWire(destination.ipv4)
            p += [0, 17]
            p.appendWire(UInt16(truncatingIfNeeded: udpLength))
        } else {
            p.appendWire(source.high)
            p.appendWire(source.low)
            p.appendWire(destination.high)
            p.appendWire(destination.low)
            p.appendWire(UInt32(truncatingIfNeeded: udpLength))
            p += [0, 0, 0, 17]
        }
        return p
    }

    /// The RFC 1071 checksum of `bytes` (an odd last byte padded with zero): 0 over data that
    /// already holds its correct checksum.
    static func onesComplementChecksum<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var sum: UInt64 = 0
        var high = true
        for byte in bytes {
            sum &+= high ? UInt64(byte) << 8 : UInt64(byte)
            high.toggle()
        }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }
}
