import Foundation
@testable import QFPCLI
import QFPControl
import QFPCrypto
import QFPDataplane
import QFPGenerator
import Testing

/// A peer that derives its keys from the exchange on its own side (its pre-shared key, the
/// IKE SA it was given) and proposes a chosen list of transforms.
final class KeyedPeer: IKEPeerEndpoint, @unchecked Sendable {
    let preSharedKey: [UInt8]
    var offers: [ESPTransform]?
    var ike: IKESA?
    var derivationKey: [UInt8] = []
    var children: [NegotiatedChildSA] = []
    var refused = 0

    init(preSharedKey: String, offers: [ESPTransform]? = nil) {
        self.preSharedKey = Array(preSharedKey.utf8)
        self.offers = offers
    }

    func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool { true }
    func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64) {}
    func proposals(for peer: IPAddress) -> [ESPTransform]? { offers }
    func established(peer: IPAddress, ike: IKESA?, child: NegotiatedChildSA?, purpose: NegotiationPurpose, usableAt: UInt64) {
        if let ike {
            self.ike = ike.mirrored
            derivationKey = ike.mirrored.derivationKey(preSharedKey: preSharedKey)
        }
        if let child { children.append(child) } else { refused += 1 }
    }

    /// The keys of its latest child SA, derived on the peer's side.
    var keys: (routerInbound: ESPKeys, routerOutbound: ESPKeys) { children.last!.keys(derivationKey: derivationKey) }
}

@Suite("IKE-negotiated SAs with the configured transform and derived keys")
struct IKEKeyedSATests {
    let router = RecoveryMatrixConfigurations.routerAddress
    let peer = RecoveryMatrixConfigurations.peerAddress
    let inner = PacketBuilder.clear(source: IPAddress("10.2.0.5")!, destination: IPAddress("10.1.0.5")!, payloadLength: 64)

    func run(_ r: TestRouter, seconds: Int) {
        for _ in 0..<(seconds * 10) {
            r.clock.advance(by: .milliseconds(100))
            r.pipeline.setTime(r.clock.now())
            r.controlPlane.serviceDataplane()
            r.settle()
        }
    }

    func router(_ transformSet: String, ikev2: Bool) throws -> TestRouter {
        var text = RecoveryMatrixConfigurations.text(.staticMap, recovery: false, transformSet: transformSet)
        if ikev2 {
            text = text.replacingOccurrences(of: "crypto ipsec transform-set TS", with: """
                crypto ikev2 profile IKEV2
                 match identity remote address 198.51.100.7 255.255.255.255
                 authentication remote pre-share
                 authentication local pre-share
                !
                crypto ipsec transform-set TS
                """)
        }
        return try TestRouter(configuration: text)
    }

    /// Sends `count` packets from the peer sealed with `keys` on `spi`; returns how many the
    /// router forwarded in clear to the inside.
    func send(_ r: TestRouter, spi: UInt32, from sequence: UInt32, count: Int, transform: ESPTransform, keys: ESPKeys) throws -> Int {
        for k in 0..<UInt32(count) {
            let packet = try PacketBuilder.protectedESP(source: peer, destination: router, spi: spi, sequence: sequence + k,
                                                        inner: inner, transform: transform, keys: keys)
            _ = r.pipeline.inject(packet, inputInterface: 1)
        }
        _ = r.pipeline.drain()
        var forwarded = 0
        for w in 0..<r.pipeline.workers.count {
            forwarded += r.pipeline.takeTransmitted(worker: w).filter { $0.count == inner.count && $0[9] == 17 && Array($0[16..<20]) == [10, 1, 0, 5] }.count
        }
        return forwarded
    }

    /// Clear traffic from the inside the router encrypts towards the peer; returns the ESP
    /// packets and whether the peer's keys verify (and, for GCM, decrypt) each of them.
    func receive(_ r: TestRouter, count: Int, transform: ESPTransform, keys: ESPKeys) throws -> [Bool] {
        let clear = PacketBuilder.clear(source: IPAddress("10.1.0.5")!, destination: IPAddress("10.2.0.5")!, payloadLength: 64)
        for _ in 0..<count { _ = r.pipeline.inject(clear, inputInterface: 2) }
        _ = r.pipeline.drain()
        let provider = SwiftCryptoProvider()
        let context = try provider.makeContext(transform: transform, keys: keys)
        defer { provider.releaseContext(context) }
        var results: [Bool] = []
        for w in 0..<r.pipeline.workers.count {
            for var packet in r.pipeline.takeTransmitted(worker: w) where packet[9] == 50 {
                results.append(packet.withUnsafeMutableBytes { context.verify(packet: $0.baseAddress!, espStart: 20, end: $0.count) })
            }
        }
        return results
    }

