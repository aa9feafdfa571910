import Glibc
import QFPDataplane

/// `qfp top` without a screen (stdout not a terminal, or `--batch`): a block of plain lines per
/// refresh (`TopPlainText`). The first block comes one interval after the start, so that it
/// already has rates; each block's `log` lines are those logged since the block before (the
/// first: since the start).
public struct TopBatch {
    let interval: UInt64
    let iterations: Int?
    let fetch: () throws -> TopSnapshot
    let write: (String) -> Void
    let now: () -> UInt64

    /// `interval` in nanoseconds; stops after `iterations` blocks when given.
    public init(interval: UInt64, iterations: Int?, fetch: @escaping () throws -> TopSnapshot,
                write: @escaping (String) -> Void, now: @escaping () -> UInt64 = MonotonicClock.nanoseconds) {
        self.interval = interval
        self.iterations = iterations
        self.fetch = fetch
        self.write = write
        self.now = now
    }

    /// Prints blocks until the iteration count (or forever).
    public func run() throws {
        var model = TopModel()
        let first = try fetch()
        model.ingest(first)
        var logged = first.syslogLogged
        var blocks = 0
        var due = now() &+ interval
        while iterations.map({ blocks < $0 }) ?? true {
            var current = now()
            while current < due {
                _ = poll(nil, 0, Int32(min((due - current) / 1_000_000 + 1, 60_000)))
                current = now()
            }
            due = max(due &+ interval, now())
            let snapshot = try fetch()
            model.ingest(snapshot)
            write(TopPlainText.render(model.view, newSyslog: TopPlainText.newSyslog(snapshot, since: logged)))
            logged = snapshot.syslogLogged
            blocks += 1
        }
    }
}
