/// Why a capture file, or one of its records, cannot be read.
///
/// It names what went wrong, the record it concerns and where in the file, for example
/// `record 17 at byte offset 1234: truncated packet data (header says 98 bytes, 40 left)`. The
/// records before it were read correctly: `record` is how many a reader had yielded.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based number of the record being read (or that was next) when the error was found;
    /// `nil` for errors of the file header.
    public var record: Int?
    /// The byte offset of the file header, record or block at fault.
    public var offset: Int
    /// What is wrong.
    public var reason: Reason

    /// An error at `offset`, in `record` when there is one.
    public init(record: Int?, offset: Int, reason: Reason) {
        self.record = record
        self.offset = offset
        self.reason = reason
    }

    /// What is wrong, with the numbers that show it.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// Fewer bytes than a file header needs.
        case truncatedFileHeader(needed: Int, available: Int)
        /// The first four bytes are no pcap or pcapng magic (shown in file order).
        case notACaptureFile(magic: UInt32)
        /// A pcap major version other than 2, or a pcapng major version other than 1.
        case unsupportedVersion(major: UInt16, minor: UInt16)
        /// A pcapng Section Header Block whose byte-order magic is neither 0x1A2B3C4D nor its swap.
        case badByteOrderMagic(UInt32)
        /// The first block of a pcapng file is not a Section Header Block.
        case firstBlockNotSectionHeader(type: UInt32)
        /// Fewer bytes left than a record or block header needs.
        case truncatedRecordHeader(needed: Int, available: Int)
        /// The record's captured length runs past the end of the file.
        case truncatedPacketData(declared: Int, available: Int)
        /// A captured length above `CaptureReader.maximumCapturedLength`.
        case capturedLengthTooLarge(Int, limit: Int)
        /// A pcapng block total length that is not a multiple of 4 or is below the block's minimum.
        case badBlockLength(UInt32, minimum: Int)
        /// A pcapng block total length that runs past the end of the file.
        case blockBeyondEndOfFile(length: UInt32, available: Int)
        /// The trailing copy of a pcapng block total length differs from the leading one.
        case blockLengthMismatch(leading: UInt32, trailing: UInt32)
        /// A pcapng packet block whose captured length does not fit in the block.
        case packetDataBeyondBlock(declared: Int, room: Int)
        /// An option whose length runs past the end of its block.
        case optionBeyondBlock(code: UInt16, length: Int, room: Int)
        /// A packet of an interface with no Interface Description Block in its section.
        case undefinedInterface(id: UInt32, defined: Int)
        /// A timestamp that does not fit 64-bit nanoseconds since 1970.
        case timestampOutOfRange
        /// Fewer bytes than the link-layer header needs (from `ipDatagram()`).
        case truncatedLinkHeader(LinkType, needed: Int, available: Int)
        /// A link type `ipDatagram()` cannot decapsulate.
        case unsupportedLinkType(LinkType)

        /// The reason in words.
        public var description: String {
            switch self {
            case let .truncatedFileHeader(needed, available):
                "truncated file header (needs \(needed) bytes, \(available) in the file)"
            case let .notACaptureFile(magic):
                "not a pcap or pcapng file (magic \(hex(magic)))"
            case let .unsupportedVersion(major, minor):
                "unsupported format version \(major).\(minor)"
            case let .badByteOrderMagic(magic):
                "bad section byte-order magic \(hex(magic))"
            case let .firstBlockNotSectionHeader(type):
                "first block is type \(hex(type)), not a Section Header Block"
            case let .truncatedRecordHeader(needed, available):
                "truncated header (needs \(needed) bytes, \(available) left)"
            case let .truncatedPacketData(declared, available):
                "truncated packet data (header says \(declared) bytes, \(available) left)"
            case let .capturedLengthTooLarge(length, limit):
                "captured length \(length) exceeds the \(limit)-byte limit"
            case let .badBlockLength(length, minimum):
                "bad block length \(length) (must be a multiple of 4 and at least \(minimum))"
            case let .blockBeyondEndOfFile(length, available):
                "block length \(length) runs past the end of the file (\(available) bytes left)"
            case let .blockLengthMismatch(leading, trailing):
                "block length \(leading) does not match its trailing copy \(trailing)"
            case let .packetDataBeyondBlock(declared, room):
                "captured length \(declared) does not fit in its block (\(room) bytes of room)"
            case let .optionBeyondBlock(code, length, room):
                "option \(code) of length \(length) runs past its block (\(room) bytes left)"
            case let .undefinedInterface(id, defined):
                "interface \(id) is not defined (\(defined) in this section)"
            case .timestampOutOfRange:
                "timestamp does not fit 64-bit nanoseconds"
            case let .truncatedLinkHeader(linkType, needed, available):
                "truncated \(linkType) header (needs \(needed) bytes, \(available) captured)"
            case let .unsupportedLinkType(linkType):
                "unsupported link type \(linkType)"
            }
        }
    }

    /// `record N at byte offset X: reason`, or `byte offset X: reason` for the file header.
    public var description: String {
        if let record { return "record \(record) at byte offset \(offset): \(reason)" }
        return "byte offset \(offset): \(reason)"
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
