import QFPControl
import QFPCrypto
import QFPDataplane
import QFPGenerator
import Testing

@Suite("Router: manual SAs with real ESP transforms")
struct RouterCryptoTests {
    let peer = IPAddress("198.51.100.9")!
    let router = IPAddress("192.0.2.1")!
    static let gcmKey = String(repeating: "1f", count: 32) + "cafebabe"
    static let cbcKey = String(repeating: "2a", count: 16)
    static let shaKey = String(repeating: "3b", count: 20)

    /// The sample configuration with map VPN 20 using `transforms` and these session keys.
    func configuration(transforms: String, inbound: String, outbound: String) throws -> RouterConfiguration {
        let text = sampleConfiguration
            .replacing("crypto ipsec transform-set TS-NULL esp-null", with: "crypto ipsec transform-set TS-MANUAL \(transforms)")
            .replacing("set transform-set TS-NULL", with: "set transform-set TS-MANUAL")
            .replacing("set session-key inbound esp 4096 cipher 00", with: "set session-key inbound esp 4096 \(inbound)")
            .replacing("set session-key outbound esp 8192 cipher 00", with: "set session-key outbound esp 8192 \(outbound)")
        switch ConfigurationLanguage.shared.load(text, source: "t") {
        case let .success(l): return l.configuration
        case let .failure(f): throw f
        }
    }

    @Test("transform sets map to data-plane transforms; the rest is nil")
    func transformNames() {
        let cases: [([String], ESPTransform?)] = [
            (["esp-null"], .null), (["esp-gcm"], .aesGCM128), (["esp-gcm 256"], .aesGCM256),
            (["esp-aes 256", "esp-sha-hmac"], .aesCBC256SHA1), (["esp-sha256-hmac", "esp-aes"], .aesCBC128SHA256),
            (["esp-aes 192", "esp-sha-hmac"], nil), (["esp-aes"], nil), (["esp-gcm 128", "esp-sha-hmac"], nil),
            (["esp-3des", "esp-md5-hmac"], nil), (["ah-sha-hmac"], nil),
        ]
        for (words, expected) in cases {
            #expect(TransformSet(name: "T", transforms: words).espTransform == expected, "\(words)")
        }
    }

    @Test("esp-gcm 256 and esp-aes 128 esp-sha-hmac session keys: inbound decrypts, outbound encrypts",
          arguments: [("esp-gcm 256", ESPTransform.aesGCM256, "cipher \(gcmKey)"),
                      ("esp-aes esp-sha-hmac", .aesCBC128SHA1, "cipher \(cbcKey) authenticator \(shaKey)")])
    func manualKeys(_ transforms: String, _ transform: ESPTransform, _ key: String) throws {
        var pc = ManualPipeline.smallConfiguration
        pc.transmitRings = true
        let p = try ManualPipeline(pc)
        let r = try Router(pipeline: p.pipeline, clock: VirtualClock(),
                           configuration: try configuration(transforms: transforms, inbound: key, outbound: key))
        p.drain()
        #expect(r.plan.inboundManual.first?.transform == transform)
        let keys = try #require(r.plan.inboundManual.first?.keys)
        // Inbound (transport mode, as TS-MANUAL keeps `mode transport`).
        let udp = PacketBuilder.udpDatagram(sourcePort: 9, destinationPort: 9, payload: [1, 2, 3, 4])
        p.inject(try PacketBuilder.protectedESP(source: peer, destination: router, spi: 4096, sequence: 1, inner: udp,
                                                transform: transform, keys: keys, mode: .transport))
        // Outbound: clear traffic of SITE-C, encrypted with SPI 8192.
        let clear = PacketBuilder.clear(source: IPAddress("10.1.5.5")!, destination: IPAddress("10.3.6.6")!)
        p.inject(clear)
        p.drain()
        let out = (0..<p.workers.count).flatMap { p.takeTransmitted(worker: $0) }
        #expect(out.count == 2)
        #expect(p.statistics.totals()[.decapsulated] == 1)
        #expect(out.contains(PacketBuilder.ip(source: peer, destination: router, protocolNumber: 17, payload: udp)))
        let encrypted = try #require(out.first { $0.count > clear.count })
        // A peer with the same keys decrypts it.
        let receiver = try ManualPipeline(pc)
        receiver.control.setCryptoProvider(SwiftCryptoProvider())
        try receiver.control.installInbound(InboundSAConfig(spi: 8192, destination: IPAddress("10.3.6.6")!, mode: .transport,
                                                            transform: transform, replay: .disabled, keys: keys))
        receiver.drain()
        receiver.inject(encrypted)
        receiver.drain()
        #expect((0..<receiver.workers.count).flatMap { receiver.takeTransmitted(worker: $0) } == [clear])
    }

    @Test("session keys of the wrong length or not hex are refused, naming map, SPI and transform")
    func badKeys() throws {
        let c = try configuration(transforms: "esp-gcm 128", inbound: "cipher 0011",
                               outbound: "cipher " + String(repeating: "ab", count: 20))
        let error = #expect(throws: DataplanePlan.Refusal.self) { try DataplanePlan.plan(c) }
        #expect(error?.message == "% qfp: crypto map VPN 20: session key inbound esp 4096: esp-gcm 128: cipher key "
            + "(AES key + 4-byte salt) is 2 bytes, needs 20 (transform set TS-MANUAL: esp-gcm 128)")
        // The HMAC key is missing.
        let c2 = try configuration(transforms: "esp-aes 256 esp-sha256-hmac", inbound: "cipher \(Self.cbcKey)\(Self.cbcKey)",
                                   outbound: "cipher 00")
        let error2 = #expect(throws: DataplanePlan.Refusal.self) { try DataplanePlan.plan(c2) }
        #expect(error2?.message.contains("session key outbound esp 8192: esp-aes 256 esp-sha256-hmac: cipher key is 1 bytes, needs 32") == true)
    }
}
