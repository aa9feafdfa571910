/// A worker's inbound SA lookup: open addressing with linear probing over 8-byte slots.
///
/// Key: (SPI, destination, protocol ESP) per RFC 4301 §4.1. Each slot packs
/// `spi << 32 | fingerprint << 24 | sa`: the arena slot `sa` (24 bits) and an 8-bit fingerprint
/// of the destination. A burst first finds candidates from the table alone (`candidate`), then
/// prefetches every candidate's hot entry, and only then confirms the destination there
/// (`confirm`): the two memory accesses of a lookup overlap across the burst instead of
/// following one another per packet.
/// The table has at least twice as many slots as SAs (load ≤ 0.5), so probes stay short and
/// always end at an empty slot. Deletion shifts later entries back (no tombstones), so the
/// table never degrades. Only the owning worker reads or writes it: no synchronisation.
@frozen
public struct SPITable: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: UInt32
    @usableFromInline let arena: InboundSAArena
    /// SAs in the table.
    public private(set) var count: Int

    @usableFromInline static var empty: UInt64 { .max }

    /// Most SAs one table can index (24-bit arena slots; the all-ones value marks empty).
    public static let maximumCapacity = (1 << 24) - 1

    /// Slots needed for `capacity` SAs (a power of two, at least 2×).
    static func slotCount(forCapacity capacity: Int) -> Int {
        var n = 16
        while n < 2 * capacity { n <<= 1 }
        return n
    }

    init(storage: UnsafeMutableRawPointer, slotCount: Int, arena: InboundSAArena) {
        slots = storage.bindMemory(to: UInt64.self, capacity: slotCount)
        slots.update(repeating: Self.empty, count: slotCount)
        mask = UInt32(slotCount - 1)
        self.arena = arena
        count = 0
    }

    /// Home slot of a key. Mixes SPI and destination (murmur3 finaliser) so that SPIs sharing
    /// the high bits the steering hash used still spread evenly.
    @inlinable @inline(__always)
    public func hash(spi: UInt32, destination: IPAddress) -> UInt32 {
        var h = spi ^ (destination.hash32 &* 0x85EB_CA6B)
        h ^= h >> 16; h = h &* 0x85EB_CA6B
        h ^= h >> 13; h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h & mask
    }

    /// The destination's 8-bit fingerprint stored beside the SPI.
    @inlinable @inline(__always)
    public static func fingerprint(_ destination: IPAddress) -> UInt64 {
        UInt64(destination.hash32 >> 24)
    }

    @inlinable @inline(__always)
    static func pack(spi: UInt32, fingerprint: UInt64, sa: UInt32) -> UInt64 {
        UInt64(spi) << 32 | fingerprint << 24 | UInt64(sa)
    }

    /// The SPI and fingerprint half of a slot, for comparison.
    @inlinable @inline(__always)
    static func keyBits(_ e: UInt64) -> UInt64 { e & 0xFFFF_FFFF_FF00_0000 }

    /// Asks the CPU to fetch the home slot of `hash` (burst lookups issue these first).
    @inlinable @inline(__always)
    public func prefetch(hash: UInt32) {
        Prefetch.read(slots + Int(hash))
    }

    /// The first arena slot whose SPI and destination fingerprint match, without touching the
    /// arena; `confirm` it before use. Nil means the key is certainly absent.
    @inlinable @inline(__always)
    public func candidate(spi: UInt32, destination: IPAddress, hash: UInt32) -> UInt32? {
        let key = Self.pack(spi: spi, fingerprint: Self.fingerprint(destination), sa: 0)
        var i = hash
        while true {
            let e = slots[Int(i)]
            if e == Self.empty { return nil }
            if Self.keyBits(e) == key { return UInt32(truncatingIfNeeded: e & 0xFF_FFFF) }
            i = (i &+ 1) & mask
        }
    }

    /// Whether candidate `sa` really holds `destination` (its SPI matched already).
    @inlinable @inline(__always)
    public func confirm(_ sa: UInt32, destination: IPAddress) -> Bool {
        arena.entry(sa).destination == destination
    }

    /// The arena slot of (SPI, destination), or nil: every candidate confirmed in turn.
    @inlinable @inline(__always)
    public func lookup(spi: UInt32, destination: IPAddress, hash: UInt32) -> UInt32? {
        let key = Self.pack(spi: spi, fingerprint: Self.fingerprint(destination), sa: 0)
        var i = hash
        while true {
            let e = slots[Int(i)]
            if e == Self.empty { return nil }
            if Self.keyBits(e) == key {
                let sa = UInt32(truncatingIfNeeded: e & 0xFF_FFFF)
                if arena.entry(sa).destination == destination { return sa }
            }
            i = (i &+ 1) & mask
        }
    }

    /// The arena slot of (SPI, destination), or nil.
    @inlinable
    public func lookup(spi: UInt32, destination: IPAddress) -> UInt32? {
        lookup(spi: spi, destination: destination, hash: hash(spi: spi, destination: destination))
    }

    /// Adds arena slot `sa`, whose hot entry already holds its SPI and destination.
    /// Returns false when the key is present (nothing changes).
    mutating func insert(sa: UInt32) -> Bool {
        let entry = arena.entry(sa)
        let spi = entry.spi
        let destination = entry.destination
        let key = Self.pack(spi: spi, fingerprint: Self.fingerprint(destination), sa: 0)
        var i = hash(spi: spi, destination: destination)
        while true {
            let e = slots[Int(i)]
            if e == Self.empty { break }
            if Self.keyBits(e) == key && arena.entry(UInt32(truncatingIfNeeded: e & 0xFF_FFFF)).destination == destination {
                return false
            }
            i = (i &+ 1) & mask
        }
        slots[Int(i)] = Self.pack(spi: spi, fingerprint: Self.fingerprint(destination), sa: sa)
        count += 1
        return true
    }

    /// Removes the entry that points at arena slot `sa`. Returns false when absent.
    mutating func remove(sa: UInt32) -> Bool {
        let entry = arena.entry(sa)
        var i = hash(spi: entry.spi, destination: entry.destination)
        while true {
            let e = slots[Int(i)]
            if e == Self.empty { return false }
            if UInt32(truncatingIfNeeded: e & 0xFF_FFFF) == sa { break }
            i = (i &+ 1) & mask
        }
        // Backward-shift deletion (Knuth 6.4 Algorithm R): move later members of the cluster
        // into the hole when their home slot does not lie cyclically in (hole, j].
        var hole = i
        var j = i
        while true {
            j = (j &+ 1) & mask
            let e = slots[Int(j)]
            if e == Self.empty { break }
            let member = arena.entry(UInt32(truncatingIfNeeded: e & 0xFF_FFFF))
            let home = hash(spi: member.spi, destination: member.destination)
            let between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !between {
                slots[Int(hole)] = e
                hole = j
            }
        }
        slots[Int(hole)] = Self.empty
        count -= 1
        return true
    }
}
