import Foundation
import QFPCLI
import QFPDataplane
import QFPGenerator

/// Everything `qfp bench` measured, rendered for people (`table`) or tools (`json`).
struct BenchReport {
    struct Ring {
        var handles: RingBenchmark.Result
        var words: RingBenchmark.Result
    }

    let topology: NUMATopology
    let workers: Int
    let securityAssociations: Int
    let packetLength: Int
    let missFraction: Double
    /// The data plane's ESP crypto ("ipsec-mb (avx512)", "boringssl"); the crypto part's
    /// runs use it.
    let cryptoProvider: String
    var ring: Ring?
    var lookups: [LookupBenchmark.Result] = []
    var runs: [ThroughputResult] = []
    /// Inbound, 1 worker, at each `--sas-sweep` count.
    var sweep: [ThroughputResult] = []
    struct Generator {
        var size: String
        var fill: GeneratorBenchmark.FillResult
        var loop: GeneratorBenchmark.LoopResult
    }
    var generator: [Generator] = []
    /// The generator's fill with each packet sealed (IKE-keyed SAs), 64-byte packets.
    var sealedFill: [(transform: ESPTransform, fill: GeneratorBenchmark.FillResult)] = []
    var rate: GeneratorBenchmark.LoopResult?
    /// Inbound runs with real transforms (one worker each).
    var crypto: [ThroughputResult] = []
    /// The same transforms alone: one SA, bursts of 32 on prepared buffers (the work
    /// dpdk-test-crypto-perf measures).
    var cryptoOnly: [CryptoOpsBenchmark.Result] = []

    /// IOS name of a transform, for the table.
    static func name(_ t: ESPTransform) -> String {
        switch t {
        case .null: "esp-null"
        case .aesGCM128: "esp-gcm 128"
        case .aesGCM256: "esp-gcm 256"
        case .aesCBC128SHA1: "esp-aes 128 esp-sha-hmac"
        case .aesCBC256SHA1: "esp-aes 256 esp-sha-hmac"
        case .aesCBC128SHA256: "esp-aes 128 esp-sha256-hmac"
        case .aesCBC256SHA256: "esp-aes 256 esp-sha256-hmac"
        }
    }

    /// Fixed benchmark keys of the right lengths (not secret: benchmark traffic only).
    static func benchKeys(_ t: ESPTransform) -> ESPKeys {
        ESPKeys(cipher: (0..<t.cipherKeyLength).map { UInt8(truncatingIfNeeded: 0x51 &* $0 &+ 3) },
                authenticator: (0..<t.authenticatorKeyLength).map { UInt8(truncatingIfNeeded: 0x37 &* $0 &+ 9) })
    }

    /// Mpps of one crypto run, its IP and encrypted lengths, and Gbps of each.
    struct CryptoFigure {
        var mpps: Double
        var ipLength: Int
        var encryptedLength: Int
        var gbpsIP: Double { mpps * Double(ipLength) * 8 / 1000 }
        var gbpsEncrypted: Double { mpps * Double(encryptedLength) * 8 / 1000 }
    }

    static func figure(_ r: ThroughputResult) -> CryptoFigure {
        CryptoFigure(mpps: r.mppsTotal / Double(r.workload.workers), ipLength: r.workload.ipPacketLength,
                     encryptedLength: InboundSealedTraffic.encryptedLength(r.workload.packetLength, transform: r.workload.transform))
    }

    init(topology: NUMATopology, workers: Int, securityAssociations: Int, packetLength: Int, missFraction: Double,
         cryptoProvider: String) {
        self.cryptoProvider = cryptoProvider
        self.topology = topology
        self.workers = workers
        self.securityAssociations = securityAssociations
        self.packetLength = packetLength
        self.missFraction = missFraction
    }

    func run(_ direction: ThroughputWorkload.Direction, workers count: Int,
             generation: ThroughputWorkload.Generation = .rss) -> ThroughputResult? {
        runs.first { $0.workload.direction == direction && $0.workload.workers == count && $0.workload.generation == generation }
    }

    /// The headline run: inbound with the requested worker count (else the last run).
    var headline: ThroughputResult? { run(.inbound, workers: workers) ?? runs.last }

    // MARK: Table

