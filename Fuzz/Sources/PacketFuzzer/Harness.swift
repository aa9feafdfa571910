import CFuzzerDriver
import QFPDataplane

/// libFuzzer entry: every input is parsed by the header views and classifier, steered, and
/// pushed through a whole manual pipeline (inbound and outbound stages, with SAs and policies
/// installed). Any trap is a bug; so is a packet that is not accounted for exactly once, or a
/// buffer that does not come back.
enum Harness {
    nonisolated(unsafe) static let pipeline: ManualPipeline = {
        var c = ManualPipeline.smallConfiguration
        c.workers = 2
        c.inboundSAsPerWorker = 256
        c.sourcePoolBuffers = 64
        c.inputRingSlots = 64
        c.transmitRings = false
        let p = try! ManualPipeline(c)
        let router = IPAddress("192.0.2.1")!
        let router6 = IPAddress("2001:db8::1")!
        let control = p.control
        // SPIs 0x100.. as the seed corpus uses them, in every mode and encapsulation.
        try! control.installInbound(InboundSAConfig(spi: 0x100, destination: router))
        try! control.installInbound(InboundSAConfig(spi: 0x101, destination: router, mode: .transport))
        try! control.installInbound(InboundSAConfig(spi: 0x102, destination: router, encapsulation: .udp))
        try! control.installInbound(InboundSAConfig(spi: 0x103, destination: router6))
        try! control.installInbound(InboundSAConfig(spi: 0x104, destination: router, replay: .window(1024),
                                                    lifetime: SALifetime(softPackets: 100, hardPackets: 1000)))
        try! control.installInbound(InboundSAConfig(spi: 0x105, destination: router, replay: .disabled))
        try! control.setLocalEndpoint(IPAddress("192.0.2.2")!, mode: .transport)
        try! control.installPolicies([
            SecurityPolicy(source: IPPrefix("10.1.0.0/16")!, destination: IPPrefix("10.2.0.0/16")!, action: .protect(binding: 0)),
            SecurityPolicy(source: IPPrefix("10.1.0.0/16")!, destination: IPPrefix("10.3.0.0/16")!, protocolNumber: 6,
                           destinationPorts: 20...25, action: .deny),
            SecurityPolicy(source: IPPrefix("10.1.0.0/16")!, destination: IPPrefix("10.3.0.0/16")!, action: .protect(binding: 1)),
            SecurityPolicy(source: .any(ipv4: false), destination: .any(ipv4: false), action: .protect(binding: 2)),
        ])
        let tunnel = try! control.installOutbound(OutboundSAConfig(spi: 0x200, tunnelSource: router, tunnelDestination: IPAddress("198.51.100.7")!))
        let transport = try! control.installOutbound(OutboundSAConfig(spi: 0x201, mode: .transport, encapsulation: .udp,
                                                                      tunnelSource: router, tunnelDestination: router))
        let six = try! control.installOutbound(OutboundSAConfig(spi: 0x202, tunnelSource: router6, tunnelDestination: IPAddress("2001:db8:1::7")!))
        try! control.bind(0, to: tunnel)
        try! control.bind(1, to: transport)
        try! control.bind(2, to: six)
        p.drain()
        return p
    }()
}

/// One input: never traps, accounts for the packet exactly once, returns its buffer.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let raw = UnsafeRawPointer(data)
    _ = PacketClassifier.classify(raw, length: size)
    _ = IPv4Header.validate(raw, available: size)
    if size >= IPv6Header.length { _ = IPv6Header(raw).walk(end: size) }
    _ = Steering(workerCount: 3).steer(raw, length: size)

    let p = Harness.pipeline
    let before = p.statistics.totals()
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let sent = p.inject(bytes)
    p.drain()
    _ = p.control.drainPunts()
    _ = p.control.drainFrames()
    let after = p.statistics.totals()
    let offered = after[.offered] - before[.offered]
    let accounted = after.accountedFor - before.accountedFor
    if offered != (sent ? 1 : 0) || accounted != offered {
        fatalError("packet of \(size) bytes: offered \(offered), accounted for \(accounted)")
    }
    if p.freeSourceBuffers != p.source.pool.count {
        fatalError("buffer leaked after a packet of \(size) bytes")
    }
    return 0
}
