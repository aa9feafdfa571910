/// Writes a classic pcap file (version 2.4, little-endian) into a growing byte buffer.
///
/// The file header is written at `init`. Stream to a file by calling `flush(to:)` every so
/// often, which hands the pending bytes to a sink and empties the buffer keeping its capacity:
/// after warm-up, appending a packet allocates nothing.
///
///     var writer = PcapWriter(linkType: .ethernet)
///     writer.append(frame, timestampNanoseconds: now)
///     try writer.flush { bytes throws(CaptureFileError) in try file.write(bytes) }
public struct PcapWriter: Sendable {
    /// The timestamp unit of a classic pcap file, chosen by its magic number.
    public enum Resolution: Sendable {
        /// Magic 0xA1B2C3D4.
        case microseconds
        /// Magic 0xA1B23C4D.
        case nanoseconds
    }

    /// The link type of every packet, written in the file header.
    public let linkType: LinkType
    /// The timestamp unit.
    public let resolution: Resolution
    /// Packets longer than this are cut to it; their original length is kept.
    public let snapLength: Int
    /// The bytes not yet flushed (all of them, for a writer never flushed).
    public private(set) var bytes: [UInt8]
    /// The number of packets appended.
    public private(set) var recordsWritten = 0

    static let fileHeaderLength = 24
    static let recordHeaderLength = 16

    /// A writer whose buffer holds the file header.
    ///
    /// - Parameters:
    ///   - linkType: what packets start with; `.raw` (IP first) by default.
    ///   - resolution: microseconds (the classic default) or nanoseconds.
    ///   - snapLength: the longest captured length, at most `CaptureReader.maximumCapturedLength`.
    ///   - capacity: bytes to reserve in the buffer.
    public init(linkType: LinkType = .raw, resolution: Resolution = .microseconds,
                snapLength: Int = CaptureReader.maximumCapturedLength, reservingCapacity capacity: Int = 65_536) {
        self.linkType = linkType
        self.resolution = resolution
        self.snapLength = max(0, min(snapLength, CaptureReader.maximumCapturedLength))
        bytes = []
        bytes.reserveCapacity(max(capacity, Self.fileHeaderLength))
        bytes.appendLittleEndian(resolution == .microseconds ? 0xA1B2_C3D4 as UInt32 : 0xA1B2_3C4D)
        bytes.appendLittleEndian(2 as UInt16)
        bytes.appendLittleEndian(4 as UInt16)
        bytes.appendLittleEndian(0 as UInt32)  // thiszone
        bytes.appendLittleEndian(0 as UInt32)  // sigfigs
        bytes.appendLittleEndian(UInt32(self.snapLength))
        bytes.appendLittleEndian(linkType.rawValue)
    }

    /// Appends one packet record.
    ///
    /// - Parameters:
    ///   - packet: the packet, starting with the link-layer header of `linkType`.
    ///   - timestampNanoseconds: nanoseconds since 1970 (seconds wrap after 2106).
    ///   - originalLength: the length on the wire, when more than was captured.
    public mutating func append(_ packet: UnsafeRawBufferPointer, timestampNanoseconds: UInt64, originalLength: Int? = nil) {
        let captured = min(packet.count, snapLength)
        let original = max(originalLength ?? packet.count, captured)
        let fraction = timestampNanoseconds % 1_000_000_000
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: timestampNanoseconds / 1_000_000_000))
        bytes.appendLittleEndian(UInt32(resolution == .microseconds ? fraction / 1_000 : fraction))
        bytes.appendLittleEndian(UInt32(captured))
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: original))
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: packet[..<captured]))
        recordsWritten += 1
    }

    /// Appends one packet record; see `append(_:timestampNanoseconds:originalLength:)`.
    public mutating func append(_ packet: [UInt8], timestampNanoseconds: UInt64, originalLength: Int? = nil) {
        packet.withUnsafeBytes { append($0, timestampNanoseconds: timestampNanoseconds, originalLength: originalLength) }
    }

    /// Appends one packet record; see `append(_:timestampNanoseconds:originalLength:)`.
    public mutating func append(_ packet: ArraySlice<UInt8>, timestampNanoseconds: UInt64, originalLength: Int? = nil) {
        packet.withUnsafeBytes { append($0, timestampNanoseconds: timestampNanoseconds, originalLength: originalLength) }
    }

    /// Hands the pending bytes to `sink` and empties the buffer, keeping its capacity.
    ///
    /// When `sink` throws, the bytes stay pending.
    public mutating func flush<Failure: Error>(to sink: ([UInt8]) throws(Failure) -> Void) throws(Failure) {
        try sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
