import QFPDataplane

/// What a configuration asks of the data plane, computed without touching it: local crypto
/// endpoints, the ordered outbound policies with their binding keys, the manually keyed SAs,
/// and the protected flows `show crypto ipsec sa` lists.
public struct DataplanePlan: Equatable, Sendable {
    /// A protected flow: one ACL permit line of a crypto map entry, or one tunnel (per NHRP
    /// peer for mGRE).
    public struct Flow: Equatable, Sendable {
        /// Stable key of the flow's policy binding (`map VPN 10 #1`, `tunnel Tunnel10`).
        public var bindingKey: String
        public var interface: String
        /// `Crypto map tag` as IOS prints it (`VPN`, `Tunnel10-head-0`).
        public var cryptoMapTag: String
        /// Crypto map name and sequence number (nil for tunnel protection).
        public var mapName: String?
        public var mapSequence = 0
        public var localAddress: IPAddress
        public var peer: IPAddress?
        public var localIdentity: IPPrefix
        public var remoteIdentity: IPPrefix
        public var protocolNumber: UInt8
        public var localPort: UInt16
        public var remotePort: UInt16
        public var transformSet: TransformSet?
        /// Every transform set of the entry or profile, in order: what IKE offers and accepts
        /// (`transformSet` is the first).
        public var proposals: [TransformSet] = []
        public var pfsGroup: String?
        public var lifetimeSeconds: Int
        public var lifetimeKilobytes: Int
        /// Replay window in packets, nil when disabled.
        public var replayWindow: Int?
        public var manual: Bool
    }

    /// An SA from `set session-key`.
    public struct ManualSA: Equatable, Sendable, Hashable {
        public var spi: UInt32
        /// Inbound: the local address; outbound: the peer.
        public var destination: IPAddress
        /// Outbound: the local address.
        public var source: IPAddress
        public var mode: IPsecMode
        public var replayWindow: Int?
        /// The flow (binding key) it serves.
        public var bindingKey: String
        /// The transform set's transform and the session key's bytes.
        public var transform: ESPTransform = .null
        public var keys: ESPKeys = .none
    }

    /// An outbound policy and, for protect policies, the key of its flow's binding.
    public struct PlannedPolicy: Equatable, Sendable {
        public var selector: SecurityPolicy
        public var bindingKey: String?
    }

    public var endpoints: [IPAddress: IPsecMode] = [:]
    /// Outbound policies in order.
    public var policies: [PlannedPolicy] = []
    public var flows: [Flow] = []
    public var inboundManual: [ManualSA] = []
    public var outboundManual: [ManualSA] = []

