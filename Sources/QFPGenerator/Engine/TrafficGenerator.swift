import Histogram
import QFPCapture
import QFPDataplane
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The traffic generator: runs streams from traffic profiles into a pipeline's source, paced
/// on absolute time, and receives what the workers forward to measure rx rates and latency.
///
/// One thread steps it (`step(_:now:)`): the generator thread of a daemon (`startThread`), or
/// a test with a `ManualPipeline` and virtual time. `start`, `stop` and `status` may be called
/// from any thread: changes go through a mailbox the stepping thread picks up between bursts
/// (an atomic version check per step, a lock only when something changed), and statistics
/// come back as snapshots it publishes every 100 ms and whenever a stream starts or ends.
///
/// Hot path (per packet): a template copy and a few stores; no allocation, no lock.
public final class TrafficGenerator: @unchecked Sendable {
    public let pipeline: Pipeline
    let routerView: @Sendable () -> RouterView
    let burstSize: Int
    /// Most packets a stream sends per step (catching up after a late wake-up).
    let maximumPerStep: Int

    // Control side.
    struct Mailbox {
        var add: [StreamEngine] = []
        var captures: [GeneratedCapture] = []
        var remove: Set<String> = []
        var removeAll = false
    }
    struct ControlState {
        let sequences = SequenceStore()
        /// Names of streams started and not yet stopped (running or finished).
        var streams: Set<String> = []
        /// What each of them was started from: its profile, its stream and its peer's address.
        var started: [String: StartedStream] = [:]
    }

    /// A stream as started: enough to restart it with other SPIs.
    public struct StartedStream: Sendable, Equatable {
        public var profile: TrafficProfile
        public var stream: TrafficProfile.Stream
        public var peer: IPAddress
        /// The SPIs its peer sends with.
        public var spis: [UInt32]
    }
    let mailbox = Mutex(Mailbox())
    let control = Mutex(ControlState())
    let mailboxVersion = Atomic<UInt64>(0)
    let published = Mutex(GeneratorStatus())
    /// The mailbox version the latest `published` status includes.
    let publishedVersion = Atomic<UInt64>(0)
    /// Whether the generator thread runs (then `status()` waits for it to publish changes).
    let threadRunning = Atomic<Bool>(false)
    let stopThread = Atomic<Bool>(false)
    var thread: PinnedThread?

    // Stepping thread only.
    var engines: [StreamEngine] = []
    var receivers: [StreamReceiver] = []
    var appliedVersion: UInt64 = 0
    var lastPublish: UInt64 = 0
    var lastSecond: UInt64 = 0
    var totals = RateWindow()
    /// Packets sent and received since the generator started (never decrease).
    var allSent: UInt64 = 0
    var allReceived: UInt64 = 0
    var lastReceiver = 0
    var dropWindowStart: UInt64 = 0
    var dropBaseline = CounterSnapshot()
    var topDrops: [GeneratorStatus.DropRate] = []
    let handles: UnsafeMutablePointer<PacketHandle>
    let transmit: [(sent: SPSCRing<PacketHandle>, completed: SPSCRing<PacketHandle>)]
    /// Captures of generated packets being written (`start(_:streams:write:)`).
    var captures: [GeneratedCapture] = []
    var finishedCaptures: [GeneratorStatus.Capture] = []

    /// A generator feeding `pipeline`. `routerView` tells new peers what SAs the router has.
    /// Configure the pipeline with `transmitRings` so that forwarded packets come back for
    /// rx counts and latency.
    public init(pipeline: Pipeline, burstSize: Int = 32, routerView: @escaping @Sendable () -> RouterView) {
        self.pipeline = pipeline
        self.routerView = routerView
        self.burstSize = burstSize
        maximumPerStep = burstSize * 8
        handles = .allocate(capacity: burstSize)
        transmit = (0..<pipeline.configuration.workers).compactMap { pipeline.transmitRings(ofWorker: $0) }
    }

