import CNuma
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread pinned to one CPU, with NUMA local allocation, for workers and sources.
///
/// Cold path: created at start-up, joined at shutdown.
public final class PinnedThread: @unchecked Sendable {
    private var thread: pthread_t
    /// The CPU the thread was asked to run on, or nil when unpinned.
    public let cpu: Int?

    private final class Context {
        let body: @Sendable () -> Void
        let name: String
        let cpu: Int?
        let useNUMA: Bool
        init(body: @escaping @Sendable () -> Void, name: String, cpu: Int?, useNUMA: Bool) {
            self.body = body; self.name = name; self.cpu = cpu; self.useNUMA = useNUMA
        }
    }

    private init(thread: pthread_t, cpu: Int?) {
        self.thread = thread
        self.cpu = cpu
    }

    /// Starts `body` on a new thread named `name`, pinned to `cpu` when given and allowed.
    public static func start(
        name: String, cpu: Int?, topology: NUMATopology = .current,
        body: @escaping @Sendable () -> Void
    ) throws(DataplaneError) -> PinnedThread {
        let pinTo = cpu.flatMap { topology.allowedCPUs.contains($0) ? $0 : nil }
        let context = Unmanaged.passRetained(
            Context(body: body, name: name, cpu: pinTo, useNUMA: topology.isAvailable)
        ).toOpaque()
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            let context = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
            _ = context.name.withCString { qfp_name_current_thread($0) }
            if let cpu = context.cpu {
                _ = qfp_pin_current_thread(Int32(cpu))
                if context.useNUMA { numa_set_localalloc() }
            }
            context.body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            throw .threadStart(name: name, errno: rc)
        }
        return PinnedThread(thread: handle, cpu: pinTo)
    }

    /// Waits for the thread to finish. Call once.
    public func join() {
        pthread_join(thread, nil)
    }
}

/// CPU hints for spin loops.
public enum CPU {
    /// A pause between polls of an empty ring.
    @inlinable @inline(__always)
    public static func relax() { qfp_cpu_relax() }

    /// Gives the CPU away (used after many empty polls, so two spinning threads on two vCPUs
    /// shared with other work do not starve each other).
    @inlinable
    public static func yield() { sched_yield() }

    /// Lets the kernel wake the calling thread at most `nanoseconds` late from a sleep
    /// (Linux timer slack; the default is 50 µs). For threads that pace on short sleeps.
    public static func setTimerSlack(nanoseconds: Int) { _ = qfp_set_timer_slack(UInt(nanoseconds)) }
}
