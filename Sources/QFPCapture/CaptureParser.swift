/// Where a packet record lies in the file; `CaptureReader` turns it into a `CaptureRecord`.
struct RecordLayout {
    var offset: Int
    var timestampNanoseconds: UInt64
    var dataStart: Int
    var capturedLength: Int
    var originalLength: Int
    var interfaceIndex: Int
    var comment: Range<Int>?
}

/// The format-independent state of a `CaptureReader`: where it is and what it has learned.
///
/// Every length read from the file is compared against what is left before it is added to an
/// offset; offsets never exceed the file size, so no sum can overflow.
struct CaptureParser {
    var format: CaptureFormat
    var bigEndian: Bool
    /// The start of the next record or block.
    var offset: Int
    /// The number of packet records yielded so far.
    var recordIndex = 0
    /// The interfaces of the current section (one, from the file header, for classic pcap).
    var interfaces: [CaptureInterface]

    static let pcapFileHeaderLength = 24
    static let pcapRecordHeaderLength = 16

    /// Reads the file header (and, for pcapng, the first Section Header Block).
    init(_ file: UnsafeRawBufferPointer) throws(CaptureError) {
        func headerError(_ reason: CaptureError.Reason) -> CaptureError {
            CaptureError(record: nil, offset: 0, reason: reason)
        }
        guard file.count >= 4 else { throw headerError(.truncatedFileHeader(needed: 4, available: file.count)) }
        let magic = file.uint32(at: 0, bigEndian: true)
        let resolution: TimestampResolution
        switch magic {
        case 0xA1B2_C3D4: (bigEndian, resolution) = (true, .microseconds)
        case 0xD4C3_B2A1: (bigEndian, resolution) = (false, .microseconds)
        case 0xA1B2_3C4D: (bigEndian, resolution) = (true, .nanoseconds)
        case 0x4D3C_B2A1: (bigEndian, resolution) = (false, .nanoseconds)
        case PcapngBlockType.sectionHeader:
            format = .pcapng
            bigEndian = false
            offset = 0
            interfaces = []
            do {
                try readSectionHeader(file)
            } catch {
                throw headerError(error.reason)
            }
            return
        default:
            throw headerError(.notACaptureFile(magic: magic))
        }
        guard file.count >= Self.pcapFileHeaderLength else {
            throw headerError(.truncatedFileHeader(needed: Self.pcapFileHeaderLength, available: file.count))
        }
        let major = file.uint16(at: 4, bigEndian: bigEndian)
        let minor = file.uint16(at: 6, bigEndian: bigEndian)
        guard major == 2 else { throw headerError(.unsupportedVersion(major: major, minor: minor)) }
        let snapLength = file.uint32(at: 16, bigEndian: bigEndian)
        // The top four bits carry the FCS length, which we do not need.
        let linkType = LinkType(rawValue: file.uint32(at: 20, bigEndian: bigEndian) & 0x0FFF_FFFF)
        format = .pcap(resolution: resolution, bigEndian: bigEndian)
        offset = Self.pcapFileHeaderLength
        interfaces = [CaptureInterface(linkType: linkType, snapLength: snapLength, timestampResolution: resolution)]
    }

    func error(_ reason: CaptureError.Reason, at offset: Int) -> CaptureError {
        CaptureError(record: recordIndex, offset: offset, reason: reason)
    }

    /// The next packet record, or `nil` at a clean end of file.
    mutating func next(_ file: UnsafeRawBufferPointer) throws(CaptureError) -> RecordLayout? {
        let layout: RecordLayout?
        if case .pcapng = format {
            layout = try nextPacketBlock(file)
        } else {
            layout = try nextPcapRecord(file)
        }
        if layout != nil { recordIndex += 1 }
        return layout
    }

    private mutating func nextPcapRecord(_ file: UnsafeRawBufferPointer) throws(CaptureError) -> RecordLayout? {
        let left = file.count - offset
        if left == 0 { return nil }
        guard left >= Self.pcapRecordHeaderLength else {
            throw error(.truncatedRecordHeader(needed: Self.pcapRecordHeaderLength, available: left), at: offset)
        }
        let seconds = file.uint32(at: offset, bigEndian: bigEndian)
        let fraction = file.uint32(at: offset + 4, bigEndian: bigEndian)
        let captured = Int(file.uint32(at: offset + 8, bigEndian: bigEndian))
        let original = Int(file.uint32(at: offset + 12, bigEndian: bigEndian))
        guard captured <= CaptureReader.maximumCapturedLength else {
            throw error(.capturedLengthTooLarge(captured, limit: CaptureReader.maximumCapturedLength), at: offset)
        }
        let room = left - Self.pcapRecordHeaderLength
        guard captured <= room else { throw error(.truncatedPacketData(declared: captured, available: room), at: offset) }
        // At most 4.3e18 + 4.3e12: fits UInt64.
        let perUnit: UInt64 = interfaces[0].timestampResolution == .nanoseconds ? 1 : 1_000
        let nanoseconds = UInt64(seconds) * 1_000_000_000 + UInt64(fraction) * perUnit
        let layout = RecordLayout(offset: offset, timestampNanoseconds: nanoseconds,
                                  dataStart: offset + Self.pcapRecordHeaderLength, capturedLength: captured,
                                  originalLength: original, interfaceIndex: 0, comment: nil)
        offset += Self.pcapRecordHeaderLength + captured
        return layout
    }
}
