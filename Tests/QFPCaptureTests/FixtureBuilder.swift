import QFPCapture

/// Assembles capture files byte by byte, in either byte order, for hand-made fixtures.
struct FixtureBuilder {
    var bigEndian: Bool
    var bytes: [UInt8] = []

    init(bigEndian: Bool = false) { self.bigEndian = bigEndian }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func u32(_ value: UInt32) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }

    // MARK: classic pcap

    mutating func pcapHeader(magic: UInt32 = 0xA1B2_C3D4, major: UInt16 = 2, snapLength: UInt32 = 65_535, linkType: UInt32 = 1) {
        u32(magic); u16(major); u16(4); u32(0); u32(0); u32(snapLength); u32(linkType)
    }

    mutating func pcapRecord(seconds: UInt32, fraction: UInt32, data: [UInt8], captured: UInt32? = nil, original: UInt32? = nil) {
        u32(seconds); u32(fraction); u32(captured ?? UInt32(data.count)); u32(original ?? UInt32(data.count)); raw(data)
    }

    // MARK: pcapng

    /// A block: type, total length, body (padded), total length again.
    mutating func block(_ type: UInt32, trailingLength: UInt32? = nil, lengthOverride: UInt32? = nil,
                        _ body: (inout FixtureBuilder) -> Void) {
        var inner = FixtureBuilder(bigEndian: bigEndian)
        body(&inner)
        inner.pad()
        let length = UInt32(12 + inner.bytes.count)
        u32(type); u32(lengthOverride ?? length); raw(inner.bytes); u32(trailingLength ?? lengthOverride ?? length)
    }

    mutating func option(_ code: UInt16, _ value: [UInt8]) {
        u16(code); u16(UInt16(value.count)); raw(value); pad()
    }

    mutating func endOfOptions() { u32(0) }

    mutating func sectionHeader() {
        block(0x0A0D_0D0A) { b in b.u32(0x1A2B_3C4D); b.u16(1); b.u16(0); b.u64(.max) }
    }

    mutating func interface(linkType: UInt16, snapLength: UInt32 = 0, tsresol: UInt8? = nil, tsoffset: Int64? = nil) {
        block(1) { b in
            b.u16(linkType); b.u16(0); b.u32(snapLength)
            if let tsresol { b.option(9, [tsresol]) }
            if let tsoffset {
                var value = FixtureBuilder(bigEndian: b.bigEndian)
                value.u64(UInt64(bitPattern: tsoffset))
                b.option(14, value.bytes)
            }
            if tsresol != nil || tsoffset != nil { b.endOfOptions() }
        }
    }

    mutating func enhancedPacket(interface: UInt32 = 0, timestamp: UInt64, data: [UInt8], original: UInt32? = nil,
                                 captured: UInt32? = nil, comments: [[UInt8]] = []) {
        block(6) { b in
            b.u32(interface); b.u32(UInt32(timestamp >> 32)); b.u32(UInt32(timestamp & 0xFFFF_FFFF))
            b.u32(captured ?? UInt32(data.count)); b.u32(original ?? UInt32(data.count)); b.raw(data); b.pad()
            for comment in comments { b.option(1, comment) }
            if !comments.isEmpty { b.endOfOptions() }
        }
    }

    mutating func simplePacket(original: UInt32, data: [UInt8]) {
        block(3) { b in b.u32(original); b.raw(data) }
    }
}

/// Everything a reader yields from `bytes`, and the error that stopped it, if any.
func readAll(_ bytes: [UInt8]) -> (records: [CaptureRecord], error: CaptureError?) {
    var records: [CaptureRecord] = []
    do {
        var reader = try CaptureReader(bytes)
        while let record = try reader.next() { records.append(record) }
        return (records, nil)
    } catch {
        return (records, error)
    }
}

/// An IPv4 ESP packet, 198.51.100.7 to 192.0.2.1, with `payload` bytes after the ESP header.
func ipv4ESP(spi: UInt32, sequence: UInt32, payload: Int) -> [UInt8] {
    let total = 20 + 8 + payload
    var b = FixtureBuilder(bigEndian: true)
    b.u8(0x45); b.u8(0); b.u16(UInt16(total)); b.u32(0); b.u8(64); b.u8(50); b.u16(0)
    b.raw([198, 51, 100, 7]); b.raw([192, 0, 2, 1])
    b.u32(spi); b.u32(sequence)
    b.raw((0 ..< payload).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    return b.bytes
}

/// An IPv6 ESP packet with `payload` bytes after the ESP header.
func ipv6ESP(spi: UInt32, payload: Int) -> [UInt8] {
    var b = FixtureBuilder(bigEndian: true)
    b.u32(0x6000_0000); b.u16(UInt16(8 + payload)); b.u8(50); b.u8(64)
    b.raw([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [7])
    b.raw([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1])
    b.u32(spi); b.u32(1)
    b.raw([UInt8](repeating: 0xAB, count: payload))
    return b.bytes
}
