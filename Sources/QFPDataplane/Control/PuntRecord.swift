/// A small record a worker pushes to the control plane: an invalid SPI, a request to start IKE,
/// or an SA lifetime event. Fixed size, no pointers: it crosses an SPSC ring by value.
@frozen
public struct PuntRecord: BitwiseCopyable, Sendable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        /// Inbound ESP for an unknown SPI (`%CRYPTO-4-RECVD_PKT_INV_SPI`, recovery).
        case invalidSPI
        /// Outbound packet hit a protect policy without SA: start IKE for `binding`.
        case acquire
        /// An inbound SA (`worker`, `slot`) reached its soft lifetime: rekey.
        case inboundSoftExpired
        /// An inbound SA reached its hard lifetime.
        case inboundHardExpired
        /// An outbound SA (`slot`) reached its soft lifetime.
        case outboundSoftExpired
        /// An outbound SA reached its hard lifetime or ran out of sequence numbers.
        case outboundHardExpired
        /// Inbound ESP failed the anti-replay check (`%CRYPTO-4-PKT_REPLAY_ERR`).
        case replayFailure
        /// Inbound ESP failed its integrity check (`%CRYPTO-4-RECVD_PKT_MAC_ERR`).
        case integrityFailure
    }

    public var kind: Kind
    /// IP protocol of the offending packet: 50 (ESP) or 17 (ESP-in-UDP).
    public var protocolNumber: UInt8
    public var ipVersion: UInt8
    public var worker: UInt8
    public var inputInterface: UInt16
    public var spi: UInt32
    /// SA slot (lifetime events) or policy binding (acquire).
    public var slot: UInt32
    public var sequenceNumber: UInt32
    /// Coarse-clock time, nanoseconds.
    public var time: UInt64
    public var source: IPAddress
    public var destination: IPAddress

    @inlinable
    public init(kind: Kind, worker: Int, time: UInt64) {
        self.kind = kind
        protocolNumber = 0
        ipVersion = 0
        self.worker = UInt8(truncatingIfNeeded: worker)
        inputInterface = 0
        spi = 0
        slot = 0
        sequenceNumber = 0
        self.time = time
        source = IPAddress(high: 0, low: 0)
        destination = IPAddress(high: 0, low: 0)
    }
}

/// A whole packet handed to the control plane (IKE on UDP 500/4500), copied out of its buffer
/// so the buffer returns to its pool at once.
@frozen
public struct PuntedFrame: BitwiseCopyable, Sendable {
    public static let capacity = 1856
    public var length: UInt16
    public var inputInterface: UInt16
    public var worker: UInt8
    public var time: UInt64
    public var bytes: InlineArray<1856, UInt8>

    public init() {
        length = 0
        inputInterface = 0
        worker = 0
        time = 0
        bytes = InlineArray(repeating: 0)
    }

    /// The frame's bytes as an array (control plane, cold).
    public var packet: [UInt8] {
        withUnsafeBytes(of: bytes) { Array($0.prefix(Int(length))) }
    }
}
