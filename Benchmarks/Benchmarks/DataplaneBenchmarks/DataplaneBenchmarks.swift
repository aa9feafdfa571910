import Benchmark
import QFPControl
import QFPCrypto
import QFPDataplane
import QFPGenerator

let benchmarks: @Sendable () -> Void = {
    // Names have no spaces: `thresholds check` looks files up by the raw name while
    // `thresholds update` writes them with spaces replaced.
    // Hot-path benchmarks. The measured regions allocate nothing (`--allocation-stacks` reports
    // "0 allocations (0.0/iteration)"); the thresholds in Thresholds/ record per-sample totals,
    // which include the harness's own ~17 allocations per sample of 1,000 iterations. A
    // tolerance of 100 per sample fails `thresholds check` as soon as the data path allocates
    // once per 10 iterations (one per packet would add 32,000).
    let zeroMallocs: [BenchmarkMetric: BenchmarkThresholds] = [
        .mallocCountTotal: .init(absolute: [.p90: 100]),
        .wallClock: .init(relative: [.p90: 50]),
        .throughput: .init(relative: [.p90: 50]),
    ]

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds, maxDuration: .seconds(2))

    // One thread, bursts of 32 through an SPSC ring: the per-element cost without cache-line
    // transfers (core to core is `qfp bench`'s ring figure).
    Benchmark("SPSCRing.burst32.sameThread",
              configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs)) { benchmark in
        let ring = try SPSCRing<PacketHandle>(minimumCapacity: 4096)
        defer { ring.deallocate() }
        let items = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32)
        defer { items.deallocate() }
        items.initialize(repeating: 7, count: 32)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(ring.enqueueBurst(items, count: 32))
            blackHole(ring.dequeueBurst(into: items, maximum: 32))
        }
    }

    // SPI lookup in a worker's table, bursts of 32 random installed keys. The fixture (SAs
    // installed, every key looked up once) is built once per benchmark, not per sample.
    for size in [1000, 100_000, 1_000_000] {
        Benchmark("SPILookup.burst32.\(size)SAs",
                  configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                  closure: { benchmark, fixture in
                      for _ in benchmark.scaledIterations { fixture.burst() }
                  },
                  setup: { try LookupFixture(securityAssociations: size) })
    }

    // The whole inbound path on one thread: generator, steering, ring, stages, counters,
    // buffer return. 100k SAs, 5% unknown SPIs, 64-byte ESP. One iteration = one burst of 32.
    Benchmark("InboundPipeline.burst32.100kSAs.5pctUnknown",
              configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
              closure: { benchmark, fixture in
                  for _ in benchmark.scaledIterations { fixture.burst() }
              },
              setup: { try InboundFixture(securityAssociations: 100_000) })

    // The inbound path with real ciphers (BoringSSL through the SA's crypto context): 1,024
    // SAs with anti-replay disabled, a ring of 1,024 packets sealed once at set-up (the ICV
    // covers the sequence number, so it cannot be patched per packet), 64 or 1,500 bytes
    // encrypted per packet. One iteration = one burst of 32 packets. Zero-malloc thresholds:
    // GCM (EVP_AEAD_CTX) and CBC + HMAC (AES_cbc_encrypt, precomputed HMAC states) allocate
    // nothing per packet.
    for (name, transform) in [("AESGCM128", ESPTransform.aesGCM128), ("AESCBC128SHA1", .aesCBC128SHA1)] {
        for size in [64, 1500] {
            Benchmark("InboundCrypto.\(name).\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try InboundCryptoFixture(transform: transform, payloadLength: size) })
        }
    }

    // The transforms alone (no pipeline), as `qfp bench`'s crypto-only figure: one SA, a burst
    // of 32 sealed (outbound: IV from the per-SA IV key, encryption, ICV), then the same 32
    // verified and decrypted. One iteration = one such burst; zero mallocs for both directions.
    for (name, transform) in [("AESGCM128", ESPTransform.aesGCM128), ("AESCBC128SHA1", .aesCBC128SHA1),
                              ("AESCBC256SHA256", .aesCBC256SHA256)] {
        for size in [64, 1500] {
            Benchmark("CryptoOps.\(name).\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try CryptoOpsFixture(transform: transform, payloadLength: size) })
        }
    }

    // AES-GCM on intel-ipsec-mb (`--crypto-provider ipsec-mb`: CIPSecMB's contexts over the
    // library's gcm128_dec/enc, VAES/AVX-512 where the CPU has it), the same two shapes as
    // above; the same zero-malloc thresholds. Registered only when libIPSec_MB.so.1 loads.
    if IPsecMBProvider.isAvailable {
        for size in [64, 1500] {
            Benchmark("InboundCrypto.IPsecMB.AESGCM128.\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try InboundCryptoFixture(transform: .aesGCM128, payloadLength: size, provider: .ipsecMB) })
            Benchmark("CryptoOps.IPsecMB.AESGCM128.\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try CryptoOpsFixture(transform: .aesGCM128, payloadLength: size, provider: .ipsecMB) })
        }
        // AES-CBC + HMAC-SHA1 on the job API, a burst at a time: the inbound pipeline (each
        // worker burst's CBC packets opened by one call of the worker's burst engine), and the
        // engine alone (32 sealed per packet, then one `open` of all 32). Zero mallocs per burst.
        for size in [64, 1500] {
            Benchmark("InboundCrypto.IPsecMB.AESCBC128SHA1.\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try InboundCryptoFixture(transform: .aesCBC128SHA1, payloadLength: size, provider: .ipsecMB) })
            Benchmark("CryptoOps.IPsecMB.AESCBC128SHA1Burst.\(size)B",
                      configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                      closure: { benchmark, fixture in
                          for _ in benchmark.scaledIterations { fixture.burst() }
                      },
                      setup: { try CryptoOpsFixture(transform: .aesCBC128SHA1, payloadLength: size, provider: .ipsecMB,
                                                    burstEngine: true) })
        }
    }

    // The traffic generator on one thread: a max-rate stream over 1,024 SAs (64-byte and IMIX),
    // template fill, steering, the worker's stages, the transmit ring and the generator's rx
    // with its latency histogram. One iteration = one generator step (up to 256 packets) and
    // a drained pipeline.
    for (name, size) in [("64B", TrafficProfile.Size.fixed(64)), ("IMIX", TrafficProfile.Size.imix)] {
        Benchmark("GeneratorLoop.\(name).1024SAs",
                  configuration: .init(scalingFactor: .kilo, thresholds: zeroMallocs),
                  closure: { benchmark, fixture in
                      for _ in benchmark.scaledIterations { fixture.step() }
                  },
                  setup: { try GeneratorFixture(size: size) })
    }

    // Multi-threaded end to end (pinned workers, RSS generation), reported as Mpps.
    for workers in [1, 2] {
        Benchmark("InboundEndToEnd.\(workers)workers.100kSAs",
                  configuration: .init(metrics: [.custom("Mpps per worker", polarity: .prefersLarger, useScalingFactor: false)],
                                       maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
            var w = ThroughputWorkload()
            w.workers = workers
            w.seconds = 1
            let r = try ThroughputRun.run(w)
            benchmark.measurement(.custom("Mpps per worker", polarity: .prefersLarger, useScalingFactor: false),
                                  Int(r.mppsTotal / Double(workers)))
        }
    }

    // Control plane (not a hot path; it allocates): the punt records of an invalid-SPI flood
    // through the IKE model — syslog (rate-limited), blackhole detector, recovery decision —
    // 1,000 punts from 1,000 senders per iteration, the worst case for the per-flow state.
    Benchmark("ControlPlane.InvalidSPIPunts.1000senders",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo),
              closure: { benchmark, fixture in
                  for _ in benchmark.scaledIterations { fixture.flood() }
              },
              setup: { try PuntFixture() })

    // A scenario end to end: an hour of SA lifetime (peer-reload, recovery off, 20 pps) on the
    // virtual clock, through the real data plane. Reported per run.
    Benchmark("Scenario.peerReload.1hour", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(30), maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ScenarioRunner.run(ScenarioOptions(kind: .peerReload)))
        }
    }
}

/// A worker with `securityAssociations` SAs and 64K precomputed random keys.
final class LookupFixture {
    let pipeline: Pipeline
    var worker: Worker
    let keys: UnsafeMutablePointer<UInt32>
    let hashes = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
    let results = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
    var offset = 0
    let router = IPAddress(ipv4: 0xC000_0201)

    init(securityAssociations: Int) throws {
        let router = self.router
        var c = PipelineConfiguration()
        c.workers = 1
        c.sources = 0
        c.inboundSAsPerWorker = securityAssociations
        c.outboundSAs = 16
        c.bindings = 16
        let pipeline = try Pipeline(c)
        var worker = pipeline.takeWorker(0)
        let spis = SPISequence(seed: 1).spis(count: securityAssociations).spis
        try BulkInstall.inbound(spis: spis, destination: router, control: pipeline.control) {
            worker.applyPendingCommands()
        }
        self.pipeline = pipeline
        self.worker = worker
        keys = .allocate(capacity: Self.keyCount)
        var random = FastRandom(seed: 9)
        for i in 0..<Self.keyCount { keys[i] = spis[FastRandom.index(random.next(), below: spis.count)] }
        for _ in 0..<(Self.keyCount / 32) { burst() }   // warm caches and TLB as a running worker has them
    }

    static let keyCount = 1 << 20

    func burst() {
        worker.lookupBurst(spis: keys + offset, destination: router, count: 32, hashes: hashes, results: results)
        blackHole(results[31])
        offset = (offset + 32) & (Self.keyCount - 1)
    }

    deinit {
        keys.deallocate()
        hashes.deallocate()
        results.deallocate()
    }
}

/// A one-worker manual pipeline fed by the inbound generator.
final class InboundFixture {
    let pipeline: ManualPipeline
    var traffic: InboundESPTraffic
    let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32)

    init(securityAssociations: Int) throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        c.inboundSAsPerWorker = securityAssociations
        c.sourcePoolBuffers = 1024
        c.inputRingSlots = 1024
        c.commandRingSlots = 4096
        let pipeline = try ManualPipeline(c)
        let router = IPAddress(ipv4: 0xC000_0201)
        let sequence = SPISequence(seed: 3)
        let (spis, next) = sequence.spis(count: securityAssociations)
        try BulkInstall.inbound(spis: spis, destination: router, control: pipeline.control) {
            pipeline.step()
        }
        self.pipeline = pipeline
        traffic = InboundESPTraffic(spis: spis, unknownSPIs: sequence.spis(count: 1024, from: next).spis,
                                    unknownFraction: 0.05, length: 64, peer: IPAddress(ipv4: 0xC633_6407),
                                    router: router, seed: 5)
        for _ in 0..<10_000 { burst() }   // every buffer and SA has been round the loop
    }

    func burst() {
        pipeline.withSource { source in
            let n = source.allocate(into: handles, maximum: 32)
            traffic.fill(source, handles, n, now: 0)
            source.send(handles, count: n)
        }
        pipeline.step()
    }

    deinit {
        handles.deallocate()
        traffic.deallocate()
    }
}

