import Synchronization

/// Flag bits of an inbound or outbound SA entry.
public struct SAFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The entry holds a live SA.
    public static let valid = SAFlags(rawValue: 1 << 0)
    /// Tunnel mode (else transport).
    public static let tunnel = SAFlags(rawValue: 1 << 1)
    /// The SA's addresses are IPv6.
    public static let ipv6 = SAFlags(rawValue: 1 << 2)
    /// ESP-in-UDP (RFC 3948).
    public static let udpEncapsulated = SAFlags(rawValue: 1 << 3)
    /// The soft lifetime was reported to the control plane.
    public static let softNotified = SAFlags(rawValue: 1 << 4)
    /// The hard lifetime was reached: every further packet is dropped.
    public static let hardExpired = SAFlags(rawValue: 1 << 5)
    /// A newer SA replaced this one (rekey); it stays usable until deleted (overlap).
    public static let rekeyed = SAFlags(rawValue: 1 << 6)

    @inlinable static func transformBits(_ t: ESPTransform) -> UInt16 { UInt16(t.rawValue) << 12 }
    @inlinable var transform: ESPTransform { ESPTransform(rawValue: UInt8(rawValue >> 12)) ?? .null }
}

/// The 64-byte hot entry of an inbound SA: lookup key, replay state and lifetime limits.
///
/// Layout (one cache line; written only by the owning worker):
/// ```
///  0 spi u32 | 4 flags u16 | 6 replay words u16 (0 = disabled)
///  8 destination (16 bytes)
/// 24 replay top u64 | 32 replay bitmap word 0 (windows of 64)
/// 40 soft packets u32 | 44 hard packets u32 (0 = none)
/// 48 soft bytes u64 | 56 hard bytes u64 (0 = none)
/// ```
@frozen
public struct InboundSA {
    public static let size = 64
    public let base: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable public var spi: UInt32 {
        @inline(__always) get { base.load(as: UInt32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, as: UInt32.self) }
    }
    @inlinable public var flags: SAFlags {
        @inline(__always) get { SAFlags(rawValue: base.load(fromByteOffset: 4, as: UInt16.self)) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue.rawValue, toByteOffset: 4, as: UInt16.self) }
    }
    @inlinable public var replayWords: Int {
        @inline(__always) get { Int(base.load(fromByteOffset: 6, as: UInt16.self)) }
        @inline(__always) nonmutating set { base.storeBytes(of: UInt16(newValue), toByteOffset: 6, as: UInt16.self) }
    }
    @inlinable public var destination: IPAddress {
        @inline(__always) get { base.load(fromByteOffset: 8, as: IPAddress.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 8, as: IPAddress.self) }
    }
    @inlinable public var replayTop: UInt64 {
        @inline(__always) get { base.load(fromByteOffset: 24, as: UInt64.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 24, as: UInt64.self) }
    }
    @inlinable var inlineBitmap: UnsafeMutablePointer<UInt64> {
        (base + 32).assumingMemoryBound(to: UInt64.self)
    }
    @inlinable public var softPackets: UInt32 {
        @inline(__always) get { base.load(fromByteOffset: 40, as: UInt32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 40, as: UInt32.self) }
    }
    @inlinable public var hardPackets: UInt32 {
        @inline(__always) get { base.load(fromByteOffset: 44, as: UInt32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 44, as: UInt32.self) }
    }
    @inlinable public var softBytes: UInt64 {
        @inline(__always) get { base.load(fromByteOffset: 48, as: UInt64.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 48, as: UInt64.self) }
    }
    @inlinable public var hardBytes: UInt64 {
        @inline(__always) get { base.load(fromByteOffset: 56, as: UInt64.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 56, as: UInt64.self) }
    }
}

/// Per-SA counters of an inbound SA, for `show crypto ipsec sa`.
public enum InboundSACounter: Int, CaseIterable, Sendable {
    case decapsulatedPackets, decapsulatedBytes
    case replayDuplicates, replayTooOld
    case hardExpiryDrops, integrityFailures, paddingErrors, nextHeaderErrors
}

/// A snapshot of one inbound SA's counters.
public struct InboundSACounters: Equatable, Sendable {
    public var values: [UInt64]
    public init(values: [UInt64] = Array(repeating: 0, count: InboundSACounter.allCases.count)) {
        self.values = values
    }
    public subscript(_ c: InboundSACounter) -> UInt64 { values[c.rawValue] }
}

