import Foundation
import QFPCapture
import QFPControl
import QFPDataplane
import Synchronization

/// The daemon's capture of dropped packets: while on, every worker copies the first 256 bytes of
/// each packet it drops, with the reason, to its drop-capture ring; a thread drains the rings
/// into a pcapng file, the reason in each packet's comment (`IpsecInput: 4
/// IN_US_V4_PKT_SA_NOT_FOUND_SPI`). Counting never depends on it: a full ring skips the copy
/// (the `drop_capture_missed` datapath counter), never the count.
public final class DropCapture: @unchecked Sendable {
    let control: DataplaneControl
    let statistics: DropStatistics
    let state = Mutex<ActiveBox?>(nil)
    /// A capture being written (shared with its thread).
    final class ActiveBox: @unchecked Sendable {
        let sink: CaptureSink
        let stop = Atomic<Bool>(false)
        let missedAtStart: UInt64
        var thread: PinnedThread?
        /// IKE messages the router sent, waiting for the capture thread.
        let ike = Mutex<[(IKEDatagram, UInt64)]>([])
        init(sink: CaptureSink, missedAtStart: UInt64) { self.sink = sink; self.missedAtStart = missedAtStart }
    }

    public init(control: DataplaneControl, statistics: DropStatistics) {
        self.control = control
        self.statistics = statistics
    }

    /// Starts writing drops to `path` (pcapng).
    public func start(path: String) throws -> String {
        guard control.canCaptureDrops else { throw DropCaptureError("this pipeline has no drop-capture rings") }
        return try state.withLock { (active: inout ActiveBox?) throws -> String in
            if let a = active { throw DropCaptureError("already capturing drops to \(a.sink.path) (qfp capture stop first)") }
            let sink: CaptureSink
            do {
                sink = try CaptureSink(path: path, format: .pcapng, flushBytes: 256 * 1024)
            } catch {
                throw DropCaptureError("cannot write \(path): \(error)")
            }
            let box = ActiveBox(sink: sink, missedAtStart: statistics.totals()[.dropCaptureMissed])
            let control = self.control
            box.thread = try PinnedThread.start(name: "qfp-dropcap", cpu: nil) {
                var frames: [DroppedFrame] = []
                frames.reserveCapacity(4096)
                while true {
                    let stopping = box.stop.load(ordering: .acquiring)
                    frames.removeAll(keepingCapacity: true)
                    control.drainDroppedFrames(into: &frames, maximum: 4096)
                    for f in frames {
                        let n = Int(f.capturedLength)
                        var bytes = f.bytes
                        withUnsafeBytes(of: &bytes) { raw in
                            box.sink.append(UnsafeRawBufferPointer(rebasing: raw[..<n]), time: f.time,
                                            originalLength: Int(f.length), comment: f.reason)
                        }
                    }
                    for (d, time) in box.ike.withLock({ q in defer { q.removeAll() }; return q }) {
                        box.sink.append(d, time: time, comment: "IKE sent by the router")
                    }
                    if stopping && frames.isEmpty { break }
                    if frames.isEmpty { usleep(5_000) }
                }
                box.sink.finish()
            }
            try control.setDropCapture(true)
            active = box
            return "capturing dropped packets to \(path) (pcapng, first \(DroppedFrame.snapLength) bytes, reason in the packet comment)\n"
        }
    }

    /// Adds an IKE message the router sent (DELETE, INVALID_SPI, DPD) to the capture, if one
    /// runs, so the drops and the router's reaction sit in one file. Any thread.
    public func recordIKE(_ d: IKEDatagram, time: UInt64) {
        state.withLock { active in active?.ike.withLock { $0.append((d, time)) } }
    }

    /// Stops and closes the file; says how many drops it holds.
    public func stop() throws -> String {
        try state.withLock { (active: inout ActiveBox?) throws -> String in
            guard let box = active else { throw DropCaptureError("not capturing drops") }
            try control.setDropCapture(false)
            // Every worker applied the command: nothing more enters the rings.
            try control.waitUntilApplied(timeoutNanoseconds: 5_000_000_000)
            box.stop.store(true, ordering: .releasing)
            box.thread?.join()
            active = nil
            let missed = statistics.totals()[.dropCaptureMissed] - box.missedAtStart
            var text = "wrote \(box.sink.packets) dropped packet\(box.sink.packets == 1 ? "" : "s") to \(box.sink.path)"
            if missed > 0 { text += "; \(missed) more drops came faster than the capture could copy them (counted, not captured)" }
            if let failure = box.sink.failure { text += "; write error: \(failure)" }
            return text + "\n"
        }
    }

    /// Whether a capture runs, and where.
    public func status() -> String {
        state.withLock { active in
            guard let box = active else { return "not capturing drops\n" }
            return "capturing dropped packets to \(box.sink.path)\n"
        }
    }
}

public struct DropCaptureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ text: String) { description = text }
}
