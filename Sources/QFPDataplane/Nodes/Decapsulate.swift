extension Worker {
    /// After decryption: checks the ESP trailer (RFC 4303 §2.4–2.6), strips ESP (and the
    /// UDP header of ESP-in-UDP), and forwards the inner packet.
    ///
    /// Tunnel mode keeps the inner datagram as it is; transport mode moves the outer IP header
    /// up against the payload and rewrites its protocol and length. Padding must be 1, 2, 3, …
    /// (the RFC's default, which receivers SHOULD check); a bad pad length or pad is drop 23,
    /// a tunnel-mode next header other than IPv4/IPv6 is drop 65, an inner header whose version
    /// disagrees with it is drop 89. Next header 59 is a dummy packet, silently consumed.
    @inlinable
    mutating func decapsulate(
        _ handle: PacketHandle, _ c: PacketClassification, slot: UInt32, tunnel: Bool,
        payloadStart: Int, payloadEnd: Int
    ) {
        let b = directory.buffer(handle)
        let octets = b.length
        let data = b.data
        let body = payloadEnd &- payloadStart
        if body < ESPHeader.trailerLength {
            inbound.bump(slot, .paddingErrors)
            drop(handle, .ipsecInput, .inPktHeadpadLenErr)
            return
        }
        let padLength = Int(data.load(fromByteOffset: payloadEnd &- 2, as: UInt8.self))
        let nextHeader = data.load(fromByteOffset: payloadEnd &- 1, as: UInt8.self)
        if padLength &+ ESPHeader.trailerLength > body || !paddingIsDefault(data, at: payloadEnd &- 2 &- padLength, count: padLength) {
            inbound.bump(slot, .paddingErrors)
            drop(handle, .ipsecInput, .inPktHeadpadLenErr)
            return
        }
        if nextHeader == ESPHeader.dummyNextHeader {
            consume(handle)
            return
        }
        let innerLength = body &- ESPHeader.trailerLength &- padLength
        let newStart: Int
        if tunnel {
            let expectedVersion: UInt8
            switch nextHeader {
            case 4: expectedVersion = 4
            case 41: expectedVersion = 6
            default:
                inbound.bump(slot, .nextHeaderErrors)
                drop(handle, .ipsecInput, .inCdSwIpsecNhMismatch)
                return
            }
            if innerLength < 1 || data.load(fromByteOffset: payloadStart, as: UInt8.self) >> 4 != expectedVersion {
                inbound.bump(slot, .nextHeaderErrors)
                drop(handle, .ipsecInput, .inPktIpverInvalid)
                return
            }
            newStart = payloadStart
            b.length = innerLength
        } else {
            let headerLength = Int(c.l4Offset)
            newStart = payloadStart &- headerLength
            (data + newStart).copyMemory(from: data, byteCount: headerLength)
            let ip = data + newStart
            if c.ipVersion == 4 {
                ip.storeBytes(of: UInt16(truncatingIfNeeded: headerLength &+ innerLength).bigEndian,
                              toByteOffset: 2, as: UInt16.self)
                ip.storeBytes(of: nextHeader, toByteOffset: 9, as: UInt8.self)
                IPv4Header.updateChecksum(ip)
            } else {
                ip.storeBytes(of: UInt16(truncatingIfNeeded: headerLength &- IPv6Header.length &+ innerLength).bigEndian,
                              toByteOffset: 4, as: UInt16.self)
                ip.storeBytes(of: nextHeader, toByteOffset: IPv6Header.nextHeaderField(ip, before: headerLength),
                              as: UInt8.self)
            }
            b.length = headerLength &+ innerLength
        }
        b.dataOffset = b.dataOffset &+ newStart
        inbound.bump(slot, .decapsulatedPackets)
        inbound.bump(slot, .decapsulatedBytes, by: UInt64(octets))
        checkSoftLifetime(slot)
        tally.decapsulated &+= 1
        forward(handle, length: b.length)
    }

    /// Whether the `count` pad bytes at `offset` are 1, 2, 3, … (RFC 4303 §2.4 default).
    @inlinable @inline(__always)
    func paddingIsDefault(_ data: UnsafeMutableRawPointer, at offset: Int, count: Int) -> Bool {
        var k = 0
        while k < count {
            if data.load(fromByteOffset: offset &+ k, as: UInt8.self) != UInt8(truncatingIfNeeded: k &+ 1) { return false }
            k &+= 1
        }
        return true
    }
}

extension IPv6Header {
    /// Offset of the Next Header field that names the header at `offset` (6 for the fixed
    /// header, else inside the extension header just before it).
    @inlinable
    public static func nextHeaderField(_ p: UnsafeRawPointer, before offset: Int) -> Int {
        var field = 6
        var next = p.load(fromByteOffset: 6, as: UInt8.self)
        var current = length
        var guardCount = 0
        while current < offset && guardCount < maximumExtensionHeaders {
            field = current
            let size = next == 44 ? 8 : (Int(p.load(fromByteOffset: current &+ 1, as: UInt8.self)) &+ 1) &<< 3
            next = p.load(fromByteOffset: current, as: UInt8.self)
            current &+= size
            guardCount &+= 1
        }
        return field
    }
}
