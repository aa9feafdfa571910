import QFPControl
import QFPDataplane

/// What the emulated peers can learn of the router: its inbound SAs, per peer, and its
/// addresses. Taken from the router's plan when streams start; after that the peers keep
/// their own view, so a router that loses or replaces SAs falls out of sync with them.
public struct RouterView: Sendable, Equatable {
    public struct InboundSA: Sendable, Equatable {
        public var spi: UInt32
        public var peer: IPAddress
        /// The router address the SA is for (the ESP destination).
        public var local: IPAddress
        public var mode: IPsecMode
        /// The SA's transform and keys (manual keying), which a peer in sync seals with.
        public var transform: ESPTransform
        public var keys: ESPKeys
        public init(spi: UInt32, peer: IPAddress, local: IPAddress, mode: IPsecMode, transform: ESPTransform = .null,
                    keys: ESPKeys = .none) {
            self.spi = spi; self.peer = peer; self.local = local; self.mode = mode
            self.transform = transform; self.keys = keys
        }
    }

    public var inbound: [InboundSA] = []
    /// Router addresses, crypto-map interfaces first.
    public var addresses: [IPAddress] = []

    public init(inbound: [InboundSA] = [], addresses: [IPAddress] = []) {
        self.inbound = inbound
        self.addresses = addresses
    }

    /// The router's inbound manual SAs, by the peer of their flow, and its interface addresses.
    public init(router: Router) {
        let plan = router.plan
        var peerOfFlow: [String: IPAddress] = [:]
        for flow in plan.flows { if let p = flow.peer { peerOfFlow[flow.bindingKey] = p } }
        inbound = plan.inboundManual.compactMap { sa in
            peerOfFlow[sa.bindingKey].map {
                InboundSA(spi: sa.spi, peer: $0, local: sa.destination, mode: sa.mode, transform: sa.transform, keys: sa.keys)
            }
        }
        var seen = Set<IPAddress>()
        for flow in plan.flows where seen.insert(flow.localAddress).inserted { addresses.append(flow.localAddress) }
        for i in router.configuration.orderedInterfaces {
            if let a = i.ipv4?.address, seen.insert(a).inserted { addresses.append(a) }
        }
    }
}

/// A peer's view of its SAs to the router, resolved: the SPIs it sends with, their mode, and
/// where it sends.
public struct PeerView: Sendable, Equatable {
    public var name: String
    public var address: IPAddress
    public var router: IPAddress
    public struct SA: Sendable, Equatable {
        public var spi: UInt32
        /// The mode of the router's SA it learned this from; nil for SPIs the profile names.
        public var mode: IPsecMode?
        /// What the peer seals with: ESP-NULL for SPIs the profile names, the router's manual
        /// keys for `.router`, the negotiated keys for `.keyed`.
        public var transform: ESPTransform = .null
        public var keys: ESPKeys = .none
    }
    public var sas: [SA]

    /// Resolves `peer` against what the router has now.
    public static func resolve(_ peer: TrafficProfile.Peer, router: RouterView) throws(GeneratorError) -> PeerView {
        var sas: [SA] = []
        var seen = Set<UInt32>()
        var learnedLocal: IPAddress?
        func add(_ spi: UInt32, mode: IPsecMode?, transform: ESPTransform = .null, keys: ESPKeys = .none) {
            if seen.insert(spi).inserted { sas.append(SA(spi: spi, mode: mode, transform: transform, keys: keys)) }
        }
        for belief in peer.sas {
            switch belief {
            case .router:
                for sa in router.inbound where sa.peer == peer.address {
                    if peer.router == nil || peer.router == sa.local {
                        add(sa.spi, mode: sa.mode, transform: sa.transform, keys: sa.keys)
                        learnedLocal = learnedLocal ?? sa.local
                    }
                }
            case let .spi(spi): add(spi, mode: nil)
            case let .keyed(spi, transform, keys): add(spi, mode: nil, transform: transform, keys: keys)
            case let .range(first, count):
                for i in 0..<count { add(first &+ UInt32(i), mode: nil) }
            }
        }
        guard let destination = peer.router ?? learnedLocal ?? router.addresses.first(where: { $0.isIPv4 == peer.address.isIPv4 }) else {
            throw GeneratorError("peer '\(peer.name)': no router address to send to (the router has no \(peer.address.isIPv4 ? "IPv4" : "IPv6") address for it; set router:)")
        }
        return PeerView(name: peer.name, address: peer.address, router: destination, sas: sas)
    }
}

/// A generator request that cannot be carried out, in one line.
public struct GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ text: String) { description = text }
}
