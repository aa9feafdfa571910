@testable import QFPDataplane
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Platform: NUMA, memory, threads")
struct PlatformTests {
    @Test("QFP_NUMA=off falls back to one node, and allocation and pinning still work")
    func fallback() throws {
        setenv("QFP_NUMA", "off", 1)
        defer { unsetenv("QFP_NUMA") }
        let t = NUMATopology.discover()
        #expect(!t.isAvailable && t.nodeCount == 1 && !t.allowedCPUs.isEmpty)
        let region = try NodeLocalRegion.allocate(byteCount: 1 << 20, node: 3, what: "fallback test", topology: t)
        region.base.storeBytes(of: 42, toByteOffset: (1 << 20) - 8, as: UInt64.self)
        #expect(region.base.load(fromByteOffset: (1 << 20) - 8, as: UInt64.self) == 42)
        #expect(region.base.load(as: UInt64.self) == 0)
        region.deallocate()
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        let p = try Pipeline(c, topology: t)
        #expect(p.control.workerCount == 1)
    }

    @Test("the discovered topology is usable and threads pin to allowed CPUs")
    func discovered() throws {
        let t = NUMATopology.current
        #expect(t.nodeCount >= 1)
        #expect(t.nodeOfCPU.count == t.allowedCPUs.count)
        let cpu = t.allowedCPUs.last!
        let thread = try PinnedThread.start(name: "pin-test", cpu: cpu) {}
        thread.join()
        #expect(thread.cpu == cpu)
        let unpinned = try PinnedThread.start(name: "pin-test", cpu: 100_000) {}
        unpinned.join()
        #expect(unpinned.cpu == nil)
    }

    @Test("token bucket: burst, then rate")
    func tokenBucket() {
        var b = TokenBucket(ratePerSecond: 2, burst: 3)
        var taken = (0..<10).filter { _ in b.take(now: 1_000) }.count
        #expect(taken == 3)
        taken = (0..<10).filter { _ in b.take(now: 1_000 + 1_000_000_000) }.count
        #expect(taken == 2)
        taken = (0..<10).filter { _ in b.take(now: 1_000 + 61_000_000_000) }.count
        #expect(taken == 3)
    }
}
