/// The wire format of the IKE messages qfp's router sends: `IKEMessage` to ISAKMP/IKE bytes and
/// back, and (in IKEWire+Datagram.swift) whole IPv4/IPv6 + UDP packets.
///
/// **IKEv1** (RFC 2408/2409, DPD RFC 3706): an Informational exchange (5), `HDR, HASH(1), N/D`.
/// Real IOS encrypts Informational messages once phase 1 is up (`HDR*`); qfp's emulated IKE has
/// no keying material, so the Encryption flag is left clear and the payloads go in the clear —
/// which is also what lets Wireshark/tshark show them. For the same reason HASH(1), really
/// `prf(SKEYID_a, M-ID | N/D)`, is a keyless placeholder: 20 bytes of a deterministic,
/// non-cryptographic digest of the same input (`placeholderHash`). `decode` checks it, which
/// catches corruption but authenticates nothing.
///
/// **IKEv2** (RFC 7296): an INFORMATIONAL exchange (37) whose Delete / Notify payloads sit in an
/// Encrypted (SK, 46) payload, as on a real IKE SA, but with ENCR_NULL and no integrity
/// (AUTH_NONE): no IV, the inner payloads in the clear, no padding, a Pad Length byte of 0, no
/// ICV. ENCR_NULL is not a legal IKE SA cipher (RFC 7296 allows it for ESP only); it is the
/// keyless stand-in that keeps the real payload structure. tshark decodes it given an
/// `ikev2_decryption_table` entry with the two SPIs, empty keys, "NULL [RFC2410]" and
/// "NONE [RFC4306]" (see `tsharkDecryptionOption`). `decode` also accepts the same payloads
/// unprotected (RFC 7296 §1.5 allows an unprotected INVALID_SPI as a hint).
///
/// What the wire does not carry is not round-tripped; `canonical(_:)` says what `decode` gives
/// back for a message `encode` wrote.
public enum IKEWire {
    /// ISAKMP/IKE header length.
    public static let headerLength = 28
    /// The most ESP SPIs one Delete may list: keeps every message (IKEv1 or IKEv2, with the
    /// NAT-T marker) inside one UDP datagram. `encode` traps beyond it; the router never deletes
    /// that many SAs at once.
    public static let maximumDeleteSPIs = 16_000
    /// The length of qfp's IKEv1 HASH(1) placeholder (a SHA-1 sized HASH).
    public static let hashLength = 20

    /// Payload type numbers (IKEv1 RFC 2408 §3.1, IKEv2 RFC 7296 §3.2).
    public enum PayloadType {
        public static let none: UInt8 = 0
        public static let hash: UInt8 = 8
        public static let notificationV1: UInt8 = 11
        public static let deleteV1: UInt8 = 12
        public static let notifyV2: UInt8 = 41
        public static let deleteV2: UInt8 = 42
        public static let encrypted: UInt8 = 46
    }

    /// Exchange type numbers.
    public enum ExchangeType {
        /// IKEv1 Informational (RFC 2408 §4.8).
        public static let informationalV1: UInt8 = 5
        /// IKEv2 INFORMATIONAL (RFC 7296 §1.4).
        public static let informationalV2: UInt8 = 37
    }

    /// Notify message types used here.
    public enum NotifyType {
        /// INVALID-SPI (IKEv1) / INVALID_SPI (IKEv2).
        public static let invalidSPI: UInt16 = 11
        /// RFC 3706 R-U-THERE.
        public static let rUThere: UInt16 = 36136
        /// RFC 3706 R-U-THERE-ACK.
        public static let rUThereAck: UInt16 = 36137
    }

    /// Protocol-ID values: IKEv1 1 = PROTO_ISAKMP, IKEv2 1 = IKE; 3 = ESP in both.
    public enum ProtocolID {
        public static let none: UInt8 = 0
        public static let ike: UInt8 = 1
        public static let esp: UInt8 = 3
    }

    /// IKEv1 header flags (RFC 2408 §3.1).
    public enum FlagsV1 {
        public static let encryption: UInt8 = 0x01
    }

    /// IKEv2 header flags (RFC 7296 §3.1).
    public enum FlagsV2 {
        public static let initiator: UInt8 = 0x08
        public static let response: UInt8 = 0x20
    }

    /// The IPsec DOI (RFC 2407).
    public static let ipsecDOI: UInt32 = 1

    // MARK: - Encode

    /// The ISAKMP (IKEv1) or IKE (IKEv2) message bytes of `m`, header included.
    public static func encode(_ m: IKEMessage) -> [UInt8] {
        switch m.version {
        case .ikev1: encodeV1(m)
        case .ikev2: encodeV2(m)
        }
    }

