import Synchronization
import QFPDataplane

/// Which port a forwarded packet leaves by: the port thread's copy of the router's forwarding
/// decision, built from the configuration when the ports start and again after every change
/// (`PortGroup.update(egress:)` hands the new table over without stopping the thread).
///
/// The data plane forwards without an output interface (a worker knows the packet and its SA,
/// not the topology), so the port thread decides, per packet, in this order:
/// 1. **Local source**: a packet whose source address is one of a port interface's own
///    addresses leaves by that interface. ESP the router encrypted carries the crypto map's
///    (or the tunnel source's) local address, so it leaves by the interface the crypto map or
///    tunnel points to.
/// 2. **Longest prefix** of the destination over the routes the control plane resolved to a
///    port (connected networks, static routes by next hop or interface).
/// 3. Otherwise the port the packet came in by (`inputInterface`), else the first port — the
///    single-port behaviour, where every forwarded packet leaves by the one port.
///
/// A port whose interface is shut down (`shutdown`) is marked `isDown`: the port thread takes
/// nothing in from it and sends nothing out of it (the routes by way of it are already left
/// out, as IOS withdraws them; what still resolves to it is an output drop).
///
/// Lookups are linear scans over a handful of entries in raw memory: no allocation, no lock.
/// Immutable after `init`; read by the port thread.
public final class EgressTable: @unchecked Sendable {
    /// A route to a port: a prefix (family terms, as `IPPrefix`) and the port's position.
    public struct Route: Sendable, Equatable {
        public var prefix: IPPrefix
        public var port: Int
        public init(prefix: IPPrefix, port: Int) {
            self.prefix = prefix
            self.port = port
        }
    }

    /// One entry: address and mask in the 128-bit (IPv4-mapped) form, and the port.
    struct Entry {
        var high: UInt64, low: UInt64
        var maskHigh: UInt64, maskLow: UInt64
        var port: Int
    }

    let locals: UnsafeMutablePointer<Entry>
    let localCount: Int
    /// Longest prefix first.
    let routes: UnsafeMutablePointer<Entry>
    let routeCount: Int
    /// Port position by input-interface index (0...65535), -1 when the index has no port.
    let byInterface: UnsafeMutablePointer<Int16>
    /// Whether each port's interface is shut down, by position (64 ports at most).
    let downPorts: UInt64

    /// - Parameters:
    ///   - localAddresses: addresses of port interfaces, with the port they belong to.
    ///   - routes: prefixes that lead out of a port.
    ///   - interfaces: each port's input-interface index, by position.
    ///   - down: positions of the ports whose interface is shut down.
    ///   - withdrawn: routes withdrawn because an interface on their way is shut down, looked
    ///     at after every live route (longest prefix first among them): what matches only
    ///     these is dropped (IOS has no route for it), counted on the port the route led to.
    public init(localAddresses: [(IPAddress, Int)] = [], routes: [Route] = [], interfaces: [UInt16] = [], down: Set<Int> = [],
                withdrawn: [Route] = []) {
        downPorts = down.reduce(0) { $1 >= 0 && $1 < 64 ? $0 | 1 << UInt64($1) : $0 }
        localCount = localAddresses.count
        locals = .allocate(capacity: max(1, localCount))
        for (i, (a, port)) in localAddresses.enumerated() {
            locals[i] = Entry(high: a.high, low: a.low, maskHigh: ~0, maskLow: ~0, port: port)
        }
        func longestFirst(_ routes: [Route]) -> [Route] {
            routes.enumerated().sorted {
                let (a, b) = ($0.element.prefix, $1.element.prefix)
                let la = a.address.isIPv4 ? 96 + a.length : a.length, lb = b.address.isIPv4 ? 96 + b.length : b.length
                return la != lb ? la > lb : $0.offset < $1.offset
            }.map(\.element)
        }
        // A withdrawn route's port is stored complemented (`~port`, negative): drop.
        let sorted = longestFirst(routes) + longestFirst(withdrawn).map { Route(prefix: $0.prefix, port: ~$0.port) }
        routeCount = sorted.count
        self.routes = .allocate(capacity: max(1, routeCount))
        for (i, r) in sorted.enumerated() {
            let mask = IPAddress(high: ~0, low: ~0).masked(toPrefix: r.prefix.address.isIPv4 ? 96 + r.prefix.length : r.prefix.length)
            self.routes[i] = Entry(high: r.prefix.address.high, low: r.prefix.address.low, maskHigh: mask.high, maskLow: mask.low, port: r.port)
        }
        byInterface = .allocate(capacity: 65536)
        byInterface.initialize(repeating: -1, count: 65536)
        for (port, index) in interfaces.enumerated().reversed() { byInterface[Int(index)] = Int16(port) }
    }

