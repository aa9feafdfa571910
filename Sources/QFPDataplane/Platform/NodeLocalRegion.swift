import CNuma
#if canImport(Glibc)
import Glibc
#endif

/// A page-aligned, zero-filled block of memory placed on one NUMA node.
///
/// Backed by `numa_alloc_onnode` when NUMA is available, otherwise by an anonymous `mmap`;
/// either way pages are committed on first touch, so a large arena costs only what is used.
/// The owner frees it with `deallocate()` exactly once; nothing is reference counted.
public struct NodeLocalRegion: @unchecked Sendable {
    /// First byte; page aligned.
    public let base: UnsafeMutableRawPointer
    /// Size in bytes as requested.
    public let byteCount: Int
    @usableFromInline let viaLibnuma: Bool

    /// Allocates `byteCount` zeroed bytes on `node` (or anywhere when NUMA is unavailable).
    public static func allocate(
        byteCount: Int, node: Int, what: String, topology: NUMATopology = .current
    ) throws(DataplaneError) -> NodeLocalRegion {
        let size = max(byteCount, 1)
        if topology.isAvailable, let p = numa_alloc_onnode(size, Int32(node)) {
            return NodeLocalRegion(base: p, byteCount: size, viaLibnuma: true)
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { throw .outOfMemory(what: what, bytes: size) }
        return NodeLocalRegion(base: p, byteCount: size, viaLibnuma: false)
    }

    /// Returns the memory to the system. The region must not be used afterwards.
    public func deallocate() {
        if viaLibnuma {
            numa_free(base, byteCount)
        } else {
            munmap(base, byteCount)
        }
    }
}

/// A bump allocator that carves cache-line-aligned pieces out of one `NodeLocalRegion`.
///
/// Used at set-up to lay a worker's structures out in its node's memory; never on the data path.
public struct RegionCarver {
    public let region: NodeLocalRegion
    private var offset = 0

    public init(_ region: NodeLocalRegion) { self.region = region }

    /// Bytes needed to carve `sizes` with `alignment` each (to size a region first).
    public static func bytesNeeded(_ sizes: [Int], alignment: Int = CacheLine.padded) -> Int {
        sizes.reduce(0) { $0 + (($1 + alignment - 1) / alignment) * alignment }
    }

    /// The next `byteCount` bytes, aligned to `alignment` (a power of two).
    public mutating func carve(_ byteCount: Int, alignment: Int = CacheLine.padded) -> UnsafeMutableRawPointer {
        let start = (offset + alignment - 1) & ~(alignment - 1)
        precondition(start + byteCount <= region.byteCount, "region too small for its carving plan")
        offset = start + byteCount
        return region.base + start
    }
}

/// Cache-line constants. Data shared between cores is padded to `padded` bytes: two 64-byte
/// lines, because the adjacent-line prefetcher pulls lines in pairs (DPDK's RTE_CACHE_GUARD).
public enum CacheLine {
    public static let size = 64
    public static let padded = 128
}
