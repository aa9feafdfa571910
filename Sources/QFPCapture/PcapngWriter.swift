/// Writes a pcapng file (one little-endian section) into a growing byte buffer, with an
/// optional comment on each packet.
///
/// The Section Header Block is written at `init`; an Interface Description Block (nanosecond
/// timestamps, `if_tsresol` 9) is written before the first packet of each link type. Made for
/// captures of what the router drops, with the drop reason as the packet comment:
///
///     writer.append(packet, timestampNanoseconds: now,
///                   comment: "IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI")
///
/// Stream with `flush(to:)` as with `PcapWriter`. After warm-up, appending a packet allocates
/// nothing (a comment that is a native Swift string is copied from its own storage).
public struct PcapngWriter: Sendable {
    /// Packets longer than this are cut to it; their original length is kept.
    public let snapLength: Int
    /// The bytes not yet flushed (all of them, for a writer never flushed).
    public private(set) var bytes: [UInt8]
    /// The number of packets appended.
    public private(set) var recordsWritten = 0
    /// The link type of each interface described so far, by interface id.
    public private(set) var interfaces: [LinkType] = []

    /// The longest comment kept, in UTF-8 bytes (an option length is 16 bits).
    public static let maximumCommentLength = 65_532
    static let sectionHeaderLength: UInt32 = 28
    static let interfaceDescriptionLength: UInt32 = 32
    static let packetBlockOverhead = 32
    static let nanosecondResolution: UInt8 = 9

    /// A writer whose buffer holds the Section Header Block.
    ///
    /// - Parameters:
    ///   - snapLength: the longest captured length, at most `CaptureReader.maximumCapturedLength`.
    ///   - capacity: bytes to reserve in the buffer.
    public init(snapLength: Int = CaptureReader.maximumCapturedLength, reservingCapacity capacity: Int = 65_536) {
        self.snapLength = max(0, min(snapLength, CaptureReader.maximumCapturedLength))
        bytes = []
        bytes.reserveCapacity(max(capacity, Int(Self.sectionHeaderLength)))
        bytes.appendLittleEndian(PcapngBlockType.sectionHeader)
        bytes.appendLittleEndian(Self.sectionHeaderLength)
        bytes.appendLittleEndian(0x1A2B_3C4D as UInt32)
        bytes.appendLittleEndian(1 as UInt16)  // major
        bytes.appendLittleEndian(0 as UInt16)  // minor
        bytes.appendLittleEndian(UInt32.max)   // section length -1 (unknown), 64 bits
        bytes.appendLittleEndian(UInt32.max)
        bytes.appendLittleEndian(Self.sectionHeaderLength)
    }

