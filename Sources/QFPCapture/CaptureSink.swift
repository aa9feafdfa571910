#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A capture being written to a file as packets arrive: a `PcapWriter` or `PcapngWriter` whose
/// buffer goes to disk every `flushBytes`, and at `finish()`.
///
/// One thread appends; the first write error is kept (later packets are counted as lost) and
/// reported by `finish()`.
public final class CaptureSink: @unchecked Sendable {
    public enum Format: Sendable { case pcap, pcapng }

    public let path: String
    public let format: Format
    var pcap: PcapWriter
    var pcapng: PcapngWriter
    var file: CaptureFile?
    let flushBytes: Int
    /// Wall-clock nanoseconds minus monotonic nanoseconds, to stamp packets in calendar time.
    let wallOffset: Int64
    public private(set) var packets = 0
    public private(set) var lost = 0
    public private(set) var failure: CaptureFileError?

    /// Creates (or truncates) `path`. Packets are stamped in CLOCK_MONOTONIC nanoseconds (the
    /// pipeline's clock); the sink reads both clocks once, here, to write calendar times.
    public init(path: String, format: Format, flushBytes: Int = 1 << 20) throws(CaptureFileError) {
        self.path = path
        self.format = format
        self.flushBytes = flushBytes
        wallOffset = Int64(bitPattern: Self.nanoseconds(CLOCK_REALTIME) &- Self.nanoseconds(CLOCK_MONOTONIC))
        pcap = PcapWriter(linkType: .raw, resolution: .nanoseconds, reservingCapacity: format == .pcap ? flushBytes + 65_536 : 0)
        pcapng = PcapngWriter(reservingCapacity: format == .pcapng ? flushBytes + 65_536 : 0)
        file = try CaptureFile(creating: path)
    }

    /// Appends an IP packet stamped with monotonic time `time`.
    public func append(_ packet: UnsafeRawBufferPointer, time: UInt64, originalLength: Int? = nil, comment: String? = nil) {
        append(packet, calendarNanoseconds: UInt64(bitPattern: Int64(bitPattern: time) &+ wallOffset),
               originalLength: originalLength, comment: comment)
    }

    /// Appends an IP packet stamped with `calendarNanoseconds` since 1970 as is (a replay
    /// writes the capture's own times).
    public func append(_ packet: UnsafeRawBufferPointer, calendarNanoseconds stamp: UInt64, originalLength: Int? = nil, comment: String? = nil) {
        guard failure == nil else { lost += 1; return }
        switch format {
        case .pcap: pcap.append(packet, timestampNanoseconds: stamp, originalLength: originalLength)
        case .pcapng: pcapng.append(packet, linkType: .raw, timestampNanoseconds: stamp, originalLength: originalLength, comment: comment)
        }
        packets += 1
        if (format == .pcap ? pcap.bytes.count : pcapng.bytes.count) >= flushBytes { flush() }
    }

    /// Writes what is buffered.
    public func flush() {
        guard failure == nil, file != nil else { return }
        do {
            switch format {
            case .pcap: try pcap.flush { (bytes) throws(CaptureFileError) in try file!.write(bytes) }
            case .pcapng: try pcapng.flush { (bytes) throws(CaptureFileError) in try file!.write(bytes) }
            }
        } catch {
            failure = error
        }
    }

    /// Writes the rest and closes the file; the first error of the whole capture, if any.
    @discardableResult
    public func finish() -> CaptureFileError? {
        flush()
        if var f = file.take() {
            do { try f.close() } catch { if failure == nil { failure = error } }
        }
        return failure
    }

    deinit { finish() }

    static func nanoseconds(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