    /// The first line of the table: what the run measured.
    var heading: String {
        runs.isEmpty && lookups.isEmpty && ring == nil && generator.isEmpty && rate == nil && !crypto.isEmpty
            ? "qfp bench: inbound ESP with real transforms, 1 worker per run, no unknown SPIs"
            : "qfp bench: \(workers) worker\(workers == 1 ? "" : "s"), \(securityAssociations) SAs, "
                + "\(packetLength)-byte packets, \(format(missFraction * 100, 1))% unknown SPI / no SA"
    }

    /// What the charts of `--plot` draw.
    var plotData: BenchPlotData {
        var d = BenchPlotData(title: heading, settings: "\(packetLength)-byte packets, \(format(missFraction * 100, 1))% unknown SPIs")
        d.throughput = (runs + sweep).map { r in
            .init(direction: r.workload.direction.rawValue, generation: r.workload.generation.rawValue, workers: r.workload.workers,
                  securityAssociations: r.workload.securityAssociations, mppsPerWorker: r.mppsTotal / Double(r.workload.workers))
        }
        d.lookups = lookups.map { ($0.securityAssociations, $0.nanosecondsPerLookup) }
        if let ring {
            d.ring = [("4-byte handles", ring.handles.medianNanosecondsPerElement), ("8-byte words", ring.words.medianNanosecondsPerElement)]
        }
        d.crypto = crypto.map { r in
            let f = Self.figure(r)
            return .init(transform: Self.name(r.workload.transform), encryptedBytes: f.encryptedLength, mppsPerWorker: f.mpps)
        }
        d.cryptoOnly = cryptoOnly.map { .init(transform: Self.name($0.transform), encryptedBytes: $0.bufferBytes, mppsPerWorker: $0.inboundMops) }
        d.cryptoBurst = cryptoOnly.compactMap { r in
            r.inboundBurstMops.map { .init(transform: Self.name(r.transform), encryptedBytes: r.bufferBytes, mppsPerWorker: $0) }
        }
        d.latency = generator.compactMap { g in g.loop.latency.map { ("\(g.size), maximum rate", $0) } }
        if let r = rate, let l = r.latency { d.latency.append(("64 B at \(format(r.targetPPS / 1e6, 2)) Mpps", l)) }
        return d
    }