    /// Appends an Enhanced Packet Block, preceded by an Interface Description Block when
    /// `linkType` is new.
    ///
    /// - Parameters:
    ///   - packet: the packet, starting with the link-layer header of `linkType`.
    ///   - linkType: what the packet starts with; `.raw` (IP first) by default.
    ///   - timestampNanoseconds: nanoseconds since 1970.
    ///   - originalLength: the length on the wire, when more than was captured.
    ///   - comment: an `opt_comment`, cut to `maximumCommentLength` bytes at a character boundary.
    public mutating func append(_ packet: UnsafeRawBufferPointer, linkType: LinkType = .raw, timestampNanoseconds: UInt64,
                                originalLength: Int? = nil, comment: String? = nil) {
        let interface = interfaceID(for: linkType)
        let captured = min(packet.count, snapLength)
        let original = max(originalLength ?? packet.count, captured)
        let paddedData = (captured + 3) & ~3
        guard var comment else {
            appendPacketHeader(interface, Self.packetBlockOverhead + paddedData, timestampNanoseconds, captured, original)
            appendData(packet, captured)
            bytes.appendLittleEndian(UInt32(Self.packetBlockOverhead + paddedData))
            recordsWritten += 1
            return
        }
        comment.withUTF8 { text in
            var length = min(text.count, Self.maximumCommentLength)
            // Do not cut inside a UTF-8 sequence: back up over continuation bytes.
            while length < text.count, length > 0, text[length] & 0xC0 == 0x80 { length -= 1 }
            let blockLength = Self.packetBlockOverhead + paddedData + 4 + ((length + 3) & ~3) + 4
            appendPacketHeader(interface, blockLength, timestampNanoseconds, captured, original)
            appendData(packet, captured)
            bytes.appendLittleEndian(PcapngOption.comment)
            bytes.appendLittleEndian(UInt16(length))
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<length]))
            bytes.appendPadding(after: length)
            bytes.appendLittleEndian(PcapngOption.endOfOptions)
            bytes.appendLittleEndian(0 as UInt16)
            bytes.appendLittleEndian(UInt32(blockLength))
        }
        recordsWritten += 1
    }

    /// Appends a packet; see `append(_:linkType:timestampNanoseconds:originalLength:comment:)`.
    public mutating func append(_ packet: [UInt8], linkType: LinkType = .raw, timestampNanoseconds: UInt64,
                                originalLength: Int? = nil, comment: String? = nil) {
        packet.withUnsafeBytes {
            append($0, linkType: linkType, timestampNanoseconds: timestampNanoseconds,
                   originalLength: originalLength, comment: comment)
        }
    }

    /// Appends a packet; see `append(_:linkType:timestampNanoseconds:originalLength:comment:)`.
    public mutating func append(_ packet: ArraySlice<UInt8>, linkType: LinkType = .raw, timestampNanoseconds: UInt64,
                                originalLength: Int? = nil, comment: String? = nil) {
        packet.withUnsafeBytes {
            append($0, linkType: linkType, timestampNanoseconds: timestampNanoseconds,
                   originalLength: originalLength, comment: comment)
        }
    }

    /// Hands the pending bytes to `sink` and empties the buffer, keeping its capacity.
    ///
    /// When `sink` throws, the bytes stay pending.
    public mutating func flush<Failure: Error>(to sink: ([UInt8]) throws(Failure) -> Void) throws(Failure) {
        try sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func interfaceID(for linkType: LinkType) -> UInt32 {
        if let known = interfaces.firstIndex(of: linkType) { return UInt32(known) }
        interfaces.append(linkType)
        bytes.appendLittleEndian(PcapngBlockType.interfaceDescription)
        bytes.appendLittleEndian(Self.interfaceDescriptionLength)
        bytes.appendLittleEndian(UInt16(truncatingIfNeeded: linkType.rawValue))
        bytes.appendLittleEndian(0 as UInt16)  // reserved
        bytes.appendLittleEndian(UInt32(snapLength))
        bytes.appendLittleEndian(PcapngOption.ifTsresol)
        bytes.appendLittleEndian(1 as UInt16)
        bytes.append(Self.nanosecondResolution)
        bytes.appendPadding(after: 1)
        bytes.appendLittleEndian(PcapngOption.endOfOptions)
        bytes.appendLittleEndian(0 as UInt16)
        bytes.appendLittleEndian(Self.interfaceDescriptionLength)
        return UInt32(interfaces.count - 1)
    }

    private mutating func appendPacketHeader(_ interface: UInt32, _ blockLength: Int, _ timestamp: UInt64,
                                             _ captured: Int, _ original: Int) {
        bytes.appendLittleEndian(PcapngBlockType.enhancedPacket)
        bytes.appendLittleEndian(UInt32(blockLength))
        bytes.appendLittleEndian(interface)
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp >> 32))
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp))
        bytes.appendLittleEndian(UInt32(captured))
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: original))
    }

    private mutating func appendData(_ packet: UnsafeRawBufferPointer, _ captured: Int) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: packet[..<captured]))
        bytes.appendPadding(after: captured)
    }
}
