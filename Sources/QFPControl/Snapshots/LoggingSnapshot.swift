/// The logging configuration, counters and buffer that `show logging` prints.
public struct LoggingSnapshot: Sendable, Equatable, Codable {
    /// A logging destination line (console, monitor, buffer):
    /// `level debugging, 9789 messages logged, xml disabled, filtering disabled`.
    public struct Destination: Sendable, Equatable, Codable {
        /// Severity name: `emergencies` … `debugging`.
        public var level: String
        public var messagesLogged: UInt64
        public var xml: Bool
        public var filtering: Bool

        public init(level: String = "debugging", messagesLogged: UInt64, xml: Bool = false, filtering: Bool = false) {
            self.level = level
            self.messagesLogged = messagesLogged
            self.xml = xml
            self.filtering = filtering
        }

        enum CodingKeys: String, CodingKey {
            case level
            case messagesLogged = "messages_logged"
            case xml, filtering
        }
    }

    /// `logging persistent url … size … filesize … batch …`.
    public struct Persistent: Sendable, Equatable, Codable {
        public var url: String
        public var diskSpaceBytes: UInt64
        public var fileSizeBytes: UInt64
        public var batchSizeBytes: UInt64

        public init(url: String, diskSpaceBytes: UInt64, fileSizeBytes: UInt64, batchSizeBytes: UInt64) {
            self.url = url
            self.diskSpaceBytes = diskSpaceBytes
            self.fileSizeBytes = fileSizeBytes
            self.batchSizeBytes = batchSizeBytes
        }

        enum CodingKeys: String, CodingKey {
            case url
            case diskSpaceBytes = "disk_space_bytes"
            case fileSizeBytes = "file_size_bytes"
            case batchSizeBytes = "batch_size_bytes"
        }
    }

    /// `Syslog logging: enabled|disabled`.
    public var syslogEnabled: Bool
    /// Messages dropped because the logger queue was full.
    public var messagesDropped: UInt64
    /// Messages suppressed by rate limits (RECVD_PKT_INV_SPI logs once a minute).
    public var messagesRateLimited: UInt64
    public var flushes: UInt64
    public var overruns: UInt64
    /// Syslog-level `xml` and `filtering` flags.
    public var xml: Bool
    public var filtering: Bool
    /// Console destination; nil prints `disabled`.
    public var console: Destination?
    /// Monitor (vty) destination; nil prints `disabled`.
    public var monitor: Destination?
    /// Buffer destination; nil prints `disabled`.
    public var buffered: Destination?
    /// `Exception Logging: size (N bytes)`.
    public var exceptionSizeBytes: Int
    /// `Count and timestamp logging messages: enabled|disabled`.
    public var countAndTimestamp: Bool
    /// `File logging: enabled|disabled`; nil leaves the line out (releases before it existed).
    public var fileLogging: Bool?
    /// Persistent logging; nil prints `disabled`.
    public var persistent: Persistent?
    /// `Trap logging: level …` severity name.
    public var trapLevel: String
    /// `… N message lines logged` to syslog hosts.
    public var trapMessageLinesLogged: UInt64
    /// The buffer contents.
    public var buffer: LogBufferSnapshot

    public init(
        syslogEnabled: Bool = true, messagesDropped: UInt64 = 0, messagesRateLimited: UInt64 = 0, flushes: UInt64 = 0,
        overruns: UInt64 = 0, xml: Bool = false, filtering: Bool = false, console: Destination?, monitor: Destination?,
        buffered: Destination?, exceptionSizeBytes: Int = 4096, countAndTimestamp: Bool = false,
        fileLogging: Bool? = false, persistent: Persistent? = nil, trapLevel: String = "informational",
        trapMessageLinesLogged: UInt64, buffer: LogBufferSnapshot
    ) {
        self.syslogEnabled = syslogEnabled
        self.messagesDropped = messagesDropped
        self.messagesRateLimited = messagesRateLimited
        self.flushes = flushes
        self.overruns = overruns
        self.xml = xml
        self.filtering = filtering
        self.console = console
        self.monitor = monitor
        self.buffered = buffered
        self.exceptionSizeBytes = exceptionSizeBytes
        self.countAndTimestamp = countAndTimestamp
        self.fileLogging = fileLogging
        self.persistent = persistent
        self.trapLevel = trapLevel
        self.trapMessageLinesLogged = trapMessageLinesLogged
        self.buffer = buffer
    }

    enum CodingKeys: String, CodingKey {
        case syslogEnabled = "syslog_enabled"
        case messagesDropped = "messages_dropped"
        case messagesRateLimited = "messages_rate_limited"
        case flushes, overruns, xml, filtering, console, monitor
        case buffered = "buffer_logging"
        case exceptionSizeBytes = "exception_size_bytes"
        case countAndTimestamp = "count_and_timestamp"
        case fileLogging = "file_logging"
        case persistent = "persistent_logging"
        case trapLevel = "trap_level"
        case trapMessageLinesLogged = "trap_message_lines_logged"
        case buffer = "log_buffer"
    }
}
