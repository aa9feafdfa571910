import QFPDataplane
import QFPGenerator
import Testing

/// Addresses used across the data-plane tests (documentation ranges, RFC 5737 / RFC 3849).
enum Net {
    static let router = IPAddress("192.0.2.1")!
    static let routerTransport = IPAddress("192.0.2.2")!
    static let peer = IPAddress("198.51.100.7")!
    static let router6 = IPAddress("2001:db8::1")!
    static let peer6 = IPAddress("2001:db8:1::7")!
    static let insideHost = IPAddress("10.1.1.10")!
    static let remoteHost = IPAddress("10.2.2.20")!

    /// An inner datagram for tunnel mode.
    static func inner(_ payload: Int = 18) -> [UInt8] {
        PacketBuilder.clear(source: remoteHost, destination: insideHost, payloadLength: payload)
    }
}

/// A manual pipeline with transmit rings, so tests see what leaves.
func makePipeline(workers: Int = 2, transmit: Bool = true, configure: (inout PipelineConfiguration) -> Void = { _ in })
    throws -> ManualPipeline
{
    var c = ManualPipeline.smallConfiguration
    c.workers = workers
    c.transmitRings = transmit
    configure(&c)
    return try ManualPipeline(c)
}

extension ManualPipeline {
    /// Everything every worker transmitted, in worker order.
    func transmittedPackets() -> [[UInt8]] {
        (0..<workers.count).flatMap { takeTransmitted(worker: $0) }
    }

    /// Asserts packets offered = forwarded + punted + consumed + Σ drops, and that every buffer
    /// came back to the source pool (nothing lost, nothing held).
    func expectConservation(sourceLocation: SourceLocation = #_sourceLocation) {
        drain()
        _ = transmittedPackets()
        drain()
        let t = statistics.totals()
        #expect(t[.offered] == t.accountedFor, "offered \(t[.offered]) != accounted \(t.accountedFor)", sourceLocation: sourceLocation)
        #expect(freeSourceBuffers == source.pool.count, "buffers leaked", sourceLocation: sourceLocation)
    }
}

extension CounterSnapshot {
    /// Drops by global cause name (only non-zero), for compact expectations.
    var globalDrops: [String: UInt64] {
        var d: [String: UInt64] = [:]
        for c in GlobalDropCause.allCases where packets(c) > 0 { d[c.rawValue] = packets(c) }
        return d
    }

    /// Feature drops by Cisco number (only non-zero).
    var featureDrops: [UInt8: UInt64] {
        var d: [UInt8: UInt64] = [:]
        for f in IPsecDatapathDrop.allCases where packets(f) > 0 { d[f.rawValue] = packets(f) }
        return d
    }
}
