import Foundation
@testable import QFPCLI
import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// A peer that always answers, for driving the router's IKE model from CLI tests.
final class AnsweringPeer: IKEPeerEndpoint, @unchecked Sendable {
    var delivered: [IKEMessage] = []
    var routerInbound: UInt32?
    func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool { true }
    func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64) { delivered.append(datagram.message) }
    func established(peer: IPAddress, ike: IKESA?, routerInboundSPI: UInt32?, peerInboundSPI: UInt32?,
                     purpose: NegotiationPurpose, usableAt: UInt64) {
        if let routerInboundSPI { routerInbound = routerInboundSPI }
    }
}

@Suite("IKE show commands: isakmp SAs, the blackhole detector, clear")
struct IKECommandTests {
    let router = RecoveryMatrixConfigurations.routerAddress
    let peer = RecoveryMatrixConfigurations.peerAddress

    func run(_ r: TestRouter, seconds: Int) {
        for _ in 0..<(seconds * 10) {
            r.clock.advance(by: .milliseconds(100))
            r.pipeline.setTime(r.clock.now())
            r.controlPlane.serviceDataplane()
            r.settle()
        }
    }

    @Test("show crypto isakmp sa lists the negotiated IKE SA; clear crypto isakmp removes it")
    func isakmp() throws {
        let r = try TestRouter(configuration: RecoveryMatrixConfigurations.text(.staticMap, recovery: false))
        let endpoint = AnsweringPeer()
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0001)
        run(r, seconds: 1)
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        let out = session.execute("show crypto isakmp sa").output
        #expect(out.contains("192.0.2.1       198.51.100.7    QM_IDLE"), "\(out)")
        let ipsec = session.execute("show crypto ipsec sa").output
        #expect(ipsec.contains("current outbound spi: 0x70000001(1879048193)"), "\(ipsec)")
        let crypto = session.execute("show crypto session").output
        #expect(crypto.contains("Session status: UP-ACTIVE"), "\(crypto)")
        #expect(crypto.contains("  IKEv1 SA: local 192.0.2.1/500 remote 198.51.100.7/500 Active"), "\(crypto)")
        #expect(!session.execute("clear crypto isakmp").failed)
        run(r, seconds: 1)
        #expect(!session.execute("show crypto isakmp sa").output.contains("QM_IDLE"))
        #expect(session.execute("show crypto session").output.contains("Session status: UP-NO-IKE"))
        #expect(endpoint.delivered.last?.body == .deleteIKE)
    }

    @Test("show crypto isakmp sa detail: the legend, the row in the capture's columns with the policy's transforms, DPD's D, the remaining lifetime; Genie's layout")
    func isakmpDetail() throws {
        let text = RecoveryMatrixConfigurations.text(.staticMap, recovery: false, keepalive: "10 2 periodic")
            .replacingOccurrences(of: " hash sha256\n", with: " hash sha\n")
            .replacingOccurrences(of: " group 14\n", with: " group 16\n lifetime 3600\n")
        let r = try TestRouter(configuration: text)
        let endpoint = AnsweringPeer()   // held here: the IKE model keeps its peers weakly
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0007)
        run(r, seconds: 3)
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        let out = session.execute("show crypto isakmp sa detail").output
        let row = try #require(out.split(separator: "\n").first { $0.hasPrefix("1001 ") }, "\(out)")
        // The remaining lifetime moves with the clock; everything else is fixed.
        #expect(row.hasPrefix("1001  192.0.2.1       198.51.100.7           ACTIVE aes  sha    psk  16 00:59:5"), "\(row)")
        #expect(row.hasSuffix(" D  ") && row.count == "1001  192.0.2.1       198.51.100.7           ACTIVE aes  sha    psk  16 00:59:57 D  ".count)
        let remaining = try #require(r.controlPlane.ike.snapshot.isakmp.first?.detail?.lifetimeRemainingSeconds)
        #expect(remaining >= 3595 && remaining < 3600)
        #expect(out == ShowCryptoISAKMPSA.codes + """
            IPv4 Crypto ISAKMP SA

            C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.

            \(row)
                   Engine-id:Conn-id =  SW:1

            IPv6 Crypto ISAKMP SA


            """)
        #expect(out.hasPrefix("Codes: C - IKE configuration mode, D - Dead Peer Detection\n       K - Keepalives, N - NAT-traversal\n"))
        #expect(session.execute("sh cry isa sa det").output == out)
        withExtendedLifetime(endpoint) {}
    }

    @Test("clear crypto session remote: the peer's IPsec and IKE SAs go with their DELETEs; another peer's address clears nothing")
    func clearSession() throws {
        let r = try TestRouter(configuration: RecoveryMatrixConfigurations.text(.staticMap, recovery: false))
        let endpoint = AnsweringPeer()
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0005)
        run(r, seconds: 1)
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(session.execute("show crypto session").output.contains("Session status: UP-ACTIVE"))
        let sent = endpoint.delivered.count
        #expect(!session.execute("clear crypto session remote 203.0.113.99").failed)
        run(r, seconds: 1)
        #expect(session.execute("show crypto session").output.contains("Session status: UP-ACTIVE"), "another peer: nothing cleared")
        #expect(endpoint.delivered.count == sent)
        #expect(!session.execute("clear crypto session remote 198.51.100.7").failed)
        run(r, seconds: 1)
        #expect(!session.execute("show crypto isakmp sa").output.contains("QM_IDLE"))
        #expect(!session.execute("show crypto ipsec sa").output.contains("current outbound spi: 0x70000005"))
        let bodies = endpoint.delivered.dropFirst(sent).map(\.body)
        #expect(bodies.contains(.deleteIKE) && bodies.count >= 2, "a DELETE for the IPsec SA and one for the IKE SA: \(bodies)")
        #expect(session.execute("clear crypto session remote 300.1.1.1").failed)
    }

    @Test("A dynamic crypto map's peer, known only through IKE, is listed by show crypto ipsec sa")
    func dynamicPeer() throws {
        let r = try TestRouter(configuration: RecoveryMatrixConfigurations.text(.dynamicMap, recovery: false))
        let endpoint = AnsweringPeer()
        r.controlPlane.ike.peers = endpoint
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        #expect(!session.execute("show crypto ipsec sa").output.contains("current_peer 198.51.100.7"))
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev1, createsIKESA: true, peerInboundSPI: 0x7000_0003)
        run(r, seconds: 1)
        let out = session.execute("show crypto ipsec sa").output
        #expect(out.contains("interface: GigabitEthernet1\n    Crypto map tag: OUTSIDE, local addr 192.0.2.1"), "\(out)")
        #expect(out.contains("   current_peer 198.51.100.7 port 500"), "\(out)")
        #expect(out.contains("     current outbound spi: 0x70000003(1879048195)"), "\(out)")
        let inbound = try #require(endpoint.routerInbound)
        #expect(out.contains("      spi: 0x\(String(inbound, radix: 16, uppercase: true))(\(inbound))"), "\(out)")
    }

    @Test("show crypto ikev2 sa lists an IKEv2 SA negotiated with a peer an ikev2 profile matches: READY")
    func ikev2() throws {
        let text = RecoveryMatrixConfigurations.text(.staticMap, recovery: false).replacingOccurrences(
            of: "crypto ipsec transform-set TS", with: """
            crypto ikev2 profile IKEV2
             match identity remote address 198.51.100.7 255.255.255.255
             authentication remote pre-share
             authentication local pre-share
             dpd 10 3 periodic
            !
            crypto ipsec transform-set TS
            """)
        let r = try TestRouter(configuration: text)
        let endpoint = AnsweringPeer()   // the manager holds its peers weakly
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev2, createsIKESA: true, peerInboundSPI: 0x7000_0002)
        run(r, seconds: 1)
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        let out = session.execute("show crypto ikev2 sa").output
        #expect(out.contains("192.0.2.1/500         198.51.100.7/500      none/none            READY"), "\(out)")
        #expect(session.execute("show crypto isakmp sa").output.contains("IPv4 Crypto ISAKMP SA") && !session.execute("show crypto isakmp sa").output.contains("QM_IDLE"))
        let detail = session.execute("show crypto ikev2 sa detail").output
        #expect(detail.contains("DPD configured for 10 seconds, retry 3"), "\(detail)")
        // No IKEv2 policy: qfp's default transforms.
        #expect(out.contains("      Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14,"), "\(out)")
        withExtendedLifetime(endpoint) {}
    }

    @Test("show crypto ikev2 sa prints the transforms of the IKEv2 policy's proposal matching the local address",
          arguments: [("aes-gcm-256", "sha512", "", "19", "Encr: AES-GCM, keysize: 256, PRF: SHA512, Hash: None, DH Grp:19,"),
                      ("aes-cbc-128 aes-cbc-256", "sha1", " integrity sha1\n", "16", "Encr: AES-CBC, keysize: 128, PRF: SHA1, Hash: SHA96, DH Grp:16,")])
    func ikev2Proposal(encryption: String, prf: String, integrity: String, group: String, expected: String) throws {
        let text = RecoveryMatrixConfigurations.text(.staticMap, recovery: false).replacingOccurrences(
            of: "crypto ipsec transform-set TS", with: """
            crypto ikev2 proposal OTHER
             encryption 3des
             integrity md5
             group 2
            !
            crypto ikev2 proposal PROP
             encryption \(encryption)
            \(integrity) prf \(prf)
             group \(group)
            !
            crypto ikev2 policy ELSEWHERE
             proposal OTHER
             match address local 192.0.2.99
            !
            crypto ikev2 policy POL
             proposal PROP
             match address local 192.0.2.1
            !
            crypto ikev2 profile IKEV2
             match identity remote address 198.51.100.7 255.255.255.255
             authentication remote pre-share
             authentication local pre-share
            !
            crypto ipsec transform-set TS
            """)
        let r = try TestRouter(configuration: text)
        let endpoint = AnsweringPeer()
        r.controlPlane.ike.peers = endpoint
        r.controlPlane.ike.peerInitiates(from: peer, to: router, version: .ikev2, createsIKESA: true, peerInboundSPI: 0x7000_0002)
        run(r, seconds: 1)
        let out = CLISession(controlPlane: r.controlPlane, interactive: false).execute("show crypto ikev2 sa").output
        #expect(out.contains("      " + expected), "\(out)")
        withExtendedLifetime(endpoint) {}
    }

    @Test("show qfp invalid-spi: a recurring invalid SPI is listed with its cause and remedy; the counters add up")
    func blackholeDetector() throws {
        let r = try TestRouter(configuration: RecoveryMatrixConfigurations.text(.dynamicMap, recovery: true))
        let session = CLISession(controlPlane: r.controlPlane, interactive: false)
        for _ in 0..<8 {
            r.esp(from: peer, to: router, spi: 0x3EA7_1AED, count: 5, length: 100)
            run(r, seconds: 10)
        }
        let out = session.execute("show qfp invalid-spi").output
        #expect(out.hasPrefix("Invalid SPI flows recurring for more than one rate-limit interval (60 s): 1\n"), "\(out)")
        #expect(out.contains("198.51.100.7    192.0.2.1       0x3EA71AED(1051138797)"))
        #expect(out.contains("dynamic-map        no\n"))
        #expect(out.contains("  Cause:  SAs out of sync with no IKE SA; invalid-SPI recovery cannot reach a dynamic crypto map peer"))
        #expect(out.contains("Invalid SPI punts: 40, ignored (no IKE SA): 40"))
        let json = session.execute("show qfp invalid-spi | json")
        #expect(!json.failed && json.output.contains("\"spi\" : 1051138797"), "\(json.output)")
        // Abbreviated, as IOS users type it.
        #expect(session.execute("sh qfp inv").output == out)
    }
}
