import Foundation
import Synchronization

/// The router's logging buffer (`logging buffered`): the newest messages up to a byte size,
/// what `show logging` prints and `clear logging` empties. Thread-safe.
public final class SyslogBuffer: Sendable {
    struct State {
        var entries: [LogEntry] = []
        var bytes = 0
        var logged: UInt64 = 0
        var dropped: UInt64 = 0
        var flushes = 0
    }

    /// Buffer size in bytes (IOS default for `logging buffered` is platform specific; 4096 is
    /// the classic default).
    public let capacity: Int
    let wallClock: any WallClock
    let state = Mutex(State())

    public init(capacity: Int = 4096 * 8, wallClock: any WallClock) {
        self.capacity = capacity
        self.wallClock = wallClock
    }

    /// Logs `message` (`%FAC-SEV-MNEMONIC: text`) stamped with the wall clock, UTC, msec.
    public func log(_ message: String) {
        let date = Date(timeIntervalSince1970: wallClock.secondsSince1970())
        let entry = LogEntry(timestamp: SyslogTimestamp(date, in: TimeZone(identifier: "UTC")!, milliseconds: true), message: message)
        state.withLock { s in
            s.entries.append(entry)
            s.bytes += entry.line.utf8.count + 1
            s.logged += 1
            while s.bytes > capacity, !s.entries.isEmpty {
                s.bytes -= s.entries.removeFirst().line.utf8.count + 1
            }
        }
    }

    /// Messages in the buffer, oldest first.
    public var entries: [LogEntry] { state.withLock { $0.entries } }

    /// Messages logged since start (the buffer may hold fewer).
    public var messagesLogged: UInt64 { state.withLock { $0.logged } }

    /// Bytes the buffer holds now.
    public var bytesUsed: Int { state.withLock { $0.bytes } }

    /// `clear logging`.
    public func clear() {
        state.withLock { s in
            s.entries.removeAll()
            s.bytes = 0
            s.flushes += 1
        }
    }
}
