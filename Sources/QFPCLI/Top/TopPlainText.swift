/// `qfp top` when its output is not a terminal (or with `--batch`): one block of lines per
/// refresh, each line starting with what it is (`top`, `worker`, `global`, `ipsec`,
/// `invalid-spi`, `log`) so that `grep` and `awk` can pick them out; a blank line ends a block.
public enum TopPlainText {
    /// One block; `newSyslog` are the log lines that appeared since the previous block.
    public static func render(_ v: TopView, newSyslog: [String]) -> String {
        let rate = TopFormat.rate
        var out = "top \(v.hostname) uptime \(TopFormat.duration(v.uptimeSeconds)) workers \(v.workers.count)"
            + " rx \(rate(v.rxPPS)) pps tx \(rate(v.txPPS)) pps drops \(rate(v.dropPPS)) pps\n"
        for w in v.workers {
            out += "worker \(w.index) load \(rate(w.loadPercent))% in \(rate(w.inPPS)) pps out \(rate(w.outPPS)) pps"
                + " drops \(rate(w.dropPPS)) pps\n"
        }
        for d in v.global {
            out += "global \(d.label) rate \(rate(d.rate)) pps total \(d.total) since-clear \(d.sinceClear)\n"
        }
        for d in v.feature {
            out += "ipsec \(d.label) rate \(rate(d.rate)) pps total \(d.total) since-clear \(d.sinceClear)\n"
        }
        for s in v.suspects {
            out += "invalid-spi \(s.source) > \(s.destination) spi \(TopFormat.spi(s.spi)) count \(s.count)"
                + " first-seen \(TopFormat.duration(s.firstSeenSecondsAgo)) last-seen \(TopFormat.duration(s.lastSeenSecondsAgo))"
                + " ike-sa \(s.ikeSA ? "yes" : "no")\n"
        }
        for line in newSyslog { out += "log \(line)\n" }
        return out + "\n"
    }

    /// The lines of `current.syslog` logged after the buffer's message count was `logged` (at
    /// most the lines the snapshot carries).
    public static func newSyslog(_ current: TopSnapshot, since logged: UInt64) -> [String] {
        guard current.syslogLogged > logged else { return [] }
        let fresh = current.syslogLogged - logged
        return Array(current.syslog.suffix(Int(min(fresh, UInt64(current.syslog.count)))))
    }
}