/// A one-worker manual pipeline with `provider`'s crypto (BoringSSL unless told), fed sealed ESP.
final class InboundCryptoFixture {
    let pipeline: ManualPipeline
    var traffic: InboundSealedTraffic
    let handles = UnsafeMutablePointer<PacketHandle>.allocate(capacity: 32)

    init(transform: ESPTransform, payloadLength: Int, provider: CryptoProviderChoice = .boringSSL) throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        c.inboundSAsPerWorker = 2048
        c.sourcePoolBuffers = 1024
        c.inputRingSlots = 1024
        c.commandRingSlots = 4096
        let pipeline = try ManualPipeline(c)
        pipeline.control.setCryptoProvider(try provider.select().provider)
        let router = IPAddress(ipv4: 0xC000_0201)
        try pipeline.control.setLocalEndpoint(router, mode: .tunnel)
        let keys = ESPKeys(cipher: (0..<transform.cipherKeyLength).map { UInt8(truncatingIfNeeded: 0x51 &* $0 &+ 3) },
                           authenticator: (0..<transform.authenticatorKeyLength).map { UInt8(truncatingIfNeeded: 0x37 &* $0 &+ 9) })
        let spis = (0..<1024).map { 0x1000 + UInt32($0) }
        // (A do/catch of the typed error inside this initializer crashes swift-frontend 6.3.1's
        // SILGenCleanup; BulkInstall holds the retry loop.)
        try BulkInstall.inbound(spis.map { InboundSAConfig(spi: $0, destination: router, transform: transform, replay: .disabled, keys: keys) },
                                control: pipeline.control) { _ = pipeline.step() }
        _ = pipeline.drain()
        self.pipeline = pipeline
        traffic = try InboundSealedTraffic(spis: spis, transform: transform, keys: keys, payloadLength: payloadLength,
                                           peer: IPAddress(ipv4: 0xC633_6407), router: router)
        for _ in 0..<2_000 { burst() }   // every buffer and SA has been round the loop
        let t = pipeline.statistics.totals()
        precondition(t[.forwarded] == t[.offered] && t[.offered] > 0, "sealed packets were dropped: \(t.totalDropped)")
    }

    func burst() {
        pipeline.withSource { source in
            let n = source.allocate(into: handles, maximum: 32)
            traffic.fill(source, handles, n, now: 0)
            source.send(handles, count: n)
        }
        blackHole(pipeline.step())
    }

    deinit {
        handles.deallocate()
        traffic.deallocate()
    }
}

