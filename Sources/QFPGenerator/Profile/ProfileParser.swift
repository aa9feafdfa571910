import QFPDataplane
import Yams

/// A profile that could not be read: where (file, line, column, key path) and what.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var column: Int
    /// Key path of the offending value, e.g. `streams[1].rate`.
    public var path: String
    public var message: String

    public var description: String {
        let at = line > 0 ? "\(source):\(line):\(column)" : source
        return path.isEmpty ? "\(at): \(message)" : "\(at): \(path): \(message)"
    }
}

/// Reads traffic profiles from YAML.
///
/// ```yaml
/// port-speed: 10Gbps            # for percent rates (default 10Gbps)
/// seed: 1
/// peers:
///   - name: site-b
///     address: 198.51.100.7
///     router: 192.0.2.1         # optional
///     sas: [router, 0x2D41A8F3] # the peer's view: the router's SAs for it, plus a stale SPI
/// streams:
///   - name: site-b-data
///     peer: site-b
///     spi: 4096                 # or 4096-4100, or a list; default: all of the peer's SAs
///     encapsulation: esp        # esp | esp-udp
///     mode: tunnel              # tunnel | transport
///     size: imix                # 128 | 64-1500 | imix | [{size: 64, weight: 7}, ...]
///     rate: 2kpps               # pps, kpps, Mpps, bps, kbps, Mbps, Gbps, N% or max
///     duration: 10s             # or count: 100000; neither: until stopped
///     faults: {unknown-spi: 1%, replay: 0.1%, too-old: 0.1%, truncated: 0.1%, malformed: 0.1%}
///     seed: 7
/// ```
///
/// Every error names the file, line, column and key path; unknown keys are errors, so that
/// a typo never silently means "default".
public enum ProfileParser {
    public static func parse(_ text: String, source: String = "profile") throws(ProfileError) -> TrafficProfile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, source: source)
        } catch {
            throw ProfileError(source: source, line: 0, column: 0, path: "", message: "\(error)")
        }
        guard let root else {
            throw ProfileError(source: source, line: 0, column: 0, path: "", message: "empty profile (expected peers: and streams:)")
        }
        let reader = Reader(source: source)
        return try reader.profile(root)
    }

    static func yamlError(_ error: YamlError, source: String) -> ProfileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ProfileError(source: source, line: mark.line, column: mark.column, path: "", message: "YAML: \(what)")
        case let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ProfileError(source: source, line: mark.line, column: mark.column, path: "", message: "YAML: \(what)")
        default:
            return ProfileError(source: source, line: 0, column: 0, path: "", message: "YAML: \(error)")
        }
    }

    struct Reader {
        let source: String

        func fail(_ node: Node?, _ path: String, _ message: String) -> ProfileError {
            ProfileError(source: source, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, path: path, message: message)
        }

        func mapping(_ node: Node, _ path: String, allowed: [String]) throws(ProfileError) -> [(String, Node)] {
            guard case let .mapping(m) = node else { throw fail(node, path, "expected a mapping of \(allowed.joined(separator: ", "))") }
            var out: [(String, Node)] = []
            var seen = Set<String>()
            for (k, v) in m {
                guard case let .scalar(s) = k else { throw fail(k, path, "keys must be plain words") }
                let key = s.string
                guard allowed.contains(key) else {
                    throw fail(k, path, "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
                }
                guard seen.insert(key).inserted else { throw fail(k, path, "key '\(key)' given twice") }
                out.append((key, v))
            }
            return out
        }

        func scalar(_ node: Node, _ path: String) throws(ProfileError) -> String {
            guard case let .scalar(s) = node else { throw fail(node, path, "expected a single value") }
            return s.string.trimmingSpaces
        }

        func sequence(_ node: Node, _ path: String) throws(ProfileError) -> [Node] {
            guard case let .sequence(s) = node else { throw fail(node, path, "expected a list") }
            return Array(s)
        }

        func name(_ node: Node, _ path: String) throws(ProfileError) -> String {
            let s = try scalar(node, path)
            guard !s.isEmpty, s.count <= 64, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw fail(node, path, "'\(s)' is not a name (1 to 64 letters, digits, '-', '_' or '.')")
            }
            return s
        }

        func address(_ node: Node, _ path: String) throws(ProfileError) -> IPAddress {
            let s = try scalar(node, path)
            guard let a = IPAddress(s) else { throw fail(node, path, "'\(s)' is not an IPv4 or IPv6 address") }
            return a
        }

        func integer(_ node: Node, _ path: String, in range: ClosedRange<UInt64>) throws(ProfileError) -> UInt64 {
            let s = try scalar(node, path)
            guard let v = Units.integer(s) else { throw fail(node, path, "'\(s)' is not a whole number") }
            guard range.contains(v) else { throw fail(node, path, "\(s) is out of range \(range.lowerBound)...\(range.upperBound)") }
            return v
        }

        func spi(_ node: Node, _ path: String) throws(ProfileError) -> UInt32 {
            UInt32(try integer(node, path, in: 256...UInt64(UInt32.max)))
        }

        /// `4096`, `0x1000`, `4096-4100` or a list of those.
        func spiList(_ node: Node, _ path: String) throws(ProfileError) -> [UInt32] {
            if case .sequence = node {
                var out: [UInt32] = []
                for (i, item) in try sequence(node, path).enumerated() { out += try spiList(item, "\(path)[\(i)]") }
                return out
            }
            let s = try scalar(node, path)
            if let (first, last) = Units.range(s) {
                guard first >= 256, last <= UInt64(UInt32.max), first <= last else {
                    throw fail(node, path, "'\(s)' is not an SPI range (256...4294967295, first <= last)")
                }
                guard last - first < 1 << 20 else { throw fail(node, path, "'\(s)' has more than 1048576 SPIs") }
                return (first...last).map { UInt32($0) }
            }
            return [try spi(node, path)]
        }

        func profile(_ root: Node) throws(ProfileError) -> TrafficProfile {
            var p = TrafficProfile()
            var peersNode: Node?
            var streamsNode: Node?
            for (key, value) in try mapping(root, "", allowed: ["port-speed", "seed", "peers", "streams"]) {
                switch key {
                case "port-speed":
                    let s = try scalar(value, key)
                    guard let bps = Units.bitsPerSecond(s), bps > 0 else {
                        throw fail(value, key, "'\(s)' is not a speed (e.g. 10Gbps, 1G, 100Mbps)")
                    }
                    p.portSpeed = bps
                case "seed": p.seed = try integer(value, key, in: 0...UInt64.max)
                case "peers": peersNode = value
                case "streams": streamsNode = value
                default: break
                }
            }
            if let peersNode {
                for (i, node) in try sequence(peersNode, "peers").enumerated() {
                    let peer = try self.peer(node, "peers[\(i)]")
                    if p.peers.contains(where: { $0.name == peer.name }) {
                        throw fail(node, "peers[\(i)].name", "a peer named '\(peer.name)' is already defined")
                    }
                    p.peers.append(peer)
                }
            }
            if let streamsNode {
                for (i, node) in try sequence(streamsNode, "streams").enumerated() {
                    let stream = try self.stream(node, "streams[\(i)]", peers: p.peers)
                    if p.streams.contains(where: { $0.name == stream.name }) {
                        throw fail(node, "streams[\(i)].name", "a stream named '\(stream.name)' is already defined")
                    }
                    p.streams.append(stream)
                }
            }
            guard !p.streams.isEmpty else { throw fail(streamsNode ?? root, "streams", "the profile has no streams") }
            return p
        }

        func peer(_ node: Node, _ path: String) throws(ProfileError) -> TrafficProfile.Peer {
            var name: String?
            var address: IPAddress?
            var router: IPAddress?
            var sas: [TrafficProfile.SABelief] = [.router]
            for (key, value) in try mapping(node, path, allowed: ["name", "address", "router", "sas"]) {
                let at = "\(path).\(key)"
                switch key {
                case "name": name = try self.name(value, at)
                case "address": address = try self.address(value, at)
                case "router": router = try self.address(value, at)
                case "sas":
                    let items = (try? sequence(value, at)) ?? [value]
                    sas = []
                    for (i, item) in items.enumerated() {
                        let itemPath = items.count == 1 ? at : "\(at)[\(i)]"
                        if (try? scalar(item, itemPath)) == "router" {
                            sas.append(.router)
                        } else if case let .scalar(s) = item, Units.range(s.string.trimmingSpaces) != nil {
                            let list = try spiList(item, itemPath)
                            sas.append(.range(first: list[0], count: list.count))
                        } else {
                            let list = try spiList(item, itemPath)
                            guard !list.isEmpty else { throw fail(item, itemPath, "an empty list of SPIs") }
                            sas += list.map { .spi($0) }
                        }
                    }
                default: break
                }
            }
            guard let name else { throw fail(node, path, "a peer needs a name") }
            guard let address else { throw fail(node, path, "peer '\(name)' needs an address") }
            if let router, router.isIPv4 != address.isIPv4 {
                throw fail(node, "\(path).router", "\(router) and the peer's address \(address) are not the same IP version")
            }
            return TrafficProfile.Peer(name: name, address: address, router: router, sas: sas)
        }

        func stream(_ node: Node, _ path: String, peers: [TrafficProfile.Peer]) throws(ProfileError) -> TrafficProfile.Stream {
            let allowed = ["name", "peer", "spi", "encapsulation", "mode", "size", "rate", "duration", "count", "faults", "seed"]
            let fields = try mapping(node, path, allowed: allowed)
            guard let nameNode = fields.first(where: { $0.0 == "name" })?.1 else { throw fail(node, path, "a stream needs a name") }
            guard let peerNode = fields.first(where: { $0.0 == "peer" })?.1 else { throw fail(node, path, "a stream needs a peer") }
            let peerName = try name(peerNode, "\(path).peer")
            guard peers.contains(where: { $0.name == peerName }) else {
                throw fail(peerNode, "\(path).peer", "no peer named '\(peerName)' (peers: \(peers.map(\.name).joined(separator: ", ")))")
            }
            var s = TrafficProfile.Stream(name: try name(nameNode, "\(path).name"), peer: peerName)
            for (key, value) in fields {
                let at = "\(path).\(key)"
                switch key {
                case "spi":
                    let list = try spiList(value, at)
                    guard !list.isEmpty else { throw fail(value, at, "an empty list of SPIs (leave spi: out to use all of the peer's SAs)") }
                    s.spis = list
                case "encapsulation":
                    let v = try scalar(value, at)
                    guard let e = TrafficProfile.Encapsulation(rawValue: v) else { throw fail(value, at, "'\(v)' is not esp or esp-udp") }
                    s.encapsulation = e
                case "mode":
                    switch try scalar(value, at) {
                    case "tunnel": s.mode = .tunnel
                    case "transport": s.mode = .transport
                    case let v: throw fail(value, at, "'\(v)' is not tunnel or transport")
                    }
                case "size": s.size = try size(value, at)
                case "rate":
                    let v = try scalar(value, at)
                    guard let r = Units.rate(v) else {
                        throw fail(value, at, "'\(v)' is not a rate (e.g. 1000pps, 2.5kpps, 1Mpps, 10Mbps, 1Gbps, 5%, max)")
                    }
                    if case let .percent(pc) = r, !(pc > 0 && pc <= 100) { throw fail(value, at, "\(v) is not in 0%...100%") }
                    s.rate = r
                case "duration":
                    let v = try scalar(value, at)
                    guard let d = Units.seconds(v), d > 0, d <= 86400 * 365 else {
                        throw fail(value, at, "'\(v)' is not a duration (e.g. 10s, 500ms, 2m, 1h)")
                    }
                    s.duration = d
                case "count": s.count = try integer(value, at, in: 1...UInt64(1) << 48)
                case "faults": s.faults = try faults(value, at)
                case "seed": s.seed = try integer(value, at, in: 0...UInt64.max)
                default: break
                }
            }
            return s
        }

        func size(_ node: Node, _ path: String) throws(ProfileError) -> TrafficProfile.Size {
            let limits = UInt64(PacketSizes.minimum)...UInt64(PacketSizes.maximum)
            if case .sequence = node {
                var mix: [TrafficProfile.WeightedSize] = []
                for (i, item) in try sequence(node, path).enumerated() {
                    var size: Int?
                    var weight = 1
                    for (key, value) in try mapping(item, "\(path)[\(i)]", allowed: ["size", "weight"]) {
                        if key == "size" { size = Int(try integer(value, "\(path)[\(i)].size", in: limits)) }
                        else { weight = Int(try integer(value, "\(path)[\(i)].weight", in: 1...1000)) }
                    }
                    guard let size else { throw fail(item, "\(path)[\(i)]", "a mix entry needs a size") }
                    mix.append(.init(size: size, weight: weight))
                }
                guard !mix.isEmpty else { throw fail(node, path, "an empty size mix") }
                guard mix.reduce(0, { $0 + $1.weight }) <= 4096 else { throw fail(node, path, "mix weights add up to more than 4096") }
                return .mix(mix)
            }
            let v = try scalar(node, path)
            if v.lowercased() == "imix" { return .imix }
            if let (a, b) = Units.range(v) {
                guard limits.contains(a), limits.contains(b), a <= b else {
                    throw fail(node, path, "'\(v)' is not a size range within \(PacketSizes.minimum)...\(PacketSizes.maximum)")
                }
                return .range(Int(a), Int(b))
            }
            guard Units.integer(v) != nil else {
                throw fail(node, path, "'\(v)' is not a size (bytes, a range like 64-1500, imix, or a list of {size, weight})")
            }
            return .fixed(Int(try integer(node, path, in: limits)))
        }

        func faults(_ node: Node, _ path: String) throws(ProfileError) -> TrafficProfile.Faults {
            var f = TrafficProfile.Faults()
            for (key, value) in try mapping(node, path, allowed: ["unknown-spi", "replay", "too-old", "truncated", "malformed"]) {
                let at = "\(path).\(key)"
                let v = try scalar(value, at)
                guard let x = Units.fraction(v), x >= 0, x <= 1 else {
                    throw fail(value, at, "'\(v)' is not a share of packets (e.g. 1%, 0.5%, 0.01)")
                }
                switch key {
                case "unknown-spi": f.unknownSPI = x
                case "replay": f.replay = x
                case "too-old": f.tooOld = x
                case "truncated": f.truncated = x
                default: f.malformed = x
                }
            }
            guard f.total <= 1 else { throw fail(node, path, "the faults add up to more than 100%") }
            return f
        }
    }
}

