import QFPControl

/// `show crypto ikev2 sa [detail]` in IOS XE 17 layout.
///
/// ```
///  IPv4 Crypto IKEv2  SA
///
/// Tunnel-id Local                 Remote                fvrf/ivrf            Status
/// 1         66.66.66.1/500        66.66.66.2/500        none/none            READY
///       Encr: AES-CBC, keysize: 128, PRF: SHA1, Hash: SHA96, DH Grp:16, Auth sign: PSK, Auth verify: PSK
///       Life/Active Time: 86400/735 sec
///       CE id: 0, Session-id: 1
///       Local spi: 1F7B76961C3A77ED       Remote spi: 1298FDE074BD724C
///
///  IPv6 Crypto IKEv2  SA
///
/// ```
/// Sources: genieparser `ShowCryptoIkev2Sa/golden_output2` and `ShowCryptoIkev2SaDetail/
/// golden_output7` (XE 17, IPv6, byte for byte in the tests), `ShowCryptoIkev2Sa/golden_output`
/// (IPv4 columns: `%-10s%-22s%-22s%-21s%s`), and a public XE 17 IPv4 `detail` capture in a
/// cloud-VPN interoperability guide (same title, columns and detail lines).
/// - Each SA is a block: its own column header, the row, the indented lines, a blank line.
///   The IPv6 captures repeat the header per SA; for IPv4 the same is assumed [I].
/// - IPv6 blocks put the addresses on their own `Local  ` / `Remote  ` lines under a
///   `Tunnel-id    fvrf/ivrf              Status` header (golden_output2/7).
/// - Titles are ` IPv4 Crypto IKEv2  SA` with a leading space and two spaces before `SA`, no
///   trailing space (XE 17 captures); an older genieparser capture prints `IPv4 Crypto IKEv2 SA `.
/// - Trailing spaces: none on the header and rows, as in the XE 17 captures (the older
///   capture pads `Status ` and `READY  `).
/// - Detail lines follow golden_output7's order (an older release prints `Status Description`
///   before `Local spi`). Only the negative forms were captured; `Fragmentation configured.`,
///   `Extended Authentication configured.` and `NAT-T is detected outside` are [I].
public enum ShowCryptoIKEv2SA {
    static let ipv4Header = "Tunnel-id Local                 Remote                fvrf/ivrf            Status"
    static let ipv6Header = "Tunnel-id    fvrf/ivrf              Status"

    /// Renders the whole command output.
    public static func render(_ snapshot: CryptoIKEv2SASnapshot, detail: Bool = false) -> String {
        var out = " IPv4 Crypto IKEv2  SA\n\n"
        for sa in snapshot.sas where !sa.isIPv6 { out += block(sa, detail: detail) }
        out += " IPv6 Crypto IKEv2  SA\n\n"
        for sa in snapshot.sas where sa.isIPv6 { out += block(sa, detail: detail) }
        return out
    }

    /// One SA: header, row (and address lines for IPv6), indented lines, blank line.
    public static func block(_ sa: IKEv2SASnapshot, detail: Bool) -> String {
        let vrfs = "\(sa.fvrf ?? "none")/\(sa.ivrf ?? "none")"
        let local = "\(sa.localAddress)/\(sa.localPort)"
        let remote = "\(sa.remoteAddress)/\(sa.remotePort)"
        var out: String
        if sa.isIPv6 {
            out = ipv6Header + "\n"
            out += IOSText.field(String(sa.tunnelID), width: 11) + IOSText.field(vrfs, width: 22) + sa.status + "\n"
            out += "Local  \(local)\nRemote  \(remote)\n"
        } else {
            out = ipv4Header + "\n"
            out += IOSText.field(String(sa.tunnelID), width: 10) + IOSText.field(local, width: 22)
                + IOSText.field(remote, width: 22) + IOSText.field(vrfs, width: 21) + sa.status + "\n"
        }
        var lines = [
            "Encr: \(sa.encryption), keysize: \(sa.keySize), PRF: \(sa.prf), Hash: \(sa.hash), DH Grp:\(sa.dhGroup), Auth sign: \(sa.authSign), Auth verify: \(sa.authVerify)",
        ]
        if let pqc = sa.pqcKeyExchange { lines.append("PQC Key Exchange: \(pqc)") }
        lines += [
            "Life/Active Time: \(sa.lifetimeSeconds)/\(sa.activeSeconds) sec",
            "CE id: \(sa.ceID), Session-id: \(sa.sessionID)",
            "Local spi: \(spi(sa.localSPI))       Remote spi: \(spi(sa.remoteSPI))",
        ]
        if detail { lines += detailLines(sa) }
        out += lines.map { "      " + $0 + "\n" }.joined()
        return out + "\n"
    }

    /// The lines only `detail` adds, without their 6-space indent.
    static func detailLines(_ sa: IKEv2SASnapshot) -> [String] {
        func pair(_ left: String, _ l: UInt32, _ right: String, _ r: UInt32) -> String {
            IOSText.padded(left + String(l), to: 34) + right + String(r)
        }
        var lines = [
            "Status Description: \(sa.statusDescription)",
            "Local id: \(sa.localID)",
            "Remote id: \(sa.remoteID)",
            pair("Local req msg id:  ", sa.localRequestMessageID, "Remote req msg id:  ", sa.remoteRequestMessageID),
            pair("Local next msg id: ", sa.localNextMessageID, "Remote next msg id: ", sa.remoteNextMessageID),
            pair("Local req queued:  ", sa.localRequestsQueued, "Remote req queued:  ", sa.remoteRequestsQueued),
            pair("Local window:      ", sa.localWindow, "Remote window:      ", sa.remoteWindow),
            "DPD configured for \(sa.dpdIntervalSeconds) seconds, retry \(sa.dpdRetrySeconds)",
            sa.fragmentation ? "Fragmentation configured." : "Fragmentation not  configured.",
        ]
        if let pqc = sa.pqcKeyExchange { lines.append("Quantum-safe Encryption using PQC: \(pqc)") }
        lines += [
            "Dynamic Route Update: \(sa.dynamicRouteUpdate ? "enabled" : "disabled")",
            sa.extendedAuthentication ? "Extended Authentication configured." : "Extended Authentication not configured.",
            "NAT-T is \(sa.natTraversal.rawValue)",
            "Cisco Trust Security SGT is \(sa.trustSecSGT ? "enabled" : "disabled")",
            "Initiator of SA : \(IOSText.yesNoWord(sa.initiator))",
            "PEER TYPE: \(sa.peerType)",
        ]
        return lines
    }

    /// An IKE SPI: 16 upper-case hex digits.
    static func spi(_ value: UInt64) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