/// A one-worker manual pipeline fed by a `TrafficGenerator` stepped by hand.
final class GeneratorFixture {
    let pipeline: ManualPipeline
    let generator: TrafficGenerator

    init(size: TrafficProfile.Size) throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        c.sourcePoolBuffers = 2048
        c.inputRingSlots = 1024
        c.transmitRings = true
        c.transmitRingSlots = 1024
        let pipeline = try ManualPipeline(c)
        let router = IPAddress(ipv4: 0xC000_0201)
        try pipeline.control.setLocalEndpoint(router, mode: .tunnel)
        try BulkInstall.inbound(spis: (0..<1024).map { 0x1000 + UInt32($0) }, destination: router, control: pipeline.control) {
            pipeline.step()
        }
        self.pipeline = pipeline
        generator = TrafficGenerator(pipeline: pipeline.pipeline) { RouterView() }
        try generator.start(GeneratorBenchmark.profile(size: size, rate: .maximum, sas: 1024))
        for _ in 0..<2_000 { step() }   // every buffer has been round the loop, the stream is live
    }

    /// One generator step at a fixed time (so it never publishes statistics) and a drain.
    func step() {
        pipeline.withSource { blackHole(generator.step(&$0, now: 1)) }
        blackHole(pipeline.drain())
    }
}


