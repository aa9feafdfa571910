import QFPCrypto
import QFPDataplane

/// Builds whole packets as byte arrays: ESP (tunnel or transport, IPv4 or IPv6, optionally in
/// UDP/4500) with ESP-NULL, clear UDP/TCP, IKE, NAT keepalives, and deliberately broken ones.
///
/// Cold path (tests, captures, templates): it allocates. The hot generator copies templates
/// made here and patches SPI and sequence number in place.
public enum PacketBuilder {
    /// A clear IPv4 or IPv6 datagram with a UDP (17) or TCP (6) header and `payloadLength`
    /// bytes of payload (value `fill`).
    public static func clear(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8 = 17,
        sourcePort: UInt16 = 1024, destinationPort: UInt16 = 80, payloadLength: Int = 18, fill: UInt8 = 0xAB
    ) -> [UInt8] {
        let l4Header = protocolNumber == 6 ? 20 : 8
        var l4 = [UInt8](repeating: fill, count: l4Header + payloadLength)
        l4[0] = UInt8(sourcePort >> 8); l4[1] = UInt8(truncatingIfNeeded: sourcePort)
        l4[2] = UInt8(destinationPort >> 8); l4[3] = UInt8(truncatingIfNeeded: destinationPort)
        if protocolNumber == 17 {
            let length = l4.count
            l4[4] = UInt8(length >> 8); l4[5] = UInt8(truncatingIfNeeded: length)
            l4[6] = 0; l4[7] = 0
        } else if protocolNumber == 6 {
            for i in 4..<20 { l4[i] = 0 }
            l4[12] = 0x50  // data offset 5 words
        }
        return ip(source: source, destination: destination, protocolNumber: protocolNumber, payload: l4)
    }

