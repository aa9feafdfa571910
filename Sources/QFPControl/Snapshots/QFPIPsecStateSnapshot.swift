/// `show platform hardware qfp active feature ipsec state`: the crypto throughput setting and
/// the count of control messages between IOSd and the QFP IPsec feature.
public struct QFPIPsecStateSnapshot: Sendable, Equatable, Codable {
    /// One `Message counter` row.
    public struct MessageCounter: Sendable, Equatable, Codable {
        /// Message type as printed (`Initialize`; the emulator names its own control
        /// messages — SA install, rekey, delete — no device list of types was found).
        public var type: String
        public var requests: UInt64
        public var repliesOK: UInt64
        public var repliesError: UInt64

        public init(type: String, requests: UInt64, repliesOK: UInt64, repliesError: UInt64 = 0) {
            self.type = type
            self.requests = requests
            self.repliesOK = repliesOK
            self.repliesError = repliesError
        }

        enum CodingKeys: String, CodingKey {
            case type
            case requests = "request"
            case repliesOK = "reply_ok"
            case repliesError = "reply_error"
        }
    }

    /// Licensed aggregate crypto throughput in kbps (` Crypto throughput license (kbps)
    /// (Aggregate): 10000 `); nil prints ` Configured throughput sucessfully:unlimited ` (sic).
    public var throughputKbps: UInt64?
    public var messages: [MessageCounter]

    public init(throughputKbps: UInt64? = nil, messages: [MessageCounter]) {
        self.throughputKbps = throughputKbps
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case throughputKbps = "throughput_kbps"
        case messages = "message_counter"
    }
}
