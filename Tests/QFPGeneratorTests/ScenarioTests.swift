import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// The scenarios on the virtual clock: the real data plane, the router's control plane and an
/// emulated peer. Lifetimes are shortened to 300 s so every outcome arrives within seconds.
@Suite("Scenarios: SA desynchronisation and what ends it")
struct ScenarioTests {
    func run(_ kind: ScenarioKind, _ type: CryptoConfigType = .staticMap, recovery: Bool = false, keepalive: String? = nil,
             ikev2: Bool = false, configure: (inout ScenarioOptions) -> Void = { _ in }) throws -> ScenarioResult {
        var o = ScenarioOptions(kind: kind)
        o.cryptoConfig = type
        o.recovery = recovery
        if let keepalive { o.keepalive = keepalive == "off" ? nil : keepalive }
        o.lifetimeSeconds = 300
        o.maximumSeconds = 700
        o.ikev2 = ikev2
        configure(&o)
        return try ScenarioRunner.run(o)
    }

    /// Invalid-SPI recovery over every crypto configuration type, on and off, without an IKE SA
    /// (the router reloaded): recovery ends the blackhole exactly where the support matrix says
    /// yes and the command is on; everywhere else the peer's SA lifetime does.
    @Test("Recovery matrix without an IKE SA (peer-reload)", arguments: CryptoConfigType.allCases)
    func matrixWithoutIKESA(type: CryptoConfigType) throws {
        for recovery in [false, true] {
            let r = try run(.peerReload, type, recovery: recovery)
            let expected: BlackholeEnd = recovery && type.recoverySupport == .yes ? .recovery : .lifetimeExpiry
            #expect(r.endedBy == expected, "\(type.rawValue) recovery \(recovery): \(r.endedBy)\n\(r.text)")
            #expect(r.packetsLost > 0 && r.invalidSPIDrops > 0)
            if expected == .recovery {
                #expect(r.blackholeSeconds < 2, "\(r.text)")
                #expect(r.recoveryNotifiesSent >= 1)
                #expect(r.timeline.contains { $0.text.contains("DELETE for SPI") || $0.text.contains("INVALID_SPI notify") })
            } else {
                // Blackholed until the peer's SA ends, 40 s before the 300-s lifetime at most.
                #expect(r.blackholeSeconds > 200, "\(r.text)")
                #expect(r.recoveryNotifiesSent == 0)
            }
        }
    }

    /// With an IKE SA to the sender, IOS always sends the DELETE, whatever the configuration
    /// type and whether recovery is on.
    @Test("Recovery matrix with an IKE SA (missed DELETE)", arguments: CryptoConfigType.allCases)
    func matrixWithIKESA(type: CryptoConfigType) throws {
        for recovery in [false, true] {
            let r = try run(.missedDelete, type, recovery: recovery)
            #expect(r.endedBy == .recovery, "\(type.rawValue) recovery \(recovery)\n\(r.text)")
            #expect(r.recoveryNotifiesSent >= 1 && r.blackholeSeconds < 2)
        }
    }

    @Test("IKEv2: recovery sends an INVALID_SPI notify; the peer drops its SA and renegotiates")
    func ikev2Recovery() throws {
        let r = try run(.missedDelete, ikev2: true)
        #expect(r.endedBy == .recovery)
        #expect(r.timeline.contains { $0.text.contains("INVALID_SPI notify for SPI") }, "\(r.text)")
        let reload = try run(.peerReload, recovery: true, ikev2: true)
        #expect(reload.endedBy == .recovery, "\(reload.text)")
    }

    @Test("Rekey race: the peer uses the new SPI before the router programmed it; transient drops, one log message, no DELETE")
    func rekeyRace() throws {
        let r = try run(.rekeyRace) { $0.packetsPerSecond = 1000 }
        #expect(r.endedBy == .rekeyCompleted, "\(r.text)")
        // 50 ms of QFP programming at 1000 pps: about 50 packets, all counted as drop 4.
        #expect(r.invalidSPIDrops >= 40 && r.invalidSPIDrops <= 60, "\(r.invalidSPIDrops)")
        #expect(r.packetsLost == r.invalidSPIDrops)
        #expect(r.invalidSPIMessages == 1, "the log samples one message per minute\n\(r.text)")
        #expect(r.recoveryNotifiesSent == 0, "a DELETE would kill the new SA")
        #expect(r.blackholeSeconds <= 0.2)
    }

    @Test("Dead peer: DPD deletes the stale SAs and the router renegotiates; without DPD the blackhole never ends")
    func deadPeer() throws {
        let periodic = try run(.deadPeer, keepalive: "10 2 periodic")
        #expect(periodic.endedBy == .dpd, "\(periodic.text)")
        // Down at 10 s, back at 40 s; DPD: idle 10 s, then 5 retries 2 s apart, then delete.
        #expect(periodic.blackholeSeconds > 30 && periodic.blackholeSeconds < 60, "\(periodic.text)")
        let onDemand = try run(.deadPeer, keepalive: "10 2")
        #expect(onDemand.endedBy == .dpd, "\(onDemand.text)")
        let none = try run(.deadPeer, keepalive: "off")
        #expect(none.endedBy == .never, "\(none.text)")
    }

    @Test("A lossy IKE network still converges: messages are retransmitted")
    func lossyNetwork() throws {
        let r = try run(.peerReload, recovery: true) { o in
            o.network.lossRate = 0.3
            o.network.seed = 7
        }
        #expect(r.endedBy == .recovery, "\(r.text)")
    }

    @Test("Scenario results encode the documented JSON keys")
    func json() throws {
        let r = try run(.missedDelete)
        let data = try JSONEncoderShim.encode(r)
        for key in ["packets_lost", "blackhole_seconds", "ended_by", "timeline", "crypto_config"] {
            #expect(data.contains("\"\(key)\""), "\(key)")
        }
    }
}

import Foundation

enum JSONEncoderShim {
    static func encode<T: Encodable>(_ v: T) throws -> String {
        String(decoding: try JSONEncoder().encode(v), as: UTF8.self)
    }
}
