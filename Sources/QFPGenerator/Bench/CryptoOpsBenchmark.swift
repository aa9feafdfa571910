import QFPCrypto
import QFPDataplane

/// The ESP transforms alone, the work `dpdk-test-crypto-perf --ptest throughput` measures on a
/// crypto device: one core, one SA (one session), bursts of 32 operations on prepared buffers,
/// no packet pipeline (no rings, parsing, lookup, replay window, counters or buffer copies).
///
/// Each buffer is an ESP packet without IP header: SPI and sequence number, IV, `bufferBytes`
/// encrypted bytes (`--buffer-sz`), ICV; 256 buffers of 2 KiB (in L2), cycled through. A burst
/// is sealed (outbound: IV, encryption, ICV), then the same burst is verified and decrypted
/// (inbound), so every inbound operation opens a genuine packet, and every seal encrypts the
/// plaintext the previous round left. Each direction is timed on its own, per burst.
///
/// When the provider has a burst engine that opens the transform (intel-ipsec-mb, AES-CBC +
/// HMAC), each burst is then sealed again (untimed) and opened by one engine call
/// (`inboundBurstMops`): the call the inbound stage makes once per burst. `inboundMops` stays
/// the per-packet figure (the context's `verify` + `decrypt`, one packet at a time).
public enum CryptoOpsBenchmark {
    public struct Result: Sendable {
        public var transform: ESPTransform
        /// Bytes encrypted per operation.
        public var bufferBytes: Int
        public var burst: Int
        /// Operations per direction.
        public var operations: Int
        /// Million `verify` + `decrypt` per second, one packet per call.
        public var inboundMops: Double
        /// Million packets per second opened by the provider's burst engine, one call per
        /// burst; nil when the provider opens this transform per packet only.
        public var inboundBurstMops: Double?
        /// Million `seal` per second.
        public var outboundMops: Double
        /// Inbound operations whose ICV check or decryption failed (0 when correct).
        public var failures: Int

        public var inboundGbps: Double { inboundMops * Double(bufferBytes) * 8 / 1000 }
        public var outboundGbps: Double { outboundMops * Double(bufferBytes) * 8 / 1000 }
    }

    /// Runs both directions for about `seconds` in total, on `provider`'s contexts.
    /// `payloadLength` is rounded up to the transform's block as the pipeline benchmark does
    /// (`InboundSealedTraffic`).
    public static func run(transform: ESPTransform, keys: ESPKeys, payloadLength: Int, seconds: Double,
                           provider: any ESPCryptoProvider, burst: Int = 32, buffers: Int = 256) throws -> Result {
        precondition(transform != .null && buffers % burst == 0, "crypto ops benchmark: needs a cipher and whole bursts")
        let context = try provider.makeContext(transform: transform, keys: keys)
        defer { provider.releaseContext(context) }
        let length = InboundSealedTraffic.encryptedLength(payloadLength, transform: transform)
        let payloadStart = ESPHeader.length + transform.ivLength
        let icvStart = payloadStart + length
        let end = icvStart + transform.icvLength
        let stride = 2048
        precondition(end <= stride, "crypto ops benchmark: \(end)-byte buffer")
        let memory = UnsafeMutableRawPointer.allocate(byteCount: buffers * stride, alignment: 64)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0x5A, count: buffers * stride)
        for b in 0..<buffers {
            ESPHeader.write(to: memory + b * stride, spi: 0x1000, sequenceNumber: UInt32(b + 1))
        }

        var inboundNanoseconds: UInt64 = 0
        var outboundNanoseconds: UInt64 = 0
        var burstNanoseconds: UInt64 = 0
        var operations = 0
        var failures = 0
        // The burst engine's argument vectors, made before timing (the data plane keeps them in
        // its burst scratch).
        let made = provider.makeBurstEngine()
        defer { if let made { provider.releaseBurstEngine(made) } }
        let engine = made.flatMap { $0.opens(transform) ? $0 : nil }
        let contexts = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: burst)
        let packets = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: burst)
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: burst)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: burst)
        let verdicts = UnsafeMutablePointer<UInt8>.allocate(capacity: burst)
        defer { contexts.deallocate(); packets.deallocate(); starts.deallocate(); ends.deallocate(); verdicts.deallocate() }
        contexts.initialize(repeating: context.base, count: burst)
        starts.initialize(repeating: 0, count: burst)
        ends.initialize(repeating: end, count: burst)
        func round() {
            var first = 0
            while first < buffers {
                let t0 = MonotonicClock.nanoseconds()
                for j in first ..< first &+ burst {
                    context.seal(packet: memory + j &* stride, espStart: 0, payloadStart: payloadStart, icvStart: icvStart)
                }
                let t1 = MonotonicClock.nanoseconds()
                for j in first ..< first &+ burst {
                    let p = memory + j &* stride
                    if !context.verify(packet: p, espStart: 0, end: end)
                        || !context.decrypt(packet: p, payloadStart: payloadStart, payloadEnd: icvStart) {
                        failures &+= 1
                    }
                }
                let t2 = MonotonicClock.nanoseconds()
                outboundNanoseconds &+= t1 &- t0
                inboundNanoseconds &+= t2 &- t1
                if let engine {
                    for j in 0 ..< burst {
                        let p = memory + (first &+ j) &* stride
                        context.seal(packet: p, espStart: 0, payloadStart: payloadStart, icvStart: icvStart)
                        packets[j] = p
                    }
                    let t3 = MonotonicClock.nanoseconds()
                    engine.open(count: burst, contexts: contexts, packets: packets, espStarts: starts, ends: ends, verdicts: verdicts)
                    burstNanoseconds &+= MonotonicClock.nanoseconds() &- t3
                    for j in 0 ..< burst where verdicts[j] != ESPBurstVerdict.opened.rawValue { failures &+= 1 }
                }
                operations &+= burst
                first &+= burst
            }
        }
        // Warm-up (untimed): every buffer sealed and opened once.
        round()
        (inboundNanoseconds, outboundNanoseconds, burstNanoseconds, operations) = (0, 0, 0, 0)
        let start = MonotonicClock.nanoseconds()
        let budget = UInt64(seconds * 1e9)
        repeat { round() } while MonotonicClock.nanoseconds() &- start < budget
        return Result(transform: transform, bufferBytes: length, burst: burst, operations: operations,
                      inboundMops: Double(operations) / Double(max(inboundNanoseconds, 1)) * 1e3,
                      inboundBurstMops: engine.map { _ in Double(operations) / Double(max(burstNanoseconds, 1)) * 1e3 },
                      outboundMops: Double(operations) / Double(max(outboundNanoseconds, 1)) * 1e3,
                      failures: failures)
    }
}
