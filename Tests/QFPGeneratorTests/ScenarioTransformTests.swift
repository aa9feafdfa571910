import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// Scenarios with real transforms: the router and the emulated peer each derive the keys of
/// every child SA (first negotiation, rekeys, renegotiations) from the same exchange, so the
/// peer's sealed packets pass the router's ICV check and the router's pass the peer's.
@Suite("Scenarios with negotiated transforms and keys")
struct ScenarioTransformTests {
    func run(_ kind: ScenarioKind, transformSet: String, ikev2: Bool = false,
             configure: (inout ScenarioOptions) -> Void = { _ in }) throws -> ScenarioResult {
        var o = ScenarioOptions(kind: kind)
        o.lifetimeSeconds = 300
        o.maximumSeconds = 700
        o.ikev2 = ikev2
        o.transformSet = transformSet
        configure(&o)
        return try ScenarioRunner.run(o)
    }

    @Test("Rekey race: new keys with every rekey, the peer's packets decrypt, no ICV failure",
          arguments: [("esp-gcm 256", false), ("esp-aes 256 esp-sha256-hmac", false), ("esp-gcm 256", true),
                      ("esp-aes 256 esp-sha256-hmac", true)])
    func rekeyRace(transformSet: String, ikev2: Bool) throws {
        let r = try run(.rekeyRace, transformSet: transformSet, ikev2: ikev2) { $0.packetsPerSecond = 1000 }
        #expect(r.endedBy == .rekeyCompleted, "\(r.text)")
        #expect(r.timeline.contains { $0.text.contains("rekey done, now sends on SPI") }, "\(r.text)")
        #expect(r.integrityFailures == 0 && r.peerICVFailures == 0, "\(r.text)")
        // Only the race's own packets (sent before the router programmed the new SA) are lost.
        #expect(r.packetsLost == r.invalidSPIDrops && r.packetsSent > 100_000, "\(r.text)")
        #expect(r.text.contains("drop 62 IN_CD_SW_IPSEC_MAC_EXCEPTION  0\n"), "\(r.text)")
    }

    @Test("Dead peer: the router initiates, encrypts towards the peer with the derived keys, and the peer verifies them")
    func deadPeer() throws {
        let r = try run(.deadPeer, transformSet: "esp-aes 256 esp-sha256-hmac") { $0.keepalive = "10 2 periodic" }
        #expect(r.endedBy == .dpd, "\(r.text)")
        #expect(r.peerICVFailures == 0 && r.integrityFailures == 0, "\(r.text)")
        #expect(r.packetsSent > r.packetsLost && r.packetsLost > 0, "\(r.text)")
    }

    @Test("A peer that proposes only a transform the router does not accept never gets a child SA: phase 2 fails, visibly")
    func mismatch() throws {
        let r = try run(.peerReload, transformSet: "esp-gcm 256") {
            $0.peerProposals = [.aesCBC128SHA1]
            $0.maximumSeconds = 200
        }
        #expect(r.childSAProposalsRefused >= 2, "the peer retries\n\(r.text)")
        #expect(r.timeline.contains { $0.text.contains("phase 2 refused: no transform in common with the router") }, "\(r.text)")
        #expect(r.timeline.contains { $0.text.contains("%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at 198.51.100.7") },
                "\(r.text)")
        #expect(r.text.contains("child SAs refused (no transform)"))
    }
}
