import QFPCapture
import Testing

@Suite("Writers read back")
struct RoundTripTests {
    static let packets: [[UInt8]] = [
        ipv4ESP(spi: 4096, sequence: 1, payload: 16),
        ipv4ESP(spi: 0xDEAD_BEEF, sequence: 1, payload: 1),
        [],
        [0x45],
        ipv6ESP(spi: 4097, payload: 33),
        ipv4ESP(spi: 4096, sequence: 2, payload: 1_400),
    ]
    static let times: [UInt64] = [1_700_000_000_123_456_789, 0, 999, 1_700_000_001_000_000_000, 4_294_967_295_999_999_999, 42_000]

    @Test("PcapWriter", arguments: [PcapWriter.Resolution.microseconds, .nanoseconds], [LinkType.raw, .ethernet])
    func pcap(resolution: PcapWriter.Resolution, linkType: LinkType) throws {
        var writer = PcapWriter(linkType: linkType, resolution: resolution)
        for (packet, time) in zip(Self.packets, Self.times) { writer.append(packet, timestampNanoseconds: time) }
        #expect(writer.recordsWritten == Self.packets.count)
        var reader = try CaptureReader(writer.bytes)
        let expectedResolution: TimestampResolution = resolution == .microseconds ? .microseconds : .nanoseconds
        #expect(reader.format == .pcap(resolution: expectedResolution, bigEndian: false))
        #expect(reader.interfaces == [CaptureInterface(linkType: linkType, snapLength: 262_144, timestampResolution: expectedResolution)])
        var offset = 24
        for (index, (packet, time)) in zip(Self.packets, Self.times).enumerated() {
            let record = try #require(try reader.next())
            #expect(record.index == index)
            #expect(record.fileOffset == offset)
            #expect(Array(record.bytes) == packet)
            #expect(record.bytes.startIndex == offset + 16)
            #expect(record.capturedLength == packet.count && record.originalLength == packet.count)
            #expect(record.timestampNanoseconds == (resolution == .microseconds ? time / 1_000 * 1_000 : time))
            #expect(record.linkType == linkType && record.interfaceIndex == 0 && record.comment == nil)
            offset += 16 + packet.count
        }
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
        #expect(reader.recordsRead == Self.packets.count)
    }

    @Test("PcapWriter cuts packets at the snap length and keeps the original length")
    func pcapSnap() throws {
        var writer = PcapWriter(snapLength: 100)
        writer.append(ipv4ESP(spi: 1, sequence: 1, payload: 272), timestampNanoseconds: 5_000)
        writer.append([1, 2, 3], timestampNanoseconds: 6_000, originalLength: 60)
        let (records, error) = readAll(writer.bytes)
        #expect(error == nil)
        #expect(records.map(\.capturedLength) == [100, 3])
        #expect(records.map(\.originalLength) == [300, 60])
        #expect(Array(records[0].bytes) == Array(ipv4ESP(spi: 1, sequence: 1, payload: 272).prefix(100)))
    }

    @Test("PcapngWriter: comments, link types, padding")
    func pcapng() throws {
        var writer = PcapngWriter()
        let comments: [String?] = ["IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", nil, "", "é – ✓", "abc", "abcd", nil]
        let links: [LinkType] = [.raw, .raw, .ethernet, .raw, .linuxSLL2, .ethernet, .raw]
        var packets: [[UInt8]] = []
        for (index, (comment, link)) in zip(comments, links).enumerated() {
            let packet = Array(ipv4ESP(spi: UInt32(index), sequence: 1, payload: index).prefix(20 + index * 3))
            packets.append(packet)
            writer.append(packet, linkType: link, timestampNanoseconds: Self.times[index % Self.times.count] &+ UInt64(index),
                          comment: comment)
        }
        #expect(writer.interfaces == [.raw, .ethernet, .linuxSLL2])
        #expect(writer.bytes.count % 4 == 0)
        var reader = try CaptureReader(writer.bytes)
        #expect(reader.format == .pcapng)
        for index in packets.indices {
            let record = try #require(try reader.next())
            #expect(record.index == index)
            #expect(Array(record.bytes) == packets[index])
            #expect(record.comment == comments[index])
            #expect(record.linkType == links[index])
            #expect(record.interfaceIndex == writer.interfaces.firstIndex(of: links[index]))
            #expect(record.timestampNanoseconds == Self.times[index % Self.times.count] &+ UInt64(index))
            #expect(record.fileOffset % 4 == 0)
        }
        #expect(try reader.next() == nil)
        #expect(reader.interfaces.map(\.timestampResolution) == [.nanoseconds, .nanoseconds, .nanoseconds])
    }

    @Test("PcapngWriter cuts a long comment at a character boundary")
    func longComment() throws {
        var writer = PcapngWriter()
        let comment = "a" + String(repeating: "é", count: 32_766)  // 65,533 UTF-8 bytes
        writer.append([0x45], timestampNanoseconds: 1, comment: comment)
        let (records, error) = readAll(writer.bytes)
        #expect(error == nil)
        #expect(records.first?.comment == "a" + String(repeating: "é", count: 32_765))
    }

    @Test("flush streams the same bytes, and a CaptureFile writes them to disk")
    func flushAndFile() throws {
        var whole = PcapngWriter()
        var streamed = PcapngWriter(reservingCapacity: 256)
        var chunks: [UInt8] = []
        let path = "/tmp/qfp-capture-test-\(getpid()).pcapng"
        var file = try CaptureFile(creating: path)
        for (index, packet) in Self.packets.enumerated() {
            whole.append(packet, timestampNanoseconds: Self.times[index], comment: "drop \(index)")
            streamed.append(packet, timestampNanoseconds: Self.times[index], comment: "drop \(index)")
            try streamed.flush { bytes throws(CaptureFileError) in
                chunks += bytes
                try file.write(bytes)
            }
            #expect(streamed.bytes.isEmpty)
        }
        try file.close()
        #expect(chunks == whole.bytes)
        #expect(try readWholeFile(path) == whole.bytes)
        unlink(path)
        #expect(throws: CaptureFileError.self) { try readWholeFile(path) }
        do {
            _ = try CaptureFile(creating: "/nonexistent-dir/x.pcap")
            Issue.record("opened a file in a missing directory")
        } catch {
            #expect(error.description == "open /nonexistent-dir/x.pcap: No such file or directory")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
