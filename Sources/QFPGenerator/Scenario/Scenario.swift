import Foundation
import QFPControl
import QFPDataplane

/// The out-of-sync situations `qfp scenario` reproduces.
public enum ScenarioKind: String, Sendable, CaseIterable, Codable {
    /// The router reloads: it loses its IKE and IPsec SAs, the peer keeps them and goes on
    /// sending with SPIs the router no longer knows.
    case peerReload = "peer-reload"
    /// The router deletes its SAs with the peer and the DELETE notify is lost on the way; the
    /// IKE SA survives.
    case missedDelete = "missed-delete"
    /// The peer rekeys and sends on the new SPI before the router has programmed it.
    case rekeyRace = "rekey-race"
    /// The peer goes down, comes back without any SA, and waits for the router (a responder).
    case deadPeer = "dead-peer"

    public var summary: String {
        switch self {
        case .peerReload: "router reloads: it loses its SAs, the peer keeps them and sends on"
        case .missedDelete: "router deletes its SAs; the DELETE notify is lost"
        case .rekeyRace: "peer rekeys and uses the new SPI before the router installed it"
        case .deadPeer: "peer goes down and returns without SAs, as a pure responder"
        }
    }
}

/// What ended the blackhole.
public enum BlackholeEnd: String, Sendable, Codable {
    /// A DELETE or INVALID_SPI notify reached the peer (invalid-SPI recovery, or a DELETE over
    /// an existing IKE SA).
    case recovery
    /// DPD declared the peer dead and the SAs were renegotiated.
    case dpd
    /// An SA reached the end of its lifetime and was renegotiated.
    case lifetimeExpiry = "lifetime-expiry"
    /// The rekey finished: the router programmed the new SA.
    case rekeyCompleted = "rekey-completed"
    /// One side renegotiated on its own (its traffic started IKE).
    case renegotiated
    /// Still blackholed when the scenario ended.
    case never
    /// No packet was lost.
    case none
}

/// A scenario's parameters.
public struct ScenarioOptions: Sendable, Equatable {
    public var kind: ScenarioKind
    public var cryptoConfig: CryptoConfigType = .staticMap
    public var recovery = false
    /// `crypto isakmp keepalive` on the router (nil: none). Dead-peer defaults to `10 2 periodic`.
    public var keepalive: String?
    /// Packets per second each way.
    public var packetsPerSecond = 20
    /// IPsec SA lifetime (seconds; IOS default 3600).
    public var lifetimeSeconds = 3600
    /// When the out-of-sync event happens (seconds after start).
    public var eventAt = 10.0
    /// How long the peer stays down (dead-peer).
    public var downSeconds = 30.0
    /// The longest the scenario runs (virtual seconds).
    public var maximumSeconds = 4000.0
    public var network = IKENetwork()
    public var ikev2 = false
    /// `debug crypto isakmp` on the router (its lines join the timeline).
    public var debug = true
    /// The router's transform set `TS` (what IKE offers and accepts): `esp-null`,
    /// `esp-gcm 256`, `esp-aes 256 esp-sha256-hmac` …
    public var transformSet = "esp-null"
    /// The transforms the peer proposes and accepts; nil: whatever the router offers.
    public var peerProposals: [ESPTransform]?

    public init(kind: ScenarioKind) {
        self.kind = kind
        if kind == .deadPeer { keepalive = "10 2 periodic" }
    }
}

/// One line of a scenario's timeline.
public struct TimelineEntry: Sendable, Equatable, Codable {
    /// Seconds since the start (virtual time).
    public var seconds: Double
    public var text: String
}

/// A scenario's outcome.
public struct ScenarioResult: Sendable, Equatable, Codable {
    public var scenario: String
    public var cryptoConfig: String
    public var recovery: Bool
    public var recoverySupport: String
    public var keepalive: String?
    public var packetsSent: UInt64
    public var packetsLost: UInt64
    public var blackholeSeconds: Double
    public var endedBy: BlackholeEnd
    /// `4 IN_US_V4_PKT_SA_NOT_FOUND_SPI` at the end, and `%CRYPTO-4-RECVD_PKT_INV_SPI` messages logged.
    public var invalidSPIDrops: UInt64
    public var invalidSPIMessages: Int
    /// The router's transform set (`TS`), drop 62 `IN_CD_SW_IPSEC_MAC_EXCEPTION` (ICV failures
    /// of the peer's packets), the router's packets whose ICV the peer could not verify, and
    /// child SA negotiations refused for want of a common transform.
    public var transform: String
    public var integrityFailures: UInt64
    public var peerICVFailures: UInt64
    public var childSAProposalsRefused: UInt64
    public var recoveryNotifiesSent: UInt64
    public var recoveryNotifiesSuppressed: UInt64
    public var simulatedSeconds: Double
    public var timeline: [TimelineEntry]