    static func encodeV1(_ m: IKEMessage) -> [UInt8] {
        var content: [UInt8] = []
        let type: UInt8
        let cookies = cookieBytes(m)
        content.appendWire(ipsecDOI)
        switch m.body {
        case let .deleteESP(spis):
            precondition(spis.count <= maximumDeleteSPIs, "IKEWire: more than \(maximumDeleteSPIs) SPIs in one Delete")
            type = PayloadType.deleteV1
            content += [ProtocolID.esp, 4]
            content.appendWire(UInt16(spis.count))
            for spi in spis { content.appendWire(spi) }
        case .deleteIKE:
            type = PayloadType.deleteV1
            content += [ProtocolID.ike, 16]
            content.appendWire(1 as UInt16)
            content += cookies
        case let .invalidSPI(spi):
            type = PayloadType.notificationV1
            content += [ProtocolID.esp, 4]
            content.appendWire(NotifyType.invalidSPI)
            content.appendWire(spi)
        case let .dpdRequest(sequence):
            type = PayloadType.notificationV1
            dpd(NotifyType.rUThere, sequence)
        case let .dpdResponse(sequence):
            type = PayloadType.notificationV1
            dpd(NotifyType.rUThereAck, sequence)
        }
        /// RFC 3706: protocol ISAKMP, SPI = the cookies, data = the sequence number.
        func dpd(_ notify: UInt16, _ sequence: UInt32) {
            content += [ProtocolID.ike, 16]
            content.appendWire(notify)
            content += cookies
            content.appendWire(sequence)
        }
        let payload = genericPayload(next: PayloadType.none, content)
        let hash = genericPayload(next: type, placeholderHash(messageID: m.messageID, payload: payload[...]))
        // Flags 0: the Encryption flag is clear on purpose, see the type's documentation.
        return header(m, next: PayloadType.hash, version: 0x10, exchange: ExchangeType.informationalV1,
                      flags: 0, payloadBytes: hash.count + payload.count) + hash + payload
    }

    static func encodeV2(_ m: IKEMessage) -> [UInt8] {
        var inner: [UInt8] = []
        var first = PayloadType.none
        var response = m.isResponse
        switch m.body {
        case let .deleteESP(spis):
            precondition(spis.count <= maximumDeleteSPIs, "IKEWire: more than \(maximumDeleteSPIs) SPIs in one Delete")
            first = PayloadType.deleteV2
            var content: [UInt8] = [ProtocolID.esp, 4]
            content.appendWire(UInt16(spis.count))
            for spi in spis { content.appendWire(spi) }
            inner = genericPayload(next: PayloadType.none, content)
        case .deleteIKE:
            first = PayloadType.deleteV2
            inner = genericPayload(next: PayloadType.none, [ProtocolID.ike, 0, 0, 0])
        case let .invalidSPI(spi):
            first = PayloadType.notifyV2
            var content: [UInt8] = [ProtocolID.none, 0]
            content.appendWire(NotifyType.invalidSPI)
            content.appendWire(spi)
            inner = genericPayload(next: PayloadType.none, content)
        case .dpdRequest:
            response = false
        case .dpdResponse:
            response = true
        }
        // SK with ENCR_NULL and AUTH_NONE: no IV, plaintext, no padding, Pad Length 0, no ICV.
        let sk = genericPayload(next: first, inner + [0])
        let flags = (m.fromInitiator ? FlagsV2.initiator : 0) | (response ? FlagsV2.response : 0)
        return header(m, next: PayloadType.encrypted, version: 0x20, exchange: ExchangeType.informationalV2,
                      flags: flags, payloadBytes: sk.count) + sk
    }

    static func header(_ m: IKEMessage, next: UInt8, version: UInt8, exchange: UInt8, flags: UInt8,
                       payloadBytes: Int) -> [UInt8] {
        var h: [UInt8] = []
        h.reserveCapacity(headerLength + payloadBytes)
        h.appendWire(m.initiatorSPI)
        h.appendWire(m.responderSPI)
        h += [next, version, exchange, flags]
        h.appendWire(m.messageID)
        h.appendWire(UInt32(headerLength + payloadBytes))
        return h
    }

    /// A payload: Next Payload, a zero RESERVED / critical byte, Payload Length, `content`.
    static func genericPayload(next: UInt8, _ content: [UInt8]) -> [UInt8] {
        var p: [UInt8] = [next, 0]
        p.reserveCapacity(4 + content.count)
        p.appendWire(UInt16(4 + content.count))
        return p + content
    }

