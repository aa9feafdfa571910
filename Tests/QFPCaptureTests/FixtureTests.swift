import QFPCapture
import Testing

@Suite("Hand-assembled files")
struct FixtureTests {
    @Test("big-endian microsecond pcap, FCS bits in the link type ignored")
    func bigEndianPcap() throws {
        var b = FixtureBuilder(bigEndian: true)
        b.pcapHeader(linkType: 0xA000_0065)  // FCS length 5 (bits 29-31), LINKTYPE_RAW
        b.pcapRecord(seconds: 1_700_000_000, fraction: 123_456, data: [0x45, 0, 0, 20])
        b.pcapRecord(seconds: 1, fraction: 999_999, data: [0x60, 1, 2], original: 1_500)
        var reader = try CaptureReader(b.bytes)
        #expect(reader.format == .pcap(resolution: .microseconds, bigEndian: true))
        #expect(reader.interfaces.first?.linkType == .raw)
        #expect(reader.interfaces.first?.snapLength == 65_535)
        let first = try #require(try reader.next())
        #expect(first.timestampNanoseconds == 1_700_000_000_123_456_000)
        #expect(Array(first.bytes) == [0x45, 0, 0, 20])
        let second = try #require(try reader.next())
        #expect(second.timestampNanoseconds == 1_999_999_000)
        #expect(second.capturedLength == 3 && second.originalLength == 1_500)
        #expect(second.fileOffset == 24 + 16 + 4)
        #expect(try reader.next() == nil)
    }

    @Test("nanosecond pcap in both byte orders", arguments: [false, true])
    func nanosecondPcap(bigEndian: Bool) throws {
        var b = FixtureBuilder(bigEndian: bigEndian)
        b.pcapHeader(magic: 0xA1B2_3C4D, linkType: 1)
        b.pcapRecord(seconds: 7, fraction: 123_456_789, data: [1, 2, 3, 4, 5])
        let (records, error) = readAll(b.bytes)
        #expect(error == nil)
        #expect(records.map(\.timestampNanoseconds) == [7_123_456_789])
        #expect(try CaptureReader(b.bytes).format == .pcap(resolution: .nanoseconds, bigEndian: bigEndian))
    }

