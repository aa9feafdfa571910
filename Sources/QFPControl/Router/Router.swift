import Logging
import QFPCrypto
import QFPDataplane
import Synchronization

/// The emulated router's control plane: its configuration, and the data-plane state the
/// configuration implies (local endpoints, outbound policies, manually keyed SAs), kept in
/// step on every change. Thread-safe; every method may block briefly (control plane).
public final class Router: @unchecked Sendable {
    public let pipeline: Pipeline
    public let clock: any ControlClock
    let logger = Logger(label: "qfp.router")
    let state: Mutex<State>

    /// An SA the router installed, with what `show crypto ipsec sa` reports of it.
    public struct InstalledSA: Equatable, Sendable {
        public enum Handle: Equatable, Sendable {
            case inbound(InboundSAHandle)
            case outbound(OutboundSAHandle)
        }
        public var handle: Handle
        public var spi: UInt32
        public var connectionID: Int
        /// Control-clock time of installation (nanoseconds).
        public var installedAt: UInt64
        /// The transform set it was installed with: the configured one (manual keying), the
        /// one IKE chose (nil: ESP-NULL with nothing configured to offer).
        public var transformSet: TransformSet?
        /// The data-plane transform.
        public var transform: ESPTransform = .null
    }

    struct State {
        var configuration = RouterConfiguration()
        var plan = DataplanePlan()
        var policies: [SecurityPolicy] = []
        var bindings: [String: UInt32] = [:]
        var inbound: [DataplanePlan.ManualSA: InstalledSA] = [:]
        var outbound: [DataplanePlan.ManualSA: InstalledSA] = [:]
        var nextConnectionID = 2001
        var lastChange: UInt64 = 0
        /// Incremented by every configuration change (caches of the configuration check it).
        var generation: UInt64 = 0
        /// SAs negotiated by IKE (not in the configuration), by flow binding key.
        var negotiated: [String: NegotiatedSAs] = [:]
    }

    /// The IKE-negotiated SAs of one flow: inbound SAs (two during a rekey overlap) and the
    /// outbound SA the flow's binding points to.
    struct NegotiatedSAs {
        var inbound: [InstalledSA] = []
        var outbound: InstalledSA?
    }

    /// A router over `pipeline`, configured with `configuration`.
    public init(pipeline: Pipeline, clock: any ControlClock, configuration: RouterConfiguration) throws {
        self.pipeline = pipeline
        self.clock = clock
        state = Mutex(State())
        // ESP transforms other than esp-null need crypto contexts (QFPCrypto): intel-ipsec-mb
        // when it loads, else BoringSSL, unless the caller chose (`qfp run --crypto-provider`).
        if !pipeline.control.hasCryptoProvider { pipeline.control.setCryptoProvider(CryptoProviderChoice.automatic.provider) }
        try apply(configuration)
    }

    /// The data plane's control interface.
    public var dataplane: DataplaneControl { pipeline.control }

    /// The running configuration.
    public var configuration: RouterConfiguration { state.withLock { $0.configuration } }

    /// The current plan (flows, policies, endpoints).
    public var plan: DataplanePlan { state.withLock { $0.plan } }

    /// The running configuration and its plan, read together, with the generation they belong to.
    public var configurationAndPlan: (generation: UInt64, configuration: RouterConfiguration, plan: DataplanePlan) {
        state.withLock { ($0.generation, $0.configuration, $0.plan) }
    }

    /// Changes with every configuration change.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Control-clock time of the last configuration change.
    public var lastChange: UInt64 { state.withLock { $0.lastChange } }

    /// Installed SAs of a flow (by binding key): inbound, then outbound.
    public func installedSAs(flow bindingKey: String) -> (inbound: [InstalledSA], outbound: InstalledSA?) {
        state.withLock { s in
            let negotiated = s.negotiated[bindingKey]
            return ((s.inbound.filter { $0.key.bindingKey == bindingKey }.map(\.value) + (negotiated?.inbound ?? []))
                        .sorted { $0.spi < $1.spi },
                    s.outbound.first { $0.key.bindingKey == bindingKey }?.value ?? negotiated?.outbound)
        }
    }

