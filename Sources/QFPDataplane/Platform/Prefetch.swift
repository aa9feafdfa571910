import CNuma

/// Software prefetch hints (burst lookups issue them one stage ahead of the access).
public enum Prefetch {
    @inlinable @inline(__always)
    public static func read(_ p: UnsafeRawPointer) { qfp_prefetch(p) }

    @inlinable @inline(__always)
    public static func write(_ p: UnsafeRawPointer) { qfp_prefetch_write(p) }
}
