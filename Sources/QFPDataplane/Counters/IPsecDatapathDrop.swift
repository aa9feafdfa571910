/// An IPsec feature drop of `show platform hardware qfp active feature ipsec datapath drops`.
///
/// The raw value is the Cisco drop-type number; `name` is the Cisco name for the software
/// crypto engine (`CD_SW`, IOS XE 17.x), in the order `... datapath drops all` prints them
/// (../shared/reference/captures/qfp_ipsec_datapath_drops). With `GlobalDropCause`, the only
/// place a drop reason is named. `OVEFLOW` in 46 is Cisco's spelling.
public enum IPsecDatapathDrop: UInt8, CaseIterable, Sendable, Codable {
    case inV4PktHitInvalidSa = 1
    case inClearUsV4PstateSbFailed = 2
    case inUsV4PktFoundIpsecNotEnabled = 3
    case inUsV4PktSaNotFoundSpi = 4
    case inTunnelUsV4PktIpsecNoKeep = 5
    case inTransClV4PktFailedPolicy = 6
    case inTransV4IpsecPktNotFoundSpi = 7
    case inUsClV4PktFailedPolicy = 8
    case inV6PktHitInvalidSa = 9
    case inClearUsV6PstateSbFailed = 10
    case inUsV6PktFoundIpsecNotEnabled = 11
    case inUsV6PktSaNotFoundSpi = 12
    case inTunnelUsV6PktIpsecNotKeep = 13
    case inTransV6PktFailedPolicy = 14
    case inUsClV6PktFailedPolicy = 15
    case inCppFailNotifSaSoftExpiry = 17
    case inCdSwIpsecHardExpiry = 18
    case inCdSwIpsecAntiReplayFail = 19
    case inUnexpCdSwIpsecException = 20
    case inTbasedAntiReplayFail = 21
    case inPktHeadpadLenErr = 23
    case inPktPstateTooBig = 24
    case inInfraV4PktLenTooBig = 25
    case inInfraV6PktLenTooBig = 26
    case inPstateChunkMemNotInit = 27
    case inPstateChunkAllocFail = 28
    case inSettingWrongL2Hdr = 29
    case inV4PostInputPolicyFail = 30
    case inV6PostInputPolicyFail = 31
    case outV4PktHitInvalidSa = 32
    case outV4PktHitIkeStartSp = 33
    case outV4PktHitTedStartSp = 34
    case outV4PktHitDenyDropSp = 35
    case outV4PktHitUnknownTcam = 36
    case outV6PktHitInvalidSa = 37
    case outV6PktHitIkeStartSp = 38
    case outV6PktHitTedStartSp = 39
    case outV6PktHitDenyDropSp = 40
    case outV6PktHitUnknownTcam = 41
    case outCppFailNotifSaSoftExpiry = 43
    case outCdSwIpsecHardExpiry = 44
    case outUnexpCdSwIpsecException = 45
    case outCdSwIpsecDetectSeqOveflow = 46
    case outCannotFragDfSetPkt = 48
    case outPktHeadpadLenErr = 49
    case outPktPstateTooBig = 50
    case outInfraV4PktLenTooBig = 51
    case outInfraV6PktLenTooBig = 52
    case outPstateChunkMemNotInit = 53
    case outPstateChunkAllocFail = 54
    case outSettingWrongL2Hdr = 55
    case outV4PostOutputPolicyFail = 56
    case outV6PostOutputPolicyFail = 57
    case mpassRestoreFail = 59
    case cryptoDeviceIpsecStop = 60
    case outV4TxPktAdjFail = 61
    case inCdSwIpsecMacException = 62
    case inNatDemuxFail = 63
    case outNatDemuxFail = 64
    case inCdSwIpsecNhMismatch = 65
    case cdSwIpsecPktHitInvalidSa = 68
    case inPktMdataErr = 69
    case inV4PktFragErr = 70
    case inPktIpverInvalid = 89
    case inPktCermDrop = 108
    case outPktCermDrop = 109
    case pktBufferUnavailable = 110
    case outIpv4SaNotFound = 111
    case outIpv6SaNotFound = 112
    case inIpd3pAntiReplayFail = 113
    case inCryptoThrputPolicyDrop = 114
    case outCryptoThrputPolicyDrop = 115
    case cdInPktOutOfWindow = 116

