/// pcapng block type numbers (draft-ietf-opsawg-pcapng).
enum PcapngBlockType {
    static let sectionHeader: UInt32 = 0x0A0D_0D0A
    static let interfaceDescription: UInt32 = 1
    static let obsoletePacket: UInt32 = 2
    static let simplePacket: UInt32 = 3
    static let enhancedPacket: UInt32 = 6
}

/// pcapng option codes this module reads or writes.
enum PcapngOption {
    static let endOfOptions: UInt16 = 0
    static let comment: UInt16 = 1
    static let ifTsresol: UInt16 = 9
    static let ifTsoffset: UInt16 = 14
}

extension CaptureParser {
    static let sectionHeaderMinimum = 28
    static let interfaceDescriptionMinimum = 20
    static let packetBlockMinimum = 32
    static let simplePacketMinimum = 16

    /// Skips blocks until a packet block, which it returns; `nil` at a clean end of file.
    mutating func nextPacketBlock(_ file: UnsafeRawBufferPointer) throws(CaptureError) -> RecordLayout? {
        while true {
            let left = file.count - offset
            if left == 0 { return nil }
            guard left >= 8 else { throw error(.truncatedRecordHeader(needed: 8, available: left), at: offset) }
            // The section header type reads the same in both byte orders.
            let type = file.uint32(at: offset, bigEndian: bigEndian)
            if type == PcapngBlockType.sectionHeader {
                try readSectionHeader(file)
                continue
            }
            let start = offset
            let length: Int
            switch type {
            case PcapngBlockType.interfaceDescription:
                length = try checkedBlockLength(file, minimum: Self.interfaceDescriptionMinimum)
                try readInterfaceDescription(file, end: start + length)
            case PcapngBlockType.enhancedPacket, PcapngBlockType.obsoletePacket:
                length = try checkedBlockLength(file, minimum: Self.packetBlockMinimum)
                let layout = try readPacketBlock(file, end: start + length, enhanced: type == PcapngBlockType.enhancedPacket)
                offset = start + length
                return layout
            case PcapngBlockType.simplePacket:
                length = try checkedBlockLength(file, minimum: Self.simplePacketMinimum)
                let layout = try readSimplePacket(file, end: start + length)
                offset = start + length
                return layout
            default:
                // Name Resolution, Interface Statistics, Decryption Secrets, custom, unknown.
                length = try checkedBlockLength(file, minimum: 12)
            }
            offset = start + length
        }
    }

    /// Reads the leading total length of the block at `offset` and checks it against its trailing
    /// copy and the end of the file.
    func checkedBlockLength(_ file: UnsafeRawBufferPointer, minimum: Int) throws(CaptureError) -> Int {
        let left = file.count - offset
        let length = file.uint32(at: offset + 4, bigEndian: bigEndian)
        guard length % 4 == 0, Int(length) >= minimum else {
            throw error(.badBlockLength(length, minimum: minimum), at: offset)
        }
        guard Int(length) <= left else { throw error(.blockBeyondEndOfFile(length: length, available: left), at: offset) }
        let trailing = file.uint32(at: offset + Int(length) - 4, bigEndian: bigEndian)
        guard trailing == length else { throw error(.blockLengthMismatch(leading: length, trailing: trailing), at: offset) }
        return Int(length)
    }

    /// Reads a Section Header Block at `offset`: sets the byte order, forgets the interfaces.
    mutating func readSectionHeader(_ file: UnsafeRawBufferPointer) throws(CaptureError) {
        let left = file.count - offset
        guard left >= 12 else { throw error(.truncatedRecordHeader(needed: 12, available: left), at: offset) }
        switch file.uint32(at: offset + 8, bigEndian: true) {
        case 0x1A2B_3C4D: bigEndian = true
        case 0x4D3C_2B1A: bigEndian = false
        case let magic: throw error(.badByteOrderMagic(magic), at: offset)
        }
        let length = try checkedBlockLength(file, minimum: Self.sectionHeaderMinimum)
        let major = file.uint16(at: offset + 12, bigEndian: bigEndian)
        let minor = file.uint16(at: offset + 14, bigEndian: bigEndian)
        guard major == 1 else { throw error(.unsupportedVersion(major: major, minor: minor), at: offset) }
        interfaces.removeAll(keepingCapacity: true)
        offset += length
    }

