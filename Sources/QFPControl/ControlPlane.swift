import Foundation
import QFPDataplane
import Synchronization

/// Everything the IOS commands read or change: the router (configuration and data-plane
/// programming), the logging buffer, the drop history and utilization monitors, the clocks,
/// and the time of the last counter clear. One per daemon; shared by all CLI sessions.
public final class ControlPlane: Sendable {
    public let router: Router
    public let syslog: SyslogBuffer
    /// EEM applets (`event manager applet`), fed by `syslog` and `tick()`.
    public let eem: EEMEngine
    /// `bootflash:` and friends (`| append`, `| redirect`, `more`).
    public let flash: FlashFileSystem
    public let dropHistory: DropHistory
    public let utilization: UtilizationMonitor
    /// Per-interface counters (`show interfaces`, `clear counters`), from the live ports.
    public let interfaces: InterfaceCounters
    /// IKE SAs, invalid-SPI recovery, DPD, lifetimes and rekey. Driven by one thread
    /// (`serviceDataplane()` in the daemon, the scenario loop); show commands read its snapshot.
    public let ike: IKEManager
    /// Logins (SSH): checks against the accounts, audit messages, failure counts.
    public let logins: LoginLog
    /// The CLI sessions open now (`show users`, `show ssh`).
    public let sessions: SessionRegistry
    public let clock: any ControlClock
    public let wallClock: any WallClock
    /// Control-clock time the control plane started (for uptimes).
    public let bootTime: UInt64
    /// The configuration the router started with (the configuration file): what
    /// `show ip interface brief` calls `NVRAM`, as opposed to `manual` changes made since.
    public let startupConfiguration: RouterConfiguration
    let clears = Mutex<(global: Double?, feature: Double?)>((nil, nil))
    let appliedObservers = Mutex<[@Sendable (RouterConfiguration) -> Void]>([])

    /// `flashRoot` is the directory behind `bootflash:` (`FlashFileSystem.defaultRoot` when nil).
    public init(router: Router, clock: any ControlClock, wallClock: any WallClock, flashRoot: URL? = nil) {
        self.router = router
        self.clock = clock
        self.wallClock = wallClock
        syslog = SyslogBuffer(wallClock: wallClock, clock: clock)
        eem = EEMEngine(logger: syslog, clock: clock)
        flash = FlashFileSystem(root: flashRoot ?? FlashFileSystem.defaultRoot)
        syslog.apply(router.configuration.control)
        eem.apply(router.configuration.control.applets)
        let statistics = router.pipeline.statistics
        dropHistory = DropHistory(statistics: statistics, clock: clock)
        utilization = UtilizationMonitor(statistics: statistics, workers: router.pipeline.configuration.workers, clock: clock)
        ike = IKEManager(router: router, syslog: syslog, clock: clock)
        interfaces = InterfaceCounters(clock: clock)
        logins = LoginLog(syslog: syslog, wallClock: wallClock, clock: clock) { [router] in
            let c = router.configuration
            return (c.control.access, c.accessLists)
        }
        sessions = SessionRegistry(clock: clock)
        bootTime = clock.now()
        startupConfiguration = router.configuration
    }

    /// The counters of every core.
    public var statistics: DropStatistics { router.pipeline.statistics }

    /// Applies a new configuration and logs it as IOS does (`%SYS-5-CONFIG_I`).
    public func configure(_ configuration: RouterConfiguration, by who: String) throws {
        try apply(configuration)
        syslog.log(.configured(by: who))
    }

    /// Applies a configuration without logging: the data plane through the router, then the
    /// logging and EEM parts. Nothing changes when the router refuses it.
    public func apply(_ configuration: RouterConfiguration) throws {
        try router.apply(configuration)
        syslog.apply(configuration.control)
        eem.apply(configuration.control.applets)
        for observer in appliedObservers.withLock({ $0 }) { observer(configuration) }
    }

    /// Calls `observer` with every configuration applied from now on, after the router took it
    /// (on the applying thread). The daemon's live ports rebuild their egress table this way.
    public func onConfigurationApplied(_ observer: @escaping @Sendable (RouterConfiguration) -> Void) {
        appliedObservers.withLock { $0.append(observer) }
    }

    /// Hands the workers' punts to the IKE model and runs its timers (the daemon's control
    /// thread calls this every few milliseconds). Returns the punts handled.
    @discardableResult
    public func serviceDataplane(maximumPunts: Int = 4096) -> Int {
        let punts = router.dataplane.drainPunts(maximum: maximumPunts)
        if !punts.isEmpty { ike.handle(punts) }
        ike.advance()
        return punts.count
    }

    /// Takes the periodic samples (the daemon calls this every second).
    public func tick() {
        dropHistory.sample()
        utilization.sample()
        interfaces.sample()
        eem.tick()
        logins.tick()
    }

    /// Records that a drop table was cleared now.
    public func noteClear(_ scope: DropStatistics.Scope) {
        let now = wallClock.secondsSince1970()
        clears.withLock { c in
            if scope != .featureDrops { c.global = now }
            if scope != .globalDrops { c.feature = now }
        }
    }

    /// When the global drop table was last cleared (seconds since 1970), if ever.
    public var lastGlobalClear: Double? { clears.withLock { $0.global } }

    /// Seconds since the control plane started.
    public var uptimeSeconds: UInt64 { (clock.now() &- bootTime) / 1_000_000_000 }

    /// The wall clock now.
    public var now: Date { Date(timeIntervalSince1970: wallClock.secondsSince1970()) }
}
