/// A provider's per-worker engine that opens (verifies, then decrypts) a whole burst of inbound
/// ESP packets in one call — the shape of DPDK's `rte_cryptodev_enqueue_burst` /
/// `dequeue_burst` and of VPP's crypto frames, next to the per-SA `ESPCryptoFunctions` table.
///
/// Raw memory the provider made for one worker (`ESPCryptoProvider.makeBurstEngine`), starting
/// with
/// ```
///  0  open: @convention(c) function (below)
///  8  transforms: UInt64, bit `ESPTransform.rawValue` set for each transform it opens
/// 16  the provider's state (for intel-ipsec-mb: this worker's IMB_MGR and a tag buffer)
/// ```
/// `open(engine, count, contexts, packets, espStarts, ends, verdicts)` authenticates every
/// packet (ICV over `espStart ..< end - icv`, compared in constant time), then decrypts in place
/// only those whose ICV is good, and writes one `ESPBurstVerdict` raw value per packet. It
/// never touches replay state: the inbound stage updates the window afterwards, in packet
/// order. The engine's state is written by `open`, so an engine belongs to one worker; it
/// allocates, locks and calls the system never.
@frozen
public struct ESPCryptoBurst: @unchecked Sendable {
    public typealias Open = @convention(c) (
        UnsafeMutableRawPointer, Int,
        UnsafePointer<UnsafeMutableRawPointer>, UnsafePointer<UnsafeMutableRawPointer>,
        UnsafePointer<Int>, UnsafePointer<Int>, UnsafeMutablePointer<UInt8>) -> Void

    public let base: UnsafeMutableRawPointer
    /// Bit `t.rawValue` set for each transform `t` this engine opens.
    public let transforms: UInt64

    @inlinable
    public init(_ base: UnsafeMutableRawPointer) {
        self.base = base
        transforms = base.load(fromByteOffset: MemoryLayout<Open>.stride, as: UInt64.self)
    }

    /// The mask of `transforms` for a header.
    public static func mask(_ transforms: [ESPTransform]) -> UInt64 {
        transforms.reduce(0) { $0 | 1 << UInt64($1.rawValue) }
    }

    /// Whether this engine opens packets of SAs with `transform`.
    @inlinable @inline(__always)
    public func opens(_ transform: ESPTransform) -> Bool {
        transforms >> UInt64(transform.rawValue) & 1 != 0
    }

    /// Opens `count` packets; `verdicts[i]` gets an `ESPBurstVerdict` raw value.
    @inlinable @inline(__always)
    public func open(count: Int, contexts: UnsafePointer<UnsafeMutableRawPointer>,
                     packets: UnsafePointer<UnsafeMutableRawPointer>, espStarts: UnsafePointer<Int>,
                     ends: UnsafePointer<Int>, verdicts: UnsafeMutablePointer<UInt8>) {
        base.load(as: Open.self)(base, count, contexts, packets, espStarts, ends, verdicts)
    }
}

/// What a burst engine found for one packet.
public enum ESPBurstVerdict: UInt8, Sendable {
    /// The ICV did not match: the packet was not decrypted (its bytes are as they arrived).
    case integrityFailure = 0
    /// The ICV matched and the payload was decrypted in place.
    case opened = 1
    /// The ICV matched but the ciphertext is not a whole number of blocks (not decrypted).
    case badLength = 2
    /// Not opened by the engine: the inbound stage calls the context's `verify`/`decrypt`.
    case perPacket = 0xFF
}
