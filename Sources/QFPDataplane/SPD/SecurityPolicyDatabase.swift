/// A compiled, immutable security policy database for the outbound path.
///
/// Tuple-space search (Srinivasan et al., SIGCOMM '99; Open vSwitch's classifier): policies
/// with the same shape — family, source and destination prefix lengths, and which of protocol
/// and ports are exact — share one hash table keyed by the masked fields. A lookup probes one
/// table per shape, visiting shapes in order of their best priority and stopping once no shape
/// can beat the match found; policies with true port ranges are scanned after that. Thousands
/// of /32 policies therefore cost one probe, not a linear scan.
///
/// Built by the control plane, handed to workers through their command rings, freed only after
/// every worker acknowledged the replacement. Workers read it through `SPDView` (raw pointers).
public final class SecurityPolicyDatabase: @unchecked Sendable {
    let region: NodeLocalRegion
    /// The view workers use.
    public let view: SPDView
    /// Where `view` is stored inside the database's own memory (sent to workers by address).
    let viewAddress: UnsafeMutableRawPointer
    /// Number of policies.
    public let count: Int

    /// Compiles `policies` (first match wins).
    public init(_ policies: [SecurityPolicy], node: Int = 0) throws(DataplaneError) {
        var rules: [CompiledPolicy] = []
        rules.reserveCapacity(policies.count)
        for (i, p) in policies.enumerated() {
            guard p.source.isIPv4 == p.destination.isIPv4 else {
                throw .invalidPolicy(index: i, reason: "source \(p.source) and destination \(p.destination) differ in family")
            }
            rules.append(CompiledPolicy(p, priority: UInt32(i)))
        }
        // Group exact-match-able policies by shape; keep range policies apart.
        var shapes: [UInt32: [Int]] = [:]
        var rangeRules: [UInt32] = []
        for (i, r) in rules.enumerated() {
            if r.needsRangeScan { rangeRules.append(UInt32(i)) } else { shapes[r.shape, default: []].append(i) }
        }
        var groups: [SPDGroup] = []
        var entries: [UInt64] = []
        for (shape, members) in shapes {
            var size = 8
            while size < 2 * members.count { size <<= 1 }
            let start = entries.count
            entries.append(contentsOf: repeatElement(SPDView.emptyEntry, count: size))
            let mask = UInt32(size - 1)
            var best = UInt32.max
            for index in members {   // ascending priority: an identical later key is shadowed
                let r = rules[index]
                let h = r.keyHash
                var slot = h & mask
                var shadowed = false
                while entries[start + Int(slot)] != SPDView.emptyEntry {
                    let other = rules[Int(UInt32(truncatingIfNeeded: entries[start + Int(slot)]))]
                    if other.sameKey(as: r) { shadowed = true; break }
                    slot = (slot &+ 1) & mask
                }
                if shadowed { continue }
                entries[start + Int(slot)] = UInt64(h) << 32 | UInt64(index)
                best = min(best, r.priority)
            }
            groups.append(SPDGroup(shape: shape, bestPriority: best, start: UInt32(start), mask: mask))
        }
        groups.sort { $0.bestPriority < $1.bestPriority }

        let sizes = [
            MemoryLayout<SPDView>.stride,
            max(groups.count, 1) * MemoryLayout<SPDGroup>.stride,
            max(rules.count, 1) * MemoryLayout<CompiledPolicy>.stride,
            max(entries.count, 1) * 8,
            max(rangeRules.count, 1) * 4,
        ]
        region = try NodeLocalRegion.allocate(
            byteCount: RegionCarver.bytesNeeded(sizes), node: node, what: "security policy database")
        var carver = RegionCarver(region)
        viewAddress = carver.carve(sizes[0])
        let g = carver.carve(sizes[1]).bindMemory(to: SPDGroup.self, capacity: max(groups.count, 1))
        let r = carver.carve(sizes[2]).bindMemory(to: CompiledPolicy.self, capacity: max(rules.count, 1))
        let e = carver.carve(sizes[3]).bindMemory(to: UInt64.self, capacity: max(entries.count, 1))
        let x = carver.carve(sizes[4]).bindMemory(to: UInt32.self, capacity: max(rangeRules.count, 1))
        g.initialize(from: groups, count: groups.count)
        r.initialize(from: rules, count: rules.count)
        e.initialize(from: entries, count: entries.count)
        x.initialize(from: rangeRules, count: rangeRules.count)
        view = SPDView(groups: g, groupCount: groups.count, rules: r, entries: e,
                       ranges: x, rangeCount: rangeRules.count)
        viewAddress.initializeMemory(as: SPDView.self, repeating: view, count: 1)
        count = policies.count
    }

    deinit { region.deallocate() }
}