    /// Makes `configuration` the running configuration and brings the data plane in line with
    /// it. On a refusal nothing changes.
    public func apply(_ configuration: RouterConfiguration) throws {
        let plan = try DataplanePlan.plan(configuration)
        try state.withLock { (s: inout State) throws in
            try program(plan, &s)
            s.configuration = configuration
            s.plan = plan
            s.lastChange = clock.now()
            s.generation &+= 1
        }
    }

    func program(_ plan: DataplanePlan, _ s: inout State) throws {
        let control = dataplane
        // Bindings are stable per flow key, so an unchanged flow keeps its SA through re-plans.
        for flow in plan.flows where s.bindings[flow.bindingKey] == nil {
            s.bindings[flow.bindingKey] = UInt32(s.bindings.count)
        }
        // Endpoints.
        for (address, _) in s.plan.endpoints where plan.endpoints[address] == nil {
            try control.removeLocalEndpoint(address)
        }
        for (address, mode) in plan.endpoints where s.plan.endpoints[address] != mode {
            try control.setLocalEndpoint(address, mode: mode)
        }
        // SAs no longer wanted.
        for (sa, installed) in s.inbound where !plan.inboundManual.contains(sa) {
            if case let .inbound(h) = installed.handle { try control.deleteInbound(h) }
            s.inbound[sa] = nil
        }
        for (sa, installed) in s.outbound where !plan.outboundManual.contains(sa) {
            if case let .outbound(h) = installed.handle { try control.deleteOutbound(h) }
            s.outbound[sa] = nil
        }
        // New SAs.
        for sa in plan.inboundManual where s.inbound[sa] == nil {
            let h = try control.installInbound(InboundSAConfig(
                spi: sa.spi, destination: sa.destination, mode: sa.mode, transform: sa.transform,
                replay: sa.replayWindow.map { .window($0) } ?? .disabled, keys: sa.keys))
            s.inbound[sa] = InstalledSA(handle: .inbound(h), spi: sa.spi, connectionID: s.nextConnectionID, installedAt: clock.now(),
                                        transformSet: plan.flows.first { $0.bindingKey == sa.bindingKey }?.transformSet,
                                        transform: sa.transform)
            s.nextConnectionID += 1
        }
        for sa in plan.outboundManual where s.outbound[sa] == nil {
            let h = try control.installOutbound(OutboundSAConfig(
                spi: sa.spi, mode: sa.mode, transform: sa.transform, tunnelSource: sa.source,
                tunnelDestination: sa.destination, keys: sa.keys))
            try control.bind(s.bindings[sa.bindingKey]!, to: h)
            s.outbound[sa] = InstalledSA(handle: .outbound(h), spi: sa.spi, connectionID: s.nextConnectionID, installedAt: clock.now(),
                                         transformSet: plan.flows.first { $0.bindingKey == sa.bindingKey }?.transformSet,
                                         transform: sa.transform)
            s.nextConnectionID += 1
        }
        // Policies.
        let policies = plan.policies.map { p -> SecurityPolicy in
            var selector = p.selector
            if let key = p.bindingKey { selector.action = .protect(binding: s.bindings[key]!) }
            return selector
        }
        if policies != s.policies {
            try control.installPolicies(policies)
            s.policies = policies
        }
    }

    /// `clear crypto sa [peer ADDRESS]`: removes the SAs (of one peer) from the data plane.
    /// Manually keyed SAs come back at once, as on IOS, with fresh counters and windows;
    /// negotiated SAs are gone until IKE negotiates new ones.
    public func clearSAs(peer: IPAddress? = nil) throws {
        try state.withLock { (s: inout State) throws in
            for flow in s.plan.flows where peer == nil || flow.peer == peer {
                try removeNegotiated(flow.bindingKey, &s)
            }
            let plan = s.plan
            var emptied = plan
            emptied.inboundManual.removeAll { peer == nil || $0.source == peer }
            emptied.outboundManual.removeAll { peer == nil || $0.destination == peer }
            try program(emptied, &s)
            try program(plan, &s)
        }
    }
}


// MARK: IKE-negotiated SAs

