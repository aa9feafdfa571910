import QFPDataplane
import QFPGenerator
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Two pinned workers, a producer thread and the control plane (this thread) at once: SAs are
/// installed, rekeyed and deleted and counters cleared while millions of mixed packets flow.
/// Every packet's fate is checked: conservation exactly, and each reason's count against what
/// the producer meant to cause. `QFP_STRESS_PACKETS` sets the count (default 10,000,000).
///
/// Under ThreadSanitizer: `swift test --sanitize=thread --filter ConcurrentPipelineStress`.
@Suite("Concurrent pipeline stress", .serialized)
struct ConcurrentPipelineStressTests {
    static var packetCount: Int {
        getenv("QFP_STRESS_PACKETS").flatMap { Int(String(cString: $0)) } ?? 10_000_000
    }

    /// What the producer sent, by intended outcome.
    struct Intent: Sendable {
        var valid = 0          // stable SA, fresh sequence number: decapsulated
        var duplicate = 0      // stable SA, last number again: 19
        var tooOld = 0         // stable SA, far left of the window: 116
        var unknown = 0        // never-installed SPI: 4
        var churn = 0          // SA being installed/rekeyed/deleted: decapsulated or 4
        var malformed = 0      // truncated IPv4 header: IpFormatErr
        var encapsulate = 0    // clear, protect policy with SA: encapsulated
        var noSA = 0           // clear, protect policy without SA: 33
        var total: Int { valid + duplicate + tooOld + unknown + churn + malformed + encapsulate + noSA }
    }

    final class Shared: Sendable {
        let producerDone = Atomic<Bool>(false)
        /// Set when the control plane failed: the producer stops early.
        let abort = Atomic<Bool>(false)
        let intent = Mutex(Intent())
    }

    static let router = IPAddress("192.0.2.1")!
    static let peer = IPAddress("198.51.100.7")!