/// A policy flattened for matching.
@usableFromInline
struct CompiledPolicy: BitwiseCopyable {
    @usableFromInline var source: IPAddress
    @usableFromInline var destination: IPAddress
    @usableFromInline var sourcePortLow: UInt16
    @usableFromInline var sourcePortHigh: UInt16
    @usableFromInline var destinationPortLow: UInt16
    @usableFromInline var destinationPortHigh: UInt16
    @usableFromInline var binding: UInt32
    @usableFromInline var priority: UInt32
    @usableFromInline var sourceLength: UInt8
    @usableFromInline var destinationLength: UInt8
    @usableFromInline var protocolNumber: UInt8
    /// bit 0 protocol exact, bit 1 source port exact, bit 2 destination port exact, bit 3 IPv6.
    @usableFromInline var exact: UInt8
    @usableFromInline var action: UInt8

    init(_ p: SecurityPolicy, priority: UInt32) {
        source = p.source.address
        destination = p.destination.address
        sourceLength = UInt8(p.source.mappedLength)
        destinationLength = UInt8(p.destination.mappedLength)
        protocolNumber = p.protocolNumber ?? 0
        sourcePortLow = p.sourcePorts.lowerBound
        sourcePortHigh = p.sourcePorts.upperBound
        destinationPortLow = p.destinationPorts.lowerBound
        destinationPortHigh = p.destinationPorts.upperBound
        var e: UInt8 = p.protocolNumber == nil ? 0 : 1
        if p.sourcePorts.count == 1 { e |= 2 }
        if p.destinationPorts.count == 1 { e |= 4 }
        if !p.source.isIPv4 { e |= 8 }
        exact = e
        self.priority = priority
        switch p.action {
        case let .protect(b): action = SPDView.Action.protect.rawValue; binding = b
        case .bypass: action = SPDView.Action.bypass.rawValue; binding = 0
        case .deny: action = SPDView.Action.deny.rawValue; binding = 0
        }
    }

    /// Ports that are neither a single value nor everything need a range scan.
    var needsRangeScan: Bool {
        let sourceFull = sourcePortLow == 0 && sourcePortHigh == .max
        let destinationFull = destinationPortLow == 0 && destinationPortHigh == .max
        return !(sourceFull || sourcePortLow == sourcePortHigh)
            || !(destinationFull || destinationPortLow == destinationPortHigh)
    }

    /// Family, prefix lengths and exactness bits packed into one key.
    var shape: UInt32 { UInt32(exact) << 16 | UInt32(sourceLength) << 8 | UInt32(destinationLength) }

    var keyHash: UInt32 {
        SPDView.hash(source: source, destination: destination, protocolNumber: exact & 1 != 0 ? protocolNumber : 0,
                     sourcePort: exact & 2 != 0 ? sourcePortLow : 0,
                     destinationPort: exact & 4 != 0 ? destinationPortLow : 0)
    }

    func sameKey(as o: CompiledPolicy) -> Bool {
        source == o.source && destination == o.destination && protocolNumber == o.protocolNumber
            && sourcePortLow == o.sourcePortLow && destinationPortLow == o.destinationPortLow
            && shape == o.shape
    }

    /// Full match test (used for range policies and to confirm hash hits).
    @inlinable @inline(__always)
    func matches(source s: IPAddress, destination d: IPAddress, protocolNumber p: UInt8,
                 sourcePort sp: UInt16, destinationPort dp: UInt16, ipv6: Bool) -> Bool {
        (exact & 8 != 0) == ipv6
            && s.masked(toPrefix: Int(sourceLength)) == source
            && d.masked(toPrefix: Int(destinationLength)) == destination
            && (exact & 1 == 0 || p == protocolNumber)
            && sp >= sourcePortLow && sp <= sourcePortHigh
            && dp >= destinationPortLow && dp <= destinationPortHigh
    }
}

@usableFromInline
struct SPDGroup: BitwiseCopyable {
    @usableFromInline var shape: UInt32
    @usableFromInline var bestPriority: UInt32
    @usableFromInline var start: UInt32
    @usableFromInline var mask: UInt32
}

/// Read-only view of a compiled SPD for workers.
@frozen
public struct SPDView: @unchecked Sendable {
    @usableFromInline let groups: UnsafeMutablePointer<SPDGroup>
    @usableFromInline let groupCount: Int
    @usableFromInline let rules: UnsafeMutablePointer<CompiledPolicy>
    @usableFromInline let entries: UnsafeMutablePointer<UInt64>
    @usableFromInline let ranges: UnsafeMutablePointer<UInt32>
    @usableFromInline let rangeCount: Int

    @usableFromInline static var emptyEntry: UInt64 { .max }

    /// Action codes as stored.
    public enum Action: UInt8, Sendable, BitwiseCopyable {
        case none = 0, protect, bypass, deny
    }