extension Router {
    /// Installs a negotiated SA pair for the flow `bindingKey`: the inbound SA (`inboundSPI`,
    /// chosen by this router) is added beside any existing one (make-before-break: the old one
    /// keeps working until `removeNegotiatedInbound`), and the flow's outbound traffic moves to
    /// `outboundSPI` (chosen by the peer). A peer without a configured flow (dynamic crypto
    /// map, mGRE with dynamic NHRP) gets SAs under its own key, `local` its endpoint, and no
    /// outbound policy. The SAs use `transform` with the keys IKE derived for each direction
    /// (the data plane makes their crypto contexts); `transformSet` is the set it came from
    /// (its mode, and what `show crypto ipsec sa` prints). Returns the connection ids
    /// (inbound, outbound).
    @discardableResult
    public func installNegotiated(flow bindingKey: String, peer: IPAddress, local: IPAddress, inboundSPI: UInt32?,
                                  outboundSPI: UInt32?, transform: ESPTransform = .null, transformSet: TransformSet? = nil,
                                  inboundKeys: ESPKeys = .none, outboundKeys: ESPKeys = .none) throws -> (inbound: Int?, outbound: Int?) {
        try state.withLock { (s: inout State) throws -> (inbound: Int?, outbound: Int?) in
            let flow = s.plan.flows.first { $0.bindingKey == bindingKey }
            let local = flow?.localAddress ?? local
            let replayWindow = flow == nil ? s.configuration.replayWindow : flow?.replayWindow
            let control = dataplane
            let mode = transformSet?.mode ?? flow?.transformSet?.mode ?? .tunnel
            var ids: (inbound: Int?, outbound: Int?) = (nil, nil)
            var entry = s.negotiated[bindingKey] ?? NegotiatedSAs()
            if let inboundSPI {
                // Volume lifetime (IOS: rekey at 90 % of the kilobytes, expire at 100 %).
                let kilobytes = UInt64(flow?.lifetimeKilobytes ?? s.configuration.lifetimeKilobytes)
                let h = try control.installInbound(InboundSAConfig(
                    spi: inboundSPI, destination: local, mode: mode, transform: transform,
                    replay: replayWindow.map { .window($0) } ?? .disabled,
                    lifetime: SALifetime(softBytes: kilobytes * 1024 / 10 * 9, hardBytes: kilobytes * 1024), keys: inboundKeys))
                entry.inbound.append(InstalledSA(handle: .inbound(h), spi: inboundSPI, connectionID: s.nextConnectionID, installedAt: clock.now(),
                                                 transformSet: transformSet, transform: transform))
                ids.inbound = s.nextConnectionID
                s.nextConnectionID += 1
            }
            if let outboundSPI {
                let h = try control.installOutbound(OutboundSAConfig(
                    spi: outboundSPI, mode: mode, transform: transform, tunnelSource: local, tunnelDestination: peer,
                    keys: outboundKeys))
                if let binding = s.bindings[bindingKey] { try control.bind(binding, to: h) }
                if let old = entry.outbound, case let .outbound(oh) = old.handle { try control.deleteOutbound(oh) }
                entry.outbound = InstalledSA(handle: .outbound(h), spi: outboundSPI, connectionID: s.nextConnectionID, installedAt: clock.now(),
                                             transformSet: transformSet, transform: transform)
                ids.outbound = s.nextConnectionID
                s.nextConnectionID += 1
            }
            s.negotiated[bindingKey] = entry
            return ids
        }
    }

    /// Removes one negotiated inbound SA (the end of a rekey overlap, a DELETE, expiry).
    public func removeNegotiatedInbound(flow bindingKey: String, spi: UInt32) throws {
        try state.withLock { (s: inout State) throws in
            guard var entry = s.negotiated[bindingKey], let i = entry.inbound.firstIndex(where: { $0.spi == spi }) else { return }
            if case let .inbound(h) = entry.inbound[i].handle { try dataplane.deleteInbound(h) }
            entry.inbound.remove(at: i)
            s.negotiated[bindingKey] = entry
        }
    }

    /// Removes every negotiated SA of a flow; its outbound traffic then asks for IKE (drop 33).
    public func removeNegotiated(flow bindingKey: String) throws {
        try state.withLock { (s: inout State) throws in try removeNegotiated(bindingKey, &s) }
    }

    func removeNegotiated(_ bindingKey: String, _ s: inout State) throws {
        guard let entry = s.negotiated.removeValue(forKey: bindingKey) else { return }
        let control = dataplane
        for sa in entry.inbound { if case let .inbound(h) = sa.handle { try control.deleteInbound(h) } }
        if let sa = entry.outbound, case let .outbound(h) = sa.handle {
            if let binding = s.bindings[bindingKey] { try control.bind(binding, to: nil) }
            try control.deleteOutbound(h)
        }
    }