    var table: String {
        var out = heading + "\n"
        out += "NUMA: \(topology.isAvailable ? "\(topology.nodeCount) node\(topology.nodeCount == 1 ? "" : "s")" : "not available")"
            + ", CPUs \(topology.allowedCPUs.map(String.init).joined(separator: ","))\n"
        out += "Crypto provider: \(cryptoProvider)\n\n"
        var rows: [(String, String)] = []
        if let ring {
            rows.append(("SPSC ring core to core, burst 32, 4-byte handles", "\(format(ring.handles.medianNanosecondsPerElement, 2)) ns/element (median of 64K chunks; best \(format(ring.handles.bestNanosecondsPerElement, 2)))"))
            rows.append(("SPSC ring core to core, burst 32, 8-byte words", "\(format(ring.words.medianNanosecondsPerElement, 2)) ns/element (median of 64K chunks; best \(format(ring.words.bestNanosecondsPerElement, 2)))"))
        }
        for l in lookups {
            rows.append(("SPI lookup, \(l.securityAssociations) SAs, random, burst 32", "\(format(l.nanosecondsPerLookup, 2)) ns/lookup"))
        }
        for r in runs {
            let w = r.workload
            var value = "\(format(r.mppsTotal / Double(w.workers), 2)) Mpps/worker"
            if w.workers > 1 {
                value += " (total \(format(r.mppsTotal, 2))"
                if let one = run(w.direction, workers: 1), one.mppsTotal > 0 {
                    value += ", \(format(r.mppsTotal / one.mppsTotal, 2))x one worker"
                }
                value += ")"
            }
            if !r.conserved { value += " CONSERVATION FAILED" }
            let how = w.generation == .rss ? "RSS queues" : "steered across cores"
            rows.append(("\(w.direction.rawValue), \(w.workers) worker\(w.workers == 1 ? "" : "s"), \(how) (CPUs \(r.cpus.map(String.init).joined(separator: ",")))", value))
        }
        for r in sweep {
            var value = "\(format(r.mppsTotal, 2)) Mpps/worker"
            if !r.conserved { value += " CONSERVATION FAILED" }
            rows.append(("inbound, 1 worker, \(r.workload.securityAssociations) SAs (sweep, CPU \(r.cpus.map(String.init).joined(separator: ",")))", value))
        }
        for g in generator {
            rows.append(("generator fill, one core, \(g.size) (average \(format(g.fill.averageLength, 0)) B)", "\(format(g.fill.mpps, 2)) Mpps"))
            var value = "tx \(format(g.loop.txMpps, 2)) Mpps, rx \(format(g.loop.rxMpps, 2)) Mpps"
            if let l = g.loop.latency { value += ", latency p50 \(format(l.p50, 1)) us, p99 \(format(l.p99, 1)) us" }
            if !g.loop.conserved { value += " CONSERVATION FAILED" }
            rows.append(("whole loop: generator thread + 1 worker, \(g.size), max rate", value))
        }
        for (t, f) in sealedFill {
            rows.append(("generator fill sealed \(Self.name(t)), one core, \(format(f.averageLength, 0)) B", "\(format(f.mpps, 2)) Mpps"))
        }
        if let r = rate {
            let low = r.perSecondPPS.min() ?? 0, high = r.perSecondPPS.max() ?? 0
            var value = "sent \(r.sent) of \(r.expected) (\(format(Double(r.sent) / Double(max(r.expected, 1)) * 100, 3))%), "
                + "each second \(format(low / r.targetPPS * 100, 2))...\(format(high / r.targetPPS * 100, 2))% of target"
            if let l = r.latency { value += ", latency p50 \(format(l.p50, 1)) us, p99 \(format(l.p99, 1)) us, p99.9 \(format(l.p999, 1)) us" }
            if !r.conserved { value += " CONSERVATION FAILED" }
            rows.append(("generator at \(format(r.targetPPS / 1e6, 2)) Mpps for \(r.perSecondPPS.count) s, 1 worker, 64 B", value))
        }
        for r in crypto {
            let f = Self.figure(r)
            var value = "\(format(f.mpps, 3)) Mpps/worker, \(format(f.gbpsIP, 2)) Gbps IP (\(format(f.gbpsEncrypted, 2)) Gbps encrypted bytes)"
            if !r.conserved { value += " CONSERVATION FAILED" }
            if r.counters[.forwarded] != r.counters[.offered] { value += " NOT ALL FORWARDED (\(r.counters.totalDropped) dropped)" }
            rows.append(("inbound \(Self.name(r.workload.transform)), \(f.encryptedLength) B encrypted (\(f.ipLength) B IP), 1 worker (CPU \(r.cpus.map(String.init).joined(separator: ",")))", value))
        }
        for r in cryptoOnly {
            var value = "in \(format(r.inboundMops, 2)) Mops (\(format(r.inboundGbps, 2)) Gbps), out \(format(r.outboundMops, 2)) Mops (\(format(r.outboundGbps, 2)) Gbps)"
            if let b = r.inboundBurstMops {
                value += ", burst engine in \(format(b, 2)) Mops (\(format(b * Double(r.bufferBytes) * 8 / 1000, 2)) Gbps)"
            }
            if r.failures > 0 { value += " \(r.failures) FAILED" }
            let what = r.inboundBurstMops == nil ? "verify+decrypt / seal" : "verify+decrypt per packet / seal / burst engine"
            rows.append(("crypto only \(Self.name(r.transform)), \(r.bufferBytes) B, burst \(r.burst): \(what)", value))
        }
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        out += "measurement".padding(toLength: width, withPad: " ", startingAt: 0) + "result\n"
        for (k, v) in rows { out += k.padding(toLength: width, withPad: " ", startingAt: 0) + v + "\n" }
        if !cryptoOnly.isEmpty {
            out += "\nCrypto only: the SA context's functions alone on this thread, one SA, bursts of 32 on 256 prepared 2 KiB buffers "
                + "(each burst sealed, then verified and decrypted; every ICV must pass), as dpdk-test-crypto-perf --ptest throughput measures a device. "
                + "\"in\" is one packet per call (the context's verify + decrypt); \"burst engine in\" (providers with one: intel-ipsec-mb, AES-CBC + HMAC) "
                + "is the same burst resealed and opened by one call of the provider's burst engine, as the inbound stage calls it once per burst.\n"
        }
        if let r = crypto.first {
            out += "\nCrypto runs: \(r.workload.securityAssociations) SAs with anti-replay DISABLED; each worker replays a ring of "
                + "\(r.workload.sealedRingPackets) packets sealed once at set-up (sequence numbers 1, 2, ... per SA; the ICV covers them, "
                + "so they cannot be patched per packet). Every packet is ICV-checked and decrypted (\(cryptoProvider), in place, no allocation; AES-CBC + HMAC a burst at a time on the ipsec-mb provider's burst engine, per packet on BoringSSL); "
                + "the worker core also copies each packet from the ring into its buffer. Offered \(crypto.reduce(0) { $0 + $1.counters[.offered] }), "
                + "forwarded \(crypto.reduce(0) { $0 + $1.counters[.forwarded] }), dropped \(crypto.reduce(0) { $0 + $1.counters.totalDropped }).\n"
        }
        if let h = headline {
            let c = h.counters
            out += "\nCounters of the \(h.workload.direction.rawValue) run with \(h.workload.workers) worker\(h.workload.workers == 1 ? "" : "s"): "
                + "offered \(c[.offered]), forwarded \(c[.forwarded]), dropped \(c.totalDropped), punted \(c[.punted]), consumed \(c[.consumed])\n\n"
            out += "Router#show platform hardware qfp active statistics drop\n"
            out += GlobalDropTable.render(c)
            out += "\nRouter#show platform hardware qfp active feature ipsec datapath drops\n"
            out += IPsecDatapathDropTable.render(c)
        }
        return out
    }