    /// An IPv4 (20-byte header) or IPv6 (40-byte header) datagram around `payload`.
    public static func ip(source: IPAddress, destination: IPAddress, protocolNumber: UInt8,
                          payload: [UInt8], ttl: UInt8 = 64, identification: UInt16 = 0) -> [UInt8] {
        let v4 = source.isIPv4
        let header = v4 ? IPv4Header.minimumLength : IPv6Header.length
        var bytes = [UInt8](repeating: 0, count: header + payload.count)
        bytes.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress!
            if v4 {
                IPv4Header.write(to: p, totalLength: raw.count, protocolNumber: protocolNumber,
                                 source: source, destination: destination, ttl: ttl, identification: identification)
            } else {
                IPv6Header.write(to: p, payloadLength: payload.count, nextHeader: protocolNumber,
                                 source: source, destination: destination, hopLimit: ttl)
            }
        }
        bytes.replaceSubrange(header..., with: payload)
        return bytes
    }

    /// ESP trailer for `payloadLength` bytes: default padding 1, 2, … to a 4-byte boundary.
    public static func trailer(payloadLength: Int, nextHeader: UInt8, blockSize: Int = 4) -> [UInt8] {
        let pad = (blockSize - (payloadLength + 2) % blockSize) % blockSize
        return (0..<pad).map { UInt8($0 + 1) } + [UInt8(pad), nextHeader]
    }

    /// An ESP-NULL packet as a peer would send it.
    ///
    /// Tunnel mode wraps `inner` (a whole datagram) between outer headers `source` →
    /// `destination`; transport mode protects `inner` as upper-layer bytes with next header
    /// `transportProtocol`. `udp` puts ESP in UDP from `udpSourcePort` to 4500.
    public static func esp(
        source: IPAddress, destination: IPAddress, spi: UInt32, sequence: UInt32,
        inner: [UInt8], mode: IPsecMode = .tunnel, transportProtocol: UInt8 = 17,
        udp: Bool = false, udpSourcePort: UInt16 = 4500, trailer custom: [UInt8]? = nil
    ) -> [UInt8] {
        espPacket(source: source, destination: destination, spi: spi, sequence: sequence, inner: inner,
                  transform: .null, sealedWith: nil, mode: mode, transportProtocol: transportProtocol,
                  udp: udp, udpSourcePort: udpSourcePort, trailer: custom)
    }

    /// An ESP packet protected with `transform` and `keys` (through QFPCrypto's
    /// `SwiftCryptoProvider`, the same code the data plane runs): header, IV, encrypted payload
    /// and trailer (padded to the transform's block), ICV. GCM's explicit IV is 0 ‖ `sequence`.
    /// `trailer` replaces the default padding, pad length and next header (to build broken
    /// packets; it must keep the payload a whole number of cipher blocks for CBC).
    /// Throws when the key lengths do not fit the transform.
    public static func protectedESP(
        source: IPAddress, destination: IPAddress, spi: UInt32, sequence: UInt32,
        inner: [UInt8], transform: ESPTransform, keys: ESPKeys, mode: IPsecMode = .tunnel,
        transportProtocol: UInt8 = 17, udp: Bool = false, udpSourcePort: UInt16 = 4500,
        trailer custom: [UInt8]? = nil
    ) throws(DataplaneError) -> [UInt8] {
        let provider = SwiftCryptoProvider()
        let context = transform == .null ? nil : try provider.makeContext(transform: transform, keys: keys)
        defer { if let context { provider.releaseContext(context) } }
        return espPacket(source: source, destination: destination, spi: spi, sequence: sequence, inner: inner,
                         transform: transform, sealedWith: context, mode: mode, transportProtocol: transportProtocol,
                         udp: udp, udpSourcePort: udpSourcePort, trailer: custom)
    }

    /// The packet of `protectedESP`, sealed with `context`, or with `context` nil left in clear
    /// with IV and ICV zero, ready for a context's `seal` (generator templates).
    static func espPacket(
        source: IPAddress, destination: IPAddress, spi: UInt32, sequence: UInt32,
        inner: [UInt8], transform: ESPTransform, sealedWith context: ESPCryptoContext?, mode: IPsecMode = .tunnel,
        transportProtocol: UInt8 = 17, udp: Bool = false, udpSourcePort: UInt16 = 4500, trailer custom: [UInt8]? = nil
    ) -> [UInt8] {
        let nextHeader: UInt8 = mode == .tunnel ? ((inner.first ?? 0x45) >> 4 == 6 ? 41 : 4) : transportProtocol
        let payloadStart = ESPHeader.length + transform.ivLength
        var esp = [UInt8](repeating: 0, count: payloadStart)
        esp.withUnsafeMutableBytes { ESPHeader.write(to: $0.baseAddress!, spi: spi, sequenceNumber: sequence) }
        esp += inner
        esp += custom ?? trailer(payloadLength: inner.count, nextHeader: nextHeader, blockSize: transform.blockSize)
        let icvStart = esp.count
        esp += [UInt8](repeating: 0, count: transform.icvLength)
        if let context {
            esp.withUnsafeMutableBytes {
                context.seal(packet: $0.baseAddress!, espStart: 0, payloadStart: payloadStart, icvStart: icvStart)
            }
        }
        if udp { esp = udpDatagram(sourcePort: udpSourcePort, destinationPort: UDPHeader.natTraversalPort, payload: esp) }
        return ip(source: source, destination: destination,
                  protocolNumber: udp ? IPv4Header.protocolNumberUDP : IPv4Header.protocolNumberESP, payload: esp)
    }

    /// A tunnel-mode ESP-NULL packet of `totalLength` bytes rounded down to a multiple of 4 (the
    /// 28 bytes of IPv4 and ESP headers plus a 4-byte-aligned payload and trailer, RFC 4303
    /// §2.4, cannot make any other length); at least 64. The inner datagram is IPv4 UDP.
    public static func espOfLength(_ totalLength: Int, source: IPAddress, destination: IPAddress,
                                   spi: UInt32, sequence: UInt32) -> [UInt8] {
        // outer 20 + ESP 8 + inner + pad + 2 = totalLength, with inner + 2 a multiple of 4.
        var innerLength = totalLength - 20 - 8 - 2
        innerLength -= (innerLength + 2) % 4
        let inner = clear(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A01_0001),
                          payloadLength: max(innerLength - 28, 0))
        return esp(source: source, destination: destination, spi: spi, sequence: sequence, inner: inner)
    }

    /// A UDP header plus payload.
    public static func udpDatagram(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: UDPHeader.length)
        header.withUnsafeMutableBytes {
            UDPHeader.write(to: $0.baseAddress!, sourcePort: sourcePort, destinationPort: destinationPort,
                            length: UDPHeader.length + payload.count)
        }
        return header + payload
    }

    /// An IKE message on UDP/500, or on UDP/4500 behind the four-zero-byte non-ESP marker.
    public static func ike(source: IPAddress, destination: IPAddress, natTraversal: Bool = false,
                           message: [UInt8] = [UInt8](repeating: 0x11, count: 28)) -> [UInt8] {
        let port = natTraversal ? UDPHeader.natTraversalPort : UDPHeader.ikePort
        let payload = natTraversal ? [0, 0, 0, 0] + message : message
        return ip(source: source, destination: destination, protocolNumber: IPv4Header.protocolNumberUDP,
                  payload: udpDatagram(sourcePort: port, destinationPort: port, payload: payload))
    }

    /// A NAT-keepalive (RFC 3948 §2.3): UDP/4500 carrying the single byte 0xFF.
    public static func natKeepalive(source: IPAddress, destination: IPAddress) -> [UInt8] {
        ip(source: source, destination: destination, protocolNumber: IPv4Header.protocolNumberUDP,
           payload: udpDatagram(sourcePort: UDPHeader.natTraversalPort, destinationPort: UDPHeader.natTraversalPort, payload: [0xFF]))
    }

    /// Marks an IPv4 datagram as a fragment (more-fragments set, offset `offset8` × 8) and
    /// fixes its checksum.
    public static func fragmentIPv4(_ packet: [UInt8], offset8: UInt16 = 0) -> [UInt8] {
        var p = packet
        let value = 0x2000 | offset8
        p[6] = UInt8(value >> 8); p[7] = UInt8(truncatingIfNeeded: value)
        p.withUnsafeMutableBytes { IPv4Header.updateChecksum($0.baseAddress!) }
        return p
    }
}
