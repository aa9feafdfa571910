import QFPDataplane
import QFPGenerator
import Testing

@Suite("Pipeline mechanics")
struct PipelineMechanicsTests {
    func esp(_ spi: UInt32, _ seq: UInt32 = 1) -> [UInt8] {
        PacketBuilder.esp(source: Net.peer, destination: Net.router, spi: spi, sequence: seq, inner: Net.inner())
    }

    @Test("each inbound SA lives on the worker its SPI steers to")
    func ownership() throws {
        let p = try makePipeline(workers: 3)
        var handles: [InboundSAHandle] = []
        for spi in UInt32(0x100)..<0x200 {
            handles.append(try p.control.installInbound(InboundSAConfig(spi: spi, destination: Net.router)))
        }
        p.drain()
        for h in handles {
            let spi = UInt32(0x100) + UInt32(handles.firstIndex(of: h)!)
            #expect(h.worker == p.pipeline.steering.worker(forSPI: spi))
        }
        #expect(p.workers.map(\.installedSACount).reduce(0, +) == 256)
        #expect(p.workers.allSatisfy { $0.installedSACount > 40 })
        for spi in UInt32(0x100)..<0x200 { p.inject(esp(spi)) }
        p.drain()
        #expect(p.statistics.totals()[.decapsulated] == 256)
        p.expectConservation()
    }

