/// Names an installed inbound SA: its owning worker, arena slot and the slot's generation
/// (so a handle to a deleted SA is recognised even after the slot was reused).
public struct InboundSAHandle: Hashable, Sendable, CustomStringConvertible {
    public let worker: Int
    public let slot: UInt32
    public let generation: UInt32
    public var description: String { "inbound SA w\(worker)/s\(slot)#\(generation)" }
}

/// Names an installed outbound SA slot and its generation.
public struct OutboundSAHandle: Hashable, Sendable, CustomStringConvertible {
    public let slot: UInt32
    public let generation: UInt32
    public var description: String { "outbound SA s\(slot)#\(generation)" }
}
