/// The logging buffer as `show logging` prints it after `Log Buffer (N bytes):`.
///
/// IOS keeps the buffer as a byte ring of `sizeBytes`; each message goes in as a newline and
/// its line. Until the ring wraps the text therefore starts with a newline, which prints as a
/// blank line under the header (capture `logging/02`). Once it wraps, the oldest surviving
/// message may have lost its head, and its tail prints as the first line (`logging/03`:
/// `7:04: %LINEPROTO-5-UPDOWN: …`), or the cut fell just after a newline and the first line is
/// whole with no blank line above it (`logging/01`). `init(sizeBytes:writing:)` applies that
/// model to a list of messages [I: the newline-first storage is inferred from those captures].
public struct LogBufferSnapshot: Sendable, Equatable, Codable {
    /// Configured size (`logging buffered <size>`), printed in the header.
    public var sizeBytes: Int
    /// Whether the retained text begins inside a message: the ring wrapped and the cut fell
    /// after a message's leading newline. IOS then prints no blank line under the header.
    public var startsMidMessage: Bool
    /// The surviving tail of a partly overwritten message, printed as the first line; nil when
    /// the first retained message is whole.
    public var truncatedHead: String?
    /// The whole retained messages, oldest first.
    public var entries: [LogEntry]

    public init(sizeBytes: Int, startsMidMessage: Bool = false, truncatedHead: String? = nil, entries: [LogEntry] = []) {
        self.sizeBytes = sizeBytes
        self.startsMidMessage = startsMidMessage
        self.truncatedHead = truncatedHead
        self.entries = entries
    }

    /// What a ring of `sizeBytes` holds after `messages` were logged in order (oldest first).
    public init(sizeBytes: Int, writing messages: [LogEntry]) {
        self.init(sizeBytes: sizeBytes)
        var room = sizeBytes
        var kept: [LogEntry] = []
        for entry in messages.reversed() {
            let bytes = Array(entry.line.utf8)
            if bytes.count + 1 <= room {
                kept.append(entry)
                room -= bytes.count + 1
                continue
            }
            // The cut falls inside this message, or exactly before the newline of the next one.
            if room > 0 {
                startsMidMessage = true
                truncatedHead = String(decoding: bytes.suffix(room), as: UTF8.self)
            }
            break
        }
        entries = kept.reversed()
    }

    enum CodingKeys: String, CodingKey {
        case sizeBytes = "size_bytes"
        case startsMidMessage = "starts_mid_message"
        case truncatedHead = "truncated_head"
        case entries
    }
}