    @Test("pcapng with two sections of different byte orders; interfaces reset per section")
    func twoSections() throws {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.interface(linkType: 1, snapLength: 65_535)
        b.interface(linkType: 101)
        b.enhancedPacket(interface: 1, timestamp: 1_000_001, data: [0x45, 1, 2])
        b.enhancedPacket(interface: 0, timestamp: 2_000_000, data: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9])
        let secondSection = b.bytes.count
        b.bigEndian = true
        b.sectionHeader()
        b.interface(linkType: 276, tsresol: 9)
        b.enhancedPacket(interface: 0, timestamp: 5, data: [0, 0x08])
        var reader = try CaptureReader(b.bytes)
        var records: [CaptureRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.index) == [0, 1, 2])
        #expect(records.map(\.linkType) == [.raw, .ethernet, .linuxSLL2])
        #expect(records.map(\.interfaceIndex) == [1, 0, 0])
        #expect(records.map(\.timestampNanoseconds) == [1_000_001_000, 2_000_000_000, 5])
        #expect(records[2].fileOffset == secondSection + 28 + 32)
        #expect(Array(records[2].bytes) == [0, 0x08])
        #expect(reader.interfaces.count == 1)
    }

    @Test("an interface of the first section is gone in the second")
    func interfacesReset() {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.interface(linkType: 1)
        b.sectionHeader()
        let offset = b.bytes.count
        b.enhancedPacket(interface: 0, timestamp: 0, data: [1])
        let (records, error) = readAll(b.bytes)
        #expect(records.isEmpty)
        #expect(error == CaptureError(record: 0, offset: offset, reason: .undefinedInterface(id: 0, defined: 0)))
    }

    @Test("Simple Packet Blocks: interface 0, captured = min(original, room, snap length)")
    func simplePackets() throws {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.interface(linkType: 101, snapLength: 64)
        b.simplePacket(original: 100, data: [UInt8](repeating: 0x45, count: 100))  // snap
        b.simplePacket(original: 10, data: [UInt8](repeating: 0x46, count: 10))    // original (2 bytes padding)
        b.simplePacket(original: 1_500, data: [UInt8](repeating: 0x47, count: 20)) // room
        b.sectionHeader()
        b.interface(linkType: 1, snapLength: 0)
        b.simplePacket(original: 300, data: [UInt8](repeating: 0x48, count: 300))  // no snap limit
        let (records, error) = readAll(b.bytes)
        #expect(error == nil)
        #expect(records.map(\.capturedLength) == [64, 10, 20, 300])
        #expect(records.map(\.originalLength) == [100, 10, 1_500, 300])
        #expect(records.map(\.timestampNanoseconds) == [0, 0, 0, 0])
        #expect(records[1].bytes.allSatisfy { $0 == 0x46 })
    }

    @Test("unknown, statistics, name-resolution, secrets and custom blocks are skipped")
    func unknownBlocksSkipped() throws {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.block(4) { nrb in nrb.u16(1); nrb.u16(8); nrb.raw([192, 0, 2, 1, 0x72, 0x31, 0, 0]); nrb.u32(0) }
        b.interface(linkType: 101)
        b.block(0x0A) { dsb in dsb.u32(0x544C_534B); dsb.u32(3); dsb.raw([1, 2, 3]) }
        b.enhancedPacket(timestamp: 1, data: [0x45])
        b.block(5) { isb in isb.u32(0); isb.u64(0) }
        b.block(0x0000_0BAD) { custom in custom.u32(32_473); custom.raw([1, 2, 3, 4, 5]) }
        b.block(0x1234_5678) { _ in }
        let offset = b.bytes.count
        b.enhancedPacket(timestamp: 2, data: [0x60])
        let (records, error) = readAll(b.bytes)
        #expect(error == nil)
        #expect(records.map(\.index) == [0, 1])
        #expect(records[1].fileOffset == offset)
        #expect(records.map { Array($0.bytes) } == [[0x45], [0x60]])
    }

    @Test("if_tsresol powers of 10 and 2, and if_tsoffset", arguments: [
        (UInt8?.none, Int64?.none, UInt64(1_234_567), UInt64(1_234_567_000)),
        (3, nil, 1_500, 1_500_000_000),
        (9, nil, 42, 42),
        (12, nil, 1_234_567, 1_234),
        (0x80 | 10, nil, 2_048, 2_000_000_000),
        (0x80 | 30, nil, 1 << 30 + 1 << 29, 1_500_000_000),
        (0x80, nil, 3, 3_000_000_000),
        (6, 5, 1, 5_000_001_000),
        (6, -1, 2_000_000, 1_000_000_000),
    ] as [(UInt8?, Int64?, UInt64, UInt64)])
    func timestampResolution(tsresol: UInt8?, tsoffset: Int64?, units: UInt64, nanoseconds: UInt64) throws {
        var b = FixtureBuilder(bigEndian: tsresol == 3)
        b.sectionHeader()
        b.interface(linkType: 101, tsresol: tsresol, tsoffset: tsoffset)
        b.enhancedPacket(timestamp: units, data: [0x45])
        let (records, error) = readAll(b.bytes)
        #expect(error == nil)
        #expect(records.first?.timestampNanoseconds == nanoseconds)
    }

    @Test("TimestampResolution conversions at the limits")
    func resolutionLimits() {
        #expect(TimestampResolution(ifTsresol: 0x86) == .powerOfTwo(6))
        #expect(TimestampResolution(ifTsresol: 6) == .microseconds)
        #expect(TimestampResolution.powerOfTen(0).inNanoseconds(.max) == nil)
        #expect(TimestampResolution.powerOfTen(0).inNanoseconds(18_446_744_073) == 18_446_744_073_000_000_000)
        #expect(TimestampResolution.powerOfTen(127).inNanoseconds(.max) == 0)
        #expect(TimestampResolution.powerOfTen(28).inNanoseconds(.max) == 1)
        #expect(TimestampResolution.powerOfTwo(0).inNanoseconds(.max) == nil)
        #expect(TimestampResolution.powerOfTwo(64).inNanoseconds(.max) == 999_999_999)
        #expect(TimestampResolution.powerOfTwo(127).inNanoseconds(.max) == 0)
    }

    @Test("obsolete Packet Block, comments: first kept, trailing NUL dropped, end-of-options optional")
    func packetBlockAndComments() throws {
        var b = FixtureBuilder()
        b.sectionHeader()
        b.interface(linkType: 1)
        b.interface(linkType: 101)
        b.block(2) { pb in
            pb.u16(1); pb.u16(0); pb.u32(0); pb.u32(1_000); pb.u32(3); pb.u32(3); pb.raw([0x45, 0, 0]); pb.pad()
            pb.option(1, Array("old block".utf8))
            pb.endOfOptions()
        }
        b.enhancedPacket(timestamp: 0, data: [0x45], comments: [Array("first".utf8) + [0], Array("second".utf8)])
        b.block(6) { epb in  // no opt_endofopt
            epb.u32(0); epb.u32(0); epb.u32(0); epb.u32(1); epb.u32(1); epb.raw([0x45]); epb.pad()
            epb.option(1, Array("no end".utf8))
        }
        let (records, error) = readAll(b.bytes)
        #expect(error == nil)
        #expect(records.map(\.comment) == ["old block", "first", "no end"])
        #expect(records.map(\.interfaceIndex) == [1, 0, 0])
        #expect(records[0].timestampNanoseconds == 1_000_000)
    }
}
