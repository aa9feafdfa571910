/// `show platform hardware qfp active datapath utilization`: packet and bit rates and load
/// over 5 seconds, 1, 5 and 60 minutes.
///
/// On an ASR 1000 the block is per CPP (QFP) sub-device, not per packet-processor engine. The
/// emulator has no sub-devices; it reports one `CPP 0: Subdev N` block per worker core
/// (worker N), which keeps the device's layout and still shows how load spreads over the
/// cores. The `Crypto/IO` block exists on the virtual platforms (CSR 1000v, C8000V) where
/// crypto and I/O run on their own threads; set `cryptoIO` to report the emulator's source
/// threads there, or leave it nil to print none (hardware ASR 1000 prints none).
public struct DatapathUtilizationSnapshot: Sendable, Equatable, Codable {
    /// One value per averaging interval, in column order.
    public struct Intervals: Sendable, Equatable, Codable {
        public var fiveSeconds: UInt64
        public var oneMinute: UInt64
        public var fiveMinutes: UInt64
        public var sixtyMinutes: UInt64

        public init(fiveSeconds: UInt64, oneMinute: UInt64, fiveMinutes: UInt64, sixtyMinutes: UInt64) {
            self.fiveSeconds = fiveSeconds
            self.oneMinute = oneMinute
            self.fiveMinutes = fiveMinutes
            self.sixtyMinutes = sixtyMinutes
        }

        /// The same value in every column.
        public init(_ all: UInt64) {
            self.init(fiveSeconds: all, oneMinute: all, fiveMinutes: all, sixtyMinutes: all)
        }

        /// Column-wise sum (the `Total` rows).
        public static func + (a: Intervals, b: Intervals) -> Intervals {
            Intervals(
                fiveSeconds: a.fiveSeconds &+ b.fiveSeconds, oneMinute: a.oneMinute &+ b.oneMinute,
                fiveMinutes: a.fiveMinutes &+ b.fiveMinutes, sixtyMinutes: a.sixtyMinutes &+ b.sixtyMinutes)
        }

        enum CodingKeys: String, CodingKey {
            case fiveSeconds = "5_secs"
            case oneMinute = "1_min"
            case fiveMinutes = "5_min"
            case sixtyMinutes = "60_min"
        }
    }

    /// Input or output rates; the `Total` rows are the sums.
    public struct Direction: Sendable, Equatable, Codable {
        public var priorityPPS: Intervals
        public var priorityBPS: Intervals
        public var nonPriorityPPS: Intervals
        public var nonPriorityBPS: Intervals

        public init(priorityPPS: Intervals = Intervals(0), priorityBPS: Intervals = Intervals(0), nonPriorityPPS: Intervals, nonPriorityBPS: Intervals) {
            self.priorityPPS = priorityPPS
            self.priorityBPS = priorityBPS
            self.nonPriorityPPS = nonPriorityPPS
            self.nonPriorityBPS = nonPriorityBPS
        }

        public var totalPPS: Intervals { priorityPPS + nonPriorityPPS }
        public var totalBPS: Intervals { priorityBPS + nonPriorityBPS }

        enum CodingKeys: String, CodingKey {
            case priorityPPS = "priority_pps"
            case priorityBPS = "priority_bps"
            case nonPriorityPPS = "non_priority_pps"
            case nonPriorityBPS = "non_priority_bps"
        }
    }

    /// One `CPP c: Subdev n` block.
    public struct Subdevice: Sendable, Equatable, Codable {
        public var cpp: Int
        /// The sub-device number; the emulator's worker index.
        public var subdevice: Int
        public var input: Direction
        public var output: Direction
        /// `Processing: Load (pct)`, 0–100.
        public var processingLoad: Intervals

        public init(cpp: Int = 0, subdevice: Int, input: Direction, output: Direction, processingLoad: Intervals) {
            self.cpp = cpp
            self.subdevice = subdevice
            self.input = input
            self.output = output
            self.processingLoad = processingLoad
        }

        enum CodingKeys: String, CodingKey {
            case cpp
            case subdevice = "subdev"
            case input, output
            case processingLoad = "processing_load_pct"
        }
    }

    /// The `Crypto/IO` block, percentages 0–100.
    public struct CryptoIO: Sendable, Equatable, Codable {
        public var cryptoLoad: Intervals
        public var rxLoad: Intervals
        public var txLoad: Intervals
        public var idle: Intervals

        public init(cryptoLoad: Intervals, rxLoad: Intervals, txLoad: Intervals, idle: Intervals) {
            self.cryptoLoad = cryptoLoad
            self.rxLoad = rxLoad
            self.txLoad = txLoad
            self.idle = idle
        }

        enum CodingKeys: String, CodingKey {
            case cryptoLoad = "crypto_load_pct"
            case rxLoad = "rx_load_pct"
            case txLoad = "tx_load_pct"
            case idle = "idle_pct"
        }
    }

    public var subdevices: [Subdevice]
    public var cryptoIO: CryptoIO?

    public init(subdevices: [Subdevice], cryptoIO: CryptoIO? = nil) {
        self.subdevices = subdevices
        self.cryptoIO = cryptoIO
    }

    enum CodingKeys: String, CodingKey {
        case subdevices
        case cryptoIO = "crypto_io"
    }
}
