import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show crypto ipsec sa [detail]` against device captures (Fixtures/SOURCES.md).
@Suite("show crypto ipsec sa against device captures")
struct RenderCryptoIPsecSATests {
    typealias SA = IPsecSASnapshot

    static func hostGRE(_ local: String, _ remote: String) -> (IPsecTrafficSelector, IPsecTrafficSelector) {
        (IPsecTrafficSelector(address: local, mask: "255.255.255.255", ipProtocol: 47),
         IPsecTrafficSelector(address: remote, mask: "255.255.255.255", ipProtocol: 47))
    }

    @Test("plain form, lifetime in hours and minutes, PFS group (crypto_ipsec_sa/02)")
    func peerHardware() throws {
        let (local, remote) = Self.hostGRE("14.13.1.1", "17.0.1.1")
        func sa(_ spi: UInt32, _ conn: Int) -> SA {
            SA(spi: spi, transform: "esp-gcm 256", connectionID: conn, flowID: "HW:\(conn - 2000)",
               siblingFlags: 0xFFFF_FFFF_8000_0048, cryptoMap: "Tunnel11-head-0", remainingKilobytes: nil,
               remainingSeconds: 4200, ivSizeBytes: 8, replayDetection: false)
        }
        let counters = IPsecFlowCounters(encapsulated: 0, decapsulated: 768)
        let flow = IPsecFlowSnapshot(
            protectedVRF: "VRF_CLOUD_11", localIdentity: local, remoteIdentity: remote, currentPeer: "17.0.1.1",
            counters: counters, localEndpoint: "14.13.1.1", remoteEndpoint: "17.0.1.1", plaintextMTU: 9130,
            pathMTU: 9184, ipMTU: 9184, ipMTUInterface: "TenGigabitEthernet0/0/9.11", currentOutboundSPI: 0x6DE5_239C,
            pfs: true, dhGroup: "group20", inboundESP: [sa(0x4695_9245, 18001)], outboundESP: [sa(0x6DE5_239C, 18002)])
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            .init(name: "Tunnel11", cryptoMapTag: "Tunnel11-head-0", localAddress: "14.13.1.1", flows: [flow]),
        ])
        // The golden lost its `#pkts encaps` line (genieparser's test edits it out); restore it.
        let expected = replacingOnce(
            try golden("crypto_ipsec_sa_peer_hw.txt"), "     PERMIT, flags={origin_is_acl,}\n",
            with: "     PERMIT, flags={origin_is_acl,}\n    #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0\n")
        let rendered = ShowCryptoIPsecSA.render(snapshot)
        #expect(trimmedEnd(rendered) == expected)
        #expect(rendered.hasSuffix("     outbound pcp sas:\n\n"))
    }

    @Test("plain form with `initiator : False` (crypto_ipsec_sa/03)")
    func interfaceTwo() throws {
        func sa(_ spi: UInt32, _ conn: Int) -> SA {
            SA(spi: spi, transform: "esp-gcm 256", connectionID: conn, flowID: "CAT9K:\(conn - 2000)",
               siblingFlags: 0xFFFF_FFFF_8000_0048, cryptoMap: "Tunnel10-head-0", initiator: false,
               remainingKilobytes: nil, remainingSeconds: 4 * 3600 + 2 * 60 + 17, ivSizeBytes: 8)
        }
        let flow = IPsecFlowSnapshot(
            localIdentity: .anyIPv4, remoteIdentity: .anyIPv4, currentPeer: "101.1.1.2",
            counters: IPsecFlowCounters(encapsulated: 144, decapsulated: 131), localEndpoint: "101.1.1.1",
            remoteEndpoint: "101.1.1.2", plaintextMTU: 1446, ipMTUInterface: "FiveGigabitEthernet3/0/15",
            currentOutboundSPI: 0x6976_013A, inboundESP: [sa(0x76DC_8A9A, 2093)], outboundESP: [sa(0x6976_013A, 2094)])
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            .init(name: "Tunnel10", cryptoMapTag: "Tunnel10-head-0", localAddress: "101.1.1.1", flows: [flow]),
        ])
        // The golden's inbound lifetime lines were cut to `ekey has been disabled`; restore them
        // as the outbound SA prints them.
        let expected = replacingOnce(
            try golden("crypto_ipsec_sa_interface_2.txt"), "        ekey has been disabled\n",
            with: "        sa timing: remaining key lifetime 4 hours, 2 mins\n        Kilobyte Volume Rekey has been disabled\n")
        #expect(trimmedEnd(ShowCryptoIPsecSA.render(snapshot)) == expected)
    }

    @Test("detail, two flows, transport mode, `(sec):` lifetime, PQC (crypto_ipsec_sa_detail/01)")
    func detailXE17() throws {
        func flow(peer: String, encaps: UInt64, decaps: UInt64, outSPI: UInt32, inSPI: UInt32, conn: Int, seconds: UInt64) -> IPsecFlowSnapshot {
            func sa(_ spi: UInt32, _ conn: Int) -> SA {
                SA(spi: spi, transform: "esp-256-aes esp-sha256-hmac", mode: .transport, connectionID: conn,
                   flowID: "HW:\(conn - 2000)", siblingFlags: 0xFFFF_FFFF_8000_0008, cryptoMap: "Tunnel1-head-0",
                   initiator: false, remainingKilobytes: nil, remainingSeconds: seconds, ivSizeBytes: 16)
            }
            let (local, remote) = Self.hostGRE("11.0.10.131", peer)
            return IPsecFlowSnapshot(
                localIdentity: local, remoteIdentity: remote, currentPeer: peer,
                counters: IPsecFlowCounters(encapsulated: encaps, decapsulated: decaps), localEndpoint: "11.0.10.131",
                remoteEndpoint: peer, plaintextMTU: 1458, ipMTUInterface: "TenGigabitEthernet0/0/1",
                currentOutboundSPI: outSPI, pfs: true, pqcKeyExchange: "ML-KEM-1024",
                inboundESP: [sa(inSPI, conn)], outboundESP: [sa(outSPI, conn + 1)])
        }
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            .init(name: "Tunnel1", cryptoMapTag: "Tunnel1-head-0", localAddress: "11.0.10.131", flows: [
                flow(peer: "22.51.51.123", encaps: 410, decaps: 349, outSPI: 0x746D_481C, inSPI: 0xAF2C_1743, conn: 2049, seconds: 94),
                flow(peer: "21.50.50.122", encaps: 39798, decaps: 76359, outSPI: 0x031C_A189, inSPI: 0xD334_5E5F, conn: 2051, seconds: 100),
            ]),
        ])
        #expect(trimmedEnd(ShowCryptoIPsecSA.render(snapshot, detail: true)) == (try golden("crypto_ipsec_sa_detail_xe17.txt")))
    }

    @Test("detail, esn, (k/sec) line one space deeper with `initiator : True` (crypto_ipsec_sa_detail/02)")
    func detailInitiator() throws {
        func sa(_ spi: UInt32, _ conn: Int, kilobytes: UInt64) -> SA {
            SA(spi: spi, transform: "esp-gcm", extendedSequenceNumbers: true, connectionID: conn,
               flowID: "CAT9K-BIGBANG:\(conn - 2000)", siblingFlags: 0xFFFF_FFFF_8000_4048, cryptoMap: "Tunnel2-head-0",
               initiator: true, remainingKilobytes: kilobytes, remainingSeconds: 92, ivSizeBytes: 8)
        }
        var counters = IPsecFlowCounters(encapsulated: 4, decapsulated: 915)
        counters.decaps = 12
        let flow = IPsecFlowSnapshot(
            localIdentity: .anyIPv4, remoteIdentity: .anyIPv4, currentPeer: "71.71.71.71", counters: counters,
            localEndpoint: "70.70.70.70", remoteEndpoint: "71.71.71.71", plaintextMTU: 1446,
            ipMTUInterface: "FourHundredGigE1/0/33", currentOutboundSPI: 0xBFD0_E7BA,
            inboundESP: [sa(0x50A0_FB1C, 2210, kilobytes: 3)], outboundESP: [sa(0xBFD0_E7BA, 2209, kilobytes: 0)])
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            .init(name: "Tunnel2", cryptoMapTag: "Tunnel2-head-0", localAddress: "70.70.70.70", flows: [flow]),
        ])
        #expect(trimmedEnd(ShowCryptoIPsecSA.render(snapshot, detail: true)) == (try golden("crypto_ipsec_sa_detail_1.txt")))
    }

    @Test("detail, NAT-T transport, replay window, two interfaces (crypto_ipsec_sa_detail/03)")
    func detailNATTraversal() throws {
        func interface(_ n: Int, peer: String, encaps: UInt64, decaps: UInt64, replayFailed: UInt64,
                       outSPI: UInt32, inSPI: UInt32, inConn: Int, kilobytes: (UInt64, UInt64), seconds: UInt64) -> CryptoIPsecSASnapshot.Interface {
            func sa(_ spi: UInt32, _ conn: Int, _ kb: UInt64) -> SA {
                SA(spi: spi, transform: "esp-256-aes esp-sha-hmac", mode: .transport, udpEncapsulated: true,
                   connectionID: conn, flowID: "Onboard VPN:\(conn)", siblingFlags: 0x8000_0000,
                   cryptoMap: "Tunnel\(n)-head-0", remainingKilobytes: kb, remainingSeconds: seconds,
                   ivSizeBytes: 16, replayWindowSize: 1024)
            }
            var counters = IPsecFlowCounters(encapsulated: encaps, decapsulated: decaps)
            counters.replayFailedReceive = replayFailed
            let (local, remote) = Self.hostGRE("1.2.3.4", peer)
            let flow = IPsecFlowSnapshot(
                localIdentity: local, remoteIdentity: remote, currentPeer: peer, peerPort: 4500, counters: counters,
                localEndpoint: "1.2.3.4", remoteEndpoint: peer, plaintextMTU: 1442, ipMTUInterface: "GigabitEthernet8",
                currentOutboundSPI: outSPI, inboundESP: [sa(inSPI, inConn, kilobytes.0)],
                outboundESP: [sa(outSPI, inConn - 1, kilobytes.1)])
            return .init(name: "Tunnel\(n)", cryptoMapTag: "Tunnel\(n)-head-0", localAddress: "1.2.3.4", flows: [flow])
        }
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            interface(1, peer: "2.2.2.2", encaps: 4_981_028, decaps: 4_112_421, replayFailed: 0, outSPI: 0x1234_ABCD,
                      inSPI: 0xABCD_1234, inConn: 124, kilobytes: (4_332_650, 4_332_649), seconds: 3205),
            interface(2, peer: "3.3.3.3", encaps: 13_133_657, decaps: 12_013_064, replayFailed: 1, outSPI: 0x4321_DCBA,
                      inSPI: 0x1234_DCBA, inConn: 457, kilobytes: (4_272_028, 4_272_026), seconds: 2813),
        ])
        // ntc-templates anonymised Tunnel2's SPIs without fixing their decimal halves
        // (`0x4321DCBA(0987612345)`, `0x1234DCBA(4321567890)`); put the true values back.
        var expected = try golden("crypto_ipsec_sa_detail_ntc.txt")
        expected = expected.replacingOccurrences(of: "0x4321DCBA(0987612345)", with: "0x4321DCBA(1126292666)")
        expected = replacingOnce(expected, "0x1234DCBA(4321567890)", with: "0x1234DCBA(305454266)")
        #expect(trimmedEnd(ShowCryptoIPsecSA.render(snapshot, detail: true)) == expected)
    }

    @Test("a flow without SAs and three flows over two interfaces (crypto_ipsec_sa/01, indentation lost: fields only)")
    func csrWithoutIndentation() throws {
        func sa(_ spi: UInt32, _ conn: Int, map: String, siblings: UInt64, kb: UInt64, sec: UInt64) -> SA {
            SA(spi: spi, transform: "esp-256-aes esp-sha256-hmac", connectionID: conn, flowID: "CSR:\(conn - 2000)",
               siblingFlags: siblings, cryptoMap: map, remainingKilobytes: kb, remainingSeconds: sec, ivSizeBytes: 16)
        }
        let net = { (a: String) in IPsecTrafficSelector(address: a, mask: "255.255.255.0") }
        let snapshot = CryptoIPsecSASnapshot(interfaces: [
            .init(name: "GigabitEthernet3", cryptoMapTag: "vpn-crypto-map", localAddress: "1.1.1.2", flows: [
                IPsecFlowSnapshot(
                    localIdentity: net("20.20.20.0"), remoteIdentity: net("10.10.10.0"), currentPeer: "1.1.1.1",
                    counters: IPsecFlowCounters(encapsulated: 4, decapsulated: 4), localEndpoint: "1.1.1.2",
                    remoteEndpoint: "1.1.1.1", plaintextMTU: 1438, ipMTUInterface: "GigabitEthernet3",
                    currentOutboundSPI: 0x397C_36EE,
                    inboundESP: [sa(0x658F_7C11, 2076, map: "vpn-crypto-map", siblings: 0xFFFF_FFFF_8000_0048, kb: 4_607_999, sec: 83191)],
                    outboundESP: [sa(0x397C_36EE, 2075, map: "vpn-crypto-map", siblings: 0xFFFF_FFFF_8000_0048, kb: 4_607_999, sec: 83191)]),
                IPsecFlowSnapshot(
                    localIdentity: net("40.40.40.0"), remoteIdentity: net("30.30.30.0"), currentPeer: "1.1.1.1",
                    localEndpoint: "1.1.1.2", remoteEndpoint: "1.1.1.1", plaintextMTU: 1500, ipMTUInterface: "GigabitEthernet3"),
            ]),
            .init(name: "Tunnel0", cryptoMapTag: "Tunnel0-head-0", localAddress: "2.2.2.2", flows: [
                IPsecFlowSnapshot(
                    localIdentity: .anyIPv4, remoteIdentity: .anyIPv4, currentPeer: "2.2.2.1", localEndpoint: "2.2.2.2",
                    remoteEndpoint: "2.2.2.1", plaintextMTU: 1438, ipMTUInterface: "GigabitEthernet5",
                    currentOutboundSPI: 0x2E84_82F8,
                    inboundESP: [sa(0xA54D_38A4, 2077, map: "Tunnel0-head-0", siblings: 0xFFFF_FFFF_8000_4048, kb: 4_608_000, sec: 3237)],
                    outboundESP: [sa(0x2E84_82F8, 2078, map: "Tunnel0-head-0", siblings: 0xFFFF_FFFF_8000_4048, kb: 4_608_000, sec: 3237)]),
            ]),
        ])
        // The capture lost its indentation, blank lines and some inner runs of spaces
        // (`local ident`): compare the words of each non-empty line.
        func words(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
        }
        let rendered = ShowCryptoIPsecSA.render(snapshot)
        #expect(words(rendered) == words(try fixture("crypto_ipsec_sa_csr.txt")))
        // The SA-less flow, as the indented captures lay it out.
        #expect(rendered.contains("""
                 current outbound spi: 0x0(0)
                 PFS (Y/N): N, DH group: none

                 inbound esp sas:

                 inbound ah sas:

            """))
    }

    @Test("no crypto interfaces: no output; detail swaps the errors line for nine lines")
    func emptyAndForms() {
        #expect(ShowCryptoIPsecSA.render(CryptoIPsecSASnapshot()) == "")
        let flow = IPsecFlowSnapshot(
            localIdentity: .anyIPv4, remoteIdentity: .anyIPv4, currentPeer: "192.0.2.2", localEndpoint: "192.0.2.1",
            remoteEndpoint: "192.0.2.2", plaintextMTU: 1500, ipMTUInterface: "GigabitEthernet1")
        let plain = ShowCryptoIPsecSA.render(flow, detail: false)
        let detail = ShowCryptoIPsecSA.render(flow, detail: true)
        #expect(plain.contains("    #send errors 0, #recv errors 0\n\n     local crypto endpt."))
        #expect(!detail.contains("#send errors"))
        #expect(detail.split(separator: "\n").count == plain.split(separator: "\n").count + 8)
        #expect(plain.hasPrefix("   protected vrf: (none)\n   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)\n"))
    }

    @Test("lifetime forms: (k/sec), hours, (sec); IPv6 selectors")
    func lifetimeForms() {
        var sa = IPsecSASnapshot(
            spi: 0x9F8, transform: "esp-aes", connectionID: 1, flowID: "HW:1", siblingFlags: 0x8000_0000,
            cryptoMap: "m", remainingKilobytes: 4_608_000, remainingSeconds: 3599, ivSizeBytes: 16)
        #expect(ShowCryptoIPsecSA.render(sa).contains("      spi: 0x9F8(2552)\n"))
        #expect(ShowCryptoIPsecSA.render(sa).contains("\n        sa timing: remaining key lifetime (k/sec): (4608000/3599)\n        IV size"))
        sa.remainingKilobytes = nil
        #expect(ShowCryptoIPsecSA.render(sa).contains("lifetime (sec): 3599\n        Kilobyte Volume Rekey has been disabled\n"))
        sa.remainingSeconds = 3600
        #expect(ShowCryptoIPsecSA.render(sa).contains("lifetime 1 hours, 0 mins\n"))
        sa.mode = .tunnel
        sa.udpEncapsulated = true
        #expect(ShowCryptoIPsecSA.render(sa).contains("in use settings ={Tunnel UDP-Encaps, }\n"))
        let v6 = IPsecTrafficSelector(address: "2001:DB8::", mask: "64")
        #expect(ShowCryptoIPsecSA.selector(v6) == "(addr/prefixlen/prot/port): (2001:DB8::/64/0/0)")
    }

    @Test("JSON keys are snake_case")
    func json() throws {
        let sa = IPsecSASnapshot(
            spi: 1, transform: "esp-gcm", connectionID: 1, flowID: "HW:1", siblingFlags: 0, cryptoMap: "m",
            remainingKilobytes: nil, remainingSeconds: 1, ivSizeBytes: 8)
        let object = try jsonObject(sa)
        #expect(object["conn_id"] as? Int == 1)
        #expect(object["flow_id"] as? String == "HW:1")
        #expect(object["mode"] as? String == "Tunnel")
        #expect(object["remaining_key_lifetime_kb"] == nil)
    }
}
