import QFPControl

/// `show crypto ipsec sa [detail]` in IOS XE layout.
///
/// Layout pinned byte for byte by captures `crypto_ipsec_sa/02` and `/03` (plain form) and
/// `crypto_ipsec_sa_detail/01`–`/03` (detail form); `crypto_ipsec_sa/01` lost its
/// indentation when saved and pins field contents only. Indentation as printed: `interface:`
/// at column 1, the crypto map tag at 4 spaces, flow lines at 3, `PERMIT` at 5, `#pkts` at 4,
/// endpoint and SA-list lines at 5, `spi:` at 6, SA fields at 8.
///
/// - Blank lines: after the interface header; between the `#pkts` block and the endpoints;
///   after the PFS line; after every `… sas:` list, empty or not, so each flow ends with
///   `outbound pcp sas:` and one blank line. Captures were trimmed after the last line.
/// - Several SAs in one list (rekey overlap) print back to back with no blank line between
///   them [I: no capture with two SAs in one list].
/// - AH and PCP (IPComp) lists always print empty: the emulator negotiates ESP only.
/// - Lifetime: `(k/sec): (K/S)` while volume rekey is on. Without it IOS prints seconds and
///   then `Kilobyte Volume Rekey has been disabled`; captures show `(sec): 94` for 94 s
///   (detail/01) and `1 hours, 10 mins` / `4 hours, 2 mins` (sa/02, sa/03). Choice [I]: the
///   hours form from one hour up, the `(sec):` form below.
/// - Releases that print `, initiator : True|False` indent the `(k/sec)` line by 9 spaces,
///   not 8 (detail/02, and a public XE 17 capture with `initiator : True`); the `(sec)` and
///   hours forms keep 8 there (detail/01). The renderer keys that quirk on `initiator != nil`.
/// - IPv6 selectors print `(addr/prefixlen/prot/port)` [I: no capture].
public enum ShowCryptoIPsecSA {
    /// Renders the whole command output.
    public static func render(_ snapshot: CryptoIPsecSASnapshot, detail: Bool = false) -> String {
        var out = ""
        for interface in snapshot.interfaces {
            out += "interface: \(interface.name)\n"
            out += "    Crypto map tag: \(interface.cryptoMapTag), local addr \(interface.localAddress)\n\n"
            for flow in interface.flows {
                out += render(flow, detail: detail)
            }
        }
        return out
    }

    /// Renders one flow, from `protected vrf:` to the blank line after `outbound pcp sas:`.
    public static func render(_ flow: IPsecFlowSnapshot, detail: Bool) -> String {
        var out = "   protected vrf: \(flow.protectedVRF ?? "(none)")\n"
        out += "   local  ident \(selector(flow.localIdentity))\n"
        out += "   remote ident \(selector(flow.remoteIdentity))\n"
        out += "   current_peer \(flow.currentPeer) port \(flow.peerPort)\n"
        out += "     PERMIT, flags={\(flow.permitFlags.map { $0 + "," }.joined())}\n"
        out += counterLines(flow.counters, detail: detail).map { "    " + $0 + "\n" }.joined()
        out += "\n"
        out += "     local crypto endpt.: \(flow.localEndpoint), remote crypto endpt.: \(flow.remoteEndpoint)\n"
        out += "     plaintext mtu \(flow.plaintextMTU), path mtu \(flow.pathMTU), ip mtu \(flow.ipMTU), ip mtu idb \(flow.ipMTUInterface)\n"
        out += "     current outbound spi: \(IOSText.spi(flow.currentOutboundSPI))\n"
        out += "     PFS (Y/N): \(IOSText.yesNo(flow.pfs)), DH group: \(flow.dhGroup ?? "none")"
        if let pqc = flow.pqcKeyExchange { out += ", PQC Key Exchange: \(pqc)" }
        out += "\n\n"
        out += list("inbound esp sas:", flow.inboundESP)
        out += list("inbound ah sas:", [])
        out += list("inbound pcp sas:", [])
        out += list("outbound esp sas:", flow.outboundESP)
        out += list("outbound ah sas:", [])
        out += list("outbound pcp sas:", [])
        return out
    }

    /// `(addr/mask/prot/port): (a/m/p/p)`.
    static func selector(_ s: IPsecTrafficSelector) -> String {
        let label = s.isIPv6 ? "(addr/prefixlen/prot/port)" : "(addr/mask/prot/port)"
        return "\(label): (\(s.address)/\(s.mask)/\(s.ipProtocol)/\(s.port))"
    }

