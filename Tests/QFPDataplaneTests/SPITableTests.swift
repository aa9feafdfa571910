@testable import QFPDataplane
import Testing

@Suite("SPI table")
struct SPITableTests {
    /// A table over its own arena, as a worker holds it.
    final class Fixture {
        let region: NodeLocalRegion
        var table: SPITable
        let arena: InboundSAArena
        init(capacity: Int) throws {
            let slots = SPITable.slotCount(forCapacity: capacity)
            let bytes = InboundSAArena.byteCounts(capacity: capacity)
            region = try NodeLocalRegion.allocate(byteCount: RegionCarver.bytesNeeded([slots * 8, bytes.slots, bytes.bitmaps]), node: 0, what: "test")
            var carver = RegionCarver(region)
            let t = carver.carve(slots * 8)
            arena = InboundSAArena(slots: carver.carve(bytes.slots), wideBitmaps: carver.carve(bytes.bitmaps), capacity: capacity)
            table = SPITable(storage: t, slotCount: slots, arena: arena)
        }
        deinit { region.deallocate() }
        func put(_ slot: UInt32, spi: UInt32, destination: IPAddress) -> Bool {
            var c = WorkerCommand(kind: .installInbound)
            c.slot = slot
            c.spi = spi
            c.address = destination
            c.replayWords = 1
            arena.install(c)
            return table.insert(sa: slot)
        }
    }

    @Test("random inserts, lookups and backward-shift deletes agree with a dictionary")
    func randomOperations() throws {
        let capacity = 4096
        let f = try Fixture(capacity: capacity)
        var model: [UInt64: UInt32] = [:]   // spi<<1 | destination index -> slot
        var free = Array((0..<UInt32(capacity)).reversed())
        var rng = SplitMix64(seed: 7)
        let destinations = [IPAddress(ipv4: 0xC000_0201), IPAddress(ipv4: 0xC000_0202)]
        for _ in 0..<200_000 {
            // A small SPI space forces collisions and long clusters.
            let spi = UInt32(256 + rng.next() % 3000)
            let d = Int(rng.next() % 2)
            let key = UInt64(spi) << 1 | UInt64(d)
            if rng.next() % 3 != 0, model[key] == nil, let slot = free.popLast() {
                #expect(f.put(slot, spi: spi, destination: destinations[d]))
                model[key] = slot
            } else if let slot = model[key] {
                let removed = f.table.remove(sa: slot)
                #expect(removed)
                model[key] = nil
                free.append(slot)
            }
            let probe = UInt32(256 + rng.next() % 3000)
            let pd = Int(rng.next() % 2)
            #expect(f.table.lookup(spi: probe, destination: destinations[pd]) == model[UInt64(probe) << 1 | UInt64(pd)])
        }
        #expect(f.table.count == model.count)
        for (key, slot) in model {
            #expect(f.table.lookup(spi: UInt32(key >> 1), destination: destinations[Int(key & 1)]) == slot)
        }
    }

    @Test("a duplicate key is refused")
    func duplicate() throws {
        let f = try Fixture(capacity: 8)
        #expect(f.put(0, spi: 1000, destination: IPAddress(ipv4: 1)))
        #expect(!f.put(1, spi: 1000, destination: IPAddress(ipv4: 1)))
        #expect(f.put(2, spi: 1000, destination: IPAddress(ipv4: 2)))
        #expect(f.table.count == 2)
    }

    @Test("hot entry is one cache line; the table holds at least twice its capacity")
    func layout() {
        #expect(InboundSA.size == 64)
        #expect(SPITable.slotCount(forCapacity: 1_000_000) >= 2_000_000)
        #expect(MemoryLayout<IPAddress>.size == 16)
    }
}
