import QFPCapture
import Testing

@Suite("Corrupt files")
struct CorruptionTests {
    @Test("bad magic and short headers")
    func headers() {
        let bad = readAll([0xDE, 0xAD, 0xBE, 0xEF] + [UInt8](repeating: 0, count: 20)).error
        #expect(bad == CaptureError(record: nil, offset: 0, reason: .notACaptureFile(magic: 0xDEAD_BEEF)))
        #expect(bad?.description == "byte offset 0: not a pcap or pcapng file (magic 0xdeadbeef)")
        #expect(readAll([]).error?.reason == .truncatedFileHeader(needed: 4, available: 0))
        #expect(readAll([0xD4, 0xC3, 0xB2, 0xA1, 2, 0]).error?.reason == .truncatedFileHeader(needed: 24, available: 6))
        var version = FixtureBuilder()
        version.pcapHeader(major: 3)
        #expect(readAll(version.bytes).error?.reason == .unsupportedVersion(major: 3, minor: 4))
        var order = FixtureBuilder()
        order.block(0x0A0D_0D0A) { b in b.u32(0x1234_5678); b.u16(1); b.u16(0); b.u64(0) }
        #expect(readAll(order.bytes).error == CaptureError(record: nil, offset: 0, reason: .badByteOrderMagic(0x7856_3412)))
    }

    @Test("pcap: huge and truncated captured lengths name the record and its offset")
    func pcapLengths() {
        var b = FixtureBuilder()
        b.pcapHeader()
        b.pcapRecord(seconds: 0, fraction: 0, data: [1, 2, 3])
        b.pcapRecord(seconds: 0, fraction: 0, data: [], captured: 0xFFFF_FFFF)
        let huge = readAll(b.bytes)
        #expect(huge.records.count == 1)
        #expect(huge.error == CaptureError(record: 1, offset: 43, reason: .capturedLengthTooLarge(4_294_967_295, limit: 262_144)))
        #expect(huge.error?.description == "record 1 at byte offset 43: captured length 4294967295 exceeds the 262144-byte limit")

        var short = FixtureBuilder()
        short.pcapHeader()
        short.pcapRecord(seconds: 0, fraction: 0, data: [UInt8](repeating: 0, count: 40), captured: 98)
        let error = readAll(short.bytes).error
        #expect(error?.description == "record 0 at byte offset 24: truncated packet data (header says 98 bytes, 40 left)")
    }

    @Test("pcapng block lengths", arguments: [
        (UInt32(33), CaptureError.Reason.badBlockLength(33, minimum: 32)),
        (8, .badBlockLength(8, minimum: 32)),
        (28, .badBlockLength(28, minimum: 32)),
        (0xFFFF_FFFC, .blockBeyondEndOfFile(length: 0xFFFF_FFFC, available: 36)),
    ])
    func blockLengths(length: UInt32, reason: CaptureError.Reason) {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.interface(linkType: 101)
        b.block(6, lengthOverride: length) { epb in epb.u32(0); epb.u64(0); epb.u32(4); epb.u32(4); epb.raw([0x45, 0, 0, 0]) }
        #expect(readAll(b.bytes).error == CaptureError(record: 0, offset: 48, reason: reason))
    }

    @Test("pcapng: trailing length, captured length, undefined interface, options, timestamps")
    func pcapngContents() {
        func file(_ build: (inout FixtureBuilder) -> Void) -> [UInt8] {
            var b = FixtureBuilder()
            b.sectionHeader()
            b.interface(linkType: 101, tsresol: 0)
            b.enhancedPacket(timestamp: 1, data: [0x45])
            build(&b)
            return b.bytes
        }
        let at = 28 + 32 + 36
        let mismatch = readAll(file { $0.block(6, trailingLength: 40) { epb in epb.u32(0); epb.u64(0); epb.u32(0); epb.u32(0) } })
        #expect(mismatch.records.count == 1)
        #expect(mismatch.error == CaptureError(record: 1, offset: at, reason: .blockLengthMismatch(leading: 32, trailing: 40)))
        let beyond = readAll(file { $0.enhancedPacket(timestamp: 0, data: [1, 2, 3, 4], captured: 9) })
        #expect(beyond.error == CaptureError(record: 1, offset: at, reason: .packetDataBeyondBlock(declared: 9, room: 4)))
        let huge = readAll(file { $0.enhancedPacket(timestamp: 0, data: [], captured: 0x8000_0000) })
        #expect(huge.error?.reason == .capturedLengthTooLarge(0x8000_0000, limit: 262_144))
        let undefined = readAll(file { $0.enhancedPacket(interface: 3, timestamp: 0, data: [1]) })
        #expect(undefined.error?.description == "record 1 at byte offset \(at): interface 3 is not defined (1 in this section)")
        let option = readAll(file { $0.block(6) { epb in
            epb.u32(0); epb.u64(0); epb.u32(0); epb.u32(0); epb.u16(1); epb.u16(200); epb.u32(0)
        } })
        #expect(option.error == CaptureError(record: 1, offset: at, reason: .optionBeyondBlock(code: 1, length: 200, room: 4)))
        let time = readAll(file { $0.enhancedPacket(timestamp: 1 << 40, data: [1]) })  // seconds
        #expect(time.error == CaptureError(record: 1, offset: at, reason: .timestampOutOfRange))
        let spb = readAll(file { $0.sectionHeader(); $0.simplePacket(original: 1, data: [1]) })
        #expect(spb.error == CaptureError(record: 1, offset: at + 28, reason: .undefinedInterface(id: 0, defined: 0)))
        let ragged = readAll(file { $0.raw([6, 0, 0]) })
        #expect(ragged.error == CaptureError(record: 1, offset: at, reason: .truncatedRecordHeader(needed: 8, available: 3)))
    }

    @Test("an error is sticky")
    func sticky() throws {
        var b = FixtureBuilder()
        b.pcapHeader()
        b.raw([1, 2, 3])
        var reader = try CaptureReader(b.bytes)
        #expect(throws: CaptureError(record: 0, offset: 24, reason: .truncatedRecordHeader(needed: 16, available: 3))) {
            try reader.next()
        }
        #expect(throws: CaptureError.self) { try reader.next() }
        #expect(reader.recordsRead == 0)
    }
}
