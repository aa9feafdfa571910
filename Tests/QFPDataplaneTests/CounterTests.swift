@testable import QFPDataplane
import Testing

@Suite("Drop reasons and counters")
struct CounterTests {
    /// The CD_SW list of `show platform hardware qfp active feature ipsec datapath drops all`
    /// (IOS XE 17.x capture in ../shared/reference/captures/qfp_ipsec_datapath_drops), in order.
    static let ciscoList: [(UInt8, String)] = [
        (1, "IN_V4_PKT_HIT_INVALID_SA"), (2, "IN_CLEAR_US_V4_PSTATE_SB_FAILED"), (3, "IN_US_V4_PKT_FOUND_IPSEC_NOT_ENABLED"),
        (4, "IN_US_V4_PKT_SA_NOT_FOUND_SPI"), (5, "IN_TUNNEL_US_V4_PKT_IPSEC_NO_KEEP"), (6, "IN_TRANS_CL_V4_PKT_FAILED_POLICY"),
        (7, "IN_TRANS_V4_IPSEC_PKT_NOT_FOUND_SPI"), (8, "IN_US_CL_V4_PKT_FAILED_POLICY"), (9, "IN_V6_PKT_HIT_INVALID_SA"),
        (10, "IN_CLEAR_US_V6_PSTATE_SB_FAILED"), (11, "IN_US_V6_PKT_FOUND_IPSEC_NOT_ENABLED"), (12, "IN_US_V6_PKT_SA_NOT_FOUND_SPI"),
        (13, "IN_TUNNEL_US_V6_PKT_IPSEC_NOT_KEEP"), (14, "IN_TRANS_V6_PKT_FAILED_POLICY"), (15, "IN_US_CL_V6_PKT_FAILED_POLICY"),
        (17, "IN_CPP_FAIL_NOTIF_SA_SOFT_EXPIRY"), (18, "IN_CD_SW_IPSEC_HARD_EXPIRY"), (19, "IN_CD_SW_IPSEC_ANTI_REPLAY_FAIL"),
        (20, "IN_UNEXP_CD_SW_IPSEC_EXCEPTION"), (21, "IN_TBASED_ANTI_REPLAY_FAIL"), (23, "IN_PKT_HEADPAD_LEN_ERR"),
        (24, "IN_PKT_PSTATE_TOO_BIG"), (25, "IN_INFRA_V4_PKT_LEN_TOO_BIG"), (26, "IN_INFRA_V6_PKT_LEN_TOO_BIG"),
        (27, "IN_PSTATE_CHUNK_MEM_NOT_INIT"), (28, "IN_PSTATE_CHUNK_ALLOC_FAIL"), (29, "IN_SETTING_WRONG_L2_HDR"),
        (30, "IN_V4_POST_INPUT_POLICY_FAIL"), (31, "IN_V6_POST_INPUT_POLICY_FAIL"), (32, "OUT_V4_PKT_HIT_INVALID_SA"),
        (33, "OUT_V4_PKT_HIT_IKE_START_SP"), (34, "OUT_V4_PKT_HIT_TED_START_SP"), (35, "OUT_V4_PKT_HIT_DENY_DROP_SP"),
        (36, "OUT_V4_PKT_HIT_UNKNOWN_TCAM"), (37, "OUT_V6_PKT_HIT_INVALID_SA"), (38, "OUT_V6_PKT_HIT_IKE_START_SP"),
        (39, "OUT_V6_PKT_HIT_TED_START_SP"), (40, "OUT_V6_PKT_HIT_DENY_DROP_SP"), (41, "OUT_V6_PKT_HIT_UNKNOWN_TCAM"),
        (43, "OUT_CPP_FAIL_NOTIF_SA_SOFT_EXPIRY"), (44, "OUT_CD_SW_IPSEC_HARD_EXPIRY"), (45, "OUT_UNEXP_CD_SW_IPSEC_EXCEPTION"),
        (46, "OUT_CD_SW_IPSEC_DETECT_SEQ_OVEFLOW"), (48, "OUT_CANNOT_FRAG_DF_SET_PKT"), (49, "OUT_PKT_HEADPAD_LEN_ERR"),
        (50, "OUT_PKT_PSTATE_TOO_BIG"), (51, "OUT_INFRA_V4_PKT_LEN_TOO_BIG"), (52, "OUT_INFRA_V6_PKT_LEN_TOO_BIG"),
        (53, "OUT_PSTATE_CHUNK_MEM_NOT_INIT"), (54, "OUT_PSTATE_CHUNK_ALLOC_FAIL"), (55, "OUT_SETTING_WRONG_L2_HDR"),
        (56, "OUT_V4_POST_OUTPUT_POLICY_FAIL"), (57, "OUT_V6_POST_OUTPUT_POLICY_FAIL"), (59, "MPASS_RESTORE_FAIL"),
        (60, "CRYPTO_DEVICE_IPSEC_STOP"), (61, "OUT_V4_TX_PKT_ADJ_FAIL"), (62, "IN_CD_SW_IPSEC_MAC_EXCEPTION"),
        (63, "IN_NAT_DEMUX_FAIL"), (64, "OUT_NAT_DEMUX_FAIL"), (65, "IN_CD_SW_IPSEC_NH_MISMATCH"),
        (68, "CD_SW_IPSEC_PKT_HIT_INVALID_SA"), (69, "IN_PKT_MDATA_ERR"), (70, "IN_V4_PKT_FRAG_ERR"),
        (89, "IN_PKT_IPVER_INVALID"), (108, "IN_PKT_CERM_DROP"), (109, "OUT_PKT_CERM_DROP"), (110, "PKT_BUFFER_UNAVAILABLE"),
        (111, "OUT_IPV4_SA_NOT_FOUND"), (112, "OUT_IPV6_SA_NOT_FOUND"), (113, "IN_IPD3P_ANTI_REPLAY_FAIL"),
        (114, "IN_CRYPTO_THRPUT_POLICY_DROP"), (115, "OUT_CRYPTO_THRPUT_POLICY_DROP"), (116, "CD_IN_PKT_OUT_OF_WINDOW"),
    ]