/// One worker's inbound SAs: hot entries, counters, and large replay bitmaps, by slot.
///
/// A slot is 128 bytes: the 64-byte `InboundSA` then eight `Atomic<UInt64>` counters (single
/// writer: the worker; the control plane reads them relaxed). Windows above 64 packets keep
/// their bitmap in a separate region (`ReplayWindow.maximumWords` words per slot), touched
/// only by SAs that use it. Slots are chosen by the control plane, which reuses one only after
/// the worker acknowledged its deletion.
@frozen
public struct InboundSAArena: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutableRawPointer
    @usableFromInline let wideBitmaps: UnsafeMutablePointer<UInt64>
    /// Crypto context of each slot (nil for ESP-NULL), after the slots in the same region.
    @usableFromInline let contexts: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// Number of slots.
    public let capacity: Int

    static let slotSize = 128
    static let counterOffset = 64

    init(slots: UnsafeMutableRawPointer, wideBitmaps: UnsafeMutableRawPointer, capacity: Int) {
        self.slots = slots
        self.wideBitmaps = wideBitmaps.bindMemory(to: UInt64.self, capacity: capacity * ReplayWindow.maximumWords)
        self.contexts = (slots + capacity * Self.slotSize).bindMemory(to: UnsafeMutableRawPointer?.self, capacity: capacity)
        self.contexts.initialize(repeating: nil, count: capacity)
        self.capacity = capacity
    }

    /// Bytes needed for `capacity` slots (with their crypto-context pointers) and their wide
    /// bitmaps.
    static func byteCounts(capacity: Int) -> (slots: Int, bitmaps: Int) {
        (capacity * (slotSize + 8), capacity * ReplayWindow.maximumWords * 8)
    }

    /// The crypto context of `slot`. Only for an SA whose transform is not ESP-NULL (those
    /// always have one: `DataplaneControl.installInbound`).
    @inlinable @inline(__always)
    public func context(_ slot: UInt32) -> ESPCryptoContext {
        // Installed with the SA (a non-NULL transform always comes with a context).
        ESPCryptoContext(contexts[Int(slot)].unsafelyUnwrapped)
    }

    /// The hot entry of `slot`.
    @inlinable @inline(__always)
    public func entry(_ slot: UInt32) -> InboundSA {
        InboundSA(slots + (Int(slot) &<< 7))
    }

    @inlinable @inline(__always)
    func counters(_ slot: UInt32) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (slots + ((Int(slot) &<< 7) &+ 64)).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// The replay bitmap of `slot`: inline for 64-packet windows, else the wide region.
    @inlinable @inline(__always)
    func replayBits(_ slot: UInt32, words: Int) -> UnsafeMutablePointer<UInt64> {
        words <= 1 ? entry(slot).inlineBitmap : wideBitmaps + Int(slot) &* ReplayWindow.maximumWords
    }

    /// Adds to a counter of `slot`. Owning worker only (single writer: load + store).
    @inlinable @inline(__always)
    func bump(_ slot: UInt32, _ counter: InboundSACounter, by n: UInt64 = 1) {
        let cell = counters(slot) + counter.rawValue
        // Relaxed: single writer; readers only need a recent value.
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ n, ordering: .relaxed)
    }

    /// Reads a counter of `slot`. Any thread.
    @inlinable
    func load(_ slot: UInt32, _ counter: InboundSACounter) -> UInt64 {
        counters(slot)[counter.rawValue].load(ordering: .relaxed)
    }

    /// Writes a new SA into `slot` with zeroed state and counters, and its crypto context
    /// (`command.image`). Owning worker only.
    func install(_ command: WorkerCommand) {
        let sa = entry(command.slot)
        sa.spi = command.spi
        sa.flags = SAFlags(rawValue: command.flags).union(.valid)
        sa.replayWords = Int(command.replayWords)
        sa.destination = command.address
        sa.replayTop = 0
        sa.inlineBitmap.pointee = 0
        if command.replayWords > 1 {
            replayBits(command.slot, words: Int(command.replayWords)).update(repeating: 0, count: ReplayWindow.maximumWords)
        }
        contexts[Int(command.slot)] = command.image.map { UnsafeMutableRawPointer(mutating: $0) }
        sa.softPackets = UInt32(clamping: command.softPackets)
        sa.hardPackets = UInt32(clamping: command.hardPackets)
        sa.softBytes = command.softBytes
        sa.hardBytes = command.hardBytes
        let cells = counters(command.slot)
        for i in 0..<InboundSACounter.allCases.count {
            // Relaxed: readers may see old or new values while the slot is being reused.
            cells[i].store(0, ordering: .relaxed)
        }
    }
}