    @Test("10M mixed packets with concurrent SA churn and clears: exact conservation and per-reason counts")
    func stress() throws {
        var c = PipelineConfiguration()
        c.workers = 2
        c.sources = 1
        c.inboundSAsPerWorker = 8192
        c.outboundSAs = 64
        c.bindings = 64
        c.sourcePoolBuffers = 4096
        c.inputRingSlots = 4096     // a ring holds the whole pool: no tail drop, every packet meets its intent
        c.commandRingSlots = 256
        c.puntRingSlots = 1024
        c.burstSize = 64
        let pipeline = try Pipeline(c)
        let control = pipeline.control
        try pipeline.startClock()

        let sequence = SPISequence(seed: 77)
        let (stableSPIs, next1) = sequence.spis(count: 1000)
        let (churnSPIs, next2) = sequence.spis(count: 200, from: next1)
        let unknownSPIs = sequence.spis(count: 500, from: next2).spis

        try pipeline.startWorkers()
        for spi in stableSPIs { try control.installInbound(InboundSAConfig(spi: spi, destination: Self.router)) }
        let protected = IPPrefix("10.50.0.0/16")!
        let pending = IPPrefix("10.60.0.0/16")!
        let inside = IPPrefix("10.1.0.0/16")!
        try control.installPolicies([
            SecurityPolicy(source: inside, destination: protected, action: .protect(binding: 0)),
            SecurityPolicy(source: inside, destination: pending, action: .protect(binding: 1)),
        ])
        let outbound = try control.installOutbound(OutboundSAConfig(spi: 0xFEED, tunnelSource: Self.router, tunnelDestination: Self.peer))
        try control.bind(0, to: outbound)
        try control.waitUntilApplied()

        let shared = Shared()
        let total = Self.packetCount
        let takenSource = pipeline.takeSource(0)
        let producer = try PinnedThread.start(name: "stress-producer", cpu: nil) { [shared] in
            var source = takenSource
            var intent = Intent()
            var random = FastRandom(seed: 0xC0FFEE)
            var stableSequence = [UInt32](repeating: 0, count: stableSPIs.count)
            var churnSequence = [UInt32](repeating: 0, count: churnSPIs.count)
            let esp = PacketBuilder.espOfLength(64, source: Self.peer, destination: Self.router, spi: 0, sequence: 0)
            let malformed = Array(esp.prefix(12))
            let toProtected = PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.50.1.1")!)
            let toPending = PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.60.1.1")!)
            var handles = [PacketHandle](repeating: 0, count: 64)
            var sent = 0
            while sent < total && !shared.abort.load(ordering: .relaxed) {
                let want = min(64, total - sent)
                let n = handles.withUnsafeMutableBufferPointer { source.allocate(into: $0.baseAddress!, maximum: want) }
                if n == 0 { sched_yield(); continue }
                for k in 0..<n {
                    let b = source.buffer(handles[k])
                    let r = random.next()
                    var bytes = esp
                    var spi: UInt32 = 0
                    var seq: UInt32 = 0
                    switch r % 100 {
                    case 0..<60:
                        let i = FastRandom.index(random.next(), below: stableSPIs.count)
                        stableSequence[i] += 1
                        (spi, seq) = (stableSPIs[i], stableSequence[i])
                        intent.valid += 1
                    case 60..<62:
                        let i = FastRandom.index(random.next(), below: stableSPIs.count)
                        if stableSequence[i] == 0 { stableSequence[i] = 1; intent.valid += 1 } else { intent.duplicate += 1 }
                        (spi, seq) = (stableSPIs[i], stableSequence[i])
                    case 62..<64:
                        let i = FastRandom.index(random.next(), below: stableSPIs.count)
                        if stableSequence[i] >= 1100 {
                            (spi, seq) = (stableSPIs[i], stableSequence[i] - 1000)
                            intent.tooOld += 1
                        } else {
                            stableSequence[i] += 1
                            (spi, seq) = (stableSPIs[i], stableSequence[i])
                            intent.valid += 1
                        }
                    case 64..<72:
                        (spi, seq) = (unknownSPIs[FastRandom.index(random.next(), below: unknownSPIs.count)], 1)
                        intent.unknown += 1
                    case 72..<82:
                        let i = FastRandom.index(random.next(), below: churnSPIs.count)
                        churnSequence[i] += 1
                        (spi, seq) = (churnSPIs[i], churnSequence[i])
                        intent.churn += 1
                    case 82..<84:
                        bytes = malformed
                        intent.malformed += 1
                    case 84..<94:
                        bytes = toProtected
                        intent.encapsulate += 1
                    default:
                        bytes = toPending
                        intent.noSA += 1
                    }
                    b.reset(length: bytes.count, inputInterface: 1, timestamp: 0)
                    bytes.withUnsafeBytes { b.data.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                    if spi != 0 {
                        b.data.storeBytes(of: spi.bigEndian, toByteOffset: 20, as: UInt32.self)
                        b.data.storeBytes(of: seq.bigEndian, toByteOffset: 24, as: UInt32.self)
                    }
                }
                handles.withUnsafeBufferPointer { source.send($0.baseAddress!, count: n) }
                sent += n
            }
            shared.intent.withLock { $0 = intent }
            shared.producerDone.store(true, ordering: .releasing)
        }

        // The control plane: churn SAs, rekey, delete, clear counters, drain punts.
        let rounds: Int
        do {
            rounds = try churn(control: control, pipeline: pipeline, churnSPIs: churnSPIs, shared: shared)
        } catch {
            // Stop the producer before the pipeline, then report: never leave it writing into freed pools.
            shared.abort.store(true, ordering: .relaxed)
            producer.join()
            pipeline.stop()
            throw error
        }
        producer.join()

        // Drain: everything offered must be accounted for.
        let deadline = MonotonicClock.nanoseconds() + 60_000_000_000
        var t = pipeline.statistics.totals()
        while t[.offered] != t.accountedFor && MonotonicClock.nanoseconds() < deadline {
            _ = control.drainPunts()
            sched_yield()
            t = pipeline.statistics.totals()
        }
        pipeline.stop()
        t = pipeline.statistics.totals()
        let intent = shared.intent.withLock { $0 }

        #expect(rounds > 10, "the control plane ran concurrently")
        #expect(intent.total == total)
        #expect(t[.offered] == UInt64(total))
        #expect(t[.offered] == t.accountedFor, "conservation: offered \(t[.offered]) accounted \(t.accountedFor)")
        #expect(t.packets(.ipsecTailDrop) == 0 && t.packets(.tailDrop) == 0)
        #expect(t.packets(.inCdSwIpsecAntiReplayFail) == UInt64(intent.duplicate))
        #expect(t.packets(.cdInPktOutOfWindow) == UInt64(intent.tooOld))
        #expect(t.packets(.ipFormatErr) == UInt64(intent.malformed))
        #expect(t.packets(.outV4PktHitIkeStartSp) == UInt64(intent.noSA))
        #expect(t.packets(.ipsecIkeIndicate) == UInt64(intent.noSA))
        #expect(t[.encapsulated] == UInt64(intent.encapsulate))
        // Churn traffic lands either way; stable and unknown traffic exactly as meant.
        let notFound = t.packets(.inUsV4PktSaNotFoundSpi)
        #expect(t[.decapsulated] >= UInt64(intent.valid))
        #expect(notFound >= UInt64(intent.unknown))
        #expect(t[.decapsulated] + notFound == UInt64(intent.valid + intent.unknown + intent.churn))
        #expect(t.packets(.ipsecInput) == notFound + UInt64(intent.duplicate + intent.tooOld))
        #expect(t.totalDropped == t.packets(.ipsecInput) + t.packets(.ipFormatErr) + t.packets(.ipsecIkeIndicate))
        #expect(control.counters(outbound)?[.encapsulatedPackets] == UInt64(intent.encapsulate))
        #expect(control.sequenceNumbersUsed(outbound) == UInt64(intent.encapsulate))
    }

    /// Installs, rekeys and deletes churn SAs, clears counters and drains punts until the
    /// producer is done; returns the number of rounds.
    private func churn(control: DataplaneControl, pipeline: Pipeline, churnSPIs: [UInt32], shared: Shared) throws -> Int {
        var installed: [UInt32: InboundSAHandle] = [:]
        var random = FastRandom(seed: 0xBEEF)
        var rounds = 0
        while !shared.producerDone.load(ordering: .acquiring) {
            let i = FastRandom.index(random.next(), below: churnSPIs.count)
            let spi = churnSPIs[i]
            switch random.next() % 4 {
            case 0, 1:
                if installed[spi] == nil {
                    installed[spi] = try control.installInbound(InboundSAConfig(spi: spi, destination: Self.router))
                }
            case 2:
                // Rekey onto another churn SPI that is not installed (make before break), then retire the old.
                let j = FastRandom.index(random.next(), below: churnSPIs.count)
                if let old = installed[spi], installed[churnSPIs[j]] == nil {
                    installed[churnSPIs[j]] = try control.rekeyInbound(old, with: InboundSAConfig(spi: churnSPIs[j], destination: Self.router))
                    try control.deleteInbound(old)
                    installed[spi] = nil
                }
            default:
                if let h = installed.removeValue(forKey: spi) { try control.deleteInbound(h) }
            }
            if rounds % 64 == 0 { pipeline.statistics.clear() }
            _ = control.drainPunts()
            control.reclaim()
            rounds += 1
            if rounds % 16 == 0 { sched_yield() }
        }
        return rounds
    }
}
