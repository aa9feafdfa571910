/// The first bytes of a packet a worker dropped, with why: what the daemon's drop capture
/// writes to pcapng (the reason in each packet's comment). Workers copy drops into a ring only
/// while capture is on; a full ring skips the copy (counted as `drop_capture_missed`), never
/// the count.
@frozen
public struct DroppedFrame: BitwiseCopyable, Sendable {
    /// Bytes kept of each dropped packet.
    public static let snapLength = 256
    /// `GlobalDropCause.index`.
    public var cause: UInt8
    /// `IPsecDatapathDrop.rawValue`, or 0 when the drop has no IPsec feature reason.
    public var feature: UInt8
    public var worker: UInt8
    public var inputInterface: UInt16
    /// The packet's length and how much of it is in `bytes`.
    public var length: UInt16
    public var capturedLength: UInt16
    /// When the packet entered the pipeline (its buffer timestamp, nanoseconds).
    public var time: UInt64
    public var bytes: InlineArray<256, UInt8>

    public init() {
        cause = 0
        feature = 0
        worker = 0
        inputInterface = 0
        length = 0
        capturedLength = 0
        time = 0
        bytes = .init(repeating: 0)
    }

    /// The global drop cause.
    public var globalCause: GlobalDropCause? { GlobalDropCause(index: Int(cause)) }

    /// The IPsec feature drop, if any.
    public var featureDrop: IPsecDatapathDrop? { feature == 0 ? nil : IPsecDatapathDrop(rawValue: feature) }

    /// `IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI`, or the global cause alone.
    public var reason: String {
        let global = globalCause?.rawValue ?? "cause \(cause)"
        guard let f = featureDrop else { return global }
        return "\(global): \(f.rawValue) \(f.name)"
    }
}