    private mutating func readInterfaceDescription(_ file: UnsafeRawBufferPointer, end: Int) throws(CaptureError) {
        var interface = CaptureInterface(linkType: LinkType(rawValue: UInt32(file.uint16(at: offset + 8, bigEndian: bigEndian))),
                                         snapLength: file.uint32(at: offset + 12, bigEndian: bigEndian))
        let bigEndian = self.bigEndian
        try forEachOption(file, from: offset + 16, to: end - 4) { code, value in
            switch code {
            case PcapngOption.ifTsresol where value.count >= 1:
                interface.timestampResolution = TimestampResolution(ifTsresol: file[value.lowerBound])
            case PcapngOption.ifTsoffset where value.count >= 8:
                let high = UInt64(file.uint32(at: value.lowerBound, bigEndian: bigEndian))
                let low = UInt64(file.uint32(at: value.lowerBound + 4, bigEndian: bigEndian))
                let raw = bigEndian ? high << 32 | low : low << 32 | high
                interface.timestampOffsetSeconds = Int64(bitPattern: raw)
            default:
                break
            }
        }
        interfaces.append(interface)
    }

    /// An Enhanced Packet Block, or the obsolete Packet Block (16-bit interface id and drop count).
    private func readPacketBlock(_ file: UnsafeRawBufferPointer, end: Int, enhanced: Bool) throws(CaptureError) -> RecordLayout {
        let interfaceID = enhanced ? file.uint32(at: offset + 8, bigEndian: bigEndian)
                                   : UInt32(file.uint16(at: offset + 8, bigEndian: bigEndian))
        let high = UInt64(file.uint32(at: offset + 12, bigEndian: bigEndian))
        let low = UInt64(file.uint32(at: offset + 16, bigEndian: bigEndian))
        let captured = Int(file.uint32(at: offset + 20, bigEndian: bigEndian))
        let original = Int(file.uint32(at: offset + 24, bigEndian: bigEndian))
        guard captured <= CaptureReader.maximumCapturedLength else {
            throw error(.capturedLengthTooLarge(captured, limit: CaptureReader.maximumCapturedLength), at: offset)
        }
        let dataStart = offset + 28
        let room = end - 4 - dataStart
        guard captured <= room else { throw error(.packetDataBeyondBlock(declared: captured, room: room), at: offset) }
        guard Int(interfaceID) < interfaces.count else {
            throw error(.undefinedInterface(id: interfaceID, defined: interfaces.count), at: offset)
        }
        guard let nanoseconds = interfaces[Int(interfaceID)].nanoseconds(units: high << 32 | low) else {
            throw error(.timestampOutOfRange, at: offset)
        }
        // room is a multiple of 4, so the padded data still fits.
        var comment: Range<Int>?
        try forEachOption(file, from: dataStart + ((captured + 3) & ~3), to: end - 4) { code, value in
            if code == PcapngOption.comment, comment == nil { comment = value }
        }
        return RecordLayout(offset: offset, timestampNanoseconds: nanoseconds, dataStart: dataStart,
                            capturedLength: captured, originalLength: original,
                            interfaceIndex: Int(interfaceID), comment: comment)
    }

    /// A Simple Packet Block: interface 0, no timestamp, captured length implied by the block.
    private func readSimplePacket(_ file: UnsafeRawBufferPointer, end: Int) throws(CaptureError) -> RecordLayout {
        guard let interface = interfaces.first else {
            throw error(.undefinedInterface(id: 0, defined: 0), at: offset)
        }
        let original = Int(file.uint32(at: offset + 8, bigEndian: bigEndian))
        let dataStart = offset + 12
        var captured = min(original, end - 4 - dataStart)
        if interface.snapLength != 0 { captured = min(captured, Int(interface.snapLength)) }
        guard captured <= CaptureReader.maximumCapturedLength else {
            throw error(.capturedLengthTooLarge(captured, limit: CaptureReader.maximumCapturedLength), at: offset)
        }
        return RecordLayout(offset: offset, timestampNanoseconds: 0, dataStart: dataStart, capturedLength: captured,
                            originalLength: original, interfaceIndex: 0, comment: nil)
    }

    /// Calls `body` with the code and value range of each option in `start..<end`, up to
    /// `opt_endofopt`. Fewer than 4 bytes left end the list: some writers omit `opt_endofopt`.
    private func forEachOption(_ file: UnsafeRawBufferPointer, from start: Int, to end: Int,
                               _ body: (UInt16, Range<Int>) -> Void) throws(CaptureError) {
        var position = start
        while end - position >= 4 {
            let code = file.uint16(at: position, bigEndian: bigEndian)
            if code == PcapngOption.endOfOptions { return }
            let length = Int(file.uint16(at: position + 2, bigEndian: bigEndian))
            let room = end - position - 4
            guard length <= room else { throw error(.optionBeyondBlock(code: code, length: length, room: room), at: offset) }
            body(code, position + 4 ..< position + 4 + length)
            position += 4 + min((length + 3) & ~3, room)
        }
    }
}
