import CFuzzerDriver
import QFPCapture

/// libFuzzer entry: every input is read as a whole capture file, then again as the body of a
/// pcapng section (behind a valid Section Header Block, so that block parsing is reached without
/// the fuzzer having to find the magic), and every record is decapsulated. Any trap is a bug; so
/// is a record or range outside the file, a record number out of sequence, or a writer whose
/// output does not read back as written.
enum Harness {
    /// A little-endian Section Header Block, as `PcapngWriter` starts a file.
    static let sectionHeader: [UInt8] = PcapngWriter(reservingCapacity: 32).bytes
}

/// Reads every record of `file`, checking what the reader promises.
func readEverything(_ file: [UInt8]) {
    guard var reader = try? CaptureReader(file) else { return }
    var count = 0
    while true {
        let record: CaptureRecord
        do {
            guard let next = try reader.next() else { return }
            record = next
        } catch {
            if error.record != count || error.offset < 0 || error.offset >= file.count {
                fatalError("error \(error) after \(count) records of a \(file.count)-byte file")
            }
            _ = error.description
            return
        }
        if record.index != count || record.bytes.count != record.capturedLength || record.fileOffset >= record.bytes.startIndex
            || record.bytes.endIndex > file.count {
            fatalError("record \(count) out of bounds: \(record.fileOffset), \(record.bytes.indices) of \(file.count)")
        }
        switch try? record.ipDatagram() {
        case .ip(let version, let range)?:
            if !(version == 4 || version == 6) || range.lowerBound < record.bytes.startIndex || range.upperBound > record.bytes.endIndex {
                fatalError("record \(count): datagram \(range) outside \(record.bytes.indices)")
            }
        default:
            break
        }
        count += 1
    }
}

/// One input: read two ways, then written as a commented packet and read back.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    readEverything(bytes)
    readEverything(Harness.sectionHeader + bytes)

    let comment = String(decoding: bytes.prefix(64), as: UTF8.self)
    var writer = PcapngWriter(reservingCapacity: 0)
    writer.append(bytes, linkType: .ethernet, timestampNanoseconds: UInt64(size), comment: comment)
    guard var reader = try? CaptureReader(writer.bytes), let record = try? reader.next() else {
        fatalError("PcapngWriter output of a \(size)-byte packet does not read back")
    }
    // The reader drops the NULs some writers put at the end of a comment.
    var expectedComment = Substring(comment)
    while expectedComment.last == "\0" { expectedComment.removeLast() }
    let sameBytes = record.bytes.elementsEqual(bytes.prefix(CaptureReader.maximumCapturedLength))
    let sameComment = record.comment.map { $0[...] } == expectedComment
    if !sameBytes || !sameComment || record.timestampNanoseconds != UInt64(size) {
        fatalError("PcapngWriter round trip of a \(size)-byte packet differs")
    }
    return 0
}