    func macDrops(_ r: TestRouter) -> UInt64 { r.pipeline.statistics.totals().packets(.inCdSwIpsecMacException) }

    @Test("The configured transform is negotiated, both sides derive the same keys, traffic flows both ways, and after a rekey too",
          arguments: [("esp-gcm 256", ESPTransform.aesGCM256, "esp-gcm 256", false),
                      ("esp-aes 256 esp-sha256-hmac", .aesCBC256SHA256, "esp-256-aes esp-sha256-hmac", false),
                      ("esp-gcm 256", .aesGCM256, "esp-gcm 256", true),
                      ("esp-aes 256 esp-sha256-hmac", .aesCBC256SHA256, "esp-256-aes esp-sha256-hmac", true)])
    func negotiatedTransform(set: String, transform: ESPTransform, shown: String, ikev2: Bool) throws {
        let r = try router(set, ikev2: ikev2)
        let endpoint = KeyedPeer(preSharedKey: RecoveryMatrixConfigurations.preSharedKey)
        r.controlPlane.ike.peers = endpoint
        let version: IKEMessage.Version = ikev2 ? .ikev2 : .ikev1
        #expect(r.controlPlane.ike.peerInitiates(from: peer, to: router, version: version, createsIKESA: true, peerInboundSPI: 0x7000_0001))
        run(r, seconds: 1)
        let first = try #require(endpoint.children.last)
        #expect(first.transform == transform)
        let keys = endpoint.keys
        #expect(try send(r, spi: first.peerSendsWith, from: 1, count: 20, transform: transform, keys: keys.routerInbound) == 20)
        #expect(macDrops(r) == 0)
        let out = try receive(r, count: 5, transform: transform, keys: keys.routerOutbound)
        #expect(out == [Bool](repeating: true, count: 5))
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        let sa = session.execute("show crypto ipsec sa").output
        #expect(sa.contains("        transform: \(shown) ,\n"), "\(sa)")
        #expect(sa.contains("#pkts decaps: 20,") && sa.contains("#pkts encaps: 5,"), "\(sa)")

        // A child SA rekey over the IKE SA: new nonces, new SPIs, new keys.
        #expect(r.controlPlane.ike.peerInitiates(from: peer, to: router, version: version, createsIKESA: false,
                                                 peerInboundSPI: 0x7000_0002, purpose: .rekey))
        run(r, seconds: 1)
        #expect(endpoint.children.count == 2)
        let rekeyed = endpoint.keys
        #expect(rekeyed.routerInbound != keys.routerInbound && rekeyed.routerOutbound != keys.routerOutbound)
        let second = endpoint.children[1]
        #expect(try send(r, spi: second.peerSendsWith, from: 1, count: 20, transform: transform, keys: rekeyed.routerInbound) == 20)
        #expect(try receive(r, count: 3, transform: transform, keys: rekeyed.routerOutbound) == [true, true, true])
        #expect(macDrops(r) == 0)
        // The old keys on the new SA fail the ICV: the keys really are what protects the SA.
        #expect(try send(r, spi: second.peerSendsWith, from: 21, count: 1, transform: transform, keys: keys.routerInbound) == 0)
        #expect(macDrops(r) == 1)
    }

    @Test("A peer with a different pre-shared key derives other keys: its packets fail the ICV (drop 62)")
    func wrongKey() throws {
        let r = try router("esp-gcm 256", ikev2: false)
        let endpoint = KeyedPeer(preSharedKey: "not-cisco123")
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0001)
        run(r, seconds: 1)
        let child = try #require(endpoint.children.last)
        #expect(try send(r, spi: child.peerSendsWith, from: 1, count: 4, transform: .aesGCM256, keys: endpoint.keys.routerInbound) == 0)
        #expect(macDrops(r) == 4)
    }

    @Test("ESP-NULL transform sets still negotiate ESP-NULL")
    func null() throws {
        let r = try router("esp-null", ikev2: false)
        let endpoint = KeyedPeer(preSharedKey: RecoveryMatrixConfigurations.preSharedKey)
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0001)
        run(r, seconds: 1)
        #expect(endpoint.children.last?.transform == .null)
        let sa = CLISession(controlPlane: r.controlPlane, interactive: false).execute("show crypto ipsec sa").output
        #expect(sa.contains("        transform: esp-null ,\n"), "\(sa)")
    }

    @Test("The peer's proposal picks among the router's transform sets; none in common fails phase 2 visibly",
          arguments: [false, true])
    func proposals(ikev2: Bool) throws {
        var text = RecoveryMatrixConfigurations.text(.staticMap, recovery: false, transformSet: "esp-aes 256 esp-sha256-hmac")
        text = text.replacingOccurrences(of: "crypto ipsec profile PROF", with: """
            crypto ipsec transform-set TS-GCM esp-gcm 128
             mode tunnel
            crypto ipsec profile PROF
            """).replacingOccurrences(of: " set transform-set TS\n match address 110", with: " set transform-set TS TS-GCM\n match address 110")
        if ikev2 {
            text = text.replacingOccurrences(of: "crypto ipsec transform-set TS ", with: """
                crypto ikev2 profile IKEV2
                 match identity remote address 198.51.100.7 255.255.255.255
                !
                crypto ipsec transform-set TS\u{20}
                """)
        }
        let version: IKEMessage.Version = ikev2 ? .ikev2 : .ikev1
        // A peer that prefers GCM-128 gets the router's second set.
        let r = try TestRouter(configuration: text)
        let agreeing = KeyedPeer(preSharedKey: RecoveryMatrixConfigurations.preSharedKey, offers: [.aesGCM128, .aesCBC256SHA256])
        r.controlPlane.ike.peers = agreeing
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: version, createsIKESA: true, peerInboundSPI: 0x7000_0001)
        run(r, seconds: 1)
        #expect(agreeing.children.last?.transform == .aesGCM128)
        let shown = CLISession(controlPlane: r.controlPlane, interactive: false).execute("show crypto ipsec sa").output
        #expect(shown.contains("        transform: esp-gcm 128 ,\n"), "\(shown)")

        // A peer with only AES-CBC-128/SHA1: no common transform.
        let refusing = try TestRouter(configuration: text)
        refusing.controlPlane.syslog.setDebug(.cryptoISAKMP, true)
        let other = KeyedPeer(preSharedKey: RecoveryMatrixConfigurations.preSharedKey, offers: [.aesCBC128SHA1])
        refusing.controlPlane.ike.peers = other
        refusing.controlPlane.ike.peerInitiates(from: peer, to: router, version: version, createsIKESA: true, peerInboundSPI: 0x7000_0001)
        run(refusing, seconds: 1)
        #expect(other.children.isEmpty && other.refused == 1)
        #expect(refusing.controlPlane.ike.currentCounters.childSAProposalsRefused == 1)
        let session = CLISession(controlPlane: refusing.controlPlane, interactive: false)
        let log = session.execute("show logging").output
        if ikev2 {
            #expect(log.contains("Sending NO_PROPOSAL_CHOSEN notify; no child SA with 198.51.100.7: no common transform: "
                + "router {esp-aes 256 esp-sha256-hmac, esp-gcm 128}, peer {esp-aes 128 esp-sha-hmac}"), "\(log)")
            #expect(session.execute("show crypto ikev2 sa").output.contains("READY"))
        } else {
            #expect(log.contains("ISAKMP: (1001):phase 2 SA policy not acceptable! (local 192.0.2.1 remote 198.51.100.7)"), "\(log)")
            #expect(log.contains("%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at 198.51.100.7"), "\(log)")
            // Phase 1 stays up; there is no IPsec SA.
            #expect(session.execute("show crypto isakmp sa").output.contains("QM_IDLE"))
        }
        #expect(session.execute("show crypto ipsec sa").output.contains("current outbound spi: 0x0(0)"))
    }
}
