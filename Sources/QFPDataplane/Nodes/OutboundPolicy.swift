extension Worker {
    /// Stage 2b: policy decisions for the burst's clear packets, with the chosen outbound
    /// SA's lines prefetched, so the encapsulation stage finds them in cache.
    @inlinable @inline(__always)
    mutating func policyBurst(_ n: Int) {
        guard let spd = policies else { return }
        for i in 0..<n where scratch.classes[i].kind == .clear {
            let decision = OutboundDecision(spd.lookup(scratch.classes[i]), bindings: bindings, capacity: bindingCapacity)
            scratch.decisions[i] = decision
            if decision.action == .protect && decision.slot != Self.unbound {
                let sa = outbound.entry(decision.slot).base
                Prefetch.write(sa)
                Prefetch.read(sa + 128)
                Prefetch.read(sa + 192)
                outboundCounters.prefetch(decision.slot)
            }
        }
    }

    /// Clear traffic after its policy decision: no policy or bypass forwards in the clear;
    /// deny drops (35/40, `IpsecDenyDrop`); protect encapsulates with the SA bound to the
    /// policy, or, with none bound yet, drops (33/38, `IpsecIkeIndicate`) and asks the control
    /// plane to start IKE (an acquire record, rate-limited like invalid-SPI records).
    @inlinable
    mutating func outboundPolicy(_ handle: PacketHandle, _ c: PacketClassification, _ decision: OutboundDecision) {
        let ipv6 = c.ipVersion == 6
        switch decision.action {
        case .none, .bypass:
            bypass(handle)
        case .deny:
            drop(handle, .ipsecDenyDrop, ipv6 ? .outV6PktHitDenyDropSp : .outV4PktHitDenyDropSp)
        case .protect:
            if decision.slot == Self.unbound {
                if acquireBucket.take(now: now) {
                    var r = PuntRecord(kind: .acquire, worker: index, time: now)
                    r.ipVersion = c.ipVersion
                    r.protocolNumber = c.protocolNumber
                    r.slot = decision.binding
                    r.inputInterface = directory.buffer(handle).inputInterface
                    r.source = c.source
                    r.destination = c.destination
                    _ = pushPunt(r)
                } else {
                    counters.count(.puntRateLimited)
                }
                drop(handle, .ipsecIkeIndicate, ipv6 ? .outV6PktHitIkeStartSp : .outV4PktHitIkeStartSp)
            } else {
                espOutbound(handle, c, slot: decision.slot)
            }
        }
    }

    @inlinable @inline(__always)
    mutating func bypass(_ handle: PacketHandle) {
        tally.bypassed &+= 1
        forward(handle, length: directory.buffer(handle).length)
    }
}

/// The outbound policy decision for one packet of a burst.
@frozen
public struct OutboundDecision: BitwiseCopyable {
    public var action: SPDView.Action
    /// The policy's binding (for acquire records).
    public var binding: UInt32
    /// The outbound SA bound to it, or `Worker.unbound`.
    public var slot: UInt32

    @inlinable
    public init() {
        action = .none
        binding = 0
        slot = .max
    }

    @inlinable @inline(__always)
    init(_ match: SPDView.Match, bindings: UnsafeMutablePointer<UInt32>, capacity: Int) {
        action = match.action
        binding = match.binding
        slot = action == .protect && Int(match.binding) < capacity ? bindings[Int(match.binding)] : .max
    }
}
