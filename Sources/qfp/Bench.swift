import ArgumentParser
import Foundation
import QFPCLI
import QFPCrypto
import QFPDataplane
import QFPGenerator
import QFPPlot

/// `qfp bench`: ring, lookup and end-to-end throughput, as a table or one JSON object.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the data plane: SPSC ring, SPI lookup, inbound and outbound Mpps per worker.",
        discussion: """
            Runs on this machine's CPUs with pinned worker threads; each worker also generates its \
            share of the traffic (run to completion). Ends with the two drop tables of the \
            inbound run, as `show platform hardware qfp active statistics drop` and \
            `... feature ipsec datapath drops` print them.
            """)

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case ring, lookup, inbound, outbound
        /// The traffic generator: fill rate of one core, and the whole loop at maximum rate.
        case generator
        /// The generator holding a set rate (--rate) for --rate-seconds; not in the default set.
        case rate
        /// Inbound AES-GCM-128 and AES-CBC-128 + HMAC-SHA1, one worker, at `--crypto-sizes`,
        /// then the same transforms alone (crypto only, bursts of 32), on `--crypto-provider`;
        /// not in the default set.
        case crypto

        static var defaults: [Part] { [.ring, .lookup, .inbound, .outbound, .generator] }
    }

    @Option(name: .long, help: "Worker threads for the end-to-end runs (also measured with 1).")
    var workers: Int = 2

    @Option(name: .customLong("sas"), help: "Security associations for the end-to-end runs.")
    var securityAssociations: Int = 100_000

    @Option(name: .customLong("unknown-percent"), help: "Percent of packets to unknown SPIs (outbound: to policies without SA).")
    var unknownPercent: Double = 5

    @Option(name: .long, help: "IP packet length in bytes (64...1500; ESP-NULL rounds down to a multiple of 4).")
    var length: Int = 64

    @Option(name: .long, help: "Seconds measured per end-to-end run.")
    var seconds: Double = 2

    @Option(name: .customLong("lookup-sizes"), parsing: .upToNextOption, help: "SA counts for the lookup benchmark.")
    var lookupSizes: [Int] = [1000, 100_000, 1_000_000]

    @Option(name: .long, parsing: .upToNextOption, help: "Parts to run: \(Part.allCases.map(\.rawValue).joined(separator: ", ")).")
    var only: [Part] = Part.defaults

    @Option(name: .long, help: "Target packets per second of the rate part.")
    var rate: Double = 1_000_000

    @Option(name: .customLong("rate-seconds"), help: "Seconds of the rate part.")
    var rateSeconds: Double = 10

    @Option(name: .customLong("crypto-sizes"), parsing: .upToNextOption,
            help: "Bytes encrypted per packet for the crypto part (inner datagram + ESP trailer, as dpdk-test-crypto-perf's --buffer-sz; CBC rounds up to 16).")
    var cryptoSizes: [Int] = [64, 128, 512, 1500]

    @Option(name: .customLong("crypto-sas"), help: "SAs of the crypto part (anti-replay disabled, see the table's note).")
    var cryptoSAs: Int = 1024

    /// Transforms of the crypto part.
    enum CryptoTransform: String, ExpressibleByArgument, CaseIterable {
        /// esp-gcm 128.
        case gcm
        /// esp-aes 128 esp-sha-hmac.
        case cbc

        var transform: ESPTransform { self == .gcm ? .aesGCM128 : .aesCBC128SHA1 }
    }

    @Option(name: .customLong("crypto-transforms"), parsing: .upToNextOption,
            help: "Transforms of the crypto part: gcm (esp-gcm 128), cbc (esp-aes 128 esp-sha-hmac).")
    var cryptoTransforms: [CryptoTransform] = [.gcm, .cbc]

    @Option(name: .customLong("sas-sweep"), parsing: .upToNextOption,
            help: "Also measure inbound, 1 worker, at each of these SA counts (the plot's Mpps against SA count).")
    var sasSweep: [Int] = []

    @Option(name: .customLong("crypto-provider"), help: CryptoProviderChoice.help)
    var cryptoProvider: CryptoProviderChoice = .auto

    @Flag(name: .long, help: "Print one JSON object instead of the table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Also write the results as SVG charts to this file (docs/plots.md).", valueName: "file.svg"))
    var plot: String?

    @Option(name: .long, help: ArgumentHelp("DPDK peers' figures of the same session (qfp-peers/1 JSON from Tools/peers-json), drawn beside ours in --plot.", valueName: "file.json"))
    var peers: String?

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be in 1...64, got \(workers)") }
        guard securityAssociations >= 1 && securityAssociations <= 4_000_000 else {
            throw ValidationError("--sas must be in 1...4000000, got \(securityAssociations)")
        }
        guard (0...100).contains(unknownPercent) else { throw ValidationError("--unknown-percent must be in 0...100, got \(unknownPercent)") }
        guard (64...1500).contains(length) else { throw ValidationError("--length must be in 64...1500, got \(length)") }
        guard seconds > 0 && seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600], got \(seconds)") }
        guard rate >= 1 && rate <= 100_000_000 else { throw ValidationError("--rate must be in 1...100000000, got \(rate)") }
        guard rateSeconds >= 1 && rateSeconds <= 3600 else { throw ValidationError("--rate-seconds must be in 1...3600, got \(rateSeconds)") }
        guard cryptoSizes.allSatisfy({ (30...1500).contains($0) }) else {
            throw ValidationError("--crypto-sizes must each be in 30...1500")
        }
        guard (1...65536).contains(cryptoSAs) else { throw ValidationError("--crypto-sas must be in 1...65536, got \(cryptoSAs)") }
        guard lookupSizes.allSatisfy({ (1...4_000_000).contains($0) }) else {
            throw ValidationError("--lookup-sizes must each be in 1...4000000")
        }
        guard sasSweep.allSatisfy({ (1...4_000_000).contains($0) }) else {
            throw ValidationError("--sas-sweep must each be in 1...4000000")
        }
        if peers != nil && plot == nil { throw ValidationError("--peers needs --plot: the peers' figures are only drawn") }
    }

    func run() throws {
        QFP.bootstrapLogging()
        // Read the peers first: a bad file fails before minutes of measuring.
        let peerFigures: PeerFigures?
        do { peerFigures = try peers.map(PeerFigures.load(path:)) } catch { throw QFPFailure(error.description) }
        // A provider that cannot be used fails before minutes of measuring, too.
        let crypto = try cryptoProvider.selectForCommand()
        let topology = NUMATopology.current
        var report = BenchReport(topology: topology, workers: workers, securityAssociations: securityAssociations,
                                 packetLength: length, missFraction: unknownPercent / 100, cryptoProvider: crypto.name)
        let progress = json ? nil : Progress()

        if only.contains(.ring) {
            progress?.say("SPSC ring, core to core, burst 32")
            let handles = try RingBenchmark.run(.handle, topology: topology)
            let words = try RingBenchmark.run(.word, topology: topology)
            report.ring = .init(handles: handles, words: words)
        }
        if only.contains(.lookup) {
            for size in lookupSizes {
                progress?.say("SPI lookup, \(size) SAs")
                report.lookups.append(try LookupBenchmark.run(securityAssociations: size, topology: topology))
            }
        }
        for direction in [ThroughputWorkload.Direction.inbound, .outbound] where only.contains(Part(rawValue: direction.rawValue)!) {
            var plan: [(Int, ThroughputWorkload.Generation)] = [(1, .rss)]
            if workers > 1 { plan += [(workers, .rss), (workers, .spread)] }
            for (count, generation) in plan {
                progress?.say("\(direction.rawValue), \(count) worker\(count == 1 ? "" : "s"), \(generation.rawValue) generation")
                var w = ThroughputWorkload()
                w.direction = direction
                w.generation = generation
                w.workers = count
                w.securityAssociations = securityAssociations
                w.missFraction = unknownPercent / 100
                w.packetLength = length
                w.seconds = seconds
                report.runs.append(try ThroughputRun.run(w, topology: topology))
            }
        }
        for size in sasSweep {
            progress?.say("inbound, 1 worker, \(size) SAs (sweep)")
            var w = ThroughputWorkload()
            w.direction = .inbound
            w.workers = 1
            w.securityAssociations = size
            w.missFraction = unknownPercent / 100
            w.packetLength = length
            w.seconds = seconds
            report.sweep.append(try ThroughputRun.run(w, topology: topology))
        }
        if only.contains(.crypto) {
            for transform in cryptoTransforms.map(\.transform) {
                for size in cryptoSizes {
                    progress?.say("inbound \(BenchReport.name(transform)), \(size) bytes encrypted, 1 worker")
                    var w = ThroughputWorkload()
                    w.direction = .inbound
                    w.workers = 1
                    w.securityAssociations = cryptoSAs
                    w.missFraction = 0
                    w.packetLength = size
                    w.seconds = seconds
                    w.transform = transform
                    w.keys = BenchReport.benchKeys(transform)
                    w.cryptoProvider = cryptoProvider
                    report.crypto.append(try ThroughputRun.run(w, topology: topology))
                }
            }
            for transform in cryptoTransforms.map(\.transform) {
                for size in cryptoSizes {
                    progress?.say("crypto only \(BenchReport.name(transform)), \(size) bytes, 1 SA, bursts of 32")
                    report.cryptoOnly.append(try CryptoOpsBenchmark.run(
                        transform: transform, keys: BenchReport.benchKeys(transform), payloadLength: size, seconds: seconds,
                        provider: crypto.provider))
                }
            }
        }
        if only.contains(.generator) {
            for (name, size) in [("64 B", TrafficProfile.Size.fixed(64)), ("IMIX", TrafficProfile.Size.imix)] {
                progress?.say("generator fill, one core, \(name) packets")
                let fill = try GeneratorBenchmark.fill(size: size, seconds: seconds, topology: topology)
                progress?.say("generator whole loop, 1 worker, \(name) packets, maximum rate")
                let loop = try GeneratorBenchmark.loop(size: size, rate: nil, workers: 1, seconds: seconds, topology: topology)
                report.generator.append(.init(size: name, fill: fill, loop: loop))
            }
            for t in [ESPTransform.aesGCM256, .aesCBC256SHA256] {
                progress?.say("generator fill sealed with \(BenchReport.name(t)), one core, 64-byte packets")
                let fill = try GeneratorBenchmark.fill(size: .fixed(64), seconds: seconds, topology: topology, transform: t,
                                                       keys: BenchReport.benchKeys(t))
                report.sealedFill.append((t, fill))
            }
        }
        if only.contains(.rate) {
            progress?.say("generator at \(Int(rate)) pps for \(rateSeconds) s, 1 worker, 64-byte packets")
            report.rate = try GeneratorBenchmark.loop(size: .fixed(64), rate: rate, workers: 1, seconds: rateSeconds, topology: topology)
        }
        progress?.done()
        if json {
            print(try JSONOutput.encode(report.json))
        } else {
            print(report.table, terminator: "")
        }
        if let plot {
            let figure: Figure
            do { figure = try BenchPlot.figure(report.plotData, peers: peerFigures) } catch { throw QFPFailure(error.description) }
            do { try PlotFile.write(figure, to: plot) } catch { throw QFPFailure(error.description) }
            FileHandle.standardError.write(Data("qfp bench: wrote \(figure.panels.count) chart\(figure.panels.count == 1 ? "" : "s") to \(plot)\n".utf8))
        }
        if let bad = report.cryptoOnly.first(where: { $0.failures > 0 }) {
            throw ValidationError("crypto-only run \(bad.transform) \(bad.bufferBytes) B: \(bad.failures) operations failed to verify or decrypt")
        }
        // A run that measured nothing is not a figure of 0 Mpps (seen on a machine so loaded that
        // the worker took nothing in the measured window).
        if let bad = report.crypto.first(where: { $0.counters[.offered] == 0 }) {
            throw ValidationError("crypto run \(bad.workload.transform) \(bad.workload.packetLength) B: no packet was offered in the measured window; nothing was measured (is the machine overloaded? try --seconds with a longer run)")
        }
        if let bad = report.crypto.first(where: { $0.counters[.forwarded] != $0.counters[.offered] }) {
            throw ValidationError("crypto run \(bad.workload.transform) \(bad.workload.packetLength) B: not every packet decrypted and forwarded")
        }
        if report.runs.contains(where: { !$0.conserved }) || report.sweep.contains(where: { !$0.conserved }) || report.crypto.contains(where: { !$0.conserved }) || report.generator.contains(where: { !$0.loop.conserved })
            || report.rate.map({ !$0.conserved }) == true {
            throw ValidationError("conservation failed: packets offered != forwarded + punted + consumed + dropped")
        }
    }
}

/// One-line progress on stderr while the table is being measured.
struct Progress {
    func say(_ what: String) {
        FileHandle.standardError.write(Data("qfp bench: measuring \(what)...\n".utf8))
    }
    func done() {}
}
