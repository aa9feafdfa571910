import QFPDataplane

/// Which port a forwarded packet leaves by: the port thread's copy of the router's forwarding
/// decision, built once when the ports start.
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
/// Lookups are linear scans over a handful of entries in raw memory: no allocation, no lock.
/// Read by the port thread only after `init`.
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

    /// - Parameters:
    ///   - localAddresses: addresses of port interfaces, with the port they belong to.
    ///   - routes: prefixes that lead out of a port.
    ///   - interfaces: each port's input-interface index, by position.
    public init(localAddresses: [(IPAddress, Int)] = [], routes: [Route] = [], interfaces: [UInt16] = []) {
        localCount = localAddresses.count
        locals = .allocate(capacity: max(1, localCount))
        for (i, (a, port)) in localAddresses.enumerated() {
            locals[i] = Entry(high: a.high, low: a.low, maskHigh: ~0, maskLow: ~0, port: port)
        }
        let sorted = routes.enumerated().sorted {
            let (a, b) = ($0.element.prefix, $1.element.prefix)
            let la = a.address.isIPv4 ? 96 + a.length : a.length, lb = b.address.isIPv4 ? 96 + b.length : b.length
            return la != lb ? la > lb : $0.offset < $1.offset
        }.map(\.element)
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

    deinit {
        locals.deallocate()
        routes.deallocate()
        byInterface.deallocate()
    }

    /// The port for the IP datagram at `data` (`length` bytes) that came in by `inputInterface`.
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
