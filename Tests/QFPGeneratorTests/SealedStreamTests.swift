import QFPControl
import QFPDataplane
@testable import QFPGenerator
import Testing

/// Streams on SAs with a real transform: the generator seals each packet with the SA's keys
/// (a QFPCrypto context per SA, made when the stream starts) after writing its SPI and
/// sequence number.
@Suite("Traffic generator: sealed streams")
struct SealedStreamTests {
    /// The default router with map OUTSIDE 10 (site-b, 198.51.100.7) keyed with `transforms`.
    func configuration(_ transforms: String, inbound: String, outbound: String) -> String {
        DefaultConfiguration.text
            .replacingOccurrences(of: "crypto ipsec transform-set TS-NULL esp-null",
                                  with: "crypto ipsec transform-set TS-KEYED \(transforms)\n mode tunnel\ncrypto ipsec transform-set TS-NULL esp-null")
            .replacingOccurrences(of: "set session-key inbound esp 4096 cipher 00", with: "set session-key inbound esp 4096 \(inbound)")
            .replacingOccurrences(of: "set session-key outbound esp 8192 cipher 00", with: "set session-key outbound esp 8192 \(outbound)")
            .replacingOccurrences(of: " set transform-set TS-NULL\n match address SITE-B", with: " set transform-set TS-KEYED\n match address SITE-B")
    }

    @Test("A peer in sync with a manually keyed AES SA seals with its keys: every valid packet decrypts, faults land on their counters",
          arguments: [
            ("esp-gcm 256", "cipher " + String(repeating: "1f", count: 32) + "cafebabe", "cipher " + String(repeating: "2e", count: 36)),
            ("esp-aes 256 esp-sha256-hmac", "cipher " + String(repeating: "2a", count: 32) + " authenticator " + String(repeating: "3b", count: 32),
             "cipher " + String(repeating: "4c", count: 32) + " authenticator " + String(repeating: "5d", count: 32)),
          ])
    func manualKeys(transforms: String, inbound: String, outbound: String) throws {
        let rig = try GeneratorRig(configuration: configuration(transforms, inbound: inbound, outbound: outbound))
        let profile = try ProfileParser.parse("""
            peers: [{name: b, address: 198.51.100.7}]
            streams:
              - {name: s, peer: b, size: imix, rate: 20kpps, count: 10000,
                 faults: {unknown-spi: 2%, replay: 2%, truncated: 1%}}
            """)
        try rig.generator.start(profile)
        rig.run(seconds: 0.8, tick: 200_000)
        let s = try #require(rig.generator.status().streams.first)
        let k = s.kinds
        #expect(s.txPackets == 10_000)
        let c = rig.counters
        #expect(c.packets(.inCdSwIpsecMacException) == 0, "every sealed packet passes the ICV check")
        #expect(s.rxPackets == k["valid"] && (k["valid"] ?? 0) > 9000)
        #expect(c.packets(.inCdSwIpsecAntiReplayFail) == k["replay"])
        #expect(c.packets(.inUsV4PktSaNotFoundSpi) == k["unknown-spi"])
        #expect(c[.offered] == c.accountedFor)
    }

    @Test("Packets sealed with other keys than the router's fail the ICV: drop 62, nothing forwarded")
    func wrongKeys() throws {
        let rig = try GeneratorRig(configuration: configuration(
            "esp-gcm 256", inbound: "cipher " + String(repeating: "1f", count: 36), outbound: "cipher " + String(repeating: "2e", count: 36)))
        var profile = try ProfileParser.parse("""
            peers: [{name: b, address: 198.51.100.7}]
            streams:
              - {name: s, peer: b, size: 200, rate: 10kpps, count: 1000}
            """)
        profile.peers[0].sas = [.keyed(spi: 4096, transform: .aesGCM256, keys: ESPKeys(cipher: [UInt8](repeating: 0x1e, count: 36)))]
        try rig.generator.start(profile)
        rig.run(seconds: 0.2, tick: 200_000)
        let s = try #require(rig.generator.status().streams.first)
        #expect(s.txPackets == 1000 && s.rxPackets == 0)
        #expect(rig.counters.packets(.inCdSwIpsecMacException) == 1000)
    }

    @Test("Sealed templates: the achievable lengths fill whole cipher blocks and carry IV and ICV")
    func lengths() {
        for n in stride(from: 60, through: 1500, by: 7) {
            let gcm = StreamEngine.achievableLength(n, ipv4: true, mode: .tunnel, udp: false, transform: .aesGCM256)
            #expect((gcm - 20 - 8 - 8 - 16) % 4 == 0 && gcm <= max(n, 100))
            let cbc = StreamEngine.achievableLength(n, ipv4: true, mode: .tunnel, udp: false, transform: .aesCBC256SHA256)
            #expect((cbc - 20 - 8 - 16 - 16) % 16 == 0 && cbc <= max(n, 120))
            #expect(StreamEngine.achievableLength(n, ipv4: true, mode: .tunnel, udp: false) == max(n / 4 * 4, 60))
        }
    }
}