    enum CodingKeys: String, CodingKey {
        case scenario
        case cryptoConfig = "crypto_config"
        case recovery
        case recoverySupport = "recovery_support"
        case keepalive
        case packetsSent = "packets_sent"
        case packetsLost = "packets_lost"
        case blackholeSeconds = "blackhole_seconds"
        case endedBy = "ended_by"
        case invalidSPIDrops = "invalid_spi_drops"
        case invalidSPIMessages = "invalid_spi_messages"
        case transform
        case integrityFailures = "integrity_failures"
        case peerICVFailures = "peer_icv_failures"
        case childSAProposalsRefused = "child_sa_proposals_refused"
        case recoveryNotifiesSent = "recovery_notifies_sent"
        case recoveryNotifiesSuppressed = "recovery_notifies_suppressed"
        case simulatedSeconds = "simulated_seconds"
        case timeline
    }

    /// The timeline and figures as `qfp scenario` prints them.
    public var text: String {
        var out = "qfp scenario \(scenario): \(ScenarioKind(rawValue: scenario)?.summary ?? "")\n"
        out += "crypto config \(cryptoConfig) (invalid-spi-recovery support: \(recoverySupport)), "
            + "crypto isakmp invalid-spi-recovery \(recovery ? "on" : "off"), keepalive \(keepalive ?? "off")\n\n"
        for e in timeline { out += Self.stamp(e.seconds) + "  " + e.text + "\n" }
        out += "\n"
        var rows: [(String, String)] = [
            ("packets sent", "\(packetsSent)"),
            ("packets lost", "\(packetsLost)"),
            ("blackhole", String(format: "%.1f s", blackholeSeconds)),
            ("ended by", endedBy.rawValue),
            ("drop 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", "\(invalidSPIDrops)"),
            ("%CRYPTO-4-RECVD_PKT_INV_SPI logged", "\(invalidSPIMessages)"),
            ("DELETE/INVALID_SPI notifies sent", "\(recoveryNotifiesSent) (\(recoveryNotifiesSuppressed) suppressed by the limiter)"),
            ("virtual time", String(format: "%.1f s", simulatedSeconds)),
        ]
        // Real transforms: the keys both sides derived must agree.
        let keyed: [(String, String)] = transform == "esp-null" && childSAProposalsRefused == 0 ? [] : [
            ("transform set TS", transform),
            ("drop 62 IN_CD_SW_IPSEC_MAC_EXCEPTION", "\(integrityFailures)"),
            ("ICV failures at the peer", "\(peerICVFailures)"),
            ("child SAs refused (no transform)", "\(childSAProposalsRefused)"),
        ]
        rows.insert(contentsOf: keyed, at: rows.count - 1)
        for (k, v) in rows { out += k.padding(toLength: 38, withPad: " ", startingAt: 0) + v + "\n" }
        return out
    }

    static func stamp(_ s: Double) -> String {
        let text = String(format: "%.3f", s)
        return String(repeating: " ", count: max(0, 9 - text.count)) + "t=" + text
    }
}

/// Runs scenarios on a virtual clock against the real data plane (a `ManualPipeline`), the
/// router's control plane and one emulated peer.
public enum ScenarioRunner {
    public static func run(_ options: ScenarioOptions) throws -> ScenarioResult {
        try runCapturing(options).result
    }

    /// Runs the scenario and returns, beside the result, every IKE message that crossed the
    /// emulated network (the router's DELETE, INVALID_SPI and DPD messages, the peer's DPD
    /// answers) as a pcap tshark decodes.
    public static func runCapturing(_ options: ScenarioOptions) throws -> (result: ScenarioResult, ikeCapture: IKECaptureWriter) {
        let world = try ScenarioWorld(options)
        let result = try world.run()
        return (result, world.ikeCapture)
    }
}
