import Logging
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
    }

    /// A router over `pipeline`, configured with `configuration`.
    public init(pipeline: Pipeline, clock: any ControlClock, configuration: RouterConfiguration) throws {
        self.pipeline = pipeline
        self.clock = clock
        state = Mutex(State())
        try apply(configuration)
    }

    /// The data plane's control interface.
    public var dataplane: DataplaneControl { pipeline.control }

    /// The running configuration.
    public var configuration: RouterConfiguration { state.withLock { $0.configuration } }

    /// The current plan (flows, policies, endpoints).
    public var plan: DataplanePlan { state.withLock { $0.plan } }

    /// Control-clock time of the last configuration change.
    public var lastChange: UInt64 { state.withLock { $0.lastChange } }

    /// Installed SAs of a flow (by binding key): inbound, then outbound.
    public func installedSAs(flow bindingKey: String) -> (inbound: [InstalledSA], outbound: InstalledSA?) {
        state.withLock { s in
            (s.inbound.filter { $0.key.bindingKey == bindingKey }.map(\.value).sorted { $0.spi < $1.spi },
             s.outbound.first { $0.key.bindingKey == bindingKey }?.value)
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
                spi: sa.spi, destination: sa.destination, mode: sa.mode,
                replay: sa.replayWindow.map { .window($0) } ?? .disabled))
            s.inbound[sa] = InstalledSA(handle: .inbound(h), spi: sa.spi, connectionID: s.nextConnectionID, installedAt: clock.now())
            s.nextConnectionID += 1
        }
        for sa in plan.outboundManual where s.outbound[sa] == nil {
            let h = try control.installOutbound(OutboundSAConfig(
                spi: sa.spi, mode: sa.mode, tunnelSource: sa.source, tunnelDestination: sa.destination))
            try control.bind(s.bindings[sa.bindingKey]!, to: h)
            s.outbound[sa] = InstalledSA(handle: .outbound(h), spi: sa.spi, connectionID: s.nextConnectionID, installedAt: clock.now())
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
    /// Manually keyed SAs come back at once, as on IOS, with fresh counters and windows.
    public func clearSAs(peer: IPAddress? = nil) throws {
        try state.withLock { (s: inout State) throws in
            let plan = s.plan
            var emptied = plan
            emptied.inboundManual.removeAll { peer == nil || $0.source == peer }
            emptied.outboundManual.removeAll { peer == nil || $0.destination == peer }
            try program(emptied, &s)
            try program(plan, &s)
        }
    }
}
