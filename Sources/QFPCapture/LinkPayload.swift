/// What a link-layer frame carries, as `CaptureRecord.ipDatagram()` finds it.
public enum LinkPayload: Hashable, Sendable {
    /// An IP datagram of `version` (4 or 6) at `range`, in the indices of the frame (for a record,
    /// byte offsets in the file). The range ends where the IP header's length says when that is
    /// within the frame, so Ethernet padding is left out; a snapped datagram ends with the frame.
    case ip(version: UInt8, range: Range<Int>)
    /// Not IP (ARP, LLDP, ...): `protocolType` is the EtherType, or the address family for
    /// NULL/LOOP, or `nil` when the link layer names none (a raw frame of another version).
    /// Not an error: a replay counts and skips these.
    case notIP(protocolType: UInt32?)
}

/// EtherTypes and address families this module recognises.
enum LinkConstants {
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// 802.1Q, 802.1ad, and the pre-standard QinQ tag.
    static let vlanTagProtocols: [UInt16] = [0x8100, 0x88A8, 0x9100]
    static let maximumVLANTags = 2
    static let ethernetHeaderLength = 14
    static let sllHeaderLength = 16
    static let sll2HeaderLength = 20
    static let addressFamilyIPv4: UInt32 = 2
    /// AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, Darwin.
    static let addressFamiliesIPv6: [UInt32] = [10, 24, 28, 30]
}

extension CaptureRecord {
    /// Finds the IP datagram in the record's frame according to its link type.
    ///
    /// Ethernet with up to two VLAN tags, Linux cooked v1 and v2, raw IP, IPv4, IPv6, NULL and
    /// LOOP are understood. Allocates nothing.
    ///
    /// - Throws: `CaptureError` (with this record's number and offset) for a frame shorter than
    ///   its link-layer header or a link type not listed above.
    public func ipDatagram() throws(CaptureError) -> LinkPayload {
        do {
            return try linkType.ipDatagram(in: bytes)
        } catch {
            throw CaptureError(record: index, offset: fileOffset, reason: error.reason)
        }
    }
}

extension LinkType {
    /// Finds the IP datagram in `frame`, a packet that starts with this link type's header.
    ///
    /// - Throws: `CaptureError` with `record == nil` and the frame's start index as offset.
    public func ipDatagram(in frame: ArraySlice<UInt8>) throws(CaptureError) -> LinkPayload {
        let base = frame.startIndex
        let found = frame.withUnsafeBytes { buffer in
            Result { () throws(CaptureError) in try payload(of: buffer) }
        }
        switch found {
        case .success(.ip(let version, let range)):
            return .ip(version: version, range: range.lowerBound + base ..< range.upperBound + base)
        case .success(let other):
            return other
        case .failure(let error):
            throw CaptureError(record: nil, offset: base, reason: error.reason)
        }
    }

    /// The payload of `frame` (a packet that starts with this link type's header), with ranges
    /// relative to `frame`. Allocates nothing: live ports (QFPPort) decapsulate every received
    /// frame with it, so that a port and a replay of the same frames count alike.
    ///
    /// - Throws: `CaptureError` with `record == nil` and offset 0 for a frame shorter than its
    ///   link-layer header or a link type not listed under `CaptureRecord.ipDatagram()`.
    public func payload(of frame: UnsafeRawBufferPointer) throws(CaptureError) -> LinkPayload {
        func need(_ length: Int) throws(CaptureError) {
            if frame.count < length {
                throw CaptureError(record: nil, offset: 0,
                                   reason: .truncatedLinkHeader(self, needed: length, available: frame.count))
            }
        }
        switch self {
        case .ethernet:
            try need(LinkConstants.ethernetHeaderLength)
            var position = LinkConstants.ethernetHeaderLength
            var etherType = frame.uint16(at: 12, bigEndian: true)
            for _ in 0 ..< LinkConstants.maximumVLANTags where LinkConstants.vlanTagProtocols.contains(etherType) {
                try need(position + 4)
                etherType = frame.uint16(at: position + 2, bigEndian: true)
                position += 4
            }
            return Self.byEtherType(etherType, frame, at: position)
        case .linuxSLL:
            try need(LinkConstants.sllHeaderLength)
            return Self.byEtherType(frame.uint16(at: 14, bigEndian: true), frame, at: LinkConstants.sllHeaderLength)
        case .linuxSLL2:
            try need(LinkConstants.sll2HeaderLength)
            return Self.byEtherType(frame.uint16(at: 0, bigEndian: true), frame, at: LinkConstants.sll2HeaderLength)
        case .raw:
            try need(1)
            switch frame[0] >> 4 {
            case 4: return Self.datagram(version: 4, frame, at: 0)
            case 6: return Self.datagram(version: 6, frame, at: 0)
            default: return .notIP(protocolType: nil)
            }
        case .ipv4:
            return Self.datagram(version: 4, frame, at: 0)
        case .ipv6:
            return Self.datagram(version: 6, frame, at: 0)
        case .null, .loop:
            try need(4)
            // NULL is in the capturing host's byte order: the small reading is the right one.
            let big = frame.uint32(at: 0, bigEndian: true)
            let little = frame.uint32(at: 0, bigEndian: false)
            let family = self == .loop || big <= 0xFFFF ? big : little
            if family == LinkConstants.addressFamilyIPv4 { return Self.datagram(version: 4, frame, at: 4) }
            if LinkConstants.addressFamiliesIPv6.contains(family) { return Self.datagram(version: 6, frame, at: 4) }
            return .notIP(protocolType: family)
        default:
            throw CaptureError(record: nil, offset: 0, reason: .unsupportedLinkType(self))
        }
    }

    private static func byEtherType(_ etherType: UInt16, _ frame: UnsafeRawBufferPointer, at start: Int) -> LinkPayload {
        switch etherType {
        case LinkConstants.etherTypeIPv4: datagram(version: 4, frame, at: start)
        case LinkConstants.etherTypeIPv6: datagram(version: 6, frame, at: start)
        default: .notIP(protocolType: UInt32(etherType))
        }
    }

    /// The datagram from `start`, cut at the length its header states when that is within the frame.
    private static func datagram(version: UInt8, _ frame: UnsafeRawBufferPointer, at start: Int) -> LinkPayload {
        let available = frame.count - start
        var length = available
        if version == 4, available >= 4 {
            let total = Int(frame.uint16(at: start + 2, bigEndian: true))
            if total >= 20, total <= available { length = total }
        } else if version == 6, available >= 6 {
            // A zero payload length is a jumbogram (or nonsense): keep the whole frame.
            let payload = Int(frame.uint16(at: start + 4, bigEndian: true))
            if payload > 0, 40 + payload <= available { length = 40 + payload }
        }
        return .ip(version: version, range: start ..< start + length)
    }
}
