import QFPDataplane

/// A traffic profile: the emulated peers and the streams they send, as a YAML file describes
/// them (see `ProfileParser` for the format and `DefaultProfile` for an example).
///
/// Sizes are IP datagram lengths in bytes (what the router's octet counters count, no layer 2).
public struct TrafficProfile: Sendable, Equatable {
    /// Nominal port speed in bits per second, for `rate: N%` (default 10 Gb/s).
    public var portSpeed: Double = 10e9
    /// Seed of every random choice (sizes, SPIs, faults) unless a stream has its own.
    public var seed: UInt64 = 1
    public var peers: [Peer] = []
    public var streams: [Stream] = []

    public init() {}

    /// An emulated remote peer: an address and the SAs it believes it has with the router.
    public struct Peer: Sendable, Equatable {
        public var name: String
        public var address: IPAddress
        /// The router address the peer sends to (default: the local address of the router's
        /// flow to this peer, else the first crypto-map interface's address).
        public var router: IPAddress?
        /// The peer's view of its inbound-to-router SAs.
        public var sas: [SABelief] = [.router]

        public init(name: String, address: IPAddress, router: IPAddress? = nil, sas: [SABelief] = [.router]) {
            self.name = name
            self.address = address
            self.router = router
            self.sas = sas
        }
    }

    /// One entry of a peer's SA view.
    public enum SABelief: Sendable, Equatable {
        /// Whatever inbound SAs the router holds for this peer when the stream starts (the
        /// peer and router agree; they drift apart when the router's SAs change later).
        case router
        /// An SPI the peer believes in, whether or not the router still has it.
        case spi(UInt32)
        /// `count` consecutive SPIs from `first`.
        case range(first: UInt32, count: Int)
        /// An SA the peer negotiated with the router (IKE), with its transform and the keys
        /// the peer seals with. Not written in profiles: the emulated IKE peers set it.
        case keyed(spi: UInt32, transform: ESPTransform, keys: ESPKeys)
    }

    public enum Encapsulation: String, Sendable, Equatable {
        /// ESP, IP protocol 50.
        case esp
        /// ESP in UDP from port 4500 to 4500 (RFC 3948, NAT traversal).
        case espUDP = "esp-udp"
    }

    /// Packet sizes of a stream.
    public enum Size: Sendable, Equatable {
        case fixed(Int)
        /// Uniform over `lower...upper` (in the steps the encapsulation allows).
        case range(Int, Int)
        /// Weighted sizes; `.imix` is the simple IMIX, 7 × 64, 4 × 576, 1 × 1500.
        case mix([WeightedSize])

        public static let imix = Size.mix([.init(size: 64, weight: 7), .init(size: 576, weight: 4), .init(size: 1500, weight: 1)])
    }

    public struct WeightedSize: Sendable, Equatable {
        public var size: Int
        public var weight: Int
        public init(size: Int, weight: Int) { self.size = size; self.weight = weight }
    }

    /// How fast a stream sends.
    public enum Rate: Sendable, Equatable {
        case packetsPerSecond(Double)
        /// IP-layer bits per second (the bytes the router's octet counters count, × 8).
        case bitsPerSecond(Double)
        /// Percent of the profile's port speed at layer 1: each packet costs its IP length
        /// plus 38 bytes (Ethernet header 14, FCS 4, preamble 8, inter-frame gap 12).
        case percent(Double)
        /// As fast as the generator can fill buffers.
        case maximum
    }

    /// The share of packets that carry each fault, as fractions of the stream's packets.
    public struct Faults: Sendable, Equatable {
        /// To an SPI neither side has (random, never one of the peer's SAs).
        public var unknownSPI = 0.0
        /// A duplicate of the SA's last sequence number (anti-replay duplicate).
        public var replay = 0.0
        /// A sequence number far behind the SA's last one (anti-replay "too old").
        public var tooOld = 0.0
        /// Cut inside the ESP header: the frame is shorter than its IP length says.
        public var truncated = 0.0
        /// An IP header with version 0.
        public var malformed = 0.0

        public init() {}
        public var total: Double { unknownSPI + replay + tooOld + truncated + malformed }
    }

    public struct Stream: Sendable, Equatable {
        public var name: String
        /// The name of the peer that sends it.
        public var peer: String
        /// SPIs to use, from the peer's view; nil means all of the peer's SAs. SPIs the peer
        /// does not list are added to its view.
        public var spis: [UInt32]?
        public var encapsulation: Encapsulation = .esp
        /// Tunnel or transport; nil takes the mode of the router's SA, else tunnel.
        public var mode: IPsecMode?
        public var size: Size = .fixed(128)
        public var rate: Rate = .packetsPerSecond(1000)
        /// Seconds to run; nil with `count` nil runs until stopped.
        public var duration: Double?
        /// Packets to send in all.
        public var count: UInt64?
        public var faults = Faults()
        /// Overrides the profile's seed.
        public var seed: UInt64?

        public init(name: String, peer: String) {
            self.name = name
            self.peer = peer
        }
    }
}