    deinit {
        shutdown()
        for e in engines { e.deallocate() }
        handles.deallocate()
    }

    // MARK: Control (any thread)

    /// Starts the profile's streams (all, or those named). Fails, starting nothing, if a
    /// stream is already running, a name is unknown or a peer cannot be resolved.
    @discardableResult
    public func start(_ profile: TrafficProfile, streams names: [String]? = nil, write path: String? = nil) throws(GeneratorError) -> [String] {
        let selected: [TrafficProfile.Stream]
        if let names, !names.isEmpty {
            selected = try names.map { (n) throws(GeneratorError) -> TrafficProfile.Stream in
                guard let s = profile.streams.first(where: { $0.name == n }) else {
                    throw GeneratorError("no stream named '\(n)' in the profile (streams: \(profile.streams.map(\.name).joined(separator: ", ")))")
                }
                return s
            }
        } else {
            selected = profile.streams
        }
        let view = routerView()
        let avoid = Set(view.inbound.map(\.spi))
        return try control.withLock { (state: inout ControlState) throws(GeneratorError) -> [String] in
            for s in selected where state.streams.contains(s.name) {
                throw GeneratorError("stream '\(s.name)' was already started and is running or done (stop it first: qfp gen stop \(s.name))")
            }
            var built: [StreamEngine] = []
            do throws(GeneratorError) {
                for s in selected {
                    guard let p = profile.peers.first(where: { $0.name == s.peer }) else {
                        throw GeneratorError("stream '\(s.name)': no peer named '\(s.peer)'")
                    }
                    var resolved = try PeerView.resolve(p, router: view)
                    // SPIs the stream names that the peer did not list join its view.
                    for spi in s.spis ?? [] where !resolved.sas.contains(where: { $0.spi == spi }) {
                        resolved.sas.append(.init(spi: spi, mode: nil))
                    }
                    let id = Self.nextID.add(1, ordering: .relaxed).newValue
                    built.append(try StreamEngine(id: UInt32(truncatingIfNeeded: id), stream: s, peer: resolved,
                                                  sequences: state.sequences, profile: profile, avoid: avoid))
                }
            } catch {
                for e in built { e.deallocate() }
                throw error
            }
            var capture: GeneratedCapture?
            if let path {
                do {
                    let sink = try CaptureSink(path: path, format: path.hasSuffix(".pcapng") ? .pcapng : .pcap)
                    capture = GeneratedCapture(ids: Set(built.map(\.id)), streams: built.map(\.name), sink: sink)
                } catch {
                    for e in built { e.deallocate() }
                    throw GeneratorError("cannot write the capture: \(error)")
                }
            }
            for (s, engine) in zip(selected, built) {
                state.streams.insert(s.name)
                state.started[s.name] = StartedStream(profile: profile, stream: s, peer: engine.peerAddress, spis: engine.peerSPIs)
            }
            mailbox.withLock {
                $0.add += built
                if let capture { $0.captures.append(capture) }
            }
            mailboxVersion.add(1, ordering: .releasing)
            return selected.map(\.name)
        }
    }

    static let nextID = Atomic<UInt32>(0)

    /// Stops the named streams (all when `names` is empty). Returns the names stopped.
    @discardableResult
    public func stop(_ names: [String] = []) throws(GeneratorError) -> [String] {
        try control.withLock { (state: inout ControlState) throws(GeneratorError) -> [String] in
            for n in names where !state.streams.contains(n) {
                throw GeneratorError("no stream named '\(n)' is running (running: \(state.streams.sorted().joined(separator: ", ")))")
            }
            let stopped = names.isEmpty ? state.streams.sorted() : names
            for n in stopped {
                state.streams.remove(n)
                state.started[n] = nil
            }
            mailbox.withLock {
                if names.isEmpty { $0.removeAll = true } else { $0.remove.formUnion(names) }
            }
            mailboxVersion.add(1, ordering: .releasing)
            return stopped
        }
    }

