import Foundation
import QFPCapture
import QFPControl
import QFPDataplane
import Testing


private func hex(_ text: String) -> [UInt8] {
    let digits = text.filter(\.isHexDigit)
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        out.append(UInt8(digits[i..<j], radix: 16)!)
        i = j
    }
    return out
}

@Suite("IKE messages on the wire")
struct IKEWireTests {
    static let icookie: UInt64 = 0x0102_0304_0506_0708
    static let rcookie: UInt64 = 0x1112_1314_1516_1718
    let router = IPAddress("192.0.2.1")!
    let peer = IPAddress("198.51.100.7")!

    func message(_ version: IKEMessage.Version, _ body: IKEMessage.Body, id: UInt32 = 0xDEAD_BEEF,
                 initiator: Bool = true, response: Bool = false) -> IKEMessage {
        IKEMessage(version: version, initiatorSPI: Self.icookie, responderSPI: Self.rcookie, messageID: id,
                   fromInitiator: initiator, isResponse: response, body: body)
    }

    static let cookieHex = "0102030405060708 1112131415161718"

    // MARK: Byte-exact messages

    @Test("IKEv1 Delete ESP: header, HASH(1), Delete")
    func ikev1DeleteESP() throws {
        let bytes = IKEWire.encode(message(.ikev1, .deleteESP(spis: [0x3EA7_1AED])))
        #expect(bytes.count == 68)
        #expect(Array(bytes[0..<28]) == hex(Self.cookieHex + "08 10 05 00 DEADBEEF 00000044"))
        #expect(Array(bytes[28..<32]) == hex("0C 00 0018"))  // HASH, next = Delete, 24 bytes
        #expect(Array(bytes[52...]) == hex("00 00 0010 00000001 03 04 0001 3EA71AED"))
        let hash = IKEWire.placeholderHash(messageID: 0xDEAD_BEEF, payload: bytes[52...])
        #expect(Array(bytes[32..<52]) == hash)
        #expect(try IKEWire.decode(bytes) == message(.ikev1, .deleteESP(spis: [0x3EA7_1AED]), initiator: false))
    }

    @Test("IKEv1 Delete ISAKMP, INVALID-SPI, R-U-THERE and R-U-THERE-ACK")
    func ikev1Notifies() throws {
        let delete = IKEWire.encode(message(.ikev1, .deleteIKE))
        #expect(delete.count == 80)
        #expect(Array(delete[16..<28]) == hex("08 10 05 00 DEADBEEF 00000050"))
        #expect(Array(delete[52...]) == hex("00 00 001C 00000001 01 10 0001" + Self.cookieHex))

        let invalid = IKEWire.encode(message(.ikev1, .invalidSPI(spi: 0x3EA7_1AED)))
        #expect(invalid.count == 68)
        #expect(Array(invalid[28..<32]) == hex("0B 00 0018"))  // HASH, next = Notification
        #expect(Array(invalid[52...]) == hex("00 00 0010 00000001 03 04 000B 3EA71AED"))

        let probe = IKEWire.encode(message(.ikev1, .dpdRequest(sequence: 0x0102_0304)))
        #expect(probe.count == 84)
        #expect(Array(probe[52...]) == hex("00 00 0020 00000001 01 10 8D28" + Self.cookieHex + "01020304"))
        let ack = IKEWire.encode(message(.ikev1, .dpdResponse(sequence: 0x0102_0304)))
        #expect(Array(ack[52...]) == hex("00 00 0020 00000001 01 10 8D29" + Self.cookieHex + "01020304"))
        #expect(try IKEWire.decode(ack).body == .dpdResponse(sequence: 0x0102_0304))
        #expect(try IKEWire.decode(ack).isResponse)
    }

