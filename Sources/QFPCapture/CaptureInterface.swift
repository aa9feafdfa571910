/// One capture interface: a pcapng Interface Description Block, or a classic pcap file header.
public struct CaptureInterface: Hashable, Sendable {
    /// What the packets of this interface start with.
    public var linkType: LinkType
    /// The largest captured length the writer promised; 0 means no limit (pcapng).
    public var snapLength: UInt32
    /// The unit of the packet timestamps (pcapng `if_tsresol`).
    public var timestampResolution: TimestampResolution
    /// Seconds added to every timestamp (pcapng `if_tsoffset`).
    public var timestampOffsetSeconds: Int64

    /// An interface description.
    public init(linkType: LinkType, snapLength: UInt32, timestampResolution: TimestampResolution = .microseconds,
                timestampOffsetSeconds: Int64 = 0) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.timestampResolution = timestampResolution
        self.timestampOffsetSeconds = timestampOffsetSeconds
    }

    /// The timestamp of a packet in nanoseconds since 1970, or `nil` when it does not fit `UInt64`.
    func nanoseconds(units: UInt64) -> UInt64? {
        guard let scaled = timestampResolution.inNanoseconds(units) else { return nil }
        if timestampOffsetSeconds == 0 { return scaled }
        let (offset, overflow) = timestampOffsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return nil }
        if offset >= 0 {
            let (sum, carry) = scaled.addingReportingOverflow(UInt64(offset))
            return carry ? nil : sum
        }
        let magnitude = offset.magnitude
        return scaled >= magnitude ? scaled - magnitude : nil
    }
}
