import QFPControl

/// `show crypto isakmp sa` in IOS XE layout.
///
/// ```
/// IPv4 Crypto ISAKMP SA
/// dst             src             state          conn-id status
/// 100.0.10.2      100.13.220.2    QM_IDLE          29609 ACTIVE
///
/// IPv6 Crypto ISAKMP SA
///
/// ```
/// Row = `dst` and `src` in 15-character fields each followed by a space, `state` padded to 15,
/// `conn-id` right-aligned in 7, a space, `status` (captures `crypto_isakmp_sa/01`–`/03` and
/// public IOS captures with 15-character addresses). The header prints under IPv4 only. With
/// no SAs only the titles print, each section ending in a blank line.
///
/// Choices where sources disagree or are silent:
/// - The line between the sections is empty. The genieparser captures show nine spaces there,
///   the residue of the `--More--` prompt being erased; other public captures show it empty.
/// - IPv6 rows use the IPv4 columns [I]. genieparser's IPv6 rows are its IPv4 rows with `.2`
///   edited to `::2` (the columns shifted by one); no unedited IPv6 capture was found.
public enum ShowCryptoISAKMPSA {
    static let header = "dst             src             state          conn-id status"

    /// Renders the whole command output.
    public static func render(_ snapshot: CryptoISAKMPSASnapshot) -> String {
        var out = "IPv4 Crypto ISAKMP SA\n" + header + "\n"
        for sa in snapshot.sas where !sa.isIPv6 { out += row(sa) + "\n" }
        out += "\nIPv6 Crypto ISAKMP SA\n"
        for sa in snapshot.sas where sa.isIPv6 { out += row(sa) + "\n" }
        return out + "\n"
    }

    /// One SA row.
    public static func row(_ sa: ISAKMPSASnapshot) -> String {
        IOSText.field(sa.destination, width: 16) + IOSText.field(sa.source, width: 16)
            + IOSText.padded(sa.state.rawValue, to: 15)
            + TextLayout.leftPadded(String(sa.connectionID), width: 7) + " " + sa.status.rawValue
    }
}
