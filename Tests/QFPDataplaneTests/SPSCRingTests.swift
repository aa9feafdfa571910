import QFPDataplane
import Testing

@Suite("SPSC ring")
struct SPSCRingTests {
    @Test("capacity rounds up to a power of two; burst takes what fits, bulk all or nothing")
    func burstAndBulk() throws {
        let ring = try SPSCRing<UInt32>(minimumCapacity: 5)
        defer { ring.deallocate() }
        #expect(ring.capacity == 8)
        let items: [UInt32] = Array(1...10)
        #expect(items.withUnsafeBufferPointer { ring.enqueueBurst($0.baseAddress!, count: 10) } == 8)
        #expect(!items.withUnsafeBufferPointer { ring.enqueueBulk($0.baseAddress!, count: 1) })
        var out = [UInt32](repeating: 0, count: 16)
        #expect(out.withUnsafeMutableBufferPointer { ring.dequeueBurst(into: $0.baseAddress!, maximum: 3) } == 3)
        #expect(Array(out.prefix(3)) == [1, 2, 3])
        #expect(!items.withUnsafeBufferPointer { ring.enqueueBulk($0.baseAddress!, count: 4) })
        #expect(items.withUnsafeBufferPointer { ring.enqueueBulk($0.baseAddress! + 8, count: 2) })
        #expect(ring.approximateCount == 7)
        #expect(out.withUnsafeMutableBufferPointer { ring.dequeueBurst(into: $0.baseAddress!, maximum: 16) } == 7)
        #expect(Array(out.prefix(7)) == [4, 5, 6, 7, 8, 9, 10])
        #expect(ring.dequeue() == nil)
    }

    @Test("indices wrap around the 32-bit range and the slot array many times")
    func wrapAround() throws {
        let ring = try SPSCRing<UInt64>(minimumCapacity: 4)
        defer { ring.deallocate() }
        var next: UInt64 = 0
        var expected: UInt64 = 0
        for round in 0..<10_000 {
            let n = round % 4 + 1
            for _ in 0..<n where ring.enqueue(next) { next += 1 }
            while let v = ring.dequeue() {
                #expect(v == expected)
                expected += 1
            }
        }
        #expect(expected == next)
    }

    @Test("a producer thread and a consumer thread move 2M items in order, none lost")
    func crossThread() async throws {
        let ring = try SPSCRing<UInt32>(minimumCapacity: 1024)
        defer { ring.deallocate() }
        let total = 2_000_000
        let producer = try PinnedThread.start(name: "ring-producer", cpu: nil) {
            var buffer = [UInt32](repeating: 0, count: 32)
            var sent = 0
            while sent < total {
                let n = min(32, total - sent)
                for i in 0..<n { buffer[i] = UInt32(sent + i) }
                var done = 0
                while done < n {
                    done += buffer.withUnsafeBufferPointer { ring.enqueueBurst($0.baseAddress! + done, count: n - done) }
                }
                sent += n
            }
        }
        var buffer = [UInt32](repeating: 0, count: 32)
        var received = 0
        var inOrder = true
        while received < total {
            let n = buffer.withUnsafeMutableBufferPointer { ring.dequeueBurst(into: $0.baseAddress!, maximum: 32) }
            for i in 0..<n where buffer[i] != UInt32(received + i) { inOrder = false }
            received += n
            if n == 0 { CPU.relax() }
        }
        producer.join()
        #expect(inOrder)
        #expect(ring.dequeue() == nil)
    }

    @Test("out-of-range capacities are refused")
    func badCapacity() {
        #expect(throws: DataplaneError.self) { try SPSCRing<UInt32>(minimumCapacity: 0) }
    }
}
