/// Reads the packet records of a whole classic pcap or pcapng file held in memory.
///
/// The format is detected by its magic number: pcap in microseconds or nanoseconds, in either
/// byte order; pcapng with any number of sections in either byte order, Enhanced, Simple and
/// obsolete Packet Blocks, other blocks skipped by their length. Records share the file's
/// storage: reading allocates only for a pcapng Interface Description Block and for each
/// `opt_comment` turned into a `String`.
///
///     var reader = try CaptureReader(bytes)
///     while let record = try reader.next() { ... }
///
/// A malformed record stops the reader with a `CaptureError` naming the record number and byte
/// offset; the records before it were read and are valid. Every later `next()` throws the same
/// error. The input is treated as hostile: no length from the file is trusted before it is
/// compared with what is left.
public struct CaptureReader {
    /// The largest captured length accepted in one record (Wireshark's limit for most link types).
    public static let maximumCapturedLength = 262_144

    /// The whole file.
    public let file: [UInt8]
    var parser: CaptureParser
    var failure: CaptureError?

    /// Reads the file header (and, for pcapng, the first Section Header Block) of `file`.
    ///
    /// - Throws: `CaptureError` with `record == nil` when the header is short, has no known magic
    ///   or an unsupported version.
    public init(_ file: [UInt8]) throws(CaptureError) {
        self.file = file
        let parsed = file.withUnsafeBytes { buffer in
            Result { () throws(CaptureError) in try CaptureParser(buffer) }
        }
        parser = try parsed.get()
    }

    /// The container format and, for classic pcap, byte order and timestamp resolution.
    public var format: CaptureFormat { parser.format }

    /// The interfaces of the current pcapng section, or the single one of a pcap file header.
    public var interfaces: [CaptureInterface] { parser.interfaces }

    /// The number of packet records yielded so far.
    public var recordsRead: Int { parser.recordIndex }

    /// The next packet record, or `nil` at the end of the file.
    ///
    /// - Throws: `CaptureError` for a truncated or malformed record or block; again on every
    ///   later call.
    public mutating func next() throws(CaptureError) -> CaptureRecord? {
        if let failure { throw failure }
        let file = self.file
        let step = file.withUnsafeBytes { buffer in
            Result { () throws(CaptureError) in try parser.next(buffer) }
        }
        let layout: RecordLayout
        switch step {
        case .success(.some(let found)): layout = found
        case .success(.none): return nil
        case .failure(let error):
            failure = error
            throw error
        }
        let interface = parser.interfaces[layout.interfaceIndex]
        var comment: String?
        if var range = layout.comment {
            // Some writers count a terminating NUL.
            while let last = range.last, file[last] == 0 { range = range.lowerBound ..< last }
            comment = String(decoding: file[range], as: UTF8.self)
        }
        return CaptureRecord(index: parser.recordIndex - 1, fileOffset: layout.offset,
                             timestampNanoseconds: layout.timestampNanoseconds, originalLength: layout.originalLength,
                             linkType: interface.linkType, interfaceIndex: layout.interfaceIndex,
                             bytes: file[layout.dataStart ..< layout.dataStart + layout.capturedLength], comment: comment)
    }
}
