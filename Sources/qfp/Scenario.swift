import ArgumentParser
import Foundation
import QFPControl
import QFPDataplane
import QFPGenerator

/// `qfp scenario NAME`: an SA desynchronisation on the virtual clock, and what ended it.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Reproduce an SA desynchronisation on the virtual clock and print its timeline and figures.",
        discussion: """
            Scenarios: \(ScenarioKind.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")). \
            The router runs the real data plane and control plane with the configuration of --crypto-config \
            (one of \(CryptoConfigType.allCases.map(\.rawValue).joined(separator: ", "))); one emulated peer \
            sends and receives traffic. The timeline shows the syslog lines and IKE events; the figures are \
            packets lost, blackhole duration and what ended it (recovery, dpd, lifetime-expiry, \
            rekey-completed, never). An hour of SA lifetime runs in seconds.
            """)

    @Argument(help: "The scenario: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(name: .long, help: "crypto isakmp invalid-spi-recovery: on or off.")
    var recovery: String = "off"

    @Option(name: .customLong("crypto-config"), help: "The router's crypto configuration type.")
    var cryptoConfig: String = "static-map"

    @Option(name: .long, help: "crypto isakmp keepalive arguments on the router, e.g. '10 2 periodic', or 'off' (default: '10 2 periodic' for dead-peer, off otherwise).")
    var keepalive: String?

    @Option(name: .long, help: "IPsec SA lifetime in seconds (120...86400).")
    var lifetime: Int = 3600

    @Option(name: .long, help: "Packets per second each way (10...10000).")
    var pps: Int = 20

    @Option(name: .long, help: "One-way IKE message delay in milliseconds.")
    var latency: Double = 20

    @Option(name: .long, help: "IKE message loss in percent (0...100).")
    var loss: Double = 0

    @Flag(name: .long, help: "Negotiate IKEv2 instead of IKEv1.")
    var ikev2 = false

    @Option(name: .customLong("transform-set"), help: "The router's transform set: esp-null, esp-gcm 128|256, esp-aes 128|256 esp-sha-hmac|esp-sha256-hmac.")
    var transformSet = "esp-null"

    @Option(name: .customLong("peer-proposes"), help: "Transforms the peer proposes and accepts, comma-separated (default: what the router offers).")
    var peerProposes: String?

    @Flag(name: .customLong("no-debug"), help: "Leave debug crypto isakmp off (its lines are in the timeline by default).")
    var noDebug = false

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Option(name: .long, help: "Write the IKE messages (DELETE, INVALID_SPI, DPD) to this pcap file.")
    var write: String?

    func validate() throws {
        guard ScenarioKind(rawValue: name) != nil else {
            throw ValidationError("unknown scenario '\(name)'; one of: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard CryptoConfigType(rawValue: cryptoConfig) != nil else {
            throw ValidationError("--crypto-config must be one of \(CryptoConfigType.allCases.map(\.rawValue).joined(separator: ", ")), got '\(cryptoConfig)'")
        }
        guard ["on", "off"].contains(recovery) else { throw ValidationError("--recovery must be on or off, got '\(recovery)'") }
        guard (120...86400).contains(lifetime) else { throw ValidationError("--lifetime must be in 120...86400, got \(lifetime)") }
        guard (10...10000).contains(pps) else { throw ValidationError("--pps must be in 10...10000, got \(pps)") }
        guard latency >= 0, latency <= 10000, latency.isFinite else { throw ValidationError("--latency must be in 0...10000 ms, got \(latency)") }
        guard loss >= 0, loss <= 100 else { throw ValidationError("--loss must be in 0...100 percent, got \(loss)") }
        guard Self.transform(transformSet) != nil else {
            throw ValidationError("--transform-set '\(transformSet)' is not a transform the data plane implements (esp-null, esp-gcm 128|256, esp-aes 128|256 with esp-sha-hmac or esp-sha256-hmac)")
        }
        if let peerProposes, peerProposals(peerProposes) == nil {
            throw ValidationError("--peer-proposes '\(peerProposes)': each comma-separated item must be a transform the data plane implements, e.g. 'esp-gcm 256, esp-aes 256 esp-sha256-hmac'")
        }
    }

    static func transform(_ words: String) -> ESPTransform? {
        TransformSet(name: "option", transforms: words.split(separator: " ").map(String.init)).espTransform
    }

    func peerProposals(_ text: String) -> [ESPTransform]? {
        let items = text.split(separator: ",").map { Self.transform($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { return nil }
        return items.compactMap { $0 }
    }

    func run() throws {
        var options = ScenarioOptions(kind: ScenarioKind(rawValue: name)!)
        options.cryptoConfig = CryptoConfigType(rawValue: cryptoConfig)!
        options.recovery = recovery == "on"
        if let keepalive { options.keepalive = keepalive == "off" ? nil : keepalive }
        options.lifetimeSeconds = lifetime
        options.packetsPerSecond = pps
        options.network.latencySeconds = latency / 1000
        options.network.lossRate = loss / 100
        options.ikev2 = ikev2
        options.debug = !noDebug
        options.transformSet = transformSet
        options.peerProposals = peerProposes.flatMap(peerProposals)
        options.maximumSeconds = Double(lifetime) + 400
        let result: ScenarioResult
        do {
            let (r, capture) = try ScenarioRunner.runCapturing(options)
            result = r
            if let write {
                do { try capture.write(to: write) } catch { throw QFPFailure("cannot write \(write): \(error)") }
            }
        } catch let failure as QFPFailure {
            throw failure
        } catch {
            throw QFPFailure("scenario \(name): \(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.text, terminator: "")
        }
    }
}