    /// Whether the interface of the port at `position` is shut down.
    @inline(__always)
    public func isDown(_ position: Int) -> Bool {
        position >= 0 && position < 64 && downPorts & (1 << UInt64(position)) != 0
    }

    deinit {
        locals.deallocate()
        routes.deallocate()
        byInterface.deallocate()
    }

    /// The port for the IP datagram at `data` (`length` bytes) that came in by `inputInterface`;
    /// `~port` (negative) when only a withdrawn route matched: drop it, counted on `port`.
    @inline(__always)
    func port(data: UnsafeRawPointer, length: Int, inputInterface: UInt16) -> Int {
        let version = data.load(as: UInt8.self) >> 4
        var source = IPAddress(high: 0, low: 0), destination = IPAddress(high: 0, low: 0)
        if version == 4 && length >= 20 {
            source = IPAddress.loadIPv4(data + 12)
            destination = IPAddress.loadIPv4(data + 16)
        } else if version == 6 && length >= 40 {
            source = IPAddress.loadIPv6(data + 8)
            destination = IPAddress.loadIPv6(data + 24)
        } else {
            return fallback(inputInterface)
        }
        var i = 0
        while i < localCount {
            let e = locals[i]
            if e.high == source.high && e.low == source.low { return e.port }
            i &+= 1
        }
        i = 0
        while i < routeCount {
            let e = routes[i]
            if destination.high & e.maskHigh == e.high && destination.low & e.maskLow == e.low { return e.port }
            i &+= 1
        }
        return fallback(inputInterface)
    }

    @inline(__always)
    func fallback(_ inputInterface: UInt16) -> Int {
        let p = byInterface[Int(inputInterface)]
        return p < 0 ? 0 : Int(p)
    }
}

/// The egress table the port thread uses, replaceable while it runs (read-copy-update).
///
/// The control plane publishes a whole new table (`publish`); the port thread looks at the
/// generation once per loop (`current(after:)`, one relaxed-cost acquiring load when nothing
/// changed), takes the new table when there is one and says which generation it now uses.
/// A replaced table is kept alive here until the port thread has said it moved past it, so
/// the thread never reads freed memory and never takes a lock.
final class EgressPublication: @unchecked Sendable {
    /// The newest table, retained by `held`.
    private let table: Atomic<UnsafeMutableRawPointer>
    /// Generation of `table`; starts at 1.
    private let generation = Atomic<UInt64>(1)
    /// The generation the port thread uses now.
    private let acknowledged = Atomic<UInt64>(1)
    /// Tables published, with the generation that replaced each (the newest has none yet).
    private let held: Mutex<[(table: EgressTable, replacedBy: UInt64?)]>

    init(_ initial: EgressTable) {
        table = Atomic(Unmanaged.passUnretained(initial).toOpaque())
        held = Mutex([(initial, nil)])
    }

    /// Makes `next` the table the port thread uses from its next loop on. Frees the tables the
    /// thread no longer uses. Any thread; publishers are serialised.
    func publish(_ next: EgressTable) {
        held.withLock { held in
            let g = generation.load(ordering: .relaxed) &+ 1
            if let last = held.indices.last { held[last].replacedBy = g }
            held.append((next, nil))
            // Releasing: the table's contents are visible before the port thread sees its pointer.
            table.store(Unmanaged.passUnretained(next).toOpaque(), ordering: .releasing)
            generation.store(g, ordering: .releasing)
            let seen = acknowledged.load(ordering: .acquiring)
            held.removeAll { $0.replacedBy.map { $0 <= seen } ?? false }
        }
    }

    /// Tables still held (the current one and any the port thread may still read). For tests.
    var heldCount: Int { held.withLock { $0.count } }

    /// Port thread: the table to use when the generation moved past `known`, with its
    /// generation; nil when nothing changed.
    @inline(__always)
    func current(after known: UInt64) -> (table: EgressTable, generation: UInt64)? {
        let g = generation.load(ordering: .acquiring)
        guard g != known else { return nil }
        // Acquiring: pairs with `publish`'s releasing store; the table read is at least as new
        // as generation `g`, and is held until a later acknowledgement.
        let t = Unmanaged<EgressTable>.fromOpaque(table.load(ordering: .acquiring)).takeUnretainedValue()
        acknowledged.store(g, ordering: .releasing)
        return (t, g)
    }
}