    /// The installed inbound SA with `spi` (manual or negotiated) and its flow.
    public func inboundSA(spi: UInt32) -> (flowKey: String, sa: InstalledSA)? {
        state.withLock { s in
            if let (key, sa) = s.inbound.first(where: { $0.value.spi == spi }) { return (key.bindingKey, sa) }
            for (key, entry) in s.negotiated {
                if let sa = entry.inbound.first(where: { $0.spi == spi }) { return (key, sa) }
            }
            return nil
        }
    }

    /// The flow whose outbound policy carries `binding` (maps acquire punts to flows).
    public func flowKey(binding: UInt32) -> String? {
        state.withLock { s in s.bindings.first { $0.value == binding }?.key }
    }

    /// Flows that exist only because IKE negotiated them: peers of a dynamic crypto map or of an
    /// mGRE tunnel with dynamic NHRP, which the configuration does not name. For `show crypto
    /// ipsec sa`, with the same fields as configured flows (identities any/any).
    public var dynamicFlows: [DataplanePlan.Flow] {
        state.withLock { s in
            s.negotiated.keys.filter { key in !s.plan.flows.contains { $0.bindingKey == key } }.sorted()
                .compactMap { Self.dynamicFlow(key: $0, configuration: s.configuration, plan: s.plan) }
        }
    }

    /// The flow of a dynamic peer (`dynamic A.B.C.D` keys).
    static func dynamicFlow(key: String, configuration c: RouterConfiguration, plan: DataplanePlan) -> DataplanePlan.Flow? {
        guard key.hasPrefix("dynamic "), let peer = IPAddress(String(key.dropFirst("dynamic ".count))) else { return nil }
        let who = SenderClassification.classify(sender: peer, local: nil, configuration: c, plan: plan)
        guard let name = who.interface, let i = c.interfaces[name] else { return nil }
        var sets: [TransformSet] = []
        var tag = name
        var local = i.ipv4?.address
        var mapName: String?
        var sequence = 0
        if let mapName0 = i.cryptoMap, let entries = c.cryptoMaps[mapName0],
           let entry = entries.values.sorted(by: { $0.sequence < $1.sequence }).first(where: { if case .dynamic = $0.kind { true } else { false } }),
           case let .dynamic(dynamicName) = entry.kind {
            tag = mapName0
            mapName = mapName0
            sequence = entry.sequence
            sets = (c.dynamicMaps[dynamicName]?.values.sorted(by: { $0.sequence < $1.sequence }) ?? [])
                .flatMap(\.transformSets).compactMap { c.transformSets[$0] }
        } else if i.isTunnel, let profile = i.tunnel.protectionProfile.flatMap({ c.ipsecProfiles[$0] }) {
            tag = "\(name)-head-0"
            sets = profile.transformSets.compactMap { c.transformSets[$0] }
            local = i.tunnel.sourceAddress ?? i.tunnel.sourceInterface.flatMap { c.interfaces[$0]?.ipv4?.address }
        }
        guard let local else { return nil }
        let any = IPPrefix.any(ipv4: peer.isIPv4)
        var flow = DataplanePlan.Flow(
            bindingKey: key, interface: name, cryptoMapTag: tag, localAddress: local, peer: peer,
            localIdentity: any, remoteIdentity: any, protocolNumber: 0, localPort: 0, remotePort: 0,
            transformSet: sets.first, pfsGroup: nil, lifetimeSeconds: c.lifetimeSeconds, lifetimeKilobytes: c.lifetimeKilobytes,
            replayWindow: c.replayWindow, manual: false)
        flow.mapName = mapName
        flow.mapSequence = sequence
        flow.proposals = sets
        return flow
    }

    /// Negotiated SAs of a flow (inbound SPIs oldest first, outbound SPI).
    public func negotiatedSPIs(flow bindingKey: String) -> (inbound: [UInt32], outbound: UInt32?) {
        state.withLock { s in
            let e = s.negotiated[bindingKey]
            return (e?.inbound.map(\.spi) ?? [], e?.outbound?.spi)
        }
    }
}