/// The daemon's control plane on a manual pipeline, and a batch of invalid-SPI punts.
final class PuntFixture {
    let pipeline: ManualPipeline
    let controlPlane: ControlPlane
    let punts: [PuntRecord]
    let clock = VirtualClock()

    init() throws {
        pipeline = try ManualPipeline()
        guard case let .success(loaded) = ConfigurationLanguage.shared.load(
            RecoveryMatrixConfigurations.text(.dynamicMap, recovery: true), source: "bench") else {
            fatalError("the benchmark configuration does not load")
        }
        let router = try Router(pipeline: pipeline.pipeline, clock: clock, configuration: loaded.configuration)
        controlPlane = ControlPlane(router: router, clock: clock, wallClock: DerivedWallClock(start: 0, clock: clock))
        punts = (0..<1000).map { i in
            var r = PuntRecord(kind: .invalidSPI, worker: 0, time: 0)
            r.spi = 0x1000_0000 + UInt32(i)
            r.source = IPAddress(ipv4: 0xC633_6400 + UInt32(i))
            r.destination = RecoveryMatrixConfigurations.routerAddress
            r.protocolNumber = 50
            return r
        }
    }

    func flood() {
        clock.advance(by: .milliseconds(1))
        controlPlane.ike.handle(punts)
    }
}

