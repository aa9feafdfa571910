/// One data-plane SA as `show platform hardware qfp active feature ipsec sa <id>` prints it:
/// the QFP's view (ids, SPI, flags, MTU, pointers, endpoints), not IKE's.
///
/// Field meanings beyond their names are not documented by Cisco. The emulator fills ids from
/// its own SA handles, pointers from its arena offsets, and the flag word and flag details
/// from the SA's state; the captures give `flags: 0x2c400890` for an ingress SA and
/// `0xce400d0` for an egress one, which an emulator may reuse as they are.
public struct QFPIPsecSASnapshot: Sendable, Equatable, Codable {
    /// `direction:` in the flag details.
    public enum Direction: String, Sendable, Equatable, Codable {
        case ingress = "Ingress"
        case egress = "Egress"
    }

    /// `QFP sa  id`: the data-plane SA handle (the command's argument).
    public var qfpSAID: Int
    /// `pal sa id`: the control plane's (IOSd) id for the SA.
    public var palSAID: Int
    /// `QFP spd id`.
    public var spdID: Int
    /// `QFP sp id`: the policy the SA serves.
    public var spID: Int
    /// `QFP spi`, printed lower-case `0xf60ce626(4128040486)`.
    public var spi: UInt32
    /// `crypto ctx`, printed as 16 hex digits.
    public var cryptoContext: UInt64
    /// `flags` word, printed lower-case hex with ` (Details below)`.
    public var flags: UInt32
    /// `src:` (`IKE`, or `Manual`).
    public var source: String
    public var valid: Bool
    public var softLifeExpired: Bool
    public var hardLifeExpired: Bool
    public var replayCheck: Bool
    /// `proto:` (`ESP`).
    public var proto: String
    /// `mode:` — `Receive-only` for an inbound SA, `Active` for the outbound SA in use.
    public var mode: String
    public var direction: Direction
    public var qosPreclassify: Bool
    /// `qos_group:` flag in the details (the value prints on its own line as `qosGroup`).
    public var qosGroupEnabled: Bool
    /// `frag_type:` — `BEFORE_ENCRYPT` (ingress capture) or `AFTER_ENCRYPT` (egress).
    public var fragType: String
    /// `df_bit_type:` (`COPY`, `SET`, `CLEAR`).
    public var dfBitType: String
    public var sarEnable: Bool
    /// `getvpn_mode:` (`SNDRCV_SA`).
    public var getvpnMode: String
    public var doingTranslation: Bool
    public var assignedOutsideRport: Bool
    public var inlineTaggingEnabled: Bool
    /// `qos_group` value.
    public var qosGroup: UInt32
    /// `mtu: 0x58e=1422` (0 for inbound SAs).
    public var mtu: UInt32
    /// `mtu_adj`.
    public var mtuAdjusted: UInt32
    /// `ext_ar window_size`.
    public var extendedAntiReplayWindowSize: UInt32
    /// `ext_ar window top`.
    public var extendedAntiReplayWindowTop: UInt32
    public var sarDelta: UInt32
    /// `sar_window`, printed in hex.
    public var sarWindow: UInt32
    /// `sibling_sa`, printed in hex.
    public var siblingSA: UInt32
    /// `sp_ptr`, printed in hex.
    public var spPointer: UInt64
    /// `sbs_ptr`, printed in hex.
    public var sbsPointer: UInt64
    public var localEndpoint: String
    public var remoteEndpoint: String
    /// `cgid.cid.fid.rid` as printed (`0.0.0.0`, `571.573.573.11919361`).
    public var cgidCidFidRid: String
    public var ivrf: Int
    public var fvrf: Int
    /// `trans udp sport` / `dport`: NAT-T ports, 0 without NAT-T.
    public var transUDPSourcePort: UInt16
    public var transUDPDestinationPort: UInt16
    /// `first intf name`.
    public var firstInterfaceName: String
    public var natFixupSourcePort: UInt16
    /// `nat fixup  ip` (two spaces are IOS's).
    public var natFixupIP: String

