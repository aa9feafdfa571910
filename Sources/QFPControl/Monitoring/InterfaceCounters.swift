import Foundation
import Synchronization

/// A port's counters in the terms `show interfaces` uses: one reading, taken by a reader the
/// daemon attaches for every interface mapped to a Linux device.
public struct InterfacePortReading: Sendable, Equatable, Codable {
    /// The Linux device (`qfp port linux DEV`).
    public var device: String
    /// The device's Ethernet address (six octets; zeros when it has none).
    public var address: [UInt8]
    /// Whether the device's link is up (its operstate).
    public var linkUp: Bool
    public var counters: Counters

    /// The counters, each mapped from the port's own (see docs/live-ports.md).
    public struct Counters: Sendable, Equatable, Codable {
        /// Frames received (any EtherType) and their octets.
        public var packetsInput: UInt64 = 0
        public var bytesInput: UInt64 = 0
        /// IP datagrams dropped because the port's buffer pool was empty.
        public var noBuffer: UInt64 = 0
        /// Frames shorter than their Ethernet header or VLAN tags.
        public var runts: UInt64 = 0
        /// Datagrams longer than a packet buffer, or cut by the ring.
        public var giants: UInt64 = 0
        /// Frames of an EtherType other than IPv4/IPv6 (ARP, LLDP, ...).
        public var unknownProtocolDrops: UInt64 = 0
        /// Frames the kernel dropped because the receive ring was full (`tp_drops`).
        public var inputQueueDrops: UInt64 = 0
        /// Frames sent and their octets (Ethernet header included).
        public var packetsOutput: UInt64 = 0
        public var bytesOutput: UInt64 = 0
        /// Forwarded packets the socket refused (send queue full, link down).
        public var outputDrops: UInt64 = 0

        public init() {}

        /// `runts + giants`: IOS counts both under input errors.
        public var inputErrors: UInt64 { runts &+ giants }

        /// Field by field `self - base` (wrapping; a baseline never exceeds the live counter).
        public func subtracting(_ base: Counters) -> Counters {
            var c = Counters()
            c.packetsInput = packetsInput &- base.packetsInput
            c.bytesInput = bytesInput &- base.bytesInput
            c.noBuffer = noBuffer &- base.noBuffer
            c.runts = runts &- base.runts
            c.giants = giants &- base.giants
            c.unknownProtocolDrops = unknownProtocolDrops &- base.unknownProtocolDrops
            c.inputQueueDrops = inputQueueDrops &- base.inputQueueDrops
            c.packetsOutput = packetsOutput &- base.packetsOutput
            c.bytesOutput = bytesOutput &- base.bytesOutput
            c.outputDrops = outputDrops &- base.outputDrops
            return c
        }
    }

    public init(device: String, address: [UInt8], linkUp: Bool, counters: Counters) {
        self.device = device
        self.address = address
        self.linkUp = linkUp
        self.counters = counters
    }
}

/// The per-interface counters behind `show interfaces` and `clear counters`: the live ports'
/// readings, the baselines `clear counters` stores (the ports' own counters are never
/// written), the 5-minute rates (exponentially decayed, sampled once a second by `tick`) and
/// the times of the last input, output and clear, all on the control clock.
public final class InterfaceCounters: Sendable {
    /// Rates as `show interfaces` prints them.
    public struct Rates: Sendable, Equatable, Codable {
        public var inputBitsPerSecond: UInt64 = 0
        public var inputPacketsPerSecond: UInt64 = 0
        public var outputBitsPerSecond: UInt64 = 0
        public var outputPacketsPerSecond: UInt64 = 0
        public init() {}
    }

    /// One interface as `show interfaces` needs it.
    public struct View: Sendable, Equatable {
        /// The port's reading, counters since the last clear; nil when the interface has no port.
        public var port: InterfacePortReading?
        public var rates: Rates
        /// Nanoseconds since the last clear, input and output; nil: never.
        public var sinceClear: UInt64?
        public var sinceInput: UInt64?
        public var sinceOutput: UInt64?
    }

    struct Decayed {
        var inputBits = 0.0, inputPackets = 0.0, outputBits = 0.0, outputPackets = 0.0
    }

