import Glibc
import Synchronization

/// The terminals now in raw mode with their settings, kept where a signal handler can read them.
///
/// Unsafe by design and fenced here: fixed storage allocated once and never freed, slots
/// claimed and published with atomics, and no lock, allocation or reference counting on the
/// paths a signal handler takes (`restoreAll`, `reapplyAll`), which call only `tcsetattr`
/// (async-signal-safe per POSIX). A handler that reads a slot while its owner releases it and
/// another thread claims it again may apply stale settings once; both owners then reapply theirs.
enum RawModeTable {
    /// How many terminals may be in raw mode at once in one process.
    static let capacity = 16
    private static let free: Int32 = -1
    private static let claiming: Int32 = -2

    /// Per slot: `free`, `claiming` while its settings are written, or the descriptor in raw mode.
    nonisolated(unsafe) private static let descriptors: UnsafeMutablePointer<Atomic<Int32>> = {
        let p = UnsafeMutablePointer<Atomic<Int32>>.allocate(capacity: capacity)
        for i in 0..<capacity { (p + i).initialize(to: Atomic(free)) }
        return p
    }()

    /// Per slot `i`: the settings found on entry at `2i`, the raw settings at `2i + 1`.
    nonisolated(unsafe) private static let settings: UnsafeMutablePointer<termios> = {
        let p = UnsafeMutablePointer<termios>.allocate(capacity: 2 * capacity)
        p.initialize(repeating: termios(), count: 2 * capacity)
        return p
    }()

    /// Publishes `fd` as being in raw mode; returns its slot, to be released after restoring.
    /// When another slot already lists `fd` (two handles on one tty), its settings found on
    /// entry are the ones a signal handler must put back, whatever order it visits the slots in.
    static func claim(fd: Int32, saved: termios, raw: termios) throws -> Int {
        var saved = saved
        for i in 0..<capacity where descriptors[i].load(ordering: .acquiring) == fd {
            saved = settings[2 * i]
        }
        for i in 0..<capacity {
            // Acquiring pairs with the releasing store of `release`: the previous owner is done.
            guard descriptors[i].compareExchange(expected: free, desired: claiming, ordering: .acquiring).exchanged else { continue }
            settings[2 * i] = saved
            settings[2 * i + 1] = raw
            // Releasing pairs with the acquiring loads of restoreAll/reapplyAll: a handler that
            // sees the descriptor sees its settings.
            descriptors[i].store(fd, ordering: .releasing)
            return i
        }
        throw TerminalError.tooManyRawTerminals
    }

    /// Frees a slot; call after the terminal's settings were put back.
    static func release(_ slot: Int) {
        // Releasing pairs with the acquiring exchange of the next `claim`.
        descriptors[slot].store(free, ordering: .releasing)
    }

    /// Puts every published terminal back to its settings found on entry. Async-signal-safe.
    static func restoreAll() {
        apply(offset: 0)
    }

    /// Puts every published terminal back into raw mode (after SIGCONT). Async-signal-safe.
    static func reapplyAll() {
        apply(offset: 1)
    }

    private static func apply(offset: Int) {
        for i in 0..<capacity {
            // Acquiring pairs with the releasing store of `claim`.
            let fd = descriptors[i].load(ordering: .acquiring)
            if fd >= 0 {
                _ = tcsetattr(fd, TCSANOW, settings + (2 * i + offset))
            }
        }
    }
}
