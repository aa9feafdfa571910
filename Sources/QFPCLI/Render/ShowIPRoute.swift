import QFPControl
import QFPDataplane

/// `show ip route` in the IOS XE 17 layout (Genie `ShowIpRoute` goldens 11 and 14, real
/// IOS XE captures): the codes legend (with the space IOS leaves after `inter area`), the
/// gateway of last resort, then the routes grouped under their classful network. A classful
/// network with subnets gets a header six spaces in (`10.0.0.0/8 is variably subnetted, 3
/// subnets, 2 masks`, or `40.0.0.0/24 is subnetted, 1 subnets` when every subnet has the
/// same mask, whose routes then omit it) and its routes put the prefix at column 9; other
/// routes (the default route, supernets) at column 6.
enum ShowIPRoute {
    static let legend = """
        Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
               D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n\
               N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
               E1 - OSPF external type 1, E2 - OSPF external type 2, m - OMP
               n - NAT, Ni - NAT inside, No - NAT outside, Nd - NAT DIA
               i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
               ia - IS-IS inter area, * - candidate default, U - per-user static route
               H - NHRP, G - NHRP registered, g - NHRP registration summary
               o - ODR, P - periodic downloaded static route, l - LISP
               a - application route
               + - replicated route, % - next hop override, p - overrides from PfR
               & - replicated local route overrides by connected

        """

    static func render(_ s: IPRouteSnapshot) -> String {
        var out = legend + "\n"
        if let g = s.gatewayOfLastResort {
            out += "Gateway of last resort is \(g) to network 0.0.0.0\n\n"
        } else {
            out += "Gateway of last resort is not set\n\n"
        }
        var routes = s.routes[...]
        while let first = routes.first {
            let major = classful(first.prefix)
            // The routes of this classful network that are subnets of it (or it itself).
            let group = routes.prefix { major.contains($0.prefix.address) && $0.prefix.length >= major.length }
            if first.prefix.length < major.length || !group.contains(where: { $0.prefix.length > major.length }) {
                out += line(first, indent: 6, withMask: true)
                routes = routes.dropFirst()
                continue
            }
            let masks = Set(group.map(\.prefix.length))
            if masks.count == 1 {
                out += "      \(major.address)/\(masks.first!) is subnetted, \(group.count) subnets\n"
            } else {
                out += "      \(major.address)/\(major.length) is variably subnetted, \(group.count) subnets, \(masks.count) masks\n"
            }
            for r in group { out += line(r, indent: 9, withMask: masks.count > 1) }
            routes = routes.dropFirst(group.count)
        }
        return out
    }

    static func line(_ r: IPRouteSnapshot.Route, indent: Int, withMask: Bool) -> String {
        let prefix = withMask ? "\(r.prefix.address)/\(r.prefix.length)" : "\(r.prefix.address)"
        let code = r.code + (r.candidateDefault ? "*" : "")
        let target: String
        if let hop = r.nextHop {
            target = "[\(r.distance)/\(r.metric)] via \(hop)"
        } else {
            target = "is directly connected, \(r.interface ?? "")"
        }
        return IOSText.field(code, width: indent) + prefix + " " + target + "\n"
    }

    /// The class A, B or C network holding `p` (class D and E addresses: the prefix itself).
    static func classful(_ p: IPPrefix) -> IPPrefix {
        let first = UInt32(truncatingIfNeeded: p.address.low) >> 24
        let length = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : p.length
        return IPPrefix(p.address, length: length)!
    }

    static func snapshot(_ routes: [IPRoute]) -> IPRouteSnapshot {
        let rows = routes.map { r in
            IPRouteSnapshot.Route(
                code: r.source.rawValue, prefix: r.prefix, interface: r.interface, nextHop: r.nextHop.map { "\($0)" },
                distance: r.source == .static ? IPRoute.staticDistance : 0, metric: 0,
                candidateDefault: r.source == .static && r.prefix.length == 0)
        }
        let gateway = rows.first { $0.candidateDefault }.map { $0.nextHop ?? "0.0.0.0" }
        return IPRouteSnapshot(gatewayOfLastResort: gateway, routes: rows)
    }
}

/// The routes of `show ip route` (and its `| json`).
struct IPRouteSnapshot: Sendable, Equatable, Encodable {
    struct Route: Sendable, Equatable, Encodable {
        /// `C`, `L`, `S`.
        var code: String
        var prefix: IPPrefix
        var interface: String?
        var nextHop: String?
        var distance: Int
        var metric: Int
        /// A default route (`*`).
        var candidateDefault: Bool

        enum CodingKeys: String, CodingKey {
            case code, prefix, interface, distance, metric
            case nextHop = "next_hop"
            case candidateDefault = "candidate_default"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode("\(prefix.address)/\(prefix.length)", forKey: .prefix)
            try c.encodeIfPresent(interface, forKey: .interface)
            try c.encodeIfPresent(nextHop, forKey: .nextHop)
            try c.encode(distance, forKey: .distance)
            try c.encode(metric, forKey: .metric)
            try c.encode(candidateDefault, forKey: .candidateDefault)
        }
    }

    /// The default route's next hop (`0.0.0.0` for one by interface); nil: not set.
    var gatewayOfLastResort: String?
    var routes: [Route]

    enum CodingKeys: String, CodingKey {
        case routes
        case gatewayOfLastResort = "gateway_of_last_resort"
    }
}
