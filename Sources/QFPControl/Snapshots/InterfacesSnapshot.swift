/// What `show interfaces` and `show interfaces summary` print, for the Ethernet interfaces of
/// the configuration (tunnels and loopbacks are not listed by qfp).
public struct InterfacesSnapshot: Sendable, Equatable, Codable {
    public struct Interface: Sendable, Equatable, Codable {
        public var name: String
        /// `shutdown` in the configuration.
        public var administrativelyDown: Bool
        /// The link (and line protocol): the device's state when a port is mapped, else up
        /// unless shut down.
        public var up: Bool
        /// The Linux device behind the interface (`qfp port linux`), if any.
        public var device: String?
        /// Six octets.
        public var macAddress: [UInt8]
        public var description: String?
        /// `192.0.2.1/24`.
        public var internetAddress: String?
        public var mtu: Int
        public var bandwidthKbit: Int
        /// Seconds since the last input, output, clear; nil: never.
        public var lastInputSeconds: UInt64?
        public var lastOutputSeconds: UInt64?
        public var lastClearingSeconds: UInt64?
        public var rates: InterfaceCounters.Rates
        public var counters: InterfacePortReading.Counters

        public init(name: String, administrativelyDown: Bool, up: Bool, device: String?, macAddress: [UInt8],
                    description: String?, internetAddress: String?, mtu: Int = 1500, bandwidthKbit: Int = 1_000_000,
                    lastInputSeconds: UInt64?, lastOutputSeconds: UInt64?, lastClearingSeconds: UInt64?,
                    rates: InterfaceCounters.Rates, counters: InterfacePortReading.Counters) {
            self.name = name
            self.administrativelyDown = administrativelyDown
            self.up = up
            self.device = device
            self.macAddress = macAddress
            self.description = description
            self.internetAddress = internetAddress
            self.mtu = mtu
            self.bandwidthKbit = bandwidthKbit
            self.lastInputSeconds = lastInputSeconds
            self.lastOutputSeconds = lastOutputSeconds
            self.lastClearingSeconds = lastClearingSeconds
            self.rates = rates
            self.counters = counters
        }
    }

    public var interfaces: [Interface]
    public init(interfaces: [Interface]) { self.interfaces = interfaces }
}