    public init(
        qfpSAID: Int, palSAID: Int, spdID: Int = 1, spID: Int, spi: UInt32, cryptoContext: UInt64, flags: UInt32,
        source: String = "IKE", valid: Bool = true, softLifeExpired: Bool = false, hardLifeExpired: Bool = false,
        replayCheck: Bool = true, proto: String = "ESP", mode: String, direction: Direction,
        qosPreclassify: Bool = false, qosGroupEnabled: Bool = false, fragType: String, dfBitType: String = "COPY",
        sarEnable: Bool = false, getvpnMode: String = "SNDRCV_SA", doingTranslation: Bool = false,
        assignedOutsideRport: Bool = false, inlineTaggingEnabled: Bool = false, qosGroup: UInt32 = 0,
        mtu: UInt32 = 0, mtuAdjusted: UInt32 = 0, extendedAntiReplayWindowSize: UInt32 = 0,
        extendedAntiReplayWindowTop: UInt32 = 0, sarDelta: UInt32 = 0, sarWindow: UInt32 = 0, siblingSA: UInt32 = 0,
        spPointer: UInt64, sbsPointer: UInt64, localEndpoint: String, remoteEndpoint: String,
        cgidCidFidRid: String = "0.0.0.0", ivrf: Int = 0, fvrf: Int = 0, transUDPSourcePort: UInt16 = 0,
        transUDPDestinationPort: UInt16 = 0, firstInterfaceName: String, natFixupSourcePort: UInt16 = 0,
        natFixupIP: String = "0.0.0.0"
    ) {
        self.qfpSAID = qfpSAID
        self.palSAID = palSAID
        self.spdID = spdID
        self.spID = spID
        self.spi = spi
        self.cryptoContext = cryptoContext
        self.flags = flags
        self.source = source
        self.valid = valid
        self.softLifeExpired = softLifeExpired
        self.hardLifeExpired = hardLifeExpired
        self.replayCheck = replayCheck
        self.proto = proto
        self.mode = mode
        self.direction = direction
        self.qosPreclassify = qosPreclassify
        self.qosGroupEnabled = qosGroupEnabled
        self.fragType = fragType
        self.dfBitType = dfBitType
        self.sarEnable = sarEnable
        self.getvpnMode = getvpnMode
        self.doingTranslation = doingTranslation
        self.assignedOutsideRport = assignedOutsideRport
        self.inlineTaggingEnabled = inlineTaggingEnabled
        self.qosGroup = qosGroup
        self.mtu = mtu
        self.mtuAdjusted = mtuAdjusted
        self.extendedAntiReplayWindowSize = extendedAntiReplayWindowSize
        self.extendedAntiReplayWindowTop = extendedAntiReplayWindowTop
        self.sarDelta = sarDelta
        self.sarWindow = sarWindow
        self.siblingSA = siblingSA
        self.spPointer = spPointer
        self.sbsPointer = sbsPointer
        self.localEndpoint = localEndpoint
        self.remoteEndpoint = remoteEndpoint
        self.cgidCidFidRid = cgidCidFidRid
        self.ivrf = ivrf
        self.fvrf = fvrf
        self.transUDPSourcePort = transUDPSourcePort
        self.transUDPDestinationPort = transUDPDestinationPort
        self.firstInterfaceName = firstInterfaceName
        self.natFixupSourcePort = natFixupSourcePort
        self.natFixupIP = natFixupIP
    }

    enum CodingKeys: String, CodingKey {
        case qfpSAID = "qfp_sa_id"
        case palSAID = "pal_sa_id"
        case spdID = "qfp_spd_id"
        case spID = "qfp_sp_id"
        case spi = "qfp_spi"
        case cryptoContext = "crypto_ctx"
        case flags
        case source = "src"
        case valid
        case softLifeExpired = "soft_life_expired"
        case hardLifeExpired = "hard_life_expired"
        case replayCheck = "replay_check"
        case proto, mode, direction
        case qosPreclassify = "qos_preclassify"
        case qosGroupEnabled = "qos_group_enabled"
        case fragType = "frag_type"
        case dfBitType = "df_bit_type"
        case sarEnable = "sar_enable"
        case getvpnMode = "getvpn_mode"
        case doingTranslation = "doing_translation"
        case assignedOutsideRport = "assigned_outside_rport"
        case inlineTaggingEnabled = "inline_tagging_enabled"
        case qosGroup = "qos_group"
        case mtu
        case mtuAdjusted = "mtu_adj"
        case extendedAntiReplayWindowSize = "ext_ar_window_size"
        case extendedAntiReplayWindowTop = "ext_ar_window_top"
        case sarDelta = "sar_delta"
        case sarWindow = "sar_window"
        case siblingSA = "sibling_sa"
        case spPointer = "sp_ptr"
        case sbsPointer = "sbs_ptr"
        case localEndpoint = "local_endpoint"
        case remoteEndpoint = "remote_endpoint"
        case cgidCidFidRid = "cgid_cid_fid_rid"
        case ivrf, fvrf
        case transUDPSourcePort = "trans_udp_sport"
        case transUDPDestinationPort = "trans_udp_dport"
        case firstInterfaceName = "first_intf_name"
        case natFixupSourcePort = "nat_fixup_src_port"
        case natFixupIP = "nat_fixup_ip"
    }
}