    @Test("IKEv2 INFORMATIONAL: SK (ENCR_NULL) holding Delete, Delete IKE, INVALID_SPI, or nothing")
    func ikev2() throws {
        let delete = IKEWire.encode(message(.ikev2, .deleteESP(spis: [0x3EA7_1AED]), id: 7))
        #expect(delete == hex(Self.cookieHex + "2E 20 25 08 00000007 0000002D" + "2A 00 0011" + "00 00 000C 03 04 0001 3EA71AED" + "00"))

        let ike = IKEWire.encode(message(.ikev2, .deleteIKE, id: 8, initiator: false))
        #expect(ike == hex(Self.cookieHex + "2E 20 25 00 00000008 00000029" + "2A 00 000D" + "00 00 0008 01 00 0000" + "00"))

        let invalid = IKEWire.encode(message(.ikev2, .invalidSPI(spi: 0xC0FF_EE01), id: 9))
        #expect(invalid == hex(Self.cookieHex + "2E 20 25 08 00000009 0000002D" + "29 00 0011" + "00 00 000C 00 00 000B C0FFEE01" + "00"))

        let probe = IKEWire.encode(message(.ikev2, .dpdRequest(sequence: 99), id: 10))
        #expect(probe == hex(Self.cookieHex + "2E 20 25 08 0000000A 00000021" + "00 00 0005 00"))
        let answer = IKEWire.encode(message(.ikev2, .dpdResponse(sequence: 99), id: 10, initiator: false))
        #expect(answer == hex(Self.cookieHex + "2E 20 25 20 0000000A 00000021" + "00 00 0005 00"))
        #expect(try IKEWire.decode(answer) == message(.ikev2, .dpdResponse(sequence: 10), id: 10, initiator: false, response: true))

        // Response flag kept for a Delete answer.
        let deleteAnswer = IKEWire.encode(message(.ikev2, .deleteESP(spis: [1, 2]), id: 3, initiator: false, response: true))
        #expect(deleteAnswer[19] == 0x20)
        #expect(try IKEWire.decode(deleteAnswer) == message(.ikev2, .deleteESP(spis: [1, 2]), id: 3, initiator: false, response: true))
    }

    @Test("IKEv2 payloads without SK (an unprotected INVALID_SPI hint) decode too")
    func ikev2Unprotected() throws {
        let bytes = hex(Self.cookieHex + "29 20 25 08 00000000 00000028" + "00 00 000C 00 00 000B 3EA71AED")
        #expect(try IKEWire.decode(bytes) == message(.ikev2, .invalidSPI(spi: 0x3EA7_1AED), id: 0))
    }

    // MARK: Datagrams

