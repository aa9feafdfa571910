import Glibc
import Synchronization

/// The signals `qfp top`'s screen loop listens to: SIGWINCH (redraw at the new size) and
/// SIGINT, SIGTERM, SIGHUP (leave the screen, then end as the signal asks).
///
/// The handlers only store into atomics (async-signal-safe) and are installed without
/// SA_RESTART, so the loop's `poll` returns EINTR and the loop looks at once. Raw mode hooks
/// its own restore in front of the ending ones (`RawModeSignals`), which then run these.
enum TopSignals {
    static let ending: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// Set by SIGWINCH, taken by the loop.
    static let resized = Atomic<Bool>(false)
    /// The ending signal received, 0 for none.
    static let received = Atomic<Int32>(0)

    private static let onResize: @convention(c) (Int32) -> Void = { _ in
        // Relaxed: a flag polled by the loop; nothing else is published with it.
        TopSignals.resized.store(true, ordering: .relaxed)
    }

    private static let onEnd: @convention(c) (Int32) -> Void = { signal in
        TopSignals.received.store(signal, ordering: .relaxed)
    }

    /// The dispositions found before `install`, for `uninstall`.
    struct Saved {
        var actions: [(Int32, sigaction)]
    }

    /// Installs the handlers and unblocks their signals in the calling thread (which must be
    /// the one that polls); returns the dispositions they replaced. The mask stays unblocked,
    /// so an ending signal re-raised after `uninstall` takes effect.
    static func install() -> Saved {
        // Initialise the atomics' storage here, never first in a handler (swift_once is not
        // async-signal-safe).
        resized.store(false, ordering: .relaxed)
        received.store(0, ordering: .relaxed)
        var saved = Saved(actions: [])
        // A parent may start us with these blocked (a thread pool's mask is inherited across
        // exec): unblock them, or SIGTERM would stay pending and SIGWINCH never redraw.
        var mask = sigset_t()
        _ = sigemptyset(&mask)
        for signal in [SIGWINCH] + ending { _ = sigaddset(&mask, signal) }
        _ = pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        let handlers: [(Int32, @convention(c) (Int32) -> Void)] = [(SIGWINCH, onResize)] + ending.map { ($0, onEnd) }
        for (signal, handler) in handlers {
            var previous = sigaction()
            var mine = sigaction()
            mine.__sigaction_handler.sa_handler = handler
            _ = sigemptyset(&mine.sa_mask)
            mine.sa_flags = 0
            guard sigaction(signal, &mine, &previous) == 0 else { continue }
            saved.actions.append((signal, previous))
        }
        return saved
    }

    /// Puts the dispositions found by `install` back.
    static func uninstall(_ saved: Saved) {
        for (signal, action) in saved.actions {
            var action = action
            _ = sigaction(signal, &action, nil)
        }
    }
}
