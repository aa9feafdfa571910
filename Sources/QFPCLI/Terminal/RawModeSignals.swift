import Glibc
import Synchronization

/// Signal handlers and an `atexit` hook that put raw terminals back before the process ends or stops.
///
/// Installed (again, when something replaced them) each time a terminal enters raw mode. A
/// disposition of `SIG_IGN` is left alone: an ignored signal cannot end the process.
/// - Ending and crash signals: restore the terminals, reinstall the disposition that was there
///   before (default, the Swift runtime's backtracer, or the program's own handler) and raise
///   the signal again, so it runs as if this hook did not exist once the handler returns.
/// - SIGTSTP (only over the default disposition): restore, stop with the default action, and on
///   SIGCONT hook SIGTSTP again and put the terminals back in raw mode, as vi and less do.
/// While a terminal is raw, Ctrl-C and Ctrl-Z are bytes, not signals (ISIG is off); these cover
/// `kill`, hang-ups and crashes.
enum RawModeSignals {
    /// Signals after which the process may end.
    static let ending: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// Dispositions found before this hook, by signal number; read by the handlers.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
        p.initialize(repeating: sigaction(), count: Int(NSIG))
        return p
    }()

    /// The SIGTSTP action of this hook, which the stop handler reinstalls after SIGCONT.
    nonisolated(unsafe) private static let stopAction: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        p.initialize(to: action(onStop))
        return p
    }()

    /// Serialises installation; true once the `atexit` hook is registered.
    private static let installation = Mutex(false)

    private static let onEnd: @convention(c) (Int32) -> Void = { signal in
        let saved = errno
        RawModeTable.restoreAll()
        _ = sigaction(signal, RawModeSignals.previous + Int(signal), nil)
        // Blocked while this handler runs: delivered to the reinstalled disposition on return.
        _ = raise(signal)
        errno = saved
    }

    private static let onStop: @convention(c) (Int32) -> Void = { _ in
        let saved = errno
        RawModeTable.restoreAll()
        var stop = sigaction()
        stop.__sigaction_handler.sa_handler = SIG_DFL
        _ = sigemptyset(&stop.sa_mask)
        _ = sigaction(SIGTSTP, &stop, nil)
        _ = raise(SIGTSTP)
        var mask = sigset_t()
        _ = sigemptyset(&mask)
        _ = sigaddset(&mask, SIGTSTP)
        // The pending SIGTSTP stops the process here; SIGCONT resumes after this call.
        _ = pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        _ = sigaction(SIGTSTP, RawModeSignals.stopAction, nil)
        RawModeTable.reapplyAll()
        errno = saved
    }

    /// Installs whatever part of the hook is missing. Cheap: a few `sigaction` queries.
    static func install() {
        installation.withLock { atExitRegistered in
            // Initialise the lazy storage here, never first in a handler (swift_once is not
            // async-signal-safe).
            _ = previous
            _ = stopAction
            if !atExitRegistered {
                atExitRegistered = true
                _ = atexit { RawModeTable.restoreAll() }
            }
            for signal in ending {
                hook(signal, onEnd, onlyOverDefault: false)
            }
            hook(SIGTSTP, onStop, onlyOverDefault: true)
        }
    }

    /// True when `signal`'s current handler is this hook's.
    static func isHooked(_ signal: Int32) -> Bool {
        var current = sigaction()
        _ = sigaction(signal, nil, &current)
        let mine = signal == SIGTSTP ? onStop : onEnd
        return bits(current.__sigaction_handler.sa_handler) == bits(mine)
    }

    private static func hook(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void, onlyOverDefault: Bool) {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0 else { return }
        let installed = bits(current.__sigaction_handler.sa_handler)
        if installed == bits(handler) || installed == bits(SIG_IGN) { return }
        if onlyOverDefault && installed != bits(SIG_DFL) { return }
        previous[Int(signal)] = current
        var mine = action(handler)
        _ = sigaction(signal, &mine, nil)
    }

    private static func action(_ handler: @convention(c) (Int32) -> Void) -> sigaction {
        var a = sigaction()
        a.__sigaction_handler.sa_handler = handler
        _ = sigemptyset(&a.sa_mask)
        // SA_ONSTACK: a crash from stack overflow can still run the handler on the runtime's
        // alternate stack, when the thread has one.
        a.sa_flags = SA_RESTART | SA_ONSTACK
        return a
    }

    private static func bits(_ handler: (@convention(c) (Int32) -> Void)?) -> Int {
        unsafeBitCast(handler, to: Int.self)
    }
}
