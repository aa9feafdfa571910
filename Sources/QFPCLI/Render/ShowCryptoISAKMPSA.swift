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

    // MARK: detail

    /// The legend `show crypto isakmp sa detail` opens with.
    static let codes = """
        Codes: C - IKE configuration mode, D - Dead Peer Detection
               K - Keepalives, N - NAT-traversal
               T - cTCP encapsulation, X - IKE Extended Authentication
               psk - Preshared key, rsig - RSA signature
               renc - RSA encryption

        """
    static let detailHeader = "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap."

    /// `show crypto isakmp sa detail`, as a router printed it (a public transcript:
    /// `Branch_B#show crypto isakmp sa detail`) with the column widths of Genie's
    /// `ShowCryptoIsakmpSaDetail` goldens: C-id 6, Local and Remote 16, I-VRF 7 (empty: no
    /// VRF), Status 7, Encr 5, Hash 7, Auth 5, DH 3, Lifetime `hh:mm:ss` and a space, then the
    /// capabilities (`D`) padded to 3 when there are any; then `Engine-id:Conn-id =  SW:N`
    /// [I: N is the C-id less 1000, as in the transcript's 1001 → SW:1].
    public static func renderDetail(_ snapshot: CryptoISAKMPSASnapshot) -> String {
        var out = codes + "IPv4 Crypto ISAKMP SA\n\n" + detailHeader + "\n\n"
        for sa in snapshot.sas where !sa.isIPv6 { out += detailRow(sa) }
        out += "IPv6 Crypto ISAKMP SA\n\n"
        for sa in snapshot.sas where sa.isIPv6 { out += detailRow(sa) }
        return out
    }

    /// One SA: its row, the engine line, a blank line.
    static func detailRow(_ sa: ISAKMPSASnapshot) -> String {
        guard let d = sa.detail else { return "" }
        let status = sa.status == .active ? "ACTIVE" : "DELETED"
        var row = IOSText.field(String(sa.connectionID), width: 6) + IOSText.field(d.local, width: 16)
            + IOSText.field(d.remote, width: 16) + String(repeating: " ", count: 7) + IOSText.padded(status, to: 7)
            + IOSText.padded(d.encryption, to: 5) + IOSText.padded(d.hash, to: 7) + IOSText.padded(d.authentication, to: 5)
            + IOSText.padded(String(d.dhGroup), to: 3) + IOSText.hoursMinutesSeconds(d.lifetimeRemainingSeconds)
        if !d.capabilities.isEmpty { row += " " + IOSText.padded(d.capabilities, to: 3) }
        let engine = sa.connectionID > 1000 ? sa.connectionID - 1000 : sa.connectionID
        return row + "\n       Engine-id:Conn-id =  SW:\(engine)\n\n"
    }
}
