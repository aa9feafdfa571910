import QFPCapture

/// A pcap file of IKE datagrams, built in memory: link type RAW (each record starts with the
/// IPv4 or IPv6 header, as `IKEWire.datagram` writes it), nanosecond timestamps.
///
///     var capture = IKECaptureWriter()
///     capture.append(datagram, timestampNanoseconds: 1_700_000_000_000_000_000)
///     try capture.write(to: "/tmp/ike.pcap")
///
/// To add IKE datagrams to a capture already being streamed (a `CaptureSink`), use
/// `CaptureSink.append(_:time:comment:)`.
public struct IKECaptureWriter: Sendable {
    /// The pcap file so far: header and every record.
    public private(set) var pcap: PcapWriter

    public init() {
        pcap = PcapWriter(linkType: .raw, resolution: .nanoseconds)
    }

    /// The number of datagrams appended.
    public var count: Int { pcap.recordsWritten }

    /// The file's bytes.
    public var bytes: [UInt8] { pcap.bytes }

    /// Appends `d` as one packet, stamped `timestampNanoseconds` since 1970.
    public mutating func append(_ d: IKEDatagram, timestampNanoseconds: UInt64) {
        pcap.append(IKEWire.datagram(d), timestampNanoseconds: timestampNanoseconds)
    }

    /// Creates (or truncates) `path` and writes the whole file to it.
    public func write(to path: String) throws(CaptureFileError) {
        var file = try CaptureFile(creating: path)
        try file.write(pcap.bytes)
        try file.close()
    }
}

extension CaptureSink {
    /// Appends the IP packet of `d` (the sink's link type is RAW) stamped with monotonic `time`.
    public func append(_ d: IKEDatagram, time: UInt64, comment: String? = nil) {
        IKEWire.datagram(d).withUnsafeBytes { append($0, time: time, comment: comment) }
    }
}