    /// A configuration the data plane cannot carry out.
    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Plans `c`. Incomplete crypto map entries stay disabled, as on IOS; what the data plane
    /// cannot do (a manual SA with a cipher it does not implement, a duplicate SPI) is refused.
    public static func plan(_ c: RouterConfiguration) throws(Refusal) -> DataplanePlan {
        var plan = DataplanePlan()
        for i in c.orderedInterfaces where !i.shutdown {
            if let mapName = i.cryptoMap, let entries = c.cryptoMaps[mapName], let local = i.ipv4?.address {
                for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
                    try plan.addMapEntry(entry, interface: i, local: local, configuration: c)
                }
            }
            if i.isTunnel, let profileName = i.tunnel.protectionProfile {
                try plan.addTunnel(i, profile: c.ipsecProfiles[profileName], configuration: c)
            }
        }
        var seen = Set<UInt32>()
        for sa in plan.inboundManual where !seen.insert(sa.spi).inserted {
            throw Refusal(message: "% qfp: inbound SPI \(sa.spi) is configured twice")
        }
        return plan
    }

    mutating func addMapEntry(_ entry: CryptoMapEntry, interface i: InterfaceConfiguration, local: IPAddress,
                              configuration c: RouterConfiguration) throws(Refusal) {
        guard case .dynamic = entry.kind else {
            guard let peer = entry.peers.first, let aclName = entry.matchAddress, let acl = c.accessLists[aclName],
                  let set = entry.transformSets.lazy.compactMap({ c.transformSets[$0] }).first else { return }
            let manual = entry.kind == .manual
            if manual && (entry.outboundKey == nil || entry.inboundKeys.isEmpty) { return }
            if manual && set.espTransform == nil {
                throw Refusal(message: "% qfp: crypto map \(entry.map) \(entry.sequence): transform set \(set.name) "
                    + "(\(set.transforms.joined(separator: " "))) is not implemented by the data plane; use esp-gcm 128|256, "
                    + "esp-aes 128|256 with esp-sha-hmac or esp-sha256-hmac, or esp-null")
            }
            endpoints[local] = endpoints[local] == .tunnel ? .tunnel : set.mode
            let replay: Int? = {
                switch entry.replay {
                case .global: c.replayWindow
                case let .window(n): n
                case .disabled: nil
                }
            }()
            var permits = 0
            for (index, ace) in acl.entries.enumerated() {
                let key = "map \(entry.map) \(entry.sequence) #\(index)"
                let selector = SecurityPolicy(
                    source: ace.source, destination: ace.destination, protocolNumber: ace.protocolNumber,
                    sourcePorts: ace.sourcePorts.ports, destinationPorts: ace.destinationPorts.ports,
                    action: ace.action == .permit ? .protect(binding: 0) : .bypass)
                guard ace.action == .permit else {
                    policies.append(PlannedPolicy(selector: selector, bindingKey: nil))
                    continue
                }
                // A manual entry protects one flow (IOS allows one permit line there).
                if manual && permits > 0 { continue }
                permits += 1
                policies.append(PlannedPolicy(selector: selector, bindingKey: key))
                var flow = Flow(
                    bindingKey: key, interface: i.name, cryptoMapTag: entry.map, localAddress: local, peer: peer,
                    localIdentity: ace.source, remoteIdentity: ace.destination, protocolNumber: ace.protocolNumber ?? 0,
                    localPort: ace.sourcePorts.singlePort, remotePort: ace.destinationPorts.singlePort,
                    transformSet: set, pfsGroup: entry.pfsGroup,
                    lifetimeSeconds: entry.lifetimeSeconds ?? c.lifetimeSeconds,
                    lifetimeKilobytes: entry.lifetimeKilobytes ?? c.lifetimeKilobytes,
                    replayWindow: replay, manual: manual)
                flow.mapName = entry.map
                flow.mapSequence = entry.sequence
                flow.proposals = entry.transformSets.compactMap { c.transformSets[$0] }
                flows.append(flow)
                if manual, let out = entry.outboundKey, let transform = set.espTransform {
                    func keys(_ k: SessionKey, _ direction: String) throws(Refusal) -> ESPKeys {
                        switch k.keys(for: transform) {
                        case let .success(keys): return keys
                        case let .failure(error):
                            throw Refusal(message: "% qfp: crypto map \(entry.map) \(entry.sequence): session key \(direction) esp "
                                + "\(k.spi): \(error.message) (transform set \(set.name): \(transform.iosName))")
                        }
                    }
                    var sa = ManualSA(spi: out.spi, destination: peer, source: local, mode: set.mode,
                                      replayWindow: nil, bindingKey: key)
                    sa.transform = transform
                    sa.keys = try keys(out, "outbound")
                    outboundManual.append(sa)
                    for k in entry.inboundKeys {
                        var sa = ManualSA(spi: k.spi, destination: local, source: peer, mode: set.mode,
                                          replayWindow: replay, bindingKey: key)
                        sa.transform = transform
                        sa.keys = try keys(k, "inbound")
                        inboundManual.append(sa)
                    }
                }
            }
            return
        }
    }

    mutating func addTunnel(_ i: InterfaceConfiguration, profile: IPsecProfile?, configuration c: RouterConfiguration) throws(Refusal) {
        let t = i.tunnel
        let source = t.sourceAddress ?? t.sourceInterface.flatMap { c.interfaces[$0]?.ipv4?.address }
        guard let source, let profile else { return }
        let set = profile.transformSets.lazy.compactMap { c.transformSets[$0] }.first
        endpoints[source] = endpoints[source] == .tunnel ? .tunnel : (set?.mode ?? .tunnel)
        let any = IPPrefix.any(ipv4: true)
        func addFlow(peer: IPAddress, key: String) {
            let gre = t.mode == .greIP || t.mode == .greMultipoint
            var flow = Flow(
                bindingKey: key, interface: i.name, cryptoMapTag: "\(i.name)-head-0", localAddress: source, peer: peer,
                localIdentity: gre ? IPPrefix(source, length: 32)! : any,
                remoteIdentity: gre ? IPPrefix(peer, length: 32)! : any, protocolNumber: gre ? 47 : 0,
                localPort: 0, remotePort: 0, transformSet: set, pfsGroup: profile.pfsGroup,
                lifetimeSeconds: profile.lifetimeSeconds ?? c.lifetimeSeconds,
                lifetimeKilobytes: profile.lifetimeKilobytes ?? c.lifetimeKilobytes,
                replayWindow: c.replayWindow, manual: false)
            flow.proposals = profile.transformSets.compactMap { c.transformSets[$0] }
            flows.append(flow)
        }
        switch t.mode {
        case .ipsecIPv4, .ipsecIPv6, .greIP:
            guard let peer = t.destination else { return }
            let key = "tunnel \(i.name)"
            addFlow(peer: peer, key: key)
            for r in c.staticRoutes where r.interface == i.name {
                policies.append(PlannedPolicy(selector: SecurityPolicy(source: any, destination: r.prefix, action: .protect(binding: 0)), bindingKey: key))
            }
        case .greMultipoint:
            for m in t.nhrpMaps {
                let key = "tunnel \(i.name) \(m.nbmaAddress)"
                addFlow(peer: m.nbmaAddress, key: key)
                for r in c.staticRoutes where r.nextHop == m.tunnelAddress {
                    policies.append(PlannedPolicy(selector: SecurityPolicy(source: any, destination: r.prefix, action: .protect(binding: 0)), bindingKey: key))
                }
            }
        }
    }
}

extension AccessListEntry.PortMatch {
    /// The port `show crypto ipsec sa` prints in an identity (0 = any or a range).
    var singlePort: UInt16 {
        if case let .eq(p) = self { return p }
        return 0
    }
}