/// One SA's crypto context (BoringSSL unless told) and 32 ESP buffers (no IP header) of
/// `payloadLength` encrypted bytes; with `burstEngine`, opened by one call of the provider's
/// burst engine instead of one `verify` + `decrypt` per packet.
final class CryptoOpsFixture {
    let provider: any ESPCryptoProvider
    let context: ESPCryptoContext
    let engine: ESPCryptoBurst?
    let contexts = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: 32)
    let packets = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: 32)
    let starts = UnsafeMutablePointer<Int>.allocate(capacity: 32)
    let ends = UnsafeMutablePointer<Int>.allocate(capacity: 32)
    let verdicts = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
    let memory: UnsafeMutableRawPointer
    let payloadStart: Int
    let icvStart: Int
    let end: Int
    static let stride = 2048

    init(transform: ESPTransform, payloadLength: Int, provider choice: CryptoProviderChoice = .boringSSL,
         burstEngine: Bool = false) throws {
        let keys = ESPKeys(cipher: (0..<transform.cipherKeyLength).map { UInt8(truncatingIfNeeded: 0x51 &* $0 &+ 3) },
                           authenticator: (0..<transform.authenticatorKeyLength).map { UInt8(truncatingIfNeeded: 0x37 &* $0 &+ 9) })
        provider = try choice.select().provider
        context = try provider.makeContext(transform: transform, keys: keys)
        payloadStart = ESPHeader.length + transform.ivLength
        icvStart = payloadStart + InboundSealedTraffic.encryptedLength(payloadLength, transform: transform)
        end = icvStart + transform.icvLength
        memory = UnsafeMutableRawPointer.allocate(byteCount: 32 * Self.stride, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0x5A, count: 32 * Self.stride)
        for b in 0..<32 { ESPHeader.write(to: memory + b * Self.stride, spi: 0x1000, sequenceNumber: UInt32(b + 1)) }
        engine = burstEngine ? provider.makeBurstEngine() : nil
        precondition(!burstEngine || engine?.opens(transform) == true, "crypto ops: no burst engine for \(transform)")
        for j in 0..<32 {
            contexts[j] = context.base
            packets[j] = memory + j * Self.stride
            starts[j] = 0
            ends[j] = end
        }
        burst()
    }

    func burst() {
        for j in 0..<32 {
            context.seal(packet: memory + j &* Self.stride, espStart: 0, payloadStart: payloadStart, icvStart: icvStart)
        }
        if let engine {
            engine.open(count: 32, contexts: contexts, packets: packets, espStarts: starts, ends: ends, verdicts: verdicts)
            for j in 0..<32 { precondition(verdicts[j] == ESPBurstVerdict.opened.rawValue, "crypto ops: packet \(j) failed to open") }
            return
        }
        var good = 0
        for j in 0..<32 {
            let p = memory + j &* Self.stride
            if context.verify(packet: p, espStart: 0, end: end),
               context.decrypt(packet: p, payloadStart: payloadStart, payloadEnd: icvStart) { good &+= 1 }
        }
        precondition(good == 32, "crypto ops: \(32 - good) packets failed to open")
    }

    deinit {
        if let engine { provider.releaseBurstEngine(engine) }
        provider.releaseContext(context)
        memory.deallocate()
        contexts.deallocate(); packets.deallocate(); starts.deallocate(); ends.deallocate(); verdicts.deallocate()
    }
}
