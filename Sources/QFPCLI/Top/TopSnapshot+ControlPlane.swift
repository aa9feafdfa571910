import Foundation
import QFPControl
import QFPDataplane

extension TopSnapshot {
    /// Lines of the logging buffer a request gets when it does not say (a tall terminal's worth).
    public static let defaultSyslogLines = 100
    /// The most a request may ask for.
    public static let maximumSyslogLines = 1000

    /// Reads `controlPlane` now: every core's counters in one pass, then the clock, the blackhole
    /// detector and the newest `syslogLines` lines of the logging buffer.
    public init(_ controlPlane: ControlPlane, syslogLines: Int = TopSnapshot.defaultSyslogLines) {
        let cp = controlPlane
        let (sinceStart, sinceClear) = cp.statistics.read()
        let time = cp.clock.now()
        let total = sinceStart.reduce(CounterSnapshot()) { $0.adding($1) }
        let cleared = sinceClear.reduce(CounterSnapshot()) { $0.adding($1) }
        let workerCount = min(cp.router.pipeline.configuration.workers, sinceStart.count)
        let workers = (0..<workerCount).map { w in
            let c = sinceStart[w]
            return Worker(index: w, receivedPackets: c[.received], forwardedPackets: c[.forwarded], droppedPackets: c.totalDropped,
                          busyNanoseconds: UInt64(Double(c[.busyCycles]) / CycleClock.frequency * 1e9))
        }
        let global = GlobalDropCause.allCases.filter { total.packets($0) != 0 }.map {
            GlobalDrop(name: $0.rawValue, packets: total.packets($0), sinceClear: cleared.packets($0))
        }
        let feature = IPsecDatapathDrop.allCases.filter { total.packets($0) != 0 }.map {
            FeatureDrop(number: $0.rawValue, name: $0.name, packets: total.packets($0), sinceClear: cleared.packets($0))
        }
        let ike = cp.ike.snapshot
        let entries = cp.syslog.entries
        let lines = max(0, min(syslogLines, Self.maximumSyslogLines))
        self.init(
            hostname: cp.router.configuration.hostname, time: time, uptimeSeconds: cp.uptimeSeconds, workers: workers,
            globalDrops: global, featureDrops: feature,
            lastClearing: cp.lastGlobalClear.map { IOSDate.long(Date(timeIntervalSince1970: $0)) },
            suspects: ike.suspects, invalidSPIPunts: ike.counters.invalidSPIPunts,
            syslog: entries.suffix(lines).map(\.line), syslogLogged: cp.syslog.bufferedMessagesLogged)
    }
}
