import QFPControl

/// `show logging` in IOS XE 17 layout: the header block, then the buffer.
///
/// Pinned byte for byte by captures `logging/02` and `logging/03`; `logging/01` comes from a
/// release with a different discriminator block (a leading blank line, one blank line around
/// each discriminator line, no `File logging` line) and pins everything from
/// `Console logging` on. Layout notes:
/// - `Console logging:`/`Monitor logging:` continue on a second line indented 21 spaces,
///   `Buffer logging:  ` (two spaces) on one indented 20, as captured.
/// - A disabled destination prints `<Name> logging: disabled` (console in `logging/01`); the
///   buffer's disabled form keeps its two spaces [I].
/// - Under `Log Buffer (N bytes):` a blank line prints until the ring has wrapped
///   (see `LogBufferSnapshot`).
public enum ShowLogging {
    /// Renders the whole command output.
    public static func render(_ s: LoggingSnapshot) -> String {
        var out = "Syslog logging: \(s.syslogEnabled ? "enabled" : "disabled") (\(s.messagesDropped) messages dropped, "
            + "\(s.messagesRateLimited) messages rate-limited, \(s.flushes) flushes, \(s.overruns) overruns, "
            + "xml \(onOff(s.xml)), filtering \(onOff(s.filtering)))\n\n"
        out += "No Active Message Discriminator.\n\n\n\n"
        out += "No Inactive Message Discriminator.\n\n\n"
        out += destination("    Console logging: ", s.console, continuation: 21)
        out += destination("    Monitor logging: ", s.monitor, continuation: 21)
        out += destination("    Buffer logging:  ", s.buffered, continuation: 20)
        out += "    Exception Logging: size (\(s.exceptionSizeBytes) bytes)\n"
        out += "    Count and timestamp logging messages: \(onOff(s.countAndTimestamp))\n"
        if let file = s.fileLogging { out += "    File logging: \(onOff(file))\n" }
        if let p = s.persistent {
            out += "    Persistent logging: enabled, url \(p.url), disk space \(p.diskSpaceBytes) bytes, "
                + "file size \(p.fileSizeBytes) bytes, batch size \(p.batchSizeBytes) bytes\n"
        } else {
            out += "    Persistent logging: disabled\n"
        }
        out += "\nNo active filter modules.\n\n"
        out += "    Trap logging: level \(s.trapLevel), \(s.trapMessageLinesLogged) message lines logged\n"
        out += "        Logging Source-Interface:       VRF Name:\n\n"
        out += buffer(s.buffer)
        return out
    }

    /// `Log Buffer (N bytes):` and the retained lines.
    public static func buffer(_ b: LogBufferSnapshot) -> String {
        var out = "Log Buffer (\(b.sizeBytes) bytes):\n"
        if !b.startsMidMessage { out += "\n" }
        if let head = b.truncatedHead { out += head + "\n" }
        for entry in b.entries { out += entry.line + "\n" }
        return out
    }

    static func onOff(_ flag: Bool) -> String { flag ? "enabled" : "disabled" }

    static func destination(_ label: String, _ d: LoggingSnapshot.Destination?, continuation: Int) -> String {
        guard let d else { return label + "disabled\n" }
        return label + "level \(d.level), \(d.messagesLogged) messages logged, xml \(onOff(d.xml)),\n"
            + String(repeating: " ", count: continuation) + "filtering \(onOff(d.filtering))\n"
    }
}