    func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    // MARK: JSON

    struct JSON: Encodable {
        struct Run: Encodable {
            var direction: String
            var generation: String
            var workers: Int
            var cpus: [Int]
            var mpps_per_worker: [Double]
            var mpps_total: Double
            var seconds: Double
            var packets_offered: UInt64
            var packets_forwarded: UInt64
            var packets_dropped: UInt64
            var conserved: Bool
        }
        struct Numa: Encodable {
            var available: Bool
            var nodes: Int
            var cpus: [Int]
        }
        var workers: Int
        var sas: Int
        var packet_length: Int
        var miss_fraction: Double
        var packets_offered: UInt64
        var packets_forwarded: UInt64
        var packets_dropped: UInt64
        var mpps_per_worker: Double
        var mpps_total: Double
        var scaling_vs_one_worker: Double?
        var mpps_per_worker_steered_across_cores: Double?
        var outbound_mpps_per_worker: Double?
        var lookup_ns: [String: Double]
        var ring_ns_per_element: Double?
        var ring_ns_per_element_8_byte: Double?
        var runs: [Run]
        struct Sweep: Encodable {
            var sas: Int
            var mpps_per_worker: Double
            var packets_offered: UInt64
            var packets_forwarded: UInt64
            var packets_dropped: UInt64
            var conserved: Bool
        }
        /// Inbound, 1 worker, per `--sas-sweep` count (empty without it).
        var sas_sweep: [Sweep]
        struct Generator: Encodable {
            var size: String
            var fill_mpps_one_core: Double
            var fill_average_length: Double
            var loop: GeneratorBenchmark.LoopResult
        }
        var generator: [Generator]
        struct SealedFill: Encodable {
            var transform: String
            var fill_mpps_one_core: Double
            var fill_average_length: Double
        }
        var generator_sealed_fill: [SealedFill]
        var generator_rate: GeneratorBenchmark.LoopResult?
        struct Crypto: Encodable {
            var transform: String
            var encrypted_bytes: Int
            var ip_bytes: Int
            var mpps_per_worker: Double
            var gbps_ip: Double
            var gbps_encrypted: Double
            var packets_offered: UInt64
            var packets_forwarded: UInt64
            var packets_dropped: UInt64
            var conserved: Bool
            var anti_replay: String
        }
        var crypto: [Crypto]
        struct CryptoOnly: Encodable {
            var transform: String
            /// As dpdk-test-crypto-perf --buffer-sz.
            var buffer_bytes: Int
            var burst: Int
            var sas: Int
            var operations: Int
            /// One packet per call (the context's verify + decrypt).
            var inbound_mops: Double
            /// One burst engine call per burst; absent when the provider opens this transform per packet.
            var inbound_burst_mops: Double?
            var outbound_mops: Double
            var inbound_gbps: Double
            var outbound_gbps: Double
            var failures: Int
        }
        var crypto_only: [CryptoOnly]
        /// "ipsec-mb (avx512)" or "boringssl".
        var crypto_provider: String
        var numa: Numa
        var global_drop_stats: [String: DropCountersJSON.Global]
        var ipsec_datapath_drops: [String: DropCountersJSON.Feature]
    }

