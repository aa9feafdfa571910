/// The container format of a capture file, as told by its magic number.
public enum CaptureFormat: Hashable, Sendable {
    /// Classic libpcap: one file header, then records. `bigEndian` is the writer's byte order.
    case pcap(resolution: TimestampResolution, bigEndian: Bool)
    /// pcapng: blocks, in the byte order of each Section Header Block.
    case pcapng
}
