/// One message in the logging buffer: `022701: Jun 19 03:02:31: %LINK-3-UPDOWN: Interface …`.
public struct LogEntry: Sendable, Equatable, Codable {
    /// `service sequence-numbers`: printed as six zero-padded digits and `: `; nil without.
    public var sequenceNumber: UInt64?
    /// The timestamp; nil with `no service timestamps log` or with uptime stamps.
    public var timestamp: SyslogTimestamp?
    /// The stamp under `service timestamps log uptime` (`00:02:58`, `1d02h`); nil otherwise.
    public var uptime: SyslogUptime?
    /// Everything after the timestamp: `%FAC-SEV-MNEMONIC: text`, or free text such as
    /// `Rollback:Acquired Configuration lock.`.
    public var message: String

    public init(sequenceNumber: UInt64? = nil, timestamp: SyslogTimestamp? = nil, uptime: SyslogUptime? = nil, message: String) {
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.uptime = uptime
        self.message = message
    }

    /// The line as IOS prints it (buffer, console, monitor).
    public var line: String {
        var out = ""
        if let sequenceNumber {
            let digits = String(sequenceNumber)
            out += String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ": "
        }
        if let timestamp {
            out += timestamp.text + ": "
        } else if let uptime {
            out += uptime.text + ": "
        }
        return out + message
    }

    enum CodingKeys: String, CodingKey {
        case sequenceNumber = "sequence_number"
        case timestamp
        case uptime
        case message
    }
}