    @Test("feature drops: exactly Cisco's numbers and names, in print order")
    func featureGoldenList() {
        #expect(IPsecDatapathDrop.allCases.map(\.rawValue) == Self.ciscoList.map(\.0))
        #expect(IPsecDatapathDrop.allCases.map(\.name) == Self.ciscoList.map(\.1))
        #expect(IPsecDatapathDrop.allCases.allSatisfy { Int($0.rawValue) < IPsecDatapathDrop.slotCount })
    }

    @Test("global causes: the seven Ipsec names of TN115801 are present; indices are dense and match order")
    func globalList() {
        let names = Set(GlobalDropCause.allCases.map(\.rawValue))
        for n in ["IpsecDenyDrop", "IpsecIkeIndicate", "IpsecInput", "IpsecInvalidSa", "IpsecOutput", "IpsecTailDrop", "IpsecTedIndicate"] {
            #expect(names.contains(n))
        }
        #expect(GlobalDropCause.allCases.enumerated().allSatisfy { $0.offset == $0.element.index })
        #expect(GlobalDropCause.allCases.map(\.rawValue) == GlobalDropCause.allCases.map(\.rawValue).sorted())
        #expect(DatapathCounter.allCases.enumerated().allSatisfy { $0.offset == $0.element.index })
    }

    @Test("a counter block counts packets and octets; snapshots sum blocks and subtract baselines")
    func blocks() throws {
        let region = try NodeLocalRegion.allocate(byteCount: 2 * CounterBlock.byteCount, node: 0, what: "test")
        defer { region.deallocate() }
        let a = CounterBlock(formatting: region.base)
        let b = CounterBlock(formatting: region.base + CounterBlock.byteCount)
        a.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 100)
        b.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 60)
        b.drop(.tailDrop, packets: 3, octets: 300)
        a.count(.forwarded, 7)
        let stats = DropStatistics(blocks: [a, b])
        var t = stats.totals()
        #expect(t.packets(.ipsecInput) == 2 && t.octets(.ipsecInput) == 160)
        #expect(t.packets(.inUsV4PktSaNotFoundSpi) == 2 && t.packets(.tailDrop) == 3 && t[.forwarded] == 7)
        stats.clear()
        a.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 1)
        t = stats.sinceClear()
        #expect(t.packets(.ipsecInput) == 1 && t.octets(.ipsecInput) == 1 && t.packets(.tailDrop) == 0)
        #expect(stats.totals().packets(.ipsecInput) == 3)
        #expect(CounterBlock.byteCount % CacheLine.padded == 0)
    }

    @Test("per-core views clear with the totals: after a clear of one scope they still sum to the totals")
    func perCoreBaselines() throws {
        let region = try NodeLocalRegion.allocate(byteCount: 2 * CounterBlock.byteCount, node: 0, what: "test")
        defer { region.deallocate() }
        let a = CounterBlock(formatting: region.base)
        let b = CounterBlock(formatting: region.base + CounterBlock.byteCount)
        let stats = DropStatistics(blocks: [a, b])
        a.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 100)
        b.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 60)
        b.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 60)
        let cleared = stats.readAndClear(.globalDrops)
        #expect(cleared.packets(.ipsecInput) == 3 && cleared.octets(.ipsecInput) == 220)
        a.drop(.ipsecInput, .inUsV4PktSaNotFoundSpi, octets: 5)
        let cores = stats.sinceClearPerCore()
        let total = stats.sinceClear()
        // Global drops restart from the clear; the feature table (not cleared) keeps all four.
        #expect(cores.map { $0.packets(.ipsecInput) } == [1, 0] && total.packets(.ipsecInput) == 1)
        #expect(cores.map { $0.packets(.inUsV4PktSaNotFoundSpi) } == [2, 2] && total.packets(.inUsV4PktSaNotFoundSpi) == 4)
        #expect(cores[0].octets(.ipsecInput) + cores[1].octets(.ipsecInput) == total.octets(.ipsecInput))
    }
}
