/// One packet of a capture file, as a `CaptureReader` yields it.
///
/// `bytes` shares the file's storage (no copy); its indices are byte offsets in the file.
public struct CaptureRecord: Sendable {
    /// The 0-based number of the packet record in the file (other pcapng blocks do not count).
    public var index: Int
    /// The byte offset of the record header or pcapng block.
    public var fileOffset: Int
    /// The capture time in nanoseconds since 1970 (pcapng `if_tsoffset` applied).
    public var timestampNanoseconds: UInt64
    /// The number of bytes captured, `bytes.count`.
    public var capturedLength: Int
    /// The length of the packet on the wire; at least `capturedLength` unless the file lies.
    public var originalLength: Int
    /// What `bytes` starts with.
    public var linkType: LinkType
    /// The pcapng interface of the packet in its section; 0 in a classic pcap file.
    public var interfaceIndex: Int
    /// The captured bytes, a slice of the file whose indices are file offsets.
    public var bytes: ArraySlice<UInt8>
    /// The first `opt_comment` of a pcapng packet block, if any.
    public var comment: String?

    /// A record, for tests and for callers that build their own.
    public init(index: Int, fileOffset: Int, timestampNanoseconds: UInt64, originalLength: Int,
                linkType: LinkType, interfaceIndex: Int = 0, bytes: ArraySlice<UInt8>, comment: String? = nil) {
        self.index = index
        self.fileOffset = fileOffset
        self.timestampNanoseconds = timestampNanoseconds
        self.capturedLength = bytes.count
        self.originalLength = originalLength
        self.linkType = linkType
        self.interfaceIndex = interfaceIndex
        self.bytes = bytes
        self.comment = comment
    }
}