    struct State {
        var readers: [String: @Sendable () -> InterfacePortReading] = [:]
        var baselines: [String: InterfacePortReading.Counters] = [:]
        var cleared: [String: UInt64] = [:]
        var lastSample: [String: (time: UInt64, counters: InterfacePortReading.Counters)] = [:]
        var decayed: [String: Decayed] = [:]
        var lastInput: [String: UInt64] = [:]
        var lastOutput: [String: UInt64] = [:]
    }

    /// IOS's default `load-interval`: 300 seconds.
    public static let loadInterval = 300.0

    let clock: any ControlClock
    let state = Mutex(State())

    public init(clock: any ControlClock) { self.clock = clock }

    /// Attaches the reader of the port behind `interface` (canonical name). Called by the
    /// daemon before it serves; the reader is called from CLI and tick threads.
    public func attach(_ interface: String, reader: @escaping @Sendable () -> InterfacePortReading) {
        let now = clock.now()
        let first = reader().counters
        state.withLock { s in
            s.readers[interface] = reader
            s.lastSample[interface] = (now, first)
        }
    }

    /// The interfaces that have a port.
    public var attached: Set<String> { state.withLock { Set($0.readers.keys) } }

    /// Takes a sample of every port: the decayed rates and the last input/output times.
    public func sample() {
        let now = clock.now()
        let readers = state.withLock { $0.readers }
        let readings = readers.mapValues { $0().counters }
        state.withLock { s in
            for (name, c) in readings {
                guard let last = s.lastSample[name], now > last.time else { continue }
                let seconds = Double(now - last.time) / 1e9
                let weight = exp(-seconds / Self.loadInterval)
                var d = s.decayed[name] ?? Decayed()
                func blend(_ old: Double, _ delta: UInt64) -> Double {
                    old * weight + Double(delta) / seconds * (1 - weight)
                }
                d.inputBits = blend(d.inputBits, (c.bytesInput &- last.counters.bytesInput) &* 8)
                d.inputPackets = blend(d.inputPackets, c.packetsInput &- last.counters.packetsInput)
                d.outputBits = blend(d.outputBits, (c.bytesOutput &- last.counters.bytesOutput) &* 8)
                d.outputPackets = blend(d.outputPackets, c.packetsOutput &- last.counters.packetsOutput)
                s.decayed[name] = d
                if c.packetsInput != last.counters.packetsInput { s.lastInput[name] = now }
                if c.packetsOutput != last.counters.packetsOutput { s.lastOutput[name] = now }
                s.lastSample[name] = (now, c)
            }
        }
    }

    /// `interface` now: counters since the last clear, rates, and the times since.
    public func view(_ interface: String) -> View {
        let now = clock.now()
        let reader = state.withLock { $0.readers[interface] }
        let reading = reader?()
        return state.withLock { s in
            var port = reading
            if let base = s.baselines[interface], let r = reading { port?.counters = r.counters.subtracting(base) }
            let d = s.decayed[interface] ?? Decayed()
            var rates = Rates()
            rates.inputBitsPerSecond = UInt64(d.inputBits.rounded())
            rates.inputPacketsPerSecond = UInt64(d.inputPackets.rounded())
            rates.outputBitsPerSecond = UInt64(d.outputBits.rounded())
            rates.outputPacketsPerSecond = UInt64(d.outputPackets.rounded())
            func since(_ t: UInt64?) -> UInt64? { t.map { now &- $0 } }
            return View(port: port, rates: rates, sinceClear: since(s.cleared[interface]),
                        sinceInput: since(s.lastInput[interface]), sinceOutput: since(s.lastOutput[interface]))
        }
    }

    /// `clear counters [INTERFACE]`: stores baselines (every interface in `names` when nil is
    /// given for `interface`) and the time of the clear.
    public func clear(_ interface: String?, among names: [String]) {
        let now = clock.now()
        let targets = interface.map { [$0] } ?? names
        let readers = state.withLock { $0.readers }
        var readings: [String: InterfacePortReading.Counters] = [:]
        for name in targets { if let r = readers[name] { readings[name] = r().counters } }
        state.withLock { s in
            for name in targets {
                s.cleared[name] = now
                if let r = readings[name] { s.baselines[name] = r }
            }
        }
    }
}