    /// The streams started (and not stopped) whose peer is `address`.
    public func streams(ofPeer address: IPAddress) -> [StartedStream] {
        control.withLock { $0.started.values.filter { $0.peer == address }.sorted { $0.stream.name < $1.stream.name } }
    }

    /// Whether a started stream's peer is `address`.
    public func hasPeer(_ address: IPAddress) -> Bool {
        control.withLock { $0.started.values.contains { $0.peer == address } }
    }

    /// Restarts a stream with its peer now believing in `spis` (an emulated peer that
    /// renegotiated its SAs). Its sequence numbers continue per (peer, SPI).
    public func restart(_ started: StartedStream, spis: [UInt32]) throws(GeneratorError) {
        try restart(started, sas: spis.map { .spi($0) })
    }

    /// Restarts a stream with its peer now believing in `sas` (SPIs, or negotiated SAs with
    /// their transform and keys).
    public func restart(_ started: StartedStream, sas: [TrafficProfile.SABelief]) throws(GeneratorError) {
        var profile = started.profile
        guard let i = profile.peers.firstIndex(where: { $0.name == started.stream.peer }) else {
            throw GeneratorError("stream '\(started.stream.name)': no peer named '\(started.stream.peer)'")
        }
        profile.peers[i].sas = sas
        var stream = started.stream
        stream.spis = nil
        if let j = profile.streams.firstIndex(where: { $0.name == stream.name }) { profile.streams[j] = stream }
        _ = try? stop([started.stream.name])
        try start(profile, streams: [stream.name])
    }

