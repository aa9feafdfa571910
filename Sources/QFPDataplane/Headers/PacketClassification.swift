/// What a packet is, as far as the IPsec data plane cares.
public enum PacketKind: UInt8, Sendable, BitwiseCopyable {
    /// The IP header is truncated or inconsistent (version, IHL, lengths) or a UDP header is.
    case malformed
    /// An IP fragment carrying ESP or ESP-in-UDP: IPsec applies to whole datagrams.
    case fragment
    /// ESP (IP protocol 50) with SPI and sequence number present.
    case esp
    /// ESP inside UDP/4500 (RFC 3948) with SPI and sequence number present.
    case espInUDP
    /// ESP or ESP-in-UDP too short to hold SPI and sequence number.
    case espRunt
    /// IKE: UDP/500, or UDP/4500 beginning with the four-zero-byte non-ESP marker.
    case ike
    /// A NAT-keepalive: UDP/4500 with the single payload byte 0xFF.
    case natKeepalive
    /// Anything else: clear traffic for the outbound policy check.
    case clear
}

/// The result of parsing a packet's outer headers: the fields stages need, nothing copied.
@frozen
public struct PacketClassification: Sendable {
    public var kind: PacketKind
    /// 4 or 6 (0 when the version is unknown).
    public var ipVersion: UInt8
    /// Upper-layer protocol after extension headers (50, 17, 6, ...).
    public var protocolNumber: UInt8
    /// IPv4 header was a fragment / IPv6 carried a Fragment header.
    public var isFragment: Bool
    /// Length of the IP datagram per its header (bytes after it, e.g. link padding, are ignored).
    public var ipLength: UInt16
    /// Offset of the upper-layer header (IPv4 IHL×4, or IPv6 40 + extension headers).
    public var l4Offset: UInt16
    /// Offset of the ESP header (ESP and ESP-in-UDP only).
    public var espOffset: UInt16
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var spi: UInt32
    public var sequenceNumber: UInt32
    public var source: IPAddress
    public var destination: IPAddress

    @inlinable
    public init() {
        kind = .malformed; ipVersion = 0; protocolNumber = 0; isFragment = false
        ipLength = 0; l4Offset = 0; espOffset = 0; sourcePort = 0; destinationPort = 0
        spi = 0; sequenceNumber = 0
        source = IPAddress(high: 0, low: 0); destination = IPAddress(high: 0, low: 0)
    }
}

/// Parses outer IPv4/IPv6, UDP and ESP headers of one packet. Never traps on any input.
public enum PacketClassifier {
    /// Classifies the `length` bytes at `p`.
    @inlinable
    public static func classify(_ p: UnsafeRawPointer, length: Int) -> PacketClassification {
        var c = PacketClassification()
        if length < 1 { return c }
        let version = p.load(as: UInt8.self) >> 4
        var l4: Int
        var end: Int
        if version == 4 {
            c.ipVersion = 4
            if IPv4Header.validate(p, available: length) != .valid { return c }
            let ip = IPv4Header(p)
            end = ip.totalLength
            l4 = ip.headerLength
            c.protocolNumber = ip.protocolNumber
            c.isFragment = ip.isFragment
            c.source = ip.source
            c.destination = ip.destination
            if c.isFragment && ip.fragmentOffset != 0 {
                // A later fragment has no upper-layer header: ESP ones need IPsec (which the
                // emulator does not reassemble for); others, UDP included, are clear traffic.
                c.ipLength = UInt16(truncatingIfNeeded: end)
                c.l4Offset = UInt16(truncatingIfNeeded: l4)
                c.kind = c.protocolNumber == IPv4Header.protocolNumberESP ? .fragment : .clear
                return c
            }
        } else if version == 6 {
            c.ipVersion = 6
            if length < IPv6Header.length { return c }
            let ip = IPv6Header(p)
            let payload = ip.payloadLength
            end = IPv6Header.length &+ payload
            if payload == 0 || end > length { return c }  // jumbograms are not supported
            let upper = ip.walk(end: end)
            if upper.malformed { return c }
            l4 = upper.offset
            c.protocolNumber = upper.protocolNumber
            c.isFragment = upper.isFragment
            c.source = ip.source
            c.destination = ip.destination
            if upper.isFragment && !upper.isFirstFragment {
                c.ipLength = UInt16(truncatingIfNeeded: end)
                c.l4Offset = UInt16(truncatingIfNeeded: l4)
                c.kind = c.protocolNumber == IPv4Header.protocolNumberESP ? .fragment : .clear
                return c
            }
        } else {
            return c
        }
        c.ipLength = UInt16(truncatingIfNeeded: end)
        c.l4Offset = UInt16(truncatingIfNeeded: l4)
        let remaining = end &- l4

        switch c.protocolNumber {
        case IPv4Header.protocolNumberESP:
            if c.isFragment { c.kind = .fragment; return c }
            if remaining < ESPHeader.length { c.kind = .espRunt; return c }
            let esp = ESPHeader(p + l4)
            c.espOffset = UInt16(truncatingIfNeeded: l4)
            c.spi = esp.spi
            c.sequenceNumber = esp.sequenceNumber
            c.kind = .esp
        case IPv4Header.protocolNumberUDP:
            if remaining < UDPHeader.length { c.kind = .malformed; return c }
            let udp = UDPHeader(p + l4)
            c.sourcePort = udp.sourcePort
            c.destinationPort = udp.destinationPort
            if c.isFragment {
                // A first fragment: only part of the UDP payload is here, so no length check.
                let ipsecPort = c.destinationPort == UDPHeader.ikePort
                    || c.destinationPort == UDPHeader.natTraversalPort
                c.kind = ipsecPort ? .fragment : .clear
                return c
            }
            let udpLength = udp.lengthField
            if udpLength < UDPHeader.length || udpLength > remaining { c.kind = .malformed; return c }
            if c.destinationPort == UDPHeader.ikePort { c.kind = .ike; return c }
            guard c.destinationPort == UDPHeader.natTraversalPort else { c.kind = .clear; return c }
            let payload = p + (l4 &+ UDPHeader.length)
            let payloadLength = udpLength &- UDPHeader.length
            if payloadLength == 1 && payload.load(as: UInt8.self) == 0xFF {
                c.kind = .natKeepalive
            } else if payloadLength >= 4 && payload.loadUnaligned(as: UInt32.self) == 0 {
                c.kind = .ike
            } else if payloadLength < ESPHeader.length {
                c.kind = .espRunt
            } else {
                let esp = ESPHeader(payload)
                c.espOffset = UInt16(truncatingIfNeeded: l4 &+ UDPHeader.length)
                c.spi = esp.spi
                c.sequenceNumber = esp.sequenceNumber
                c.kind = .espInUDP
            }
        default:
            // TCP (6) and SCTP (132) carry ports first, like UDP; they select outbound policy.
            if (c.protocolNumber == 6 || c.protocolNumber == 132) && remaining >= 4 {
                c.sourcePort = UInt16(bigEndian: (p + l4).loadUnaligned(as: UInt16.self))
                c.destinationPort = UInt16(bigEndian: (p + l4).loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            }
            c.kind = .clear
        }
        return c
    }
}
