import QFPDataplane
import QFPGenerator
import Testing

@Suite("Drop capture")
struct DropCaptureTests {
    func frames(_ p: ManualPipeline) -> [DroppedFrame] {
        var out: [DroppedFrame] = []
        p.control.drainDroppedFrames(into: &out)
        return out
    }

    @Test("While on, each drop is copied with its reason; off, nothing is; counts never change")
    func reasons() throws {
        let p = try makePipeline { $0.dropCaptureRingSlots = 64 }
        try p.control.setLocalEndpoint(Net.router, mode: .tunnel)
        try p.control.installInbound(InboundSAConfig(spi: 0x1000, destination: Net.router))
        p.drain()
        #expect(p.control.canCaptureDrops)
        let unknown = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0xBAD0, sequence: 1, inner: Net.inner())
        let valid = PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0x1000, sequence: 1, inner: Net.inner(300))
        // Off: counted, not captured.
        p.inject(unknown)
        p.drain()
        #expect(frames(p).isEmpty)

        try p.control.setDropCapture(true)
        p.drain()
        p.inject(unknown)
        p.inject(valid)
        p.inject(valid)   // a replay of sequence 1
        p.drain()
        let got = frames(p)
        #expect(got.map(\.reason) == ["IpsecInput: 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", "IpsecInput: 19 IN_CD_SW_IPSEC_ANTI_REPLAY_FAIL"])
        // The first 256 bytes of the packet as it arrived, and its full length.
        var first = got[0].bytes
        let bytes = withUnsafeBytes(of: &first) { Array($0.prefix(Int(got[0].capturedLength))) }
        #expect(bytes == unknown && got[0].length == UInt16(unknown.count))
        #expect(got[1].capturedLength == 256 && got[1].length == UInt16(valid.count))
        #expect(p.statistics.totals()[.dropsCaptured] == 2)

        try p.control.setDropCapture(false)
        p.drain()
        p.inject(unknown)
        p.drain()
        #expect(frames(p).isEmpty)
        #expect(p.statistics.totals().packets(.inUsV4PktSaNotFoundSpi) == 3)
        p.expectConservation()
    }

    @Test("A full capture ring skips the copy and says so; every drop is still counted")
    func fullRing() throws {
        let p = try makePipeline(workers: 1) { $0.dropCaptureRingSlots = 16 }
        try p.control.setDropCapture(true)
        p.drain()
        for i in 0..<100 {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: 0xBAD0 + UInt32(i), sequence: 1, inner: Net.inner()))
            if i % 20 == 19 { p.drain() }
        }
        p.drain()
        let t = p.statistics.totals()
        let captured = frames(p).count
        #expect(captured == 16)
        #expect(t[.dropsCaptured] == 16 && t[.dropCaptureMissed] == 84)
        #expect(t.packets(.ipsecInput) == 100)
        p.expectConservation()
    }

    @Test("Without capture rings, capture cannot be turned on")
    func noRings() throws {
        let p = try makePipeline()
        #expect(!p.control.canCaptureDrops)
    }
}