    @Test("IPv4 and IPv6 datagrams: checksums, lengths, NAT-T marker")
    func datagrams() throws {
        let m = message(.ikev1, .deleteESP(spis: [0x3EA7_1AED]))
        let plain = IKEWire.datagram(IKEDatagram(source: router, destination: peer, message: m))
        #expect(plain.count == 20 + 8 + 68)
        #expect(Array(plain[0..<10]) == hex("45 00 0060 0000 4000 FF 11"))
        #expect(Array(plain[12..<20]) == hex("C0000201 C6336407"))
        // Header checksum by hand: sum of the 16-bit words with the checksum field 0.
        var sum: UInt32 = 0x4500 + 0x0060 + 0x4000 + 0xFF11 + 0xC000 + 0x0201 + 0xC633 + 0x6407
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        #expect(UInt16(plain[10]) << 8 | UInt16(plain[11]) == ~UInt16(sum))
        #expect(Array(plain[20..<26]) == hex("01F4 01F4 004C"))
        #expect(plain[26] != 0 || plain[27] != 0)
        #expect(Array(plain[28...]) == IKEWire.encode(m))

        let natT = IKEDatagram(source: router, destination: peer, sourcePort: 4500, destinationPort: 4500, message: m)
        let natBytes = IKEWire.datagram(natT)
        #expect(Array(natBytes[20..<32]) == hex("1194 1194 0050") + natBytes[26..<28] + [0, 0, 0, 0])
        #expect(try IKEWire.parseDatagram(natBytes) == IKEDatagram(source: router, destination: peer, sourcePort: 4500,
                                                                   destinationPort: 4500, message: IKEWire.canonical(m)))

        let v6 = IKEDatagram(source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8:1::7")!,
                             sourcePort: 4500, destinationPort: 61_000, message: message(.ikev2, .invalidSPI(spi: 5)))
        let v6Bytes = IKEWire.datagram(v6)
        #expect(Array(v6Bytes[0..<8]) == hex("60000000 0039 11 FF"))  // 8 + 4 + 45 = 57
        #expect(try IKEWire.parseDatagram(v6Bytes) == v6)
        // Trailing link-layer padding is ignored.
        #expect(try IKEWire.parseDatagram(v6Bytes + [0, 0, 0]) == v6)
    }

    @Test("Datagram errors: checksums, protocol, ESP-in-UDP, keepalive")
    func datagramErrors() throws {
        let d = IKEDatagram(source: router, destination: peer, sourcePort: 4500, destinationPort: 4500,
                            message: message(.ikev1, .invalidSPI(spi: 1)))
        let good = IKEWire.datagram(d)
        var b = good
        b[11] ^= 1
        #expect(throws: IKEWireError.badIPChecksum) { try IKEWire.parseDatagram(b) }
        b = good
        b[good.count - 1] ^= 0x40
        #expect(throws: IKEWireError.badUDPChecksum) { try IKEWire.parseDatagram(b) }
        b = good
        b[28] = 0x3E  // the marker's first byte: now an ESP SPI (checksum zeroed so it is not checked)
        b[26] = 0
        b[27] = 0
        #expect(throws: IKEWireError.espInUDP(spi: 0x3E00_0000)) { try IKEWire.parseDatagram(b) }
        let keepalive = Array(good[0..<28]) + [0xFF]
        var k = keepalive
        k[2] = 0
        k[3] = 29
        k[24] = 0
        k[25] = 9
        k[26] = 0
        k[27] = 0
        k[10] = 0
        k[11] = 0
        var sum: UInt32 = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(k[i]) << 8 | UInt32(k[i + 1]) }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        k[10] = UInt8(~sum >> 8 & 0xFF)
        k[11] = UInt8(~sum & 0xFF)
        #expect(throws: IKEWireError.natKeepalive) { try IKEWire.parseDatagram(k) }
        #expect(throws: IKEWireError.unsupportedIPVersion(5)) { try IKEWire.parseDatagram([0x50] + good.dropFirst()) }
        #expect(throws: IKEWireError.truncatedPacket(length: 0)) { try IKEWire.parseDatagram([]) }
    }

    // MARK: Decode errors

    @Test("Decode errors name what is wrong")
    func decodeErrors() throws {
        let v1 = IKEWire.encode(message(.ikev1, .deleteESP(spis: [7])))
        #expect(throws: IKEWireError.truncatedHeader(length: 27)) { try IKEWire.decode(Array(v1[0..<27])) }
        #expect(throws: IKEWireError.badLength(declared: 68, actual: 60)) { try IKEWire.decode(Array(v1[0..<60])) }
        #expect(throws: IKEWireError.badLength(declared: 68, actual: 69)) { try IKEWire.decode(v1 + [0]) }
        var b = v1
        b[17] = 0x30
        #expect(throws: IKEWireError.unsupportedVersion(0x30)) { try IKEWire.decode(b) }
        b = v1
        b[18] = 2
        #expect(throws: IKEWireError.unsupportedExchange(version: .ikev1, exchange: 2)) { try IKEWire.decode(b) }
        b = v1
        b[19] = 1
        #expect(throws: IKEWireError.encrypted) { try IKEWire.decode(b) }
        b = v1
        b[16] = 12  // Delete first, then a "HASH" whose next payload is Delete again
        #expect(throws: IKEWireError.self) { try IKEWire.decode(b) }
        b = v1
        b[28] = 13  // HASH → Vendor ID
        #expect(throws: IKEWireError.unknownPayloadChain([8, 13])) { try IKEWire.decode(b) }
        b = v1
        b[67] ^= 1  // an SPI bit: the placeholder HASH no longer matches
        #expect(throws: IKEWireError.hashMismatch) { try IKEWire.decode(b) }
        b = v1
        b[31] = 0x30  // HASH length past the end
        #expect(throws: IKEWireError.badPayloadLength(offset: 28, length: 0x30)) { try IKEWire.decode(b) }

        let v2 = IKEWire.encode(message(.ikev2, .deleteESP(spis: [7])))
        b = v2
        b[b.count - 1] = 20  // pad length longer than the SK contents
        #expect(throws: IKEWireError.badEncryptedPayload("pad length 20 in 13 bytes")) { try IKEWire.decode(b) }
        b = v2
        b[28] = 44  // the SK payload's first inner payload: Traffic Selector (44), not Delete
        #expect(throws: IKEWireError.unknownPayloadChain([44])) { try IKEWire.decode(b) }
        b = v2
        b[36] = 2  // Delete of protocol AH
        #expect(throws: IKEWireError.malformedPayload(type: 42, reason: "Delete of protocol 2, SPI size 4, 1 SPIs")) { try IKEWire.decode(b) }
        b = v2
        b[18] = 34
        #expect(throws: IKEWireError.unsupportedExchange(version: .ikev2, exchange: 34)) { try IKEWire.decode(b) }
    }

    // MARK: Properties

    fileprivate func randomMessage(_ rng: inout SplitMix) -> IKEMessage {
        let body: IKEMessage.Body = switch Int.random(in: 0..<5, using: &rng) {
        case 0: .deleteESP(spis: (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt32.random(in: .min ... .max, using: &rng) })
        case 1: .deleteIKE
        case 2: .invalidSPI(spi: UInt32.random(in: .min ... .max, using: &rng))
        case 3: .dpdRequest(sequence: UInt32.random(in: .min ... .max, using: &rng))
        default: .dpdResponse(sequence: UInt32.random(in: .min ... .max, using: &rng))
        }
        return IKEMessage(version: Bool.random(using: &rng) ? .ikev1 : .ikev2,
                          initiatorSPI: rng.next(), responderSPI: rng.next(),
                          messageID: UInt32.random(in: .min ... .max, using: &rng),
                          fromInitiator: Bool.random(using: &rng), isResponse: Bool.random(using: &rng), body: body)
    }

    fileprivate func randomAddress(_ rng: inout SplitMix, v4: Bool) -> IPAddress {
        v4 ? IPAddress(ipv4: UInt32.random(in: .min ... .max, using: &rng)) : IPAddress(high: rng.next(), low: rng.next())
    }

    @Test("decode(encode(m)) == canonical(m), and the same through a datagram, over random messages")
    func roundTrip() throws {
        var rng = SplitMix(seed: 0x1CE)
        let ports: [UInt16] = [500, 4500, 1024, 61_000]
        for _ in 0..<2_000 {
            let m = randomMessage(&rng)
            let bytes = IKEWire.encode(m)
            #expect(bytes.count == Int(bytes[24]) << 24 | Int(bytes[25]) << 16 | Int(bytes[26]) << 8 | Int(bytes[27]))
            #expect(try IKEWire.decode(bytes) == IKEWire.canonical(m))
            #expect(IKEWire.canonical(IKEWire.canonical(m)) == IKEWire.canonical(m))
            #expect(IKEWire.encode(IKEWire.canonical(m)) == bytes)
            let v4 = Bool.random(using: &rng)
            let d = IKEDatagram(source: randomAddress(&rng, v4: v4), destination: randomAddress(&rng, v4: v4),
                                sourcePort: ports.randomElement(using: &rng)!, destinationPort: ports.randomElement(using: &rng)!,
                                message: m)
            var expected = d
            expected.message = IKEWire.canonical(m)
            #expect(try IKEWire.parseDatagram(IKEWire.datagram(d)) == expected)
        }
    }

    @Test("Arbitrary and mutated input never traps")
    func fuzz() {
        var rng = SplitMix(seed: 0xF022)
        var decoded = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if (try? IKEWire.decode(bytes)) != nil { decoded += 1 }
            _ = try? IKEWire.parseDatagram(bytes)
        }
        for _ in 0..<20_000 {
            let m = randomMessage(&rng)
            var bytes = IKEWire.encode(m)
            var packet = IKEWire.datagram(IKEDatagram(source: router, destination: peer, sourcePort: 4500,
                                                      destinationPort: 4500, message: m))
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                packet[Int.random(in: 0..<packet.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            if Bool.random(using: &rng) { packet.removeLast(Int.random(in: 0..<packet.count, using: &rng)) }
            if (try? IKEWire.decode(bytes)) != nil { decoded += 1 }
            _ = try? IKEWire.parseDatagram(packet)
        }
        #expect(decoded < 40_000)
    }

    // MARK: Captures

    @Test("IKECaptureWriter and CaptureSink write records that read back as the same datagrams")
    func captures() throws {
        let datagrams = [
            IKEDatagram(source: router, destination: peer, message: message(.ikev1, .deleteESP(spis: [0x3EA7_1AED]), initiator: false)),
            IKEDatagram(source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8:1::7")!, sourcePort: 4500,
                        destinationPort: 4500, message: message(.ikev2, .invalidSPI(spi: 9))),
        ]
        var writer = IKECaptureWriter()
        for (i, d) in datagrams.enumerated() { writer.append(d, timestampNanoseconds: 1_000_000_000 * UInt64(i + 1)) }
        #expect(writer.count == 2)
        var reader = try CaptureReader(writer.bytes)
        #expect(reader.interfaces.first?.linkType == .raw)
        for (i, d) in datagrams.enumerated() {
            let record = try #require(try reader.next())
            #expect(record.timestampNanoseconds == 1_000_000_000 * UInt64(i + 1))
            #expect(try IKEWire.parseDatagram(Array(record.bytes)) == d)
        }
        #expect(try reader.next() == nil)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-ikewire-sink-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try CaptureSink(path: path, format: .pcapng)
        for d in datagrams { sink.append(d, time: 5, comment: "ike") }
        #expect(sink.finish() == nil)
        var fromSink = try CaptureReader(readWholeFile(path))
        for d in datagrams {
            let record = try #require(try fromSink.next())
            #expect(record.comment == "ike")
            #expect(try IKEWire.parseDatagram(Array(record.bytes)) == d)
        }
    }

    // MARK: tshark

    static var tshark: String? {
        ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// tshark's fields, one row per packet, columns split on `|`, repeated values joined by `;`.
    static func tsharkFields(_ file: String, _ fields: [String], options: [String] = []) throws -> [[String]] {
        let tshark = try #require(Self.tshark, "tshark is missing: run Tools/setup --test")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", file, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;"]
            + options.flatMap { ["-o", $0] } + fields.flatMap { ["-e", $0] }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("tshark decodes IKEv1 Delete / INVALID-SPI / DPD and IKEv2 Delete / INVALID_SPI, on 500 and 4500, IPv4 and IPv6")
    func tsharkDecodes() throws {
        let v6Router = IPAddress("2001:db8::1")!
        let v6Peer = IPAddress("2001:db8:1::7")!
        let messages: [IKEMessage] = [
            message(.ikev1, .deleteESP(spis: [0x3EA7_1AED])),
            message(.ikev1, .invalidSPI(spi: 0x3EA7_1AED)),
            message(.ikev1, .dpdRequest(sequence: 0x5EED_0001)),
            message(.ikev1, .dpdResponse(sequence: 0x5EED_0001), initiator: false),
            message(.ikev1, .deleteIKE),
            message(.ikev2, .deleteESP(spis: [0x3EA7_1AED, 0x0000_1234]), id: 4),
            message(.ikev2, .invalidSPI(spi: 0x3EA7_1AED), id: 5),
            message(.ikev2, .deleteIKE, id: 6),
            message(.ikev2, .dpdRequest(sequence: 7), id: 7),
        ]
        var capture = IKECaptureWriter()
        var datagrams: [IKEDatagram] = []
        for (ports, v6) in [((UInt16(500), UInt16(500)), false), ((4500, 4500), false), ((4500, 61_000), true)] {
            for m in messages {
                datagrams.append(IKEDatagram(source: v6 ? v6Router : router, destination: v6 ? v6Peer : peer,
                                             sourcePort: ports.0, destinationPort: ports.1, message: m))
            }
        }
        for (i, d) in datagrams.enumerated() {
            capture.append(d, timestampNanoseconds: 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-ikewire-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("ike.pcap").path
        try capture.write(to: file)

        let fields = ["udp.dstport", "isakmp.version", "isakmp.exchangetype", "isakmp.flags", "isakmp.messageid",
                      "isakmp.typepayload", "isakmp.delete.protoid", "isakmp.delete.spi", "isakmp.notify.protoid",
                      "isakmp.notify.msgtype", "isakmp.spi", "isakmp.notify.data",
                      "isakmp.notify.data.dpd.are_you_there", "isakmp.notify.data.dpd.are_you_there_ack",
                      "isakmp.hash", "isakmp.enc.pad_length", "ip.checksum.status", "udp.checksum.status",
                      "_ws.malformed", "_ws.expert.message"]
        let options = [IKEWire.tsharkDecryptionOption(initiatorSPI: Self.icookie, responderSPI: Self.rcookie),
                       "ip.check_checksum:TRUE", "udp.check_checksum:TRUE"]
        let rows = try Self.tsharkFields(file, fields, options: options)
        try #require(rows.count == datagrams.count, "\(rows)")
        let cookies = "01020304050607081112131415161718"
        for (i, row) in rows.enumerated() {
            try #require(row.count == fields.count, "\(row)")
            let f = Dictionary(uniqueKeysWithValues: zip(fields, row))
            let ok = try #require(f["_ws.malformed"]).isEmpty && f["_ws.expert.message"]!.isEmpty
            #expect(ok, "packet \(i + 1): malformed or expert info: \(row)")
            let d = datagrams[i]
            #expect(f["udp.dstport"] == String(d.destinationPort))
            // 1 = verified good (the options above turn checking on).
            #expect(f["ip.checksum.status"] == (d.source.isIPv4 ? "1" : ""), "packet \(i + 1)")
            #expect(f["udp.checksum.status"] == "1", "packet \(i + 1)")
            let m = d.message
            #expect(f["isakmp.messageid"] == "0x" + String(format: "%08x", m.messageID))
            let expected: [String: String]
            switch (m.version, m.body) {
            case (.ikev1, .deleteESP):
                expected = ["isakmp.typepayload": "8;12", "isakmp.delete.protoid": "3", "isakmp.delete.spi": "3ea71aed"]
            case (.ikev1, .invalidSPI):
                expected = ["isakmp.typepayload": "8;11", "isakmp.notify.protoid": "3", "isakmp.notify.msgtype": "11",
                            "isakmp.spi": "3ea71aed"]
            case (.ikev1, .dpdRequest):
                expected = ["isakmp.typepayload": "8;11", "isakmp.notify.protoid": "1", "isakmp.notify.msgtype": "36136",
                            "isakmp.spi": cookies, "isakmp.notify.data.dpd.are_you_there": "1592590337"]
            case (.ikev1, .dpdResponse):
                expected = ["isakmp.typepayload": "8;11", "isakmp.notify.protoid": "1", "isakmp.notify.msgtype": "36137",
                            "isakmp.spi": cookies, "isakmp.notify.data.dpd.are_you_there_ack": "1592590337"]
            case (.ikev1, .deleteIKE):
                expected = ["isakmp.typepayload": "8;12", "isakmp.delete.protoid": "1", "isakmp.delete.spi": cookies]
            case (.ikev2, .deleteESP):
                expected = ["isakmp.typepayload": "46;42", "isakmp.delete.protoid": "3", "isakmp.delete.spi": "3ea71aed;00001234",
                            "isakmp.enc.pad_length": "0"]
            case (.ikev2, .invalidSPI):
                expected = ["isakmp.typepayload": "46;41", "isakmp.notify.protoid": "0", "isakmp.notify.msgtype": "11",
                            "isakmp.notify.data": "3ea71aed", "isakmp.enc.pad_length": "0"]
            case (.ikev2, .deleteIKE):
                expected = ["isakmp.typepayload": "46;42", "isakmp.delete.protoid": "1", "isakmp.enc.pad_length": "0"]
            case (.ikev2, _):
                expected = ["isakmp.typepayload": "46", "isakmp.enc.pad_length": "0"]
            }
            #expect(f["isakmp.version"] == (m.version == .ikev1 ? "0x10" : "0x20"), "packet \(i + 1)")
            #expect(f["isakmp.exchangetype"] == (m.version == .ikev1 ? "5" : "37"), "packet \(i + 1)")
            #expect(f["isakmp.flags"] == (m.version == .ikev1 ? "0x00" : "0x08"), "packet \(i + 1)")
            if m.version == .ikev1 { #expect(f["isakmp.hash"]?.count == 40, "packet \(i + 1)") }
            for (key, value) in expected {
                #expect(f[key] == value, "packet \(i + 1) \(key): \(row)")
            }
        }
    }
}