    /// The Cisco name, exactly as printed.
    public var name: String {
        switch self {
        case .inV4PktHitInvalidSa: "IN_V4_PKT_HIT_INVALID_SA"
        case .inClearUsV4PstateSbFailed: "IN_CLEAR_US_V4_PSTATE_SB_FAILED"
        case .inUsV4PktFoundIpsecNotEnabled: "IN_US_V4_PKT_FOUND_IPSEC_NOT_ENABLED"
        case .inUsV4PktSaNotFoundSpi: "IN_US_V4_PKT_SA_NOT_FOUND_SPI"
        case .inTunnelUsV4PktIpsecNoKeep: "IN_TUNNEL_US_V4_PKT_IPSEC_NO_KEEP"
        case .inTransClV4PktFailedPolicy: "IN_TRANS_CL_V4_PKT_FAILED_POLICY"
        case .inTransV4IpsecPktNotFoundSpi: "IN_TRANS_V4_IPSEC_PKT_NOT_FOUND_SPI"
        case .inUsClV4PktFailedPolicy: "IN_US_CL_V4_PKT_FAILED_POLICY"
        case .inV6PktHitInvalidSa: "IN_V6_PKT_HIT_INVALID_SA"
        case .inClearUsV6PstateSbFailed: "IN_CLEAR_US_V6_PSTATE_SB_FAILED"
        case .inUsV6PktFoundIpsecNotEnabled: "IN_US_V6_PKT_FOUND_IPSEC_NOT_ENABLED"
        case .inUsV6PktSaNotFoundSpi: "IN_US_V6_PKT_SA_NOT_FOUND_SPI"
        case .inTunnelUsV6PktIpsecNotKeep: "IN_TUNNEL_US_V6_PKT_IPSEC_NOT_KEEP"
        case .inTransV6PktFailedPolicy: "IN_TRANS_V6_PKT_FAILED_POLICY"
        case .inUsClV6PktFailedPolicy: "IN_US_CL_V6_PKT_FAILED_POLICY"
        case .inCppFailNotifSaSoftExpiry: "IN_CPP_FAIL_NOTIF_SA_SOFT_EXPIRY"
        case .inCdSwIpsecHardExpiry: "IN_CD_SW_IPSEC_HARD_EXPIRY"
        case .inCdSwIpsecAntiReplayFail: "IN_CD_SW_IPSEC_ANTI_REPLAY_FAIL"
        case .inUnexpCdSwIpsecException: "IN_UNEXP_CD_SW_IPSEC_EXCEPTION"
        case .inTbasedAntiReplayFail: "IN_TBASED_ANTI_REPLAY_FAIL"
        case .inPktHeadpadLenErr: "IN_PKT_HEADPAD_LEN_ERR"
        case .inPktPstateTooBig: "IN_PKT_PSTATE_TOO_BIG"
        case .inInfraV4PktLenTooBig: "IN_INFRA_V4_PKT_LEN_TOO_BIG"
        case .inInfraV6PktLenTooBig: "IN_INFRA_V6_PKT_LEN_TOO_BIG"
        case .inPstateChunkMemNotInit: "IN_PSTATE_CHUNK_MEM_NOT_INIT"
        case .inPstateChunkAllocFail: "IN_PSTATE_CHUNK_ALLOC_FAIL"
        case .inSettingWrongL2Hdr: "IN_SETTING_WRONG_L2_HDR"
        case .inV4PostInputPolicyFail: "IN_V4_POST_INPUT_POLICY_FAIL"
        case .inV6PostInputPolicyFail: "IN_V6_POST_INPUT_POLICY_FAIL"
        case .outV4PktHitInvalidSa: "OUT_V4_PKT_HIT_INVALID_SA"
        case .outV4PktHitIkeStartSp: "OUT_V4_PKT_HIT_IKE_START_SP"
        case .outV4PktHitTedStartSp: "OUT_V4_PKT_HIT_TED_START_SP"
        case .outV4PktHitDenyDropSp: "OUT_V4_PKT_HIT_DENY_DROP_SP"
        case .outV4PktHitUnknownTcam: "OUT_V4_PKT_HIT_UNKNOWN_TCAM"
        case .outV6PktHitInvalidSa: "OUT_V6_PKT_HIT_INVALID_SA"
        case .outV6PktHitIkeStartSp: "OUT_V6_PKT_HIT_IKE_START_SP"
        case .outV6PktHitTedStartSp: "OUT_V6_PKT_HIT_TED_START_SP"
        case .outV6PktHitDenyDropSp: "OUT_V6_PKT_HIT_DENY_DROP_SP"
        case .outV6PktHitUnknownTcam: "OUT_V6_PKT_HIT_UNKNOWN_TCAM"
        case .outCppFailNotifSaSoftExpiry: "OUT_CPP_FAIL_NOTIF_SA_SOFT_EXPIRY"
        case .outCdSwIpsecHardExpiry: "OUT_CD_SW_IPSEC_HARD_EXPIRY"
        case .outUnexpCdSwIpsecException: "OUT_UNEXP_CD_SW_IPSEC_EXCEPTION"
        case .outCdSwIpsecDetectSeqOveflow: "OUT_CD_SW_IPSEC_DETECT_SEQ_OVEFLOW"
        case .outCannotFragDfSetPkt: "OUT_CANNOT_FRAG_DF_SET_PKT"
        case .outPktHeadpadLenErr: "OUT_PKT_HEADPAD_LEN_ERR"
        case .outPktPstateTooBig: "OUT_PKT_PSTATE_TOO_BIG"
        case .outInfraV4PktLenTooBig: "OUT_INFRA_V4_PKT_LEN_TOO_BIG"
        case .outInfraV6PktLenTooBig: "OUT_INFRA_V6_PKT_LEN_TOO_BIG"
        case .outPstateChunkMemNotInit: "OUT_PSTATE_CHUNK_MEM_NOT_INIT"
        case .outPstateChunkAllocFail: "OUT_PSTATE_CHUNK_ALLOC_FAIL"
        case .outSettingWrongL2Hdr: "OUT_SETTING_WRONG_L2_HDR"
        case .outV4PostOutputPolicyFail: "OUT_V4_POST_OUTPUT_POLICY_FAIL"
        case .outV6PostOutputPolicyFail: "OUT_V6_POST_OUTPUT_POLICY_FAIL"
        case .mpassRestoreFail: "MPASS_RESTORE_FAIL"
        case .cryptoDeviceIpsecStop: "CRYPTO_DEVICE_IPSEC_STOP"
        case .outV4TxPktAdjFail: "OUT_V4_TX_PKT_ADJ_FAIL"
        case .inCdSwIpsecMacException: "IN_CD_SW_IPSEC_MAC_EXCEPTION"
        case .inNatDemuxFail: "IN_NAT_DEMUX_FAIL"
        case .outNatDemuxFail: "OUT_NAT_DEMUX_FAIL"
        case .inCdSwIpsecNhMismatch: "IN_CD_SW_IPSEC_NH_MISMATCH"
        case .cdSwIpsecPktHitInvalidSa: "CD_SW_IPSEC_PKT_HIT_INVALID_SA"
        case .inPktMdataErr: "IN_PKT_MDATA_ERR"
        case .inV4PktFragErr: "IN_V4_PKT_FRAG_ERR"
        case .inPktIpverInvalid: "IN_PKT_IPVER_INVALID"
        case .inPktCermDrop: "IN_PKT_CERM_DROP"
        case .outPktCermDrop: "OUT_PKT_CERM_DROP"
        case .pktBufferUnavailable: "PKT_BUFFER_UNAVAILABLE"
        case .outIpv4SaNotFound: "OUT_IPV4_SA_NOT_FOUND"
        case .outIpv6SaNotFound: "OUT_IPV6_SA_NOT_FOUND"
        case .inIpd3pAntiReplayFail: "IN_IPD3P_ANTI_REPLAY_FAIL"
        case .inCryptoThrputPolicyDrop: "IN_CRYPTO_THRPUT_POLICY_DROP"
        case .outCryptoThrputPolicyDrop: "OUT_CRYPTO_THRPUT_POLICY_DROP"
        case .cdInPktOutOfWindow: "CD_IN_PKT_OUT_OF_WINDOW"
        }
    }

    /// Highest drop-type number plus one: counter arrays are indexed by the number itself.
    public static let slotCount = 128

    /// Print groups of `... datapath drops`: IOS separates these ranges by one blank line
    /// (`all` capture: after 70 and after 89).
    public static let printGroups: [ClosedRange<UInt8>] = [1...70, 71...89, 90...127]
}