    /// ICookie | RCookie: the 16-byte SPI of an IKEv1 ISAKMP SA.
    static func cookieBytes(_ m: IKEMessage) -> [UInt8] {
        var c: [UInt8] = []
        c.reserveCapacity(16)
        c.appendWire(m.initiatorSPI)
        c.appendWire(m.responderSPI)
        return c
    }

    /// qfp's stand-in for IKEv1 HASH(1) = prf(SKEYID_a, M-ID | N/D): five 32-bit FNV-1a lanes
    /// (each with its own basis) over the big-endian message ID and the whole N/D payload,
    /// each finished with a murmur3 mix. Deterministic and keyless: it authenticates nothing.
    public static func placeholderHash(messageID: UInt32, payload: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hashLength)
        for lane in 0..<UInt32(hashLength / 4) {
            var h: UInt32 = 0x811C_9DC5 ^ (lane &* 0x9E37_79B9)
            func mix(_ byte: UInt8) {
                h ^= UInt32(byte)
                h = h &* 0x0100_0193
            }
            for shift in stride(from: 24, through: 0, by: -8) { mix(UInt8(truncatingIfNeeded: messageID >> UInt32(shift))) }
            for byte in payload { mix(byte) }
            h ^= h >> 16
            h = h &* 0x85EB_CA6B
            h ^= h >> 13
            h = h &* 0xC2B2_AE35
            h ^= h >> 16
            out.appendWire(h)
        }
        return out
    }

    /// The `-o` argument that lets tshark (Wireshark 4.x) open the ENCR_NULL/AUTH_NONE SK payload
    /// of IKEv2 messages with these SPIs: `uat:ikev2_decryption_table:SPIi,SPIr,,,"NULL [RFC2410]",,,"NONE [RFC4306]"`.
    public static func tsharkDecryptionOption(initiatorSPI: UInt64, responderSPI: UInt64) -> String {
        "uat:ikev2_decryption_table:\(hex16(initiatorSPI)),\(hex16(responderSPI)),,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\""
    }

    static func hex16(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: - Canonical form

    /// `m` as `decode(encode(m))` returns it: the fields the wire does not carry are reset.
    ///
    /// - IKEv1 has no initiator or response flag: `fromInitiator` is false, `isResponse` is true
    ///   for R-U-THERE-ACK only.
    /// - IKEv2 DPD is an empty INFORMATIONAL: the request/response kind is the R flag, and the
    ///   only sequence number is the Message ID, so `sequence` becomes `messageID`. Any other
    ///   empty INFORMATIONAL (the response to a Delete of the IKE SA, say) decodes as DPD too.
    public static func canonical(_ m: IKEMessage) -> IKEMessage {
        var c = m
        switch (m.version, m.body) {
        case (.ikev1, .dpdResponse):
            c.fromInitiator = false
            c.isResponse = true
        case (.ikev1, _):
            c.fromInitiator = false
            c.isResponse = false
        case (.ikev2, .dpdRequest):
            c.isResponse = false
            c.body = .dpdRequest(sequence: m.messageID)
        case (.ikev2, .dpdResponse):
            c.isResponse = true
            c.body = .dpdResponse(sequence: m.messageID)
        case (.ikev2, _):
            break
        }
        return c
    }

    // MARK: - Decode

    /// The message in `bytes` (exactly one IKE message, header first). Throws on anything that
    /// is not one of the messages `encode` writes (modulo `canonical`); never traps.
    public static func decode(_ bytes: [UInt8]) throws(IKEWireError) -> IKEMessage {
        guard bytes.count >= headerLength else { throw .truncatedHeader(length: bytes.count) }
        let declared = Int(bytes.wireUInt32(at: 24))
        guard declared == bytes.count else { throw .badLength(declared: declared, actual: bytes.count) }
        let version = bytes[17]
        switch version >> 4 {
        case 1: return try decodeV1(bytes)
        case 2: return try decodeV2(bytes)
        default: throw .unsupportedVersion(version)
        }
    }

    /// A payload found in a chain: its type and the range of its content (after the 4-byte
    /// generic header).
    struct Payload {
        var type: UInt8
        var start: Int
        var content: Range<Int>
    }

    /// Walks a payload chain starting with type `first` at `offset`, which must end exactly at `end`.
    static func chain(_ b: [UInt8], first: UInt8, from offset: Int, to end: Int) throws(IKEWireError) -> [Payload] {
        var payloads: [Payload] = []
        var type = first
        var at = offset
        while type != PayloadType.none {
            guard at + 4 <= end else { throw .truncatedPayload(offset: at) }
            let length = Int(b.wireUInt16(at: at + 2))
            guard length >= 4, at + length <= end else { throw .badPayloadLength(offset: at, length: length) }
            payloads.append(Payload(type: type, start: at, content: (at + 4)..<(at + length)))
            // Nothing here chains more than 2 payloads; stop early on long chains.
            guard payloads.count <= 8 else { throw .unknownPayloadChain(payloads.map(\.type)) }
            type = b[at]
            at += length
        }
        guard at == end else { throw .badPayloadLength(offset: at, length: end - at) }
        return payloads
    }

    static func decodeV1(_ b: [UInt8]) throws(IKEWireError) -> IKEMessage {
        guard b[18] == ExchangeType.informationalV1 else { throw .unsupportedExchange(version: .ikev1, exchange: b[18]) }
        guard b[19] & FlagsV1.encryption == 0 else { throw .encrypted }
        let payloads = try chain(b, first: b[16], from: headerLength, to: b.count)
        let types = payloads.map(\.type)
        guard payloads.count == 2, types[0] == PayloadType.hash,
              types[1] == PayloadType.notificationV1 || types[1] == PayloadType.deleteV1
        else { throw .unknownPayloadChain(types) }
        let messageID = b.wireUInt32(at: 20)
        let hash = payloads[0].content
        let body = payloads[1]
        guard hash.count == hashLength else {
            throw .malformedPayload(type: PayloadType.hash, reason: "\(hash.count) bytes of hash data, qfp's HASH(1) has \(hashLength)")
        }
        guard b[hash].elementsEqual(placeholderHash(messageID: messageID, payload: b[body.start..<body.content.upperBound]))
        else { throw .hashMismatch }
        var m = IKEMessage(version: .ikev1, initiatorSPI: b.wireUInt64(at: 0), responderSPI: b.wireUInt64(at: 8),
                           messageID: messageID, fromInitiator: false, body: .deleteIKE)
        let cookies = b[0..<16]
        let c = body.content
        func malformed(_ reason: String) -> IKEWireError { .malformedPayload(type: body.type, reason: reason) }
        guard c.count >= 8 else { throw malformed("\(c.count) bytes, need at least 8") }
        guard b.wireUInt32(at: c.lowerBound) == ipsecDOI else { throw malformed("DOI \(b.wireUInt32(at: c.lowerBound)), need 1 (IPsec)") }
        let protocolID = b[c.lowerBound + 4]
        let spiSize = Int(b[c.lowerBound + 5])
        let field = b.wireUInt16(at: c.lowerBound + 6)  // #SPIs (Delete) or Notify Message Type
        if body.type == PayloadType.deleteV1 {
            let count = Int(field)
            guard c.count == 8 + spiSize * count else { throw malformed("length \(c.count) for \(count) SPIs of \(spiSize) bytes") }
            switch (protocolID, spiSize) {
            case (ProtocolID.esp, 4):
                m.body = .deleteESP(spis: (0..<count).map { b.wireUInt32(at: c.lowerBound + 8 + 4 * $0) })
            case (ProtocolID.ike, 16) where count == 1:
                guard b[(c.lowerBound + 8)..<(c.lowerBound + 24)].elementsEqual(cookies) else {
                    throw malformed("ISAKMP SPI is not the header's cookies")
                }
                m.body = .deleteIKE
            default:
                throw malformed("Delete of protocol \(protocolID), SPI size \(spiSize), \(count) SPIs")
            }
            return m
        }
        let spiRange = (c.lowerBound + 8)..<min(c.lowerBound + 8 + spiSize, c.upperBound)
        guard spiRange.count == spiSize else { throw malformed("SPI of \(spiSize) bytes runs past the payload") }
        let data = spiRange.upperBound..<c.upperBound
        switch field {
        case NotifyType.invalidSPI:
            guard protocolID == ProtocolID.esp, spiSize == 4, data.isEmpty else {
                throw malformed("INVALID-SPI with protocol \(protocolID), SPI size \(spiSize), \(data.count) data bytes")
            }
            m.body = .invalidSPI(spi: b.wireUInt32(at: spiRange.lowerBound))
        case NotifyType.rUThere, NotifyType.rUThereAck:
            guard protocolID == ProtocolID.ike, spiSize == 16, data.count == 4 else {
                throw malformed("DPD notify with protocol \(protocolID), SPI size \(spiSize), \(data.count) data bytes")
            }
            guard b[spiRange].elementsEqual(cookies) else { throw malformed("DPD SPI is not the header's cookies") }
            let sequence = b.wireUInt32(at: data.lowerBound)
            if field == NotifyType.rUThere {
                m.body = .dpdRequest(sequence: sequence)
            } else {
                m.body = .dpdResponse(sequence: sequence)
                m.isResponse = true
            }
        default:
            throw malformed("notify message type \(field)")
        }
        return m
    }

    static func decodeV2(_ b: [UInt8]) throws(IKEWireError) -> IKEMessage {
        guard b[18] == ExchangeType.informationalV2 else { throw .unsupportedExchange(version: .ikev2, exchange: b[18]) }
        let flags = b[19]
        let messageID = b.wireUInt32(at: 20)
        var m = IKEMessage(version: .ikev2, initiatorSPI: b.wireUInt64(at: 0), responderSPI: b.wireUInt64(at: 8),
                           messageID: messageID, fromInitiator: flags & FlagsV2.initiator != 0,
                           isResponse: flags & FlagsV2.response != 0, body: .deleteIKE)
        var payloads: [Payload]
        if b[16] == PayloadType.encrypted {
            // The SK payload is last: its Next Payload names the first inner payload.
            guard b.count >= headerLength + 4 else { throw .truncatedPayload(offset: headerLength) }
            let length = Int(b.wireUInt16(at: headerLength + 2))
            guard length >= 4, headerLength + length == b.count else { throw .badPayloadLength(offset: headerLength, length: length) }
            let c = (headerLength + 4)..<b.count
            guard let padLength = c.last.map({ Int(b[$0]) }) else { throw .badEncryptedPayload("no Pad Length byte") }
            guard padLength <= c.count - 1 else { throw .badEncryptedPayload("pad length \(padLength) in \(c.count) bytes") }
            payloads = try chain(b, first: b[headerLength], from: c.lowerBound, to: c.upperBound - 1 - padLength)
        } else {
            payloads = try chain(b, first: b[16], from: headerLength, to: b.count)
        }
        let types = payloads.map(\.type)
        guard let p = payloads.first else {
            m.body = m.isResponse ? .dpdResponse(sequence: messageID) : .dpdRequest(sequence: messageID)
            return m
        }
        guard payloads.count == 1, p.type == PayloadType.deleteV2 || p.type == PayloadType.notifyV2 else {
            throw .unknownPayloadChain(types)
        }
        let c = p.content
        func malformed(_ reason: String) -> IKEWireError { .malformedPayload(type: p.type, reason: reason) }
        guard c.count >= 4 else { throw malformed("\(c.count) bytes, need at least 4") }
        let protocolID = b[c.lowerBound]
        let spiSize = Int(b[c.lowerBound + 1])
        let field = b.wireUInt16(at: c.lowerBound + 2)  // Num of SPIs (Delete) or Notify Message Type
        if p.type == PayloadType.deleteV2 {
            let count = Int(field)
            guard c.count == 4 + spiSize * count else { throw malformed("length \(c.count) for \(count) SPIs of \(spiSize) bytes") }
            switch (protocolID, spiSize) {
            case (ProtocolID.esp, 4):
                m.body = .deleteESP(spis: (0..<count).map { b.wireUInt32(at: c.lowerBound + 4 + 4 * $0) })
            case (ProtocolID.ike, 0) where count == 0:
                m.body = .deleteIKE
            default:
                throw malformed("Delete of protocol \(protocolID), SPI size \(spiSize), \(count) SPIs")
            }
            return m
        }
        guard field == NotifyType.invalidSPI else { throw malformed("notify message type \(field)") }
        guard protocolID == ProtocolID.none, spiSize == 0, c.count == 8 else {
            throw malformed("INVALID_SPI with protocol \(protocolID), SPI size \(spiSize), \(c.count - 4 - spiSize) data bytes")
        }
        m.body = .invalidSPI(spi: b.wireUInt32(at: c.lowerBound + 4))
        return m
    }
}

// MARK: - Big-endian bytes

extension Array where Element == UInt8 {
    /// Appends `value` in network byte order.
    mutating func appendWire<T: FixedWidthInteger>(_ value: T) {
        var v = value.bigEndian
        Swift.withUnsafeBytes(of: &v) { append(contentsOf: $0) }
    }

    /// The big-endian integer at `offset`; the caller has checked the bounds.
    func wireUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The big-endian integer at `offset`; the caller has checked the bounds.
    func wireUInt32(at offset: Int) -> UInt32 {
        UInt32(wireUInt16(at: offset)) << 16 | UInt32(wireUInt16(at: offset + 2))
    }

    /// The big-endian integer at `offset`; the caller has checked the bounds.
    func wireUInt64(at offset: Int) -> UInt64 {
        UInt64(wireUInt32(at: offset)) << 32 | UInt64(wireUInt32(at: offset + 4))
    }
}
