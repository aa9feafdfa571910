import QFPDataplane
import Synchronization

/// Time for everything with a timer: syslog rate limits, SA lifetimes, DPD, scenarios.
/// Nanoseconds on a monotonic scale; only differences matter.
public protocol ControlClock: Sendable {
    /// Now, in nanoseconds.
    func now() -> UInt64
}

/// The host's monotonic clock, for live runs.
public struct MonotonicControlClock: ControlClock {
    public init() {}
    public func now() -> UInt64 { MonotonicClock.nanoseconds() }
}

/// A clock that moves only when told: tests and scenarios run an hour of lifetimes in
/// milliseconds, and never sleep.
public final class VirtualClock: ControlClock {
    private let nanoseconds: Atomic<UInt64>

    public init(start: UInt64 = 0) { nanoseconds = Atomic(start) }

    public func now() -> UInt64 {
        // Relaxed: a timestamp; readers need no ordering with other memory.
        nanoseconds.load(ordering: .relaxed)
    }

    /// Moves time forward.
    public func advance(by delta: Duration) {
        let (seconds, attoseconds) = delta.components
        let ns = UInt64(max(seconds, 0)) &* 1_000_000_000 &+ UInt64(max(attoseconds, 0) / 1_000_000_000)
        // Relaxed: see `now()`.
        nanoseconds.add(ns, ordering: .relaxed)
    }
}

/// Publishes a control clock to the data plane's coarse clock. Live mode calls `tick()` from a
/// timer; tests call it after advancing a `VirtualClock`.
public struct ClockPublisher: Sendable {
    public let clock: any ControlClock
    public let target: CoarseClock

    public init(clock: any ControlClock, target: CoarseClock) {
        self.clock = clock
        self.target = target
    }

    /// Copies the current time to the data plane.
    public func tick() { target.publish(clock.now()) }
}

/// Calendar time, for what IOS prints as dates (`show clock`, log stamps, last clearing).
/// Injectable like `ControlClock`: tests pin it.
public protocol WallClock: Sendable {
    /// Now, as seconds since 1970 (UTC).
    func secondsSince1970() -> Double
}

/// The host's calendar clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func secondsSince1970() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A calendar clock that follows a control clock from a fixed start (tests, scenarios).
public struct DerivedWallClock: WallClock {
    public let start: Double
    public let clock: any ControlClock
    public init(start: Double, clock: any ControlClock) {
        self.start = start
        self.clock = clock
    }
    public func secondsSince1970() -> Double { start + Double(clock.now()) / 1e9 }
}

#if canImport(Glibc)
import Glibc
#endif
