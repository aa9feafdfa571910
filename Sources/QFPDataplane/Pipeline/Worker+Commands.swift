extension Worker {
    /// Applies up to `limit` pending commands, then acknowledges the last epoch applied.
    @inlinable
    mutating func applyCommands(limit: Int) {
        var applied = 0
        // The crypto engine's hand-over is set-up, not a configuration message, and exists only
        // where the provider has an engine: `commandsApplied` (show ... feature ipsec state)
        // leaves it out so that the count is the same on every machine.
        var configuration = 0
        var lastEpoch: UInt64 = 0
        withUnsafeTemporaryAllocation(of: WorkerCommand.self, capacity: 1) { one in
            let slot = one.baseAddress!
            while applied < limit, commands.dequeueBurst(into: slot, maximum: 1) == 1 {
                apply(slot.pointee)
                lastEpoch = slot.pointee.epoch
                applied &+= 1
                if slot.pointee.kind != .setCryptoBurst { configuration &+= 1 }
            }
        }
        if applied > 0 {
            if configuration > 0 { counters.count(.commandsApplied, configuration) }
            control.acknowledge(lastEpoch)
        }
    }

    @usableFromInline
    mutating func apply(_ c: WorkerCommand) {
        switch c.kind {
        case .installInbound:
            inbound.install(c)
            if !table.insert(sa: c.slot) {
                // The control plane rejects duplicates before sending; never shadow an SA.
                inbound.entry(c.slot).flags = []
            } else if let e = cryptoBurst, e.opens(inbound.entry(c.slot).flags.transform) {
                burstSAs &+= 1
            }
        case .deleteInbound:
            let sa = inbound.entry(c.slot)
            if sa.flags.contains(.valid) {
                if let e = cryptoBurst, e.opens(sa.flags.transform) { burstSAs &-= 1 }
                _ = table.remove(sa: c.slot)
                sa.flags = []
            }
        case .markRekeyed:
            let sa = inbound.entry(c.slot)
            if sa.flags.contains(.valid) { sa.flags = sa.flags.union(.rekeyed) }
        case .bindOutbound:
            if Int(c.binding) < bindingCapacity {
                outboundCounters.reset(c.slot)
                bindings[Int(c.binding)] = c.slot
            }
        case .unbindOutbound:
            if Int(c.binding) < bindingCapacity { bindings[Int(c.binding)] = Self.unbound }
        case .installPolicies:
            policies = c.image.map { $0.load(as: SPDView.self) }
        case .setLocalEndpoint:
            endpoints.set(c.address, transport: c.flags & SAFlags.tunnel.rawValue == 0)
        case .removeLocalEndpoint:
            endpoints.remove(c.address)
        case .configurePunt:
            invalidSPIBucket = TokenBucket(ratePerSecond: c.softPackets, burst: c.hardPackets)
            acquireBucket = TokenBucket(ratePerSecond: c.softPackets, burst: c.hardPackets)
        case .setDropCapture:
            capturingDrops = c.flags != 0 && dropCapture != nil
        case .setCryptoBurst:
            cryptoBurst = c.image.map { ESPCryptoBurst(UnsafeMutableRawPointer(mutating: $0)) }
            burstSAs = 0
            if let e = cryptoBurst {
                // Cold: SAs installed before the engine arrived.
                for slot in 0..<UInt32(inbound.capacity) {
                    let flags = inbound.entry(slot).flags
                    if flags.contains(.valid) && e.opens(flags.transform) { burstSAs &+= 1 }
                }
            }
        case .barrier:
            break
        }
    }
}
