extension Worker {
    /// Clear traffic: first-match SPD lookup. No policy or bypass forwards in the clear; deny
    /// drops (35/40, `IpsecDenyDrop`); protect encapsulates with the SA bound to the policy, or,
    /// with none bound yet, drops (33/38, `IpsecIkeIndicate`) and asks the control plane to
    /// start IKE (an acquire record, rate-limited like invalid-SPI records).
    @inlinable
    mutating func outboundPolicy(_ handle: PacketHandle, _ c: PacketClassification) {
        guard let spd = policies else {
            bypass(handle)
            return
        }
        let match = spd.lookup(c)
        let ipv6 = c.ipVersion == 6
        switch match.action {
        case .none, .bypass:
            bypass(handle)
        case .deny:
            drop(handle, .ipsecDenyDrop, ipv6 ? .outV6PktHitDenyDropSp : .outV4PktHitDenyDropSp)
        case .protect:
            let slot = Int(match.binding) < bindingCapacity ? bindings[Int(match.binding)] : Self.unbound
            if slot == Self.unbound {
                if acquireBucket.take(now: now) {
                    var r = PuntRecord(kind: .acquire, worker: index, time: now)
                    r.ipVersion = c.ipVersion
                    r.protocolNumber = c.protocolNumber
                    r.slot = match.binding
                    r.inputInterface = directory.buffer(handle).inputInterface
                    r.source = c.source
                    r.destination = c.destination
                    _ = pushPunt(r)
                } else {
                    counters.count(.puntRateLimited)
                }
                drop(handle, .ipsecIkeIndicate, ipv6 ? .outV6PktHitIkeStartSp : .outV4PktHitIkeStartSp)
            } else {
                espOutbound(handle, c, slot: slot)
            }
        }
    }

    @inlinable @inline(__always)
    mutating func bypass(_ handle: PacketHandle) {
        tally.bypassed &+= 1
        forward(handle, length: directory.buffer(handle).length)
    }
}
