import QFPControl

/// `show crypto session [detail]` in IOS XE layout.
///
/// The captures come in two whitespace dialects, which this renderer reproduces exactly
/// (`Layout`); the words and line order are the same in both:
/// - `.padded` — `crypto_session/01`, `/03`, `crypto_session_detail/01`: `Session status:`
///   padded to 14 columns, one trailing space after the `Peer:` line (before `fvrf:` in
///   detail), the `IKEv1/2 SA:` line and the `IPSEC FLOW:` line, two after `Session ID: N`,
///   five after the first two legend lines.
/// - `.compact` (default) — `crypto_session/02`, `crypto_session_detail/02`, `/03`: one trailing
///   space after `Session ID: N`, four after the first two legend lines, `Session status:`
///   padded to 13 columns in detail and not at all in the plain form, nothing else trailing.
/// Which IOS XE releases print which dialect was not found.
///
/// Other choices:
/// - Sessions are separated (and the output ends) by one blank line [I: single-session captures].
/// - An IKE SA between IPv6 peers breaks after the local address and continues with
///   `          remote …` (capture `crypto_session/03`).
/// - The SD-WAN `System IP:` line follows the `Peer:` line; in detail it is assumed to stay
///   there, before `Phase1_id:` [I].
/// - With no sessions only the title (and, with detail, the legend) prints [I].
public enum ShowCryptoSession {
    /// The whitespace dialect (see the type's notes).
    public enum Layout: Sendable {
        case padded
        case compact
    }

    static let legend = [
        "Code: C - IKE Configuration mode, D - Dead Peer Detection",
        "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation",
        "X - IKE Extended Authentication, F - IKE Fragmentation",
        "R - IKE Auto Reconnect, U - IKE Dynamic Route Update",
        "S - SIP VPN",
    ]

    /// Renders the whole command output.
    public static func render(_ table: CryptoSessionTableSnapshot, detail: Bool = false, layout: Layout = .compact) -> String {
        var out = "Crypto session current status\n\n"
        if detail {
            let pad = String(repeating: " ", count: layout == .padded ? 5 : 4)
            for (i, line) in legend.enumerated() { out += line + (i < 2 ? pad : "") + "\n" }
            out += "\n"
        }
        for session in table.sessions {
            out += render(session, detail: detail, layout: layout) + "\n"
        }
        return out
    }

    /// One session block, without the blank line that follows it.
    public static func render(_ s: CryptoSessionSnapshot, detail: Bool, layout: Layout) -> String {
        let padded = layout == .padded
        let tail = padded ? " " : ""
        var out = "Interface: \(s.interface)\n"
        if let profile = s.profile { out += "Profile: \(profile)\n" }
        // A session that is down has no uptime to show [I].
        if detail && s.status != .down { out += "Uptime: \(IOSText.shortUptime(s.uptimeSeconds))\n" }
        let statusWidth = padded ? 14 : (detail ? 13 : 0)
        out += "Session status: \(IOSText.padded(s.status.rawValue, to: statusWidth))\n"
        out += "Peer: \(s.peer) port \(s.peerPort)"
        if detail {
            out += " fvrf: \(s.fvrf ?? "(none)") ivrf: \(s.ivrf ?? "(none)")\n"
        } else {
            out += tail + "\n"
        }
        if let systemIP = s.systemIP {
            out += "      System IP: \(systemIP)  Interface: \(s.systemInterface ?? "")\(tail)\n"
        }
        if detail {
            out += "      Phase1_id: \(s.phase1ID)\n"
            out += "      Desc: \(s.peerDescription ?? "(none)")\n"
        }
        out += "  Session ID: \(s.sessionID)\(padded ? "  " : " ")\n"
        for sa in s.ikeSAs {
            let local = "\(sa.localAddress)/\(sa.localPort)"
            let remote = "remote \(sa.remoteAddress)/\(sa.remotePort) \(sa.state)\(tail)"
            if sa.localAddress.contains(":") {
                out += "  IKEv\(sa.version) SA: local \(local)\n          \(remote)\n"
            } else {
                out += "  IKEv\(sa.version) SA: local \(local) \(remote)\n"
            }
            if detail {
                out += "          Capabilities:\(sa.capabilities) connid:\(sa.connectionID) lifetime:\(IOSText.hoursMinutesSeconds(sa.remainingSeconds))\n"
            }
        }
        for flow in s.ipsecFlows {
            out += "  IPSEC FLOW: \(flow.text)\(tail)\n"
            out += "        Active SAs: \(flow.activeSAs), origin: \(flow.origin)\n"
            if detail {
                out += "        Inbound:  #pkts dec'ed \(flow.inbound.packets) drop \(flow.inbound.drops) life (KB/Sec) \(life(flow.inbound))\n"
                out += "        Outbound: #pkts enc'ed \(flow.outbound.packets) drop \(flow.outbound.drops) life (KB/Sec) \(life(flow.outbound))\n"
            }
        }
        return out
    }

    static func life(_ d: CryptoSessionSnapshot.FlowDirection) -> String {
        "\(d.remainingKilobytes.map(String.init) ?? "KB Vol Rekey Disabled")/\(d.remainingSeconds)"
    }
}