    /// The `#pkts` lines without their 4-space indent.
    static func counterLines(_ c: IPsecFlowCounters, detail: Bool) -> [String] {
        var lines = [
            "#pkts encaps: \(c.encaps), #pkts encrypt: \(c.encrypt), #pkts digest: \(c.digest)",
            "#pkts decaps: \(c.decaps), #pkts decrypt: \(c.decrypt), #pkts verify: \(c.verify)",
            "#pkts compressed: \(c.compressed), #pkts decompressed: \(c.decompressed)",
            "#pkts not compressed: \(c.notCompressed), #pkts compr. failed: \(c.compressionFailed)",
            "#pkts not decompressed: \(c.notDecompressed), #pkts decompress failed: \(c.decompressionFailed)",
        ]
        guard detail else {
            lines.append("#send errors \(c.sendErrors), #recv errors \(c.receiveErrors)")
            return lines
        }
        lines += [
            "#pkts no sa (send) \(c.noSASend), #pkts invalid sa (rcv) \(c.invalidSAReceive)",
            "#pkts encaps failed (send) \(c.encapsFailedSend), #pkts decaps failed (rcv) \(c.decapsFailedReceive)",
            "#pkts invalid prot (recv) \(c.invalidProtocolReceive), #pkts verify failed: \(c.verifyFailed)",
            "#pkts invalid identity (recv) \(c.invalidIdentityReceive), #pkts invalid len (rcv) \(c.invalidLengthReceive)",
            "#pkts replay rollover (send): \(c.replayRolloverSend), #pkts replay rollover (rcv) \(c.replayRolloverReceive)",
            "##pkts replay failed (rcv): \(c.replayFailedReceive)",
            "#pkts tagged (send): \(c.taggedSend), #pkts untagged (rcv): \(c.untaggedReceive)",
            "#pkts not tagged (send): \(c.notTaggedSend), #pkts not untagged (rcv): \(c.notUntaggedReceive)",
            "#pkts internal err (send): \(c.internalErrorSend), #pkts internal err (recv) \(c.internalErrorReceive)",
        ]
        return lines
    }

    /// One `… sas:` heading, its SAs, and the blank line that follows every list.
    static func list(_ heading: String, _ sas: [IPsecSASnapshot]) -> String {
        "     \(heading)\n" + sas.map(render).joined() + "\n"
    }

    /// One SA block, from `spi:` to `Status:`.
    public static func render(_ sa: IPsecSASnapshot) -> String {
        var settings = sa.mode.rawValue
        if sa.udpEncapsulated { settings += " UDP-Encaps" }
        settings += sa.extendedSequenceNumbers ? ", esn" : ", "
        var out = "      spi: \(IOSText.spi(sa.spi))\n"
        out += "        transform: \(sa.transform) ,\n"
        out += "        in use settings ={\(settings)}\n"
        out += "        conn id: \(sa.connectionID), flow_id: \(sa.flowID), sibling_flags \(String(sa.siblingFlags, radix: 16, uppercase: true)), crypto map: \(sa.cryptoMap)"
        if let initiator = sa.initiator { out += ", initiator : \(initiator ? "True" : "False")" }
        out += "\n"
        if let kilobytes = sa.remainingKilobytes {
            let indent = sa.initiator == nil ? "        " : "         "
            out += "\(indent)sa timing: remaining key lifetime (k/sec): (\(kilobytes)/\(sa.remainingSeconds))\n"
        } else {
            out += "        sa timing: remaining key lifetime \(secondsOnlyLifetime(sa.remainingSeconds))\n"
            out += "        Kilobyte Volume Rekey has been disabled\n"
        }
        out += "        IV size: \(sa.ivSizeBytes) bytes\n"
        out += "        replay detection support: \(IOSText.yesNo(sa.replayDetection))"
        if let window = sa.replayWindowSize { out += "  replay window size: \(window)" }
        out += "\n"
        out += "        Status: \(sa.status)\n"
        return out
    }

    /// `1 hours, 10 mins` from an hour up, `(sec): 94` below (see the type's notes).
    static func secondsOnlyLifetime(_ seconds: UInt64) -> String {
        seconds >= 3600 ? "\(seconds / 3600) hours, \(seconds / 60 % 60) mins" : "(sec): \(seconds)"
    }
}