    @Test("a full input ring tail-drops at the source: IpsecTailDrop for ESP, TailDrop for clear")
    func tailDrop() throws {
        let p = try makePipeline(workers: 1) { $0.inputRingSlots = 32 }
        for i in 0..<40 { p.inject(esp(0x9000 + UInt32(i))) }
        for _ in 0..<5 { p.inject(PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost)) }
        let t = p.statistics.totals()
        #expect(t.packets(.ipsecTailDrop) == 8)
        #expect(t.packets(.tailDrop) == 5)
        #expect(t.octets(.ipsecTailDrop) == UInt64(8 * esp(1).count))
        p.expectConservation()
        #expect(p.statistics.totals().packets(.inUsV4PktSaNotFoundSpi) == 32)
    }

    @Test("a full transmit ring is a TailDrop, and the buffer returns")
    func transmitTailDrop() throws {
        let p = try makePipeline(workers: 1) { $0.transmitRingSlots = 2 }
        for _ in 0..<5 { p.inject(PacketBuilder.clear(source: Net.insideHost, destination: Net.remoteHost)) }
        p.drain()
        #expect(p.statistics.totals().packets(.tailDrop) == 3)
        #expect(p.statistics.totals()[.forwarded] == 2)
        p.expectConservation()
    }

    @Test("rekey keeps the old SA working until it is deleted; then its SPI is unknown")
    func inboundRekey() throws {
        let p = try makePipeline()
        let old = try p.control.installInbound(InboundSAConfig(spi: 0xA100, destination: Net.router))
        p.drain()
        p.inject(esp(0xA100, 1))
        let new = try p.control.rekeyInbound(old, with: InboundSAConfig(spi: 0xB200, destination: Net.router))
        p.drain()
        p.inject(esp(0xA100, 2))
        p.inject(esp(0xB200, 1))
        p.drain()
        #expect(p.statistics.totals()[.decapsulated] == 3)
        try p.control.deleteInbound(old)
        p.drain()
        p.inject(esp(0xA100, 3))
        p.inject(esp(0xB200, 2))
        p.drain()
        let t = p.statistics.totals()
        #expect(t[.decapsulated] == 4)
        #expect(t.featureDrops == [4: 1])
        #expect(p.control.counters(old) == nil)
        #expect(p.control.counters(new)?[.decapsulatedPackets] == 2)
        #expect(throws: DataplaneError.self) { try p.control.deleteInbound(old) }
        p.expectConservation()
    }

    @Test("duplicate (SPI, destination) is refused; the same SPI to another destination is a different SA")
    func duplicates() throws {
        let p = try makePipeline()
        try p.control.installInbound(InboundSAConfig(spi: 0x500, destination: Net.router))
        #expect(throws: DataplaneError.duplicateSPI(spi: 0x500, destination: Net.router)) {
            try p.control.installInbound(InboundSAConfig(spi: 0x500, destination: Net.router))
        }
        try p.control.installInbound(InboundSAConfig(spi: 0x500, destination: Net.routerTransport))
        p.drain()
        p.inject(PacketBuilder.esp(source: Net.peer, destination: Net.routerTransport, spi: 0x500, sequence: 1, inner: Net.inner()))
        p.drain()
        #expect(p.statistics.totals()[.decapsulated] == 1)
        p.expectConservation()
    }

    @Test("a deleted SA's slot is reused only after its worker acknowledged the delete")
    func quiescentReclamation() throws {
        let p = try makePipeline(workers: 1) { $0.inboundSAsPerWorker = 2 }
        let a = try p.control.installInbound(InboundSAConfig(spi: 0x600, destination: Net.router))
        _ = try p.control.installInbound(InboundSAConfig(spi: 0x601, destination: Net.router))
        p.drain()
        try p.control.deleteInbound(a)
        // Not yet applied by the worker: the slot must not be handed out again.
        #expect(throws: DataplaneError.saTableFull(worker: 0, capacity: 2)) {
            try p.control.installInbound(InboundSAConfig(spi: 0x602, destination: Net.router))
        }
        p.step()
        let c = try p.control.installInbound(InboundSAConfig(spi: 0x602, destination: Net.router))
        #expect(c.slot == a.slot && c.generation == a.generation + 1)
        #expect(p.control.counters(a) == nil)
        p.drain()
        p.inject(esp(0x600)); p.inject(esp(0x602))
        p.drain()
        #expect(p.statistics.totals()[.decapsulated] == 1)
        #expect(p.control.counters(c)?[.decapsulatedPackets] == 1)
        p.expectConservation()
    }

    @Test("a full command ring is reported while no worker runs")
    func commandRingFull() throws {
        let p = try makePipeline(workers: 1) { $0.commandRingSlots = 2 }
        try p.control.installInbound(InboundSAConfig(spi: 0x700, destination: Net.router))
        try p.control.installInbound(InboundSAConfig(spi: 0x701, destination: Net.router))
        #expect(throws: DataplaneError.commandRingFull(worker: 0)) {
            try p.control.installInbound(InboundSAConfig(spi: 0x702, destination: Net.router))
        }
        p.drain()
        try p.control.installInbound(InboundSAConfig(spi: 0x702, destination: Net.router))
        p.drain()
        #expect(p.workers[0].installedSACount == 3)
    }

    @Test("clear is a baseline: reads restart from zero, worker counters are untouched")
    func clearByBaseline() throws {
        let p = try makePipeline()
        for i in 0..<5 { p.inject(esp(0x800 + UInt32(i))) }
        p.drain()
        let before = p.statistics.readAndClear()
        #expect(before.packets(.ipsecInput) == 5)
        #expect(p.statistics.sinceClear().packets(.ipsecInput) == 0)
        p.inject(esp(0x900))
        p.drain()
        #expect(p.statistics.sinceClear().packets(.ipsecInput) == 1)
        #expect(p.statistics.totals().packets(.ipsecInput) == 6)
        #expect(p.statistics.perCore().map { $0.packets(.ipsecInput) }.reduce(0, +) == 6)
        p.expectConservation()
    }

    @Test("worker pools and source pools never run dry under recycling")
    func recycling() throws {
        let p = try makePipeline(workers: 2) { $0.sourcePoolBuffers = 64; $0.inputRingSlots = 64 }
        try p.control.installInbound(InboundSAConfig(spi: 0x1000, destination: Net.router, replay: .disabled))
        p.drain()
        for round in 0..<50 {
            for _ in 0..<40 { #expect(p.inject(esp(0x1000, UInt32(round + 1)))) }
            p.drain()
            _ = p.transmittedPackets()
            p.drain()
        }
        #expect(p.statistics.totals()[.decapsulated] == 2000)
        p.expectConservation()
    }
}

@Suite("SPI table fingerprints in the pipeline")
struct FingerprintCollisionTests {
    @Test("the same SPI on two addresses with the same fingerprint still finds the right SA")
    func collidingFingerprints() throws {
        let a = Net.router
        var b = IPAddress(ipv4: 0xC000_0300)
        while SPITable.fingerprint(b) != SPITable.fingerprint(a) { b = IPAddress(ipv4: b.ipv4 + 1) }
        let p = try makePipeline()
        let first = try p.control.installInbound(InboundSAConfig(spi: 0x4242, destination: a))
        let second = try p.control.installInbound(InboundSAConfig(spi: 0x4242, destination: b))
        p.drain()
        for destination in [b, a, b] {
            p.inject(PacketBuilder.esp(source: Net.peer, destination: destination, spi: 0x4242,
                                       sequence: destination == a ? 1 : (p.control.counters(second)![.decapsulatedPackets] == 0 ? 1 : 2),
                                       inner: Net.inner()))
            p.drain()
        }
        #expect(p.control.counters(first)?[.decapsulatedPackets] == 1)
        #expect(p.control.counters(second)?[.decapsulatedPackets] == 2)
        #expect(p.statistics.totals().totalDropped == 0)
        p.expectConservation()
    }
}