/// The IP datagram lengths a stream may ask for.
public enum PacketSizes {
    public static let minimum = 20
    public static let maximum = PacketBuffer.maximumLength
}

/// Numbers with units, as profiles and command lines write them.
public enum Units {
    /// `123`, `0x7B`, `1_000`.
    public static func integer(_ s: String) -> UInt64? {
        let t = s.replacingUnderscores
        if t.hasPrefix("0x") || t.hasPrefix("0X") { return UInt64(t.dropFirst(2), radix: 16) }
        return UInt64(t)
    }

    /// `A-B` with two integers.
    public static func range(_ s: String) -> (UInt64, UInt64)? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = integer(String(parts[0]).trimmingSpaces), let b = integer(String(parts[1]).trimmingSpaces) else { return nil }
        return (a, b)
    }

    /// A decimal number followed by a unit from `units` (longest match first, case-sensitive
    /// then case-insensitive).
    static func scaled(_ s: String, _ units: [(String, Double)]) -> Double? {
        let t = s.replacingUnderscores.trimmingSpaces
        for (unit, factor) in units.sorted(by: { $0.0.count > $1.0.count }) {
            if t.hasSuffix(unit) || t.lowercased().hasSuffix(unit.lowercased()) {
                let number = t.dropLast(unit.count).trimmingSpaces
                guard let v = Double(number), v.isFinite, v >= 0 else { continue }
                return v * factor
            }
        }
        return nil
    }

    /// `10Gbps`, `10G`, `100Mbps`, `1.5kbps`, `64000` (bits per second).
    public static func bitsPerSecond(_ s: String) -> Double? {
        if let v = Double(s.replacingUnderscores), v.isFinite, v >= 0 { return v }
        return scaled(s, [("bps", 1), ("kbps", 1e3), ("Mbps", 1e6), ("Gbps", 1e9), ("k", 1e3), ("M", 1e6), ("G", 1e9)])
    }

    public static func rate(_ s: String) -> TrafficProfile.Rate? {
        let t = s.trimmingSpaces
        if t.lowercased() == "max" { return .maximum }
        if t.hasSuffix("%"), let v = Double(t.dropLast().trimmingSpaces), v.isFinite { return .percent(v) }
        if let pps = scaled(t, [("pps", 1), ("kpps", 1e3), ("Mpps", 1e6)]), pps > 0, pps <= 1e9 { return .packetsPerSecond(pps) }
        if let bps = scaled(t, [("bps", 1), ("kbps", 1e3), ("Mbps", 1e6), ("Gbps", 1e9)]), bps > 0, bps <= 1e13 { return .bitsPerSecond(bps) }
        return nil
    }

    /// `10s`, `500ms`, `2m`, `1h`, `30` (seconds).
    public static func seconds(_ s: String) -> Double? {
        if let v = Double(s.trimmingSpaces), v.isFinite { return v }
        return scaled(s, [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)])
    }

    /// `1%`, `0.5 %`, `0.01`.
    public static func fraction(_ s: String) -> Double? {
        let t = s.trimmingSpaces
        if t.hasSuffix("%") { return Double(t.dropLast().trimmingSpaces).map { $0 / 100 } }
        return Double(t)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