    var json: JSON {
        let h = headline
        let counters = h?.counters ?? CounterSnapshot()
        let drops = DropCountersJSON(counters)
        let one = run(.inbound, workers: 1)
        let outbound = run(.outbound, workers: workers)
        return JSON(
            workers: workers, sas: securityAssociations, packet_length: packetLength, miss_fraction: missFraction,
            packets_offered: counters[.offered], packets_forwarded: counters[.forwarded],
            packets_dropped: counters.totalDropped,
            mpps_per_worker: h.map { $0.mppsTotal / Double($0.workload.workers) } ?? 0,
            mpps_total: h?.mppsTotal ?? 0,
            scaling_vs_one_worker: (h != nil && one != nil && one!.mppsTotal > 0 && workers > 1) ? h!.mppsTotal / one!.mppsTotal : nil,
            mpps_per_worker_steered_across_cores: run(.inbound, workers: workers, generation: .spread).map { $0.mppsTotal / Double($0.workload.workers) },
            outbound_mpps_per_worker: outbound.map { $0.mppsTotal / Double($0.workload.workers) },
            lookup_ns: Dictionary(uniqueKeysWithValues: lookups.map { (String($0.securityAssociations), $0.nanosecondsPerLookup) }),
            ring_ns_per_element: ring?.handles.medianNanosecondsPerElement,
            ring_ns_per_element_8_byte: ring?.words.medianNanosecondsPerElement,
            runs: runs.map { r in
                JSON.Run(direction: r.workload.direction.rawValue, generation: r.workload.generation.rawValue, workers: r.workload.workers, cpus: r.cpus,
                    mpps_per_worker: r.mppsPerWorker, mpps_total: r.mppsTotal, seconds: r.elapsedSeconds,
                    packets_offered: r.counters[.offered], packets_forwarded: r.counters[.forwarded],
                    packets_dropped: r.counters.totalDropped, conserved: r.conserved)
            },
            sas_sweep: sweep.map { r in
                JSON.Sweep(sas: r.workload.securityAssociations, mpps_per_worker: r.mppsTotal, packets_offered: r.counters[.offered],
                           packets_forwarded: r.counters[.forwarded], packets_dropped: r.counters.totalDropped, conserved: r.conserved)
            },
            generator: generator.map { .init(size: $0.size, fill_mpps_one_core: $0.fill.mpps, fill_average_length: $0.fill.averageLength, loop: $0.loop) },
            generator_sealed_fill: sealedFill.map { .init(transform: Self.name($0.transform), fill_mpps_one_core: $0.fill.mpps,
                                                          fill_average_length: $0.fill.averageLength) },
            generator_rate: rate,
            crypto: crypto.map { r in
                let f = Self.figure(r)
                return JSON.Crypto(transform: Self.name(r.workload.transform), encrypted_bytes: f.encryptedLength, ip_bytes: f.ipLength,
                                   mpps_per_worker: f.mpps, gbps_ip: f.gbpsIP, gbps_encrypted: f.gbpsEncrypted,
                                   packets_offered: r.counters[.offered], packets_forwarded: r.counters[.forwarded],
                                   packets_dropped: r.counters.totalDropped, conserved: r.conserved, anti_replay: "disabled")
            },
            crypto_only: cryptoOnly.map { r in
                JSON.CryptoOnly(transform: Self.name(r.transform), buffer_bytes: r.bufferBytes, burst: r.burst, sas: 1,
                                operations: r.operations, inbound_mops: r.inboundMops, inbound_burst_mops: r.inboundBurstMops,
                                outbound_mops: r.outboundMops,
                                inbound_gbps: r.inboundGbps, outbound_gbps: r.outboundGbps, failures: r.failures)
            },
            crypto_provider: cryptoProvider,
            numa: JSON.Numa(available: topology.isAvailable, nodes: topology.nodeCount, cpus: topology.allowedCPUs),
            global_drop_stats: drops.globalDropStats, ipsec_datapath_drops: drops.ipsecDatapathDrops)
    }
}
