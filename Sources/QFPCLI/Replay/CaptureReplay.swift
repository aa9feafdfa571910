import QFPCapture
import QFPControl
import QFPDataplane

/// Runs a capture through a router: "what would the router have counted for this capture?".
///
/// The router runs on a hand-stepped pipeline (`ManualPipeline`) with virtual time following
/// the capture's timestamps, so a replay is deterministic: the same capture and configuration
/// always give the same counters, syslog and rate-limited punts, at any replay speed.
public final class CaptureReplay {
    public let manual: ManualPipeline
    public let clock: VirtualClock
    public let controlPlane: ControlPlane
    public private(set) var summary = Summary()
    /// The packets the router sent (decapsulated inner packets, encrypted outbound packets), in
    /// the order each worker sent them, worker by worker per burst; kept only when the replay
    /// was made with `keepTransmitted`.
    public private(set) var transmitted: [[UInt8]] = []
    let keepTransmitted: Bool
    let wallClock: ReplayWallClock
    /// When set (with `keepTransmitted`), receives each packet the router sent and its time
    /// (nanoseconds since 1970 on the capture's clock) instead of `transmitted` keeping it.
    public var onTransmit: (([UInt8], UInt64) -> Void)?

    /// What was read from the capture.
    public struct Summary: Sendable, Codable, Equatable {
        /// Records read from the file (every one is counted below).
        public var records = 0
        /// IP datagrams injected into the pipeline.
        public var injected = 0
        /// Frames that carry no IPv4 or IPv6 (ARP, LLDP, …), skipped.
        public var notIP = 0
        /// Frames whose link type qfp cannot decapsulate, or whose link header is cut, skipped.
        public var undecodable = 0
        /// IP datagrams longer than a packet buffer (1856 bytes), skipped.
        public var oversize = 0
        /// Seconds between the first and the last record's timestamps.
        public var captureSeconds = 0.0
        /// The error that ended reading early, if any.
        public var error: String?
    }

    /// How fast to feed the capture.
    public enum Speed: Sendable, Equatable {
        /// As fast as the pipeline takes it.
        case maximum
        /// With the capture's own gaps between packets.
        case original
        /// At this many packets per second.
        case packetsPerSecond(Double)
    }

    /// A replay against `configuration`. Virtual time starts at the first record. With
    /// `keepTransmitted`, what the router sends is kept in `transmitted`.
    public init(configuration: RouterConfiguration, keepTransmitted: Bool = false) throws {
        var c = ManualPipeline.smallConfiguration
        c.inputRingSlots = 1024
        c.sourcePoolBuffers = 4096
        c.transmitRings = keepTransmitted
        self.keepTransmitted = keepTransmitted
        manual = try ManualPipeline(c)
        clock = VirtualClock()
        wallClock = ReplayWallClock(clock: clock)
        let router = try Router(pipeline: manual.pipeline, clock: clock, configuration: configuration)
        controlPlane = ControlPlane(router: router, clock: clock, wallClock: wallClock)
        _ = manual.drain()
    }

    /// Feeds every record of `file`. Reading stops at the first error in the file; what was read
    /// before it is counted, and `summary.error` says what and where. `sleep` waits real time
    /// (nanoseconds) for the `original` and rate-paced speeds.
    public func run(_ file: [UInt8], speed: Speed = .maximum, sleep: (UInt64) -> Void = { _ in }) {
        var reader: CaptureReader
        do {
            reader = try CaptureReader(file)
        } catch {
            summary.error = error.description
            return
        }
        var first: UInt64? = nil
        var last: UInt64 = 0
        var lastSecond: UInt64 = 0
        var pending = 0
        let start = MonotonicClock.nanoseconds()
        while true {
            let record: CaptureRecord
            do {
                guard let r = try reader.next() else { break }
                record = r
            } catch {
                summary.error = error.description
                break
            }
            summary.records += 1
            let t0 = first ?? record.timestampNanoseconds
            if first == nil { wallClock.start = Double(t0 / 1_000_000_000) + Double(t0 % 1_000_000_000) / 1e9 }
            first = t0
            // Virtual time follows the capture; a timestamp going backwards holds the clock.
            let offset = record.timestampNanoseconds >= t0 ? record.timestampNanoseconds - t0 : 0
            let now = max(offset, last)
            if now > last {
                if pending > 0 { settle(); pending = 0 }
                clock.advance(by: .nanoseconds(Int64(now - last)))
                last = now
                manual.setTime(clock.now())
                while last / 1_000_000_000 > lastSecond {
                    lastSecond += 1
                    controlPlane.tick()
                }
            }
            switch speed {
            case .maximum: break
            case .original:
                let elapsed = MonotonicClock.nanoseconds() - start
                if now > elapsed { sleep(now - elapsed) }
            case let .packetsPerSecond(pps):
                let due = UInt64(Double(summary.records - 1) / pps * 1e9)
                let elapsed = MonotonicClock.nanoseconds() - start
                if due > elapsed { sleep(due - elapsed) }
            }
            let payload: LinkPayload
            do {
                payload = try record.ipDatagram()
            } catch {
                summary.undecodable += 1
                continue
            }
            guard case let .ip(_, range) = payload else {
                summary.notIP += 1
                continue
            }
            guard range.count <= PacketBuffer.maximumLength else {
                summary.oversize += 1
                continue
            }
            let injected = file.withUnsafeBytes { raw in
                manual.inject(UnsafeRawBufferPointer(rebasing: raw[range]), inputInterface: 1)
            }
            if !injected {
                settle()
                pending = 0
                _ = file.withUnsafeBytes { raw in manual.inject(UnsafeRawBufferPointer(rebasing: raw[range]), inputInterface: 1) }
            }
            summary.injected += 1
            pending += 1
            if pending == 128 { settle(); pending = 0 }
        }
        settle()
        summary.captureSeconds = Double(last) / 1e9
        controlPlane.tick()
    }

    func settle() {
        _ = manual.drain()
        if keepTransmitted {
            for w in manual.workers.indices {
                let sent = manual.takeTransmitted(worker: w)
                if let onTransmit {
                    let time = UInt64(wallClock.start * 1e9) &+ clock.now()
                    for packet in sent { onTransmit(packet, time) }
                } else {
                    transmitted += sent
                }
            }
            _ = manual.drain()
        }
    }

    /// The router's answer to `command` (`| json` for its data).
    public func show(_ command: String) -> String {
        CLISession(controlPlane: controlPlane, interactive: false).execute(command).output
    }
}

/// Wall time for a replay: the capture's own clock, from its first record, so syslog lines
/// carry the times the packets were captured.
final class ReplayWallClock: WallClock, @unchecked Sendable {
    let clock: VirtualClock
    /// Seconds since 1970 of the first record; set once, before any packet is injected.
    var start: Double = 0
    init(clock: VirtualClock) { self.clock = clock }
    func secondsSince1970() -> Double { start + Double(clock.now()) / 1e9 }
}
