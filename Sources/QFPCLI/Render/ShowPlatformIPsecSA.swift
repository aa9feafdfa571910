import QFPControl

/// `show platform hardware qfp active feature ipsec sa <id>` in IOS XE layout.
///
/// Pinned byte for byte by genieparser `ShowPlatformHardwareQfpActiveFeatureIpsecSa3/
/// golden_output_2` (ingress) and `golden_output_3` (egress): `QFP ipsec sa Information`, a
/// blank line, then `label: value` lines with the labels right-aligned to column 19 (their
/// text, including the odd `QFP sa  id` and `nat fixup  ip`, as printed), the flag details on
/// continuation lines labelled by 19 spaces, and a final blank line. Hex values are lower-case
/// and unpadded except `crypto ctx` (16 digits); `mtu` prints hex and decimal (`0x58e=1422`).
/// An unknown SA id prints nothing here; the command layer decides what IOS says [I].
public enum ShowPlatformIPsecSA {
    /// Renders the whole command output.
    public static func render(_ s: QFPIPsecSASnapshot) -> String {
        let yes = IOSText.yesNoWord
        let details = [
            "src:\(s.source)  valid:\(yes(s.valid))  soft-life-expired:\(yes(s.softLifeExpired))  hard-life-expired:\(yes(s.hardLifeExpired))",
            "replay-check:\(yes(s.replayCheck))  proto:\(s.proto)  mode:\(s.mode)  direction:\(s.direction.rawValue)",
            "qos_preclassify:\(yes(s.qosPreclassify))  qos_group:\(yes(s.qosGroupEnabled))",
            "frag_type:\(s.fragType)  df_bit_type:\(s.dfBitType)",
            "sar_enable:\(yes(s.sarEnable))  getvpn_mode:\(s.getvpnMode)",
            "doing_translation:\(yes(s.doingTranslation))  assigned_outside_rport:\(yes(s.assignedOutsideRport))",
            "inline_tagging_enabled:\(yes(s.inlineTaggingEnabled))",
        ]
        let ctx = String(s.cryptoContext, radix: 16)
        var fields: [(String, String)] = [
            ("QFP sa  id", "\(s.qfpSAID)"),
            ("pal sa id", "\(s.palSAID)"),
            ("QFP spd id", "\(s.spdID)"),
            ("QFP sp id", "\(s.spID)"),
            ("QFP spi", "\(IOSText.hex(s.spi))(\(s.spi))"),
            ("crypto ctx", "0x" + String(repeating: "0", count: 16 - ctx.count) + ctx),
            ("flags", "\(IOSText.hex(s.flags)) (Details below)"),
        ]
        fields += details.map { ("", $0) }
        fields += [
            ("qos_group", IOSText.hex(s.qosGroup)),
            ("mtu", "\(IOSText.hex(s.mtu))=\(s.mtu)"),
            ("mtu_adj", "\(IOSText.hex(s.mtuAdjusted))=\(s.mtuAdjusted)"),
            ("ext_ar window_size", "\(s.extendedAntiReplayWindowSize)"),
            ("ext_ar window top", "\(s.extendedAntiReplayWindowTop)"),
            ("sar_delta", "\(s.sarDelta)"),
            ("sar_window", IOSText.hex(s.sarWindow)),
            ("sibling_sa", IOSText.hex(s.siblingSA)),
            ("sp_ptr", IOSText.hex(s.spPointer)),
            ("sbs_ptr", IOSText.hex(s.sbsPointer)),
            ("local endpoint", s.localEndpoint),
            ("remote endpoint", s.remoteEndpoint),
            ("cgid.cid.fid.rid", s.cgidCidFidRid),
            ("ivrf", "\(s.ivrf)"),
            ("fvrf", "\(s.fvrf)"),
            ("trans udp sport", "\(s.transUDPSourcePort)"),
            ("trans udp dport", "\(s.transUDPDestinationPort)"),
            ("first intf name", s.firstInterfaceName),
            ("nat fixup src port", "\(s.natFixupSourcePort)"),
        ]
        var out = "QFP ipsec sa Information\n\n"
        for (label, value) in fields { out += TextLayout.leftPadded(label, width: 19) + ": " + value + "\n" }
        // The last label is not right-aligned in any capture: four spaces, then `nat fixup  ip`.
        out += "    nat fixup  ip: \(s.natFixupIP)\n\n"
        return out
    }
}
