@testable import QFPCLI
import QFPControl
import Testing

/// `show crypto session [detail]` against device captures, in both whitespace dialects.
@Suite("show crypto session against device captures")
struct RenderCryptoSessionTests {
    typealias Session = CryptoSessionSnapshot

    static func flow(_ text: String, _ inbound: Session.FlowDirection = .init(packets: 0, remainingKilobytes: nil, remainingSeconds: 0),
                     _ outbound: Session.FlowDirection = .init(packets: 0, remainingKilobytes: nil, remainingSeconds: 0)) -> Session.IPsecFlow {
        Session.IPsecFlow(text: text, activeSAs: 2, inbound: inbound, outbound: outbound)
    }

    @Test("IKEv1, padded dialect (crypto_session/01)")
    func ikev1() throws {
        let session = Session(
            interface: "Tunnel13", peer: "11.0.1.1", phase1ID: "11.0.1.1", sessionID: 0,
            ikeSAs: [.init(version: 1, localAddress: "11.0.1.2", remoteAddress: "11.0.1.1", connectionID: 1, remainingSeconds: 0)],
            ipsecFlows: [Self.flow("permit 47 host 11.0.1.2 host 11.0.1.1")])
        let rendered = ShowCryptoSession.render(.init(sessions: [session]), layout: .padded)
        #expect(trimmedEnd(rendered) == (try golden("crypto_session_ikev1.txt")))
        #expect(rendered.hasSuffix("origin: crypto map\n\n"))
    }

    @Test("IKEv2 with profile, compact dialect (crypto_session/02)")
    func ikev2() throws {
        let session = Session(
            interface: "Tunnel0", profile: "polaris-test", peer: "1.1.1.1", phase1ID: "polaris-test.polaris-test", sessionID: 3,
            ikeSAs: [.init(version: 2, localAddress: "2.2.2.2", remoteAddress: "1.1.1.1", connectionID: 1, remainingSeconds: 0)],
            ipsecFlows: [Self.flow("permit 47 host 2.2.2.2 host 1.1.1.1")])
        #expect(trimmedEnd(ShowCryptoSession.render(.init(sessions: [session]))) == (try golden("crypto_session_ikev2.txt")))
    }

    @Test("IKEv2 over IPv6 with SD-WAN system IP, padded dialect (crypto_session/03)")
    func ikev2IPv6() throws {
        let session = Session(
            interface: "Tunnel1", profile: "CLIV6-IKEV2-PROFILE", peer: "2001:DB8:ACAD:1::2", phase1ID: "",
            systemIP: "13.13.13.11", systemInterface: "Tu1", sessionID: 15,
            ikeSAs: [.init(version: 2, localAddress: "2001:DB8:ACAD:1::1", remoteAddress: "2001:DB8:ACAD:1::2", connectionID: 1, remainingSeconds: 0)],
            ipsecFlows: [Self.flow("permit ipv6 ::/0 ::/0")])
        let rendered = ShowCryptoSession.render(.init(sessions: [session]), layout: .padded)
        #expect(trimmedEnd(rendered) == (try golden("crypto_session_ikev2_ipv6.txt")))
    }

    @Test("detail, IKEv1, volume rekey disabled, padded dialect (crypto_session_detail/01)")
    func detailIKEv1() throws {
        let direction = { (packets: UInt64) in Session.FlowDirection(packets: packets, remainingKilobytes: nil, remainingSeconds: 3060) }
        let session = Session(
            interface: "Tunnel13", profile: "GS-GRE:ISAKMP", uptimeSeconds: 3 * 86_400 + 18 * 3600 + 1234, peer: "11.0.2.1",
            phase1ID: "11.0.2.1", sessionID: 0,
            ikeSAs: [.init(version: 1, localAddress: "11.0.2.2", remoteAddress: "11.0.2.1", capabilities: "D", connectionID: 1042,
                           remainingSeconds: 5 * 3600 + 50 * 60 + 3)],
            ipsecFlows: [Self.flow("permit 47 host 11.0.2.2 host 11.0.2.1", direction(449_282), direction(772_730))])
        let rendered = ShowCryptoSession.render(.init(sessions: [session]), detail: true, layout: .padded)
        #expect(trimmedEnd(rendered) == (try golden("crypto_session_detail_ikev1.txt")))
    }

    @Test("detail, IKEv2 with VRFs, compact dialect (crypto_session_detail/02)")
    func detailIKEv2VRF() throws {
        let direction = Session.FlowDirection(packets: 0, remainingKilobytes: 4_319_919, remainingSeconds: 1937)
        let session = Session(
            interface: "Tunnel0", profile: "polaris-test", uptimeSeconds: 27 * 60 + 42, peer: "1.1.1.1", fvrf: "myf-vrf",
            ivrf: "myi-vrf", phase1ID: "polaris-test.polaris-test", sessionID: 3,
            ikeSAs: [.init(version: 2, localAddress: "2.2.2.2", remoteAddress: "1.1.1.1", capabilities: "U", connectionID: 1,
                           remainingSeconds: 23 * 3600 + 32 * 60 + 18)],
            ipsecFlows: [Self.flow("permit 47 host 2.2.2.2 host 1.1.1.1", direction, direction)])
        let rendered = ShowCryptoSession.render(.init(sessions: [session]), detail: true)
        #expect(trimmedEnd(rendered) == (try golden("crypto_session_detail_ikev2_vrf.txt")))
    }

    @Test("detail, IKEv2 behind NAT with drops, compact dialect (crypto_session_detail/03)")
    func detailNAT() throws {
        let session = Session(
            interface: "Tunnel11", profile: "IKEV2_PFL_AES_GCM256", uptimeSeconds: 11 * 3600 + 12 * 60 + 24, peer: "21.16.95.23",
            peerPort: 4500, fvrf: "INET", phase1ID: "10.25.20.2", sessionID: 70,
            ikeSAs: [.init(version: 2, localAddress: "18.81.19.19", localPort: 4500, remoteAddress: "21.61.95.23", remotePort: 4500,
                           capabilities: "DN", connectionID: 4, remainingSeconds: 12 * 3600 + 47 * 60 + 36)],
            ipsecFlows: [Self.flow(
                "permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0",
                .init(packets: 4_033_155_813, drops: 33920, remainingKilobytes: 4_607_363, remainingSeconds: 2513),
                .init(packets: 1_326_659_675, remainingKilobytes: 4_606_628, remainingSeconds: 2513))])
        let rendered = ShowCryptoSession.render(.init(sessions: [session]), detail: true)
        #expect(trimmedEnd(rendered) == (try golden("crypto_session_detail_ntc_ikev2.txt")))
    }

    @Test("no sessions: the title (and the legend with detail) only; uptime forms")
    func empty() {
        #expect(ShowCryptoSession.render(.init()) == "Crypto session current status\n\n")
        let detail = ShowCryptoSession.render(.init(), detail: true)
        #expect(detail.hasPrefix("Crypto session current status\n\nCode: C - IKE Configuration mode, D - Dead Peer Detection    \n"))
        #expect(detail.hasSuffix("S - SIP VPN\n\n"))
        #expect(IOSText.shortUptime(0) == "00:00:00")
        #expect(IOSText.shortUptime(86_400 + 5 * 3600) == "1d05h")
        #expect(IOSText.shortUptime(9 * 86_400) == "1w2d")
    }
}
