import QFPCapture
import Testing

@Suite("Link-layer decapsulation")
struct DecapsulationTests {
    static let v4 = ipv4ESP(spi: 4096, sequence: 1, payload: 4)  // 32 bytes
    static let v6 = ipv6ESP(spi: 4097, payload: 8)                // 56 bytes
    static let macs: [UInt8] = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 7]

    static func frame(_ tags: [[UInt8]], _ etherType: [UInt8], _ payload: [UInt8], padTo: Int = 0) -> [UInt8] {
        var frame = macs + tags.flatMap { $0 } + etherType + payload
        while frame.count < padTo { frame.append(0) }
        return frame
    }

    @Test("Ethernet, VLAN tags, padding trimmed", arguments: [
        (frame([], [0x08, 0x00], v4, padTo: 60), UInt8(4), 14, 32),
        (frame([], [0x86, 0xDD], v6), 6, 14, 56),
        (frame([[0x81, 0x00, 0, 100]], [0x08, 0x00], v4, padTo: 64), 4, 18, 32),
        (frame([[0x88, 0xA8, 0, 200], [0x81, 0x00, 0, 100]], [0x86, 0xDD], v6), 6, 22, 56),
        (frame([[0x91, 0x00, 0, 200], [0x81, 0x00, 0, 100]], [0x08, 0x00], v4), 4, 22, 32),
    ] as [([UInt8], UInt8, Int, Int)])
    func ethernet(frame: [UInt8], version: UInt8, start: Int, length: Int) throws {
        #expect(try LinkType.ethernet.ipDatagram(in: frame[...]) == .ip(version: version, range: start ..< start + length))
    }

    @Test("non-IP frames are reported, not thrown")
    func notIP() throws {
        let arp = Self.frame([], [0x08, 0x06], [UInt8](repeating: 0, count: 28), padTo: 60)
        #expect(try LinkType.ethernet.ipDatagram(in: arp[...]) == .notIP(protocolType: 0x0806))
        let threeTags = Self.frame([[0x81, 0, 0, 1], [0x81, 0, 0, 2], [0x81, 0, 0, 3]], [0x08, 0x00], Self.v4)
        #expect(try LinkType.ethernet.ipDatagram(in: threeTags[...]) == .notIP(protocolType: 0x8100))
        #expect(try LinkType.raw.ipDatagram(in: [0x15, 0][...]) == .notIP(protocolType: nil))
        let loopback: [UInt8] = [0, 0, 0, 7] + Self.v4
        #expect(try LinkType.loop.ipDatagram(in: loopback[...]) == .notIP(protocolType: 7))
    }

    @Test("cooked, raw, IPv4/IPv6 and loopback link types")
    func otherLinkTypes() throws {
        let sll: [UInt8] = [0, 0, 0, 1, 0, 6] + [2, 0, 0, 0, 0, 7, 0, 0] + [0x08, 0x00] + Self.v4
        #expect(try LinkType.linuxSLL.ipDatagram(in: sll[...]) == .ip(version: 4, range: 16 ..< 48))
        let sll2: [UInt8] = [0x86, 0xDD, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6] + [2, 0, 0, 0, 0, 7, 0, 0] + Self.v6
        #expect(try LinkType.linuxSLL2.ipDatagram(in: sll2[...]) == .ip(version: 6, range: 20 ..< 76))
        #expect(try LinkType.raw.ipDatagram(in: (Self.v4 + [0, 0])[...]) == .ip(version: 4, range: 0 ..< 32))
        #expect(try LinkType.raw.ipDatagram(in: Self.v6[...]) == .ip(version: 6, range: 0 ..< 56))
        #expect(try LinkType.ipv4.ipDatagram(in: Self.v4[...]) == .ip(version: 4, range: 0 ..< 32))
        #expect(try LinkType.ipv6.ipDatagram(in: Self.v6[...]) == .ip(version: 6, range: 0 ..< 56))
        #expect(try LinkType.null.ipDatagram(in: ([2, 0, 0, 0] + Self.v4)[...]) == .ip(version: 4, range: 4 ..< 36))
        #expect(try LinkType.null.ipDatagram(in: ([0, 0, 0, 30] + Self.v6)[...]) == .ip(version: 6, range: 4 ..< 60))
        #expect(try LinkType.loop.ipDatagram(in: ([0, 0, 0, 2] + Self.v4)[...]) == .ip(version: 4, range: 4 ..< 36))
        // A snapped datagram ends with the frame; a lying length is not followed.
        #expect(try LinkType.raw.ipDatagram(in: Self.v4.prefix(24)) == .ip(version: 4, range: 0 ..< 24))
        #expect(try LinkType.raw.ipDatagram(in: [0x45, 0, 0, 3, 0, 0][...]) == .ip(version: 4, range: 0 ..< 6))
    }

    @Test("ranges of a record are file offsets; errors name the record")
    func records() throws {
        var writer = PcapngWriter()
        writer.append(Self.frame([[0x81, 0x00, 0, 100]], [0x08, 0x00], Self.v4, padTo: 64), linkType: .ethernet, timestampNanoseconds: 0)
        writer.append([2, 0, 0, 0, 0, 1, 2], linkType: .ethernet, timestampNanoseconds: 0)
        writer.append(Self.v4, linkType: LinkType(rawValue: 105), timestampNanoseconds: 0)
        var reader = try CaptureReader(writer.bytes)
        let tagged = try #require(try reader.next())
        guard case .ip(4, let range) = try tagged.ipDatagram() else { Issue.record("not IPv4"); return }
        #expect(Array(writer.bytes[range]) == Self.v4)
        #expect(range.lowerBound == tagged.fileOffset + 28 + 18)
        let short = try #require(try reader.next())
        #expect(throws: CaptureError(record: 1, offset: short.fileOffset, reason: .truncatedLinkHeader(.ethernet, needed: 14, available: 7))) {
            try short.ipDatagram()
        }
        let wireless = try #require(try reader.next())
        #expect(throws: CaptureError(record: 2, offset: wireless.fileOffset, reason: .unsupportedLinkType(LinkType(rawValue: 105)))) {
            try wireless.ipDatagram()
        }
        #expect(LinkType(rawValue: 105).description == "linktype 105" && LinkType.linuxSLL2.description == "LINUX_SLL2")
    }
}
