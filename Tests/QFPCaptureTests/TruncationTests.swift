import QFPCapture
import Testing

/// Every prefix of a valid file: the reader yields exactly the complete records before the cut,
/// then ends cleanly at a record or block boundary, or else fails naming the record being read
/// and the offset of the record or block that the cut went through.
@Suite("Truncation at every byte")
struct TruncationTests {
    struct Unit { var start: Int; var end: Int; var isPacket: Bool }

    /// The records of a classic pcap file, walked independently of the reader.
    static func pcapUnits(_ file: [UInt8]) -> (headerEnd: Int, units: [Unit]) {
        var units: [Unit] = []
        var offset = 24
        while offset < file.count {
            let captured = Int(file[offset + 8]) | Int(file[offset + 9]) << 8 | Int(file[offset + 10]) << 16 | Int(file[offset + 11]) << 24
            units.append(Unit(start: offset, end: offset + 16 + captured, isPacket: true))
            offset += 16 + captured
        }
        return (24, units)
    }

    /// The blocks of a pcapng file, walked independently of the reader.
    static func pcapngUnits(_ file: [UInt8]) -> (headerEnd: Int, units: [Unit]) {
        var units: [Unit] = []
        var offset = 0
        var bigEndian = false
        func u32(_ at: Int) -> Int {
            let b = file[at ..< at + 4].map(Int.init)
            return bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
        }
        while offset < file.count {
            if file[offset ..< offset + 4] == [0x0A, 0x0D, 0x0D, 0x0A] { bigEndian = file[offset + 8] == 0x1A }
            let type = u32(offset)
            let length = u32(offset + 4)
            units.append(Unit(start: offset, end: offset + length, isPacket: [2, 3, 6].contains(type)))
            offset += length
        }
        return (units[0].end, Array(units.dropFirst()))
    }

    static func check(_ file: [UInt8], headerEnd: Int, units: [Unit]) {
        let packets = units.filter(\.isPacket).count
        #expect(readAll(file).records.count == packets)
        #expect(readAll(file).error == nil)
        for cut in 0 ... file.count {
            let (records, error) = readAll(Array(file[..<cut]))
            let complete = units.filter { $0.isPacket && $0.end <= cut }.count
            #expect(records.count == complete, "cut at \(cut)")
            #expect(records.map(\.index) == Array(0 ..< complete))
            if cut < headerEnd {
                #expect(error?.record == nil && error?.offset == 0, "cut at \(cut): \(String(describing: error))")
                #expect(error != nil)
            } else if cut == headerEnd || units.contains(where: { $0.end == cut }) {
                #expect(error == nil, "cut at \(cut): \(String(describing: error))")
            } else {
                let unit = units.first { $0.start < cut && cut < $0.end }
                #expect(error?.record == complete, "cut at \(cut): \(String(describing: error))")
                #expect(error?.offset == unit?.start, "cut at \(cut): \(String(describing: error))")
            }
        }
    }

    @Test("PcapWriter output")
    func pcap() {
        var writer = PcapWriter(linkType: .ethernet)
        for (index, packet) in RoundTripTests.packets.prefix(5).enumerated() {
            writer.append(packet, timestampNanoseconds: UInt64(index) * 1_000)
        }
        let (headerEnd, units) = Self.pcapUnits(writer.bytes)
        Self.check(writer.bytes, headerEnd: headerEnd, units: units)
    }

    @Test("PcapngWriter output with comments and two interfaces")
    func pcapng() {
        var writer = PcapngWriter()
        for (index, packet) in RoundTripTests.packets.prefix(5).enumerated() {
            writer.append(packet, linkType: index == 2 ? .ethernet : .raw, timestampNanoseconds: UInt64(index),
                          comment: index % 2 == 0 ? "IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI" : nil)
        }
        let (headerEnd, units) = Self.pcapngUnits(writer.bytes)
        #expect(units.count == 7)
        Self.check(writer.bytes, headerEnd: headerEnd, units: units)
    }

    @Test("two big- and little-endian sections, SPB and unknown blocks")
    func mixedPcapng() {
        var b = FixtureBuilder(bigEndian: true)
        b.sectionHeader()
        b.interface(linkType: 101, snapLength: 64, tsresol: 9)
        b.enhancedPacket(timestamp: 1, data: [0x45, 0, 0, 20, 1], comments: [Array("x".utf8)])
        b.block(5) { isb in isb.u32(0); isb.u64(0) }
        b.simplePacket(original: 7, data: [0x60, 1, 2, 3, 4, 5, 6])
        b.bigEndian = false
        b.sectionHeader()
        b.interface(linkType: 1)
        b.enhancedPacket(timestamp: 2, data: [UInt8](repeating: 1, count: 30))
        let (headerEnd, units) = Self.pcapngUnits(b.bytes)
        Self.check(b.bytes, headerEnd: headerEnd, units: units)
    }
}
