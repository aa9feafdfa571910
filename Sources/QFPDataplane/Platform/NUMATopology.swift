import CNuma
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The machine's NUMA layout as libnuma reports it, or a single-node fallback.
///
/// Discovered once per process. When `numa_available()` says no (or `QFP_NUMA=off` is set),
/// one warning line is logged and every node-aware call falls back to plain allocation and
/// affinity; nothing crashes.
public struct NUMATopology: Sendable {
    /// Whether libnuma is usable (`numa_available() >= 0` and not disabled by `QFP_NUMA=off`).
    public let isAvailable: Bool
    /// Number of configured NUMA nodes (1 in the fallback).
    public let nodeCount: Int
    /// CPUs this process may run on, ascending.
    public let allowedCPUs: [Int]
    /// `nodeOfCPU[i]` is the node of `allowedCPUs[i]`.
    public let nodeOfCPU: [Int]

    /// The topology of this process, discovered on first use.
    public static let current: NUMATopology = discover()

    /// The node `cpu` belongs to (0 when unknown).
    public func node(ofCPU cpu: Int) -> Int {
        if let i = allowedCPUs.firstIndex(of: cpu) { return nodeOfCPU[i] }
        return 0
    }

    /// The CPU worker `index` should run on: allowed CPUs round-robin.
    public func cpu(forWorker index: Int) -> Int {
        allowedCPUs.isEmpty ? 0 : allowedCPUs[index % allowedCPUs.count]
    }

    static func discover() -> NUMATopology {
        var cpus: [Int] = []
        let configured = Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        for cpu in 0..<max(configured, 1) where qfp_cpu_allowed(Int32(cpu)) != 0 {
            cpus.append(cpu)
        }
        if cpus.isEmpty { cpus = [0] }

        let disabled = getenv("QFP_NUMA").map { String(cString: $0) == "off" } ?? false
        let available = !disabled && numa_available() >= 0
        guard available else {
            let why = disabled ? "disabled by QFP_NUMA=off" : "numa_available() returned -1"
            Logger(label: "qfp.numa").warning(
                "NUMA not available (\(why)): using plain allocation and CPU affinity")
            return NUMATopology(
                isAvailable: false, nodeCount: 1, allowedCPUs: cpus,
                nodeOfCPU: Array(repeating: 0, count: cpus.count))
        }
        let nodes = max(Int(numa_num_configured_nodes()), 1)
        let nodeOf = cpus.map { max(Int(numa_node_of_cpu(Int32($0))), 0) }
        return NUMATopology(isAvailable: true, nodeCount: nodes, allowedCPUs: cpus, nodeOfCPU: nodeOf)
    }
}
