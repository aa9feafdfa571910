import Foundation
import QFPCommandLanguage
import QFPControl

/// qfp's own diagnosis commands around the IKE model (not IOS commands; IOS has no blackhole
/// detector): `show qfp invalid-spi`.
enum IKECommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show qfp invalid-spi", pipes: true) { ctx, _ in
            let cp = ctx.controlPlane
            let snapshot = InvalidSPIReport(snapshot: cp.ike.snapshot, recovery: cp.router.configuration.control.invalidSPIRecovery)
            return CommandOutput(snapshot.text, json: snapshot)
        }
    }
}

/// What `show qfp invalid-spi` prints: the suspect flows of the blackhole detector and the
/// recovery counters.
struct InvalidSPIReport: Sendable, Codable {
    var recovery: Bool
    var counters: IKECounters
    var suspects: [SuspectFlowReport]

    init(snapshot: IKEModelSnapshot, recovery: Bool) {
        self.recovery = recovery
        counters = snapshot.counters
        suspects = snapshot.suspects
    }

    var text: String {
        var out = "Invalid SPI flows recurring for more than one rate-limit interval (60 s): \(suspects.count)\n"
        out += "crypto isakmp invalid-spi-recovery: \(recovery ? "enabled" : "disabled")\n\n"
        if !suspects.isEmpty {
            out += pad("Source", 16) + pad("Destination", 16) + pad("SPI", 24) + pad("First seen", 12) + pad("Last seen", 11)
                + pad("Count", 10) + pad("Config", 19) + "IKE SA\n"
            for s in suspects {
                out += pad(s.source, 16) + pad(s.destination, 16)
                    + pad("0x\(String(s.spi, radix: 16, uppercase: true))(\(s.spi))", 24)
                    + pad(ago(s.firstSeenSecondsAgo), 12) + pad(ago(s.lastSeenSecondsAgo), 11) + pad(String(s.count), 10)
                    + pad(s.cryptoConfig ?? "none", 19) + (s.ikeSA ? "yes" : "no") + "\n"
                out += "  Cause:  \(s.cause)\n  Remedy: \(s.remedy)\n"
            }
            out += "\n"
        }
        let c = counters
        out += "Invalid SPI punts: \(c.invalidSPIPunts), ignored (no IKE SA): \(c.ignoredNoIKESA)\n"
        out += "DELETE/INVALID_SPI notifies sent: \(c.recoveryNotifiesSent), suppressed by the limiter: \(c.recoveryNotifiesSuppressed)\n"
        out += "Recovery IKE initiations: \(c.recoveryInitiations), suppressed by the limiter: \(c.recoveryInitiationsSuppressed)\n"
        out += "IKE negotiations started: \(c.negotiationsStarted), completed: \(c.negotiationsCompleted), failed: \(c.negotiationsFailed)\n"
        out += "DPD probes sent: \(c.dpdProbesSent), peers declared dead: \(c.dpdPeersDead)\n"
        return out
    }

    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    /// `hh:mm:ss` ago, as IOS prints ages.
    func ago(_ seconds: UInt64) -> String {
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(h)):\(two(m)):\(two(s))"
    }
}
