import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show crypto isakmp sa` and `show crypto ikev2 sa [detail]` against device captures.
@Suite("show crypto isakmp sa / ikev2 sa against device captures")
struct RenderCryptoIKETests {
    static let ipv4SAs = [
        ISAKMPSASnapshot(destination: "100.0.10.2", source: "100.13.220.2", state: .qmIdle, connectionID: 29609),
        ISAKMPSASnapshot(destination: "100.0.10.2", source: "100.12.82.2", state: .mmNoState, connectionID: 29188, status: .activeDeleted),
        ISAKMPSASnapshot(destination: "100.0.10.2", source: "100.11.106.2", state: .qmIdle, connectionID: 29362),
    ]
    static let ipv6SAs = [
        ISAKMPSASnapshot(destination: "100.0.10::2", source: "100.13.220::2", state: .qmIdle, connectionID: 29610),
        ISAKMPSASnapshot(destination: "100.0.10::2", source: "100.12.82::2", state: .mmNoState, connectionID: 29189, status: .activeDeleted),
        ISAKMPSASnapshot(destination: "100.0.10::2", source: "100.11.106::2", state: .qmIdle, connectionID: 29363),
    ]

    /// The IPv4 section (byte for byte) and the IPv6 rows with runs of spaces collapsed: the
    /// capture's IPv6 rows are edited IPv4 rows whose columns shifted (see `ShowCryptoISAKMPSA`).
    static func sections(_ text: String) -> (ipv4: String, ipv6: [String]) {
        let parts = text.components(separatedBy: "IPv6 Crypto ISAKMP SA\n")
        let rows = parts.last!.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        return (parts[0], rows)
    }

    @Test("IPv4 rows only: byte for byte (crypto_isakmp_sa/02)")
    func ipv4Only() throws {
        let rendered = ShowCryptoISAKMPSA.render(CryptoISAKMPSASnapshot(sas: Self.ipv4SAs))
        #expect(trimmedEnd(rendered) == (try golden("crypto_isakmp_sa_v4_only.txt")))
        #expect(rendered.hasSuffix("\nIPv6 Crypto ISAKMP SA\n\n"))
    }

    @Test("IPv4 and IPv6 (crypto_isakmp_sa/01)")
    func both() throws {
        let rendered = Self.sections(ShowCryptoISAKMPSA.render(CryptoISAKMPSASnapshot(sas: Self.ipv4SAs + Self.ipv6SAs)))
        let captured = Self.sections(try golden("crypto_isakmp_sa_v4_v6.txt"))
        #expect(rendered.ipv4 == captured.ipv4)
        #expect(rendered.ipv6 == captured.ipv6)
    }

    @Test("IPv6 only (crypto_isakmp_sa/03, whose IPv4 header line was edited out)")
    func ipv6Only() throws {
        let rendered = Self.sections(ShowCryptoISAKMPSA.render(CryptoISAKMPSASnapshot(sas: Self.ipv6SAs)))
        let captured = Self.sections(replacingOnce(
            try golden("crypto_isakmp_sa_v6_only.txt"), "IPv4 Crypto ISAKMP SA\n",
            with: "IPv4 Crypto ISAKMP SA\n\(ShowCryptoISAKMPSA.header)\n"))
        #expect(rendered.ipv4 == captured.ipv4)
        #expect(rendered.ipv6 == captured.ipv6)
    }

    @Test("no SAs: the titles and the IPv4 header only")
    func empty() {
        #expect(ShowCryptoISAKMPSA.render(CryptoISAKMPSASnapshot()) == """
            IPv4 Crypto ISAKMP SA
            dst             src             state          conn-id status

            IPv6 Crypto ISAKMP SA


            """)
        // A 15-character address keeps one space before the next column.
        let row = ShowCryptoISAKMPSA.row(.init(destination: "209.165.202.129", source: "209.165.200.225", state: .qmIdle, connectionID: 1002))
        #expect(row == "209.165.202.129 209.165.200.225 QM_IDLE           1002 ACTIVE")
    }

    static func ipv6SA(_ id: Int, remote: String, active: UInt64, session: Int, spis: (UInt64, UInt64)) -> IKEv2SASnapshot {
        IKEv2SASnapshot(
            tunnelID: id, localAddress: "2001:DB8:1101::131", remoteAddress: remote, encryption: "AES-CBC",
            keySize: 256, prf: "SHA512", hash: "SHA512", dhGroup: 21, pqcKeyExchange: "ML-KEM-1024",
            activeSeconds: active, sessionID: session, localSPI: spis.0, remoteSPI: spis.1,
            localID: "2001:DB8:1101::131", remoteID: remote, remoteRequestMessageID: 3, remoteNextMessageID: 3,
            remoteRequestsQueued: 3, localWindow: 20, remoteWindow: 20, dynamicRouteUpdate: true, initiator: false)
    }

    @Test("ikev2 sa, IPv6 blocks (genieparser ShowCryptoIkev2Sa/golden_output2)")
    func ikev2IPv6() throws {
        let snapshot = CryptoIKEv2SASnapshot(sas: [
            Self.ipv6SA(1, remote: "2001:DB8:1201::122", active: 218, session: 3, spis: (0x4CF8_7E32_B253_02C0, 0x9625_4131_FD30_6002)),
            Self.ipv6SA(2, remote: "2001:DB8:1202::123", active: 207, session: 4, spis: (0xDE66_CA8E_9F3A_B6BD, 0xDB3C_ED85_555E_739D)),
        ])
        #expect(trimmedEnd(ShowCryptoIKEv2SA.render(snapshot)) == (try golden("ikev2_sa_ipv6.txt")))
    }

    @Test("ikev2 sa detail, IPv6 (genieparser ShowCryptoIkev2SaDetail/golden_output7)")
    func ikev2Detail() throws {
        let snapshot = CryptoIKEv2SASnapshot(sas: [
            Self.ipv6SA(1, remote: "2001:DB8:1201::122", active: 219, session: 3, spis: (0x4CF8_7E32_B253_02C0, 0x9625_4131_FD30_6002)),
            Self.ipv6SA(2, remote: "2001:DB8:1202::123", active: 208, session: 4, spis: (0xDE66_CA8E_9F3A_B6BD, 0xDB3C_ED85_555E_739D)),
        ])
        #expect(trimmedEnd(ShowCryptoIKEv2SA.render(snapshot, detail: true)) == (try golden("ikev2_sa_detail_ipv6.txt")))
    }

    @Test("ikev2 sa, IPv4 columns and lines (genieparser ShowCryptoIkev2Sa/golden_output, an older release)")
    func ikev2IPv4Columns() throws {
        let sa = IKEv2SASnapshot(
            tunnelID: 1, localAddress: "66.66.66.1", remoteAddress: "66.66.66.2", encryption: "AES-CBC", keySize: 128,
            prf: "SHA1", hash: "SHA96", dhGroup: 16, activeSeconds: 735, sessionID: 1, localSPI: 0x1F7B_7696_1C3A_77ED,
            remoteSPI: 0x1298_FDE0_74BD_724C, localID: "66.66.66.1", remoteID: "66.66.66.2", initiator: true)
        let rendered = ShowCryptoIKEv2SA.render(CryptoIKEv2SASnapshot(sas: [sa])).split(separator: "\n", omittingEmptySubsequences: false)
        let captured = try fixture("ikev2_sa_ipv4_older.txt").split(separator: "\n", omittingEmptySubsequences: false)
        // That release padded `Status ` and `READY  ` and titled the section differently; the
        // columns and the indented lines are the same.
        func strip(_ s: Substring) -> String { String(s.reversed().drop { $0 == " " }.reversed()) }
        #expect(rendered[0...1] == [" IPv4 Crypto IKEv2  SA", ""])
        #expect(rendered[2...5].map(strip) == captured[2...5].map(strip))
        #expect(rendered[6...7] == ["      CE id: 0, Session-id: 1", "      Local spi: 1F7B76961C3A77ED       Remote spi: 1298FDE074BD724C"])
    }

    @Test("ikev2: no SAs prints both titles; detail choices for IPv4")
    func ikev2Empty() {
        #expect(ShowCryptoIKEv2SA.render(CryptoIKEv2SASnapshot()) == " IPv4 Crypto IKEv2  SA\n\n IPv6 Crypto IKEv2  SA\n\n")
        let sa = IKEv2SASnapshot(
            tunnelID: 3, localAddress: "192.168.128.92", localPort: 4500, remoteAddress: "34.157.245.14", remotePort: 4500,
            encryption: "AES-CBC", keySize: 128, prf: "SHA256", hash: "SHA256", dhGroup: 16, lifetimeSeconds: 28800,
            activeSeconds: 15728, sessionID: 1, localSPI: 0xA9D4_F5D1_ECBE_00A5, remoteSPI: 0x16D8_0103_5147_E9B7,
            localID: "192.168.128.92", remoteID: "34.157.245.14", localRequestMessageID: 271, remoteRequestMessageID: 369,
            localNextMessageID: 271, remoteNextMessageID: 369, localRequestsQueued: 271, remoteRequestsQueued: 369,
            remoteWindow: 1, dpdIntervalSeconds: 60, dpdRetrySeconds: 5, natTraversal: .detectedInside, initiator: true,
            peerType: "Other")
        // Lines as a public IOS XE 17 capture (a cloud VPN interoperability guide) prints them.
        let block = ShowCryptoIKEv2SA.block(sa, detail: true)
        #expect(block.hasPrefix("""
            Tunnel-id Local                 Remote                fvrf/ivrf            Status
            3         192.168.128.92/4500   34.157.245.14/4500    none/none            READY
                  Encr: AES-CBC, keysize: 128, PRF: SHA256, Hash: SHA256, DH Grp:16, Auth sign: PSK, Auth verify: PSK
                  Life/Active Time: 28800/15728 sec
                  CE id: 0, Session-id: 1
                  Local spi: A9D4F5D1ECBE00A5       Remote spi: 16D801035147E9B7
                  Status Description: Negotiation done
                  Local id: 192.168.128.92
                  Remote id: 34.157.245.14
                  Local req msg id:  271            Remote req msg id:  369
                  Local next msg id: 271            Remote next msg id: 369
                  Local req queued:  271            Remote req queued:  369
                  Local window:      5              Remote window:      1
                  DPD configured for 60 seconds, retry 5
                  Fragmentation not  configured.
                  Dynamic Route Update: disabled
                  Extended Authentication not configured.
                  NAT-T is detected inside
                  Cisco Trust Security SGT is disabled
                  Initiator of SA : Yes
                  PEER TYPE: Other

            """))
    }
}
