import QFPControl

/// Everything `qfp top` shows of a daemon, read at one instant: the answer to one `top`
/// request on the control socket.
///
/// Counters are totals since the daemon started, plus the router's own "since clear" view (what
/// `show platform hardware qfp active statistics drop` prints). Rates are not here: the client
/// computes them from two snapshots and their `time`, the daemon's control clock, so a slow or
/// late refresh never distorts them.
public struct TopSnapshot: Codable, Sendable, Equatable {
    /// One worker core's cumulative counters.
    public struct Worker: Codable, Sendable, Equatable {
        public var index: Int
        /// Packets the worker took off its input rings.
        public var receivedPackets: UInt64
        /// Packets that left it (decapsulated, encapsulated or in the clear).
        public var forwardedPackets: UInt64
        /// Packets it dropped, every cause.
        public var droppedPackets: UInt64
        /// Time spent in polls that found packets (its busy cycles, in nanoseconds).
        public var busyNanoseconds: UInt64

        public init(index: Int, receivedPackets: UInt64, forwardedPackets: UInt64, droppedPackets: UInt64, busyNanoseconds: UInt64) {
            self.index = index
            self.receivedPackets = receivedPackets
            self.forwardedPackets = forwardedPackets
            self.droppedPackets = droppedPackets
            self.busyNanoseconds = busyNanoseconds
        }
    }

    /// One global drop cause (`GlobalDropCause`, by its QFP name).
    public struct GlobalDrop: Codable, Sendable, Equatable {
        public var name: String
        public var packets: UInt64
        /// Since the router's last `show ... statistics drop clear`.
        public var sinceClear: UInt64

        public init(name: String, packets: UInt64, sinceClear: UInt64) {
            self.name = name
            self.packets = packets
            self.sinceClear = sinceClear
        }
    }

    /// One IPsec feature drop (`IPsecDatapathDrop`: Cisco number and name).
    public struct FeatureDrop: Codable, Sendable, Equatable {
        public var number: UInt8
        public var name: String
        public var packets: UInt64
        /// Since the router's last `show ... feature ipsec datapath drops clear`.
        public var sinceClear: UInt64

        public init(number: UInt8, name: String, packets: UInt64, sinceClear: UInt64) {
            self.number = number
            self.name = name
            self.packets = packets
            self.sinceClear = sinceClear
        }
    }

    public var hostname: String
    /// The daemon's control clock when the counters were read (nanoseconds, monotonic).
    public var time: UInt64
    public var uptimeSeconds: UInt64
    public var workers: [Worker]
    /// Causes that counted at least one packet since start.
    public var globalDrops: [GlobalDrop]
    /// Feature drops that counted at least one packet since start.
    public var featureDrops: [FeatureDrop]
    /// When the router's global drop table was last cleared (IOS date), nil for never.
    public var lastClearing: String?
    /// The invalid-SPI flows the blackhole detector flags (`show qfp invalid-spi`).
    public var suspects: [SuspectFlowReport]
    /// Invalid-SPI punts the control plane handled since start.
    public var invalidSPIPunts: UInt64
    /// The newest lines of the logging buffer, oldest first, as `show logging` prints them.
    public var syslog: [String]
    /// Messages that ever went into the logging buffer (tells new lines from old ones).
    public var syslogLogged: UInt64

    public init(hostname: String, time: UInt64, uptimeSeconds: UInt64, workers: [Worker], globalDrops: [GlobalDrop],
                featureDrops: [FeatureDrop], lastClearing: String? = nil, suspects: [SuspectFlowReport] = [],
                invalidSPIPunts: UInt64 = 0, syslog: [String] = [], syslogLogged: UInt64 = 0) {
        self.hostname = hostname
        self.time = time
        self.uptimeSeconds = uptimeSeconds
        self.workers = workers
        self.globalDrops = globalDrops
        self.featureDrops = featureDrops
        self.lastClearing = lastClearing
        self.suspects = suspects
        self.invalidSPIPunts = invalidSPIPunts
        self.syslog = syslog
        self.syslogLogged = syslogLogged
    }
}
