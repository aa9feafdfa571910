/// A change the control plane asks one worker to make, sent over the worker's SPSC command
/// ring and applied between bursts. The worker publishes the epoch of the last command it
/// applied (`WorkerControlBlock.appliedEpoch`); memory a command retires is reused only after
/// that acknowledgement (quiescent-state reclamation).
@frozen
public struct WorkerCommand: BitwiseCopyable, @unchecked Sendable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        /// Install inbound SA: slot, spi, address (destination), flags, replay words, limits.
        case installInbound
        /// Remove inbound SA in `slot`.
        case deleteInbound
        /// Mark inbound SA in `slot` as replaced by a newer one (it keeps working: overlap).
        case markRekeyed
        /// Point policy binding `binding` at outbound slot `slot` (and reset this worker's
        /// counters for that slot).
        case bindOutbound
        /// Make policy binding `binding` have no SA.
        case unbindOutbound
        /// Replace the security policy database with `image` (nil for none).
        case installPolicies
        /// Add or update local endpoint `address` with mode in `flags` (tunnel bit).
        case setLocalEndpoint
        /// Remove local endpoint `address`.
        case removeLocalEndpoint
        /// Set the punt token buckets: `softPackets` records per second, `hardPackets` burst.
        case configurePunt
        /// Copy dropped packets to the drop-capture ring (`flags` 1) or stop (0).
        case setDropCapture
        /// Use the crypto burst engine at `image` (nil: none, every context per packet).
        case setCryptoBurst
        /// Nothing; used to wait until a worker has caught up.
        case barrier
    }

    public var kind: Kind
    public var replayWords: UInt16 = 0
    public var flags: UInt16 = 0
    public var slot: UInt32 = 0
    public var spi: UInt32 = 0
    public var binding: UInt32 = 0
    public var epoch: UInt64 = 0
    public var address = IPAddress(high: 0, low: 0)
    public var softPackets: UInt64 = 0
    public var hardPackets: UInt64 = 0
    public var softBytes: UInt64 = 0
    public var hardBytes: UInt64 = 0
    public var image: UnsafeRawPointer? = nil

    public init(kind: Kind) { self.kind = kind }
}
