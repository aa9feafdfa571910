import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test("a virtual clock drives the data plane's rate limits without sleeping")
    func virtualTimeDrivesPuntBucket() throws {
        var c = ManualPipeline.smallConfiguration
        c.workers = 1
        c.puntRatePerSecond = 1
        c.puntBurst = 1
        let p = try ManualPipeline(c)
        let clock = VirtualClock(start: 1_000_000_000)
        let publisher = ClockPublisher(clock: clock, target: p.pipeline.clock)
        let router = IPAddress("192.0.2.1")!
        let peer = IPAddress("198.51.100.1")!
        func burst() -> Int {
            for spi in UInt32(0x1000)..<0x1010 {
                p.inject(PacketBuilder.esp(source: peer, destination: router, spi: spi, sequence: 1,
                                           inner: PacketBuilder.clear(source: peer, destination: router)))
            }
            p.drain()
            return p.control.drainPunts().count
        }
        publisher.tick()
        #expect(burst() == 1)
        #expect(burst() == 0)
        clock.advance(by: .seconds(60))
        publisher.tick()
        #expect(burst() == 1)
        #expect(p.statistics.totals().packets(.inUsV4PktSaNotFoundSpi) == 48)
    }

    @Test("the monotonic clock moves forward")
    func monotonic() {
        let c = MonotonicControlClock()
        let a = c.now()
        let b = c.now()
        #expect(b >= a)
    }
}