    /// The decision for one packet: the first matching policy's action and binding.
    @frozen
    public struct Match {
        public var action: Action
        public var binding: UInt32
        @inlinable public init(action: Action, binding: UInt32) {
            self.action = action
            self.binding = binding
        }
    }

    @inlinable @inline(__always)
    static func hash(source: IPAddress, destination: IPAddress, protocolNumber: UInt8,
                     sourcePort: UInt16, destinationPort: UInt16) -> UInt32 {
        var h = source.hash32 ^ (destination.hash32 &* 0x9E37_79B1)
        h ^= UInt32(protocolNumber) &* 0x85EB_CA6B
        h ^= (UInt32(sourcePort) << 16 | UInt32(destinationPort)) &* 0xC2B2_AE35
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        return h
    }

    /// The first shape's probe position for a packet (for prefetching a burst ahead), or nil.
    @inlinable @inline(__always)
    public func firstProbe(_ c: PacketClassification) -> UInt32? {
        guard groupCount > 0 else { return nil }
        let g = groups[0]
        let exact = UInt8(truncatingIfNeeded: g.shape >> 16)
        if (exact & 8 != 0) != (c.ipVersion == 6) { return nil }
        let s = c.source.masked(toPrefix: Int(UInt8(truncatingIfNeeded: g.shape >> 8)))
        let d = c.destination.masked(toPrefix: Int(UInt8(truncatingIfNeeded: g.shape)))
        let h = Self.hash(source: s, destination: d, protocolNumber: exact & 1 != 0 ? c.protocolNumber : 0,
                          sourcePort: exact & 2 != 0 ? c.sourcePort : 0,
                          destinationPort: exact & 4 != 0 ? c.destinationPort : 0)
        return h
    }

    /// Prefetches the first shape's table slot for a probe from `firstProbe`.
    @inlinable @inline(__always)
    public func prefetchSlot(_ probe: UInt32) {
        Prefetch.read(entries + Int(groups[0].start &+ (probe & groups[0].mask)))
    }

    /// Prefetches the policy a first-shape probe most likely lands on (its first hash match).
    @inlinable @inline(__always)
    public func prefetchPolicy(_ probe: UInt32) {
        let g = groups[0]
        var slot = probe & g.mask
        while true {
            let e = entries[Int(g.start &+ slot)]
            if e == Self.emptyEntry { return }
            if UInt32(truncatingIfNeeded: e >> 32) == probe {
                Prefetch.read(rules + Int(UInt32(truncatingIfNeeded: e)))
                return
            }
            slot = (slot &+ 1) & g.mask
        }
    }

    /// First-match lookup. A packet no policy matches gets `.none` (forwarded in the clear).
    @inlinable
    public func lookup(_ c: PacketClassification) -> Match {
        let ipv6 = c.ipVersion == 6
        var best = UInt32.max
        var bestRule = -1
        for gi in 0..<groupCount {
            let g = groups[gi]
            if g.bestPriority >= best { break }
            let exact = UInt8(truncatingIfNeeded: g.shape >> 16)
            if (exact & 8 != 0) != ipv6 { continue }
            let s = c.source.masked(toPrefix: Int(UInt8(truncatingIfNeeded: g.shape >> 8)))
            let d = c.destination.masked(toPrefix: Int(UInt8(truncatingIfNeeded: g.shape)))
            let p = exact & 1 != 0 ? c.protocolNumber : 0
            let sp = exact & 2 != 0 ? c.sourcePort : 0
            let dp = exact & 4 != 0 ? c.destinationPort : 0
            let h = Self.hash(source: s, destination: d, protocolNumber: p, sourcePort: sp, destinationPort: dp)
            var slot = h & g.mask
            while true {
                let e = entries[Int(g.start &+ slot)]
                if e == Self.emptyEntry { break }
                if UInt32(truncatingIfNeeded: e >> 32) == h {
                    let index = Int(UInt32(truncatingIfNeeded: e))
                    let r = rules[index]
                    if r.source == s && r.destination == d && r.protocolNumber == p
                        && (exact & 2 == 0 || r.sourcePortLow == sp)
                        && (exact & 4 == 0 || r.destinationPortLow == dp) {
                        if r.priority < best { best = r.priority; bestRule = index }
                        break
                    }
                }
                slot = (slot &+ 1) & g.mask
            }
        }
        for ri in 0..<rangeCount {
            let index = Int(ranges[ri])
            let r = rules[index]
            if r.priority >= best { break }
            if r.matches(source: c.source, destination: c.destination, protocolNumber: c.protocolNumber,
                         sourcePort: c.sourcePort, destinationPort: c.destinationPort, ipv6: ipv6) {
                best = r.priority
                bestRule = index
                break
            }
        }
        if bestRule < 0 { return Match(action: .none, binding: 0) }
        let r = rules[bestRule]
        return Match(action: Action(rawValue: r.action) ?? .none, binding: r.binding)
    }
}