    /// The latest published statistics.
    ///
    /// Read-your-writes: with the generator thread running, it first waits (at most 1 s) until
    /// the thread published a status that includes every `start`/`stop` made before the call,
    /// so `qfp gen start X` followed by `qfp gen status` lists X.
    public func status() -> GeneratorStatus {
        let wanted = mailboxVersion.load(ordering: .acquiring)
        let deadline = MonotonicClock.nanoseconds() &+ 1_000_000_000
        while threadRunning.load(ordering: .acquiring), publishedVersion.load(ordering: .acquiring) < wanted,
              MonotonicClock.nanoseconds() < deadline {
            var ts = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&ts, nil)
        }
        return published.withLock { $0 }
    }

    // MARK: The generator thread

    /// Runs the generator on its own thread with `source` until `shutdown()`.
    public func startThread(source: PacketSource, cpu: Int? = nil) throws(DataplaneError) {
        let generator = self
        threadRunning.store(true, ordering: .releasing)
        defer { if thread == nil { threadRunning.store(false, ordering: .releasing) } }
        thread = try PinnedThread.start(name: "qfp-gen", cpu: cpu, topology: pipeline.topology) {
            var source = source
            // Wake-ups within a microsecond or so of the next packet's due time.
            CPU.setTimerSlack(nanoseconds: 1000)
            while !generator.stopThread.load(ordering: .relaxed) {
                let now = MonotonicClock.nanoseconds()
                let sent = generator.step(&source, now: now)
                if sent == 0 {
                    let wait = generator.nextDue(after: now)
                    if wait > 20_000 {
                        var ts = timespec(tv_sec: 0, tv_nsec: Int(min(wait - 10_000, 1_000_000)))
                        nanosleep(&ts, nil)
                    } else {
                        // Yield rather than spin: on a machine with no spare core the generator
                        // shares one with a worker, which must run to take what it sent.
                        CPU.yield()
                    }
                }
            }
        }
    }

    /// Stops the generator thread (streams stay as they are).
    public func shutdown() {
        stopThread.store(true, ordering: .relaxed)
        threadRunning.store(false, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    /// Nanoseconds until some stream has a packet due (at most 1 ms).
    func nextDue(after now: UInt64) -> UInt64 {
        var wait: UInt64 = 1_000_000
        for e in engines where !e.finished { wait = min(wait, e.nanosecondsUntilDue(now: now)) }
        return wait
    }

    /// One round: picks up control changes, receives what the workers forwarded, sends what is
    /// due at `now` (nanoseconds, the clock of the packets' timestamps and latencies), and
    /// publishes statistics every 100 ms. Returns packets sent.
    @discardableResult
    public func step(_ source: inout PacketSource, now: UInt64) -> Int {
        var changed = false
        if mailboxVersion.load(ordering: .acquiring) != appliedVersion {
            applyMailbox(now: now)
            changed = true
        }
        // Receive first: what comes back was stamped in an earlier step, so its latency is
        // measured against this step's clock reading.
        receive(now: now)
        var sent = 0
        var anyFinished = false
        for i in engines.indices {
            let wasFinished = engines[i].finished
            var due = engines[i].due(now: now, maximum: maximumPerStep)
            if engines[i].finished && !wasFinished { anyFinished = true }
            let backpressure = engines[i].rate == .maximum
            while due > 0 {
                // At maximum rate, wait for room rather than tail-drop: the pipeline sets the pace.
                if backpressure && !source.hasRoom(for: burstSize) { break }
                let n = source.allocate(into: handles, maximum: min(due, burstSize))
                if n == 0 { break }
                engines[i].fill(source, handles, n, now: now)
                if !captures.isEmpty { record(source, n, now: now) }
                source.send(handles, count: n)
                sent &+= n
                allSent &+= UInt64(n)
                due &-= n
            }
        }
        if changed || anyFinished || now &- lastPublish >= 100_000_000 || lastPublish == 0 { publish(now: now) }
        return sent
    }

    func applyMailbox(now: UInt64) {
        let (version, box) = mailbox.withLock { box -> (UInt64, Mailbox) in
            let taken = box
            box = Mailbox()
            return (mailboxVersion.load(ordering: .acquiring), taken)
        }
        appliedVersion = version
        var keep: [StreamEngine] = []
        var keepReceivers: [StreamReceiver] = []
        for (e, r) in zip(engines, receivers) {
            if box.removeAll || box.remove.contains(e.name) {
                e.deallocate()
            } else {
                keep.append(e)
                keepReceivers.append(r)
            }
        }
        captures += box.captures
        for var e in box.add {
            e.startNanoseconds = now
            keep.append(e)
            keepReceivers.append(StreamReceiver(id: e.id))
        }
        engines = keep
        receivers = keepReceivers
        publish(now: now)
    }

    /// Copies the packets just filled into the captures that want them.
    func record(_ source: PacketSource, _ n: Int, now: UInt64) {
        for c in captures {
            for k in 0..<n {
                let b = source.buffer(handles[k])
                if c.ids.contains(b.streamID) { c.sink.append(UnsafeRawBufferPointer(b.bytes), time: now) }
            }
        }
    }

    /// Closes the captures whose streams have all ended or been stopped.
    func closeFinishedCaptures() {
        guard !captures.isEmpty else { return }
        captures.removeAll { c in
            let live = engines.contains { c.ids.contains($0.id) && !$0.finished }
            guard !live else { return false }
            let error = c.sink.finish()
            finishedCaptures.append(GeneratorStatus.Capture(path: c.sink.path, streams: c.streams, packets: c.sink.packets,
                                                            writing: false, error: error?.description))
            if finishedCaptures.count > 16 { finishedCaptures.removeFirst() }
            return true
        }
    }

    /// Takes forwarded packets off the workers' transmit rings: rx counts and latency.
    func receive(now: UInt64) {
        for rings in transmit {
            while true {
                let n = rings.sent.dequeueBurst(into: handles, maximum: burstSize)
                if n == 0 { break }
                for k in 0..<n {
                    let b = pipeline.directory.buffer(handles[k])
                    let id = b.streamID
                    guard id != 0 else { continue }
                    allReceived &+= 1
                    if lastReceiver >= receivers.count || receivers[lastReceiver].id != id {
                        guard let r = receivers.firstIndex(where: { $0.id == id }) else { continue }
                        lastReceiver = r
                    }
                    receivers[lastReceiver].record(octets: b.length, latency: now &- b.timestamp)
                }
                var done = 0
                while done < n { done &+= rings.completed.enqueueBurst(handles + done, count: n &- done) }
            }
        }
    }

    func publish(now: UInt64) {
        lastPublish = now
        closeFinishedCaptures()
        var status = GeneratorStatus()
        status.time = now
        for i in receivers.indices {
            receivers[i].window.advance(now: now, tx: engines[i].sentPackets, rx: receivers[i].packets)
            // Finished streams stay in the status until stopped.
            status.streams.append(StreamStatus(engine: engines[i], receiver: receivers[i], now: now))
        }
        totals.advance(now: now, tx: allSent, rx: allReceived)
        if dropWindowStart == 0 || now &- dropWindowStart >= 1_000_000_000 {
            let counters = pipeline.statistics.totals()
            if dropWindowStart != 0 { topDrops = Self.rates(counters.subtracting(dropBaseline), nanoseconds: now &- dropWindowStart) }
            dropBaseline = counters
            dropWindowStart = now
        }
        status.topDrops = topDrops
        status.captures = finishedCaptures + captures.map {
            GeneratorStatus.Capture(path: $0.sink.path, streams: $0.streams, packets: $0.sink.packets, writing: true, error: nil)
        }
        status.txPPS = totals.txPPS
        status.rxPPS = totals.rxPPS
        published.withLock { $0 = status }
        publishedVersion.store(appliedVersion, ordering: .releasing)
    }
}

extension TrafficGenerator {
    /// Drop causes with packets in `delta`, as rates, highest first: global causes by name,
    /// IPsec feature drops as `NUMBER NAME`.
    static func rates(_ delta: CounterSnapshot, nanoseconds: UInt64) -> [GeneratorStatus.DropRate] {
        let seconds = Double(nanoseconds) / 1e9
        var out: [GeneratorStatus.DropRate] = []
        for cause in GlobalDropCause.allCases where delta.packets(cause) > 0 {
            out.append(.init(name: cause.rawValue, pps: Double(delta.packets(cause)) / seconds))
        }
        for drop in IPsecDatapathDrop.allCases where delta.packets(drop) > 0 {
            out.append(.init(name: "\(drop.rawValue) \(drop.name)", pps: Double(delta.packets(drop)) / seconds))
        }
        return out.sorted { $0.pps > $1.pps }
    }
}

/// A capture of the packets some streams generate.
struct GeneratedCapture {
    let ids: Set<UInt32>
    let streams: [String]
    let sink: CaptureSink
}

/// What the generator received back of one stream.
struct StreamReceiver {
    let id: UInt32
    var packets: UInt64 = 0
    var octets: UInt64 = 0
    var window = RateWindow()
    /// One-way latency (generator to transmit ring) in nanoseconds.
    var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    init(id: UInt32) { self.id = id }

    @inline(__always)
    mutating func record(octets: Int, latency ns: UInt64) {
        packets &+= 1
        self.octets &+= UInt64(octets)
        _ = latency.record(min(ns, 60_000_000_000))
    }
}

/// Packet rates over the last whole second, from running totals.
struct RateWindow {
    var secondStart: UInt64 = 0
    var txAtSecond: UInt64 = 0
    var rxAtSecond: UInt64 = 0
    var txPPS: Double = 0
    var rxPPS: Double = 0

    mutating func advance(now: UInt64, tx: UInt64, rx: UInt64) {
        if secondStart == 0 { secondStart = now; txAtSecond = tx; rxAtSecond = rx; return }
        let elapsed = now &- secondStart
        if elapsed >= 1_000_000_000 {
            txPPS = Double(tx &- txAtSecond) * 1e9 / Double(elapsed)
            rxPPS = Double(rx &- rxAtSecond) * 1e9 / Double(elapsed)
            secondStart = now; txAtSecond = tx; rxAtSecond = rx
        }
    }
}
