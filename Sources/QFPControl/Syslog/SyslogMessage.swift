import QFPDataplane

/// One IOS system message: `%FACILITY-SEVERITY-MNEMONIC: text` (ios-xe-qfp.md §6.1).
///
/// The factories build the exact texts IOS prints for the messages the emulator raises; the
/// memberwise initializer serves every other message (`%CRYPTO-5-SESSION_STATUS`, …).
public struct SyslogMessage: Sendable, Equatable, Hashable {
    /// `CRYPTO`, `SYS`, `HA_EM` …
    public var facility: String
    public var severity: SyslogSeverity
    /// `RECVD_PKT_INV_SPI`, `CONFIG_I` …
    public var mnemonic: String
    /// Everything after `: `.
    public var text: String

    public init(facility: String, severity: SyslogSeverity, mnemonic: String, text: String) {
        self.facility = facility
        self.severity = severity
        self.mnemonic = mnemonic
        self.text = text
    }

    /// `%FAC-SEV-MNEMONIC: text`, as it follows the timestamp in a log line.
    public var formatted: String { "%\(facility)-\(severity.rawValue)-\(mnemonic): \(text)" }

    /// What rate limits and suppression counters are keyed by: `FACILITY-MNEMONIC`
    /// (`CRYPTO-RECVD_PKT_INV_SPI`).
    public var kind: String { "\(facility)-\(mnemonic)" }

    /// Reads `%FAC-SEV-MNEMONIC: text` back; nil for free text (`Rollback:Acquired …`).
    public init?(parsing line: String) {
        guard line.hasPrefix("%"), let colon = line.firstIndex(of: ":") else { return nil }
        let head = line[line.index(after: line.startIndex)..<colon].split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard head.count == 3, !head[0].isEmpty, !head[2].isEmpty,
              let level = Int(head[1]), let severity = SyslogSeverity(rawValue: level)
        else { return nil }
        var text = line[line.index(after: colon)...]
        if text.first == " " { text = text.dropFirst() }
        self.init(facility: String(head[0]), severity: severity, mnemonic: String(head[2]), text: String(text))
    }

    /// Uppercase hex without padding (`B761863E`).
    static func hex(_ v: UInt32) -> String { String(v, radix: 16, uppercase: true) }

    /// Uppercase hex zero-padded to 8 digits (`0000000E`).
    static func hex8(_ v: UInt32) -> String {
        let h = hex(v)
        return String(repeating: "0", count: max(0, 8 - h.count)) + h
    }

    /// `%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for
    /// destaddr=20.1.1.2, prot=50, spi=0xB761863E(3076621886), srcaddr=10.1.1.1, input
    /// interface=GigabitEthernet1`; the interface part only when given (older releases omit it).
    public static func invalidSPI(
        destination: IPAddress, protocolNumber: UInt8, spi: UInt32, source: IPAddress, inputInterface: String?
    ) -> SyslogMessage {
        var text = "decaps: rec'd IPSEC packet has invalid spi for destaddr=\(destination), prot=\(protocolNumber), "
            + "spi=0x\(hex(spi))(\(spi)), srcaddr=\(source)"
        if let inputInterface { text += ", input interface=\(inputInterface)" }
        return SyslogMessage(facility: "CRYPTO", severity: .warnings, mnemonic: "RECVD_PKT_INV_SPI", text: text)
    }

    /// `%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=2989
    /// local=172.16.200.18 remote=172.16.204.18 spi=999CD43B seqno=00071328`.
    public static func macError(
        connectionID: Int, local: IPAddress, remote: IPAddress, spi: UInt32, sequence: UInt32
    ) -> SyslogMessage {
        SyslogMessage(
            facility: "CRYPTO", severity: .warnings, mnemonic: "RECVD_PKT_MAC_ERR",
            text: "decrypt: mac verify failed for connection id=\(connectionID) local=\(local) remote=\(remote) "
                + "spi=\(hex8(spi)) seqno=\(hex8(sequence))")
    }

    /// `%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=311, sequence number=0`.
    public static func replayError(connectionID: Int, sequence: UInt32) -> SyslogMessage {
        SyslogMessage(
            facility: "CRYPTO", severity: .warnings, mnemonic: "PKT_REPLAY_ERR",
            text: "decrypt: replay check failed connection id=\(connectionID), sequence number=\(sequence)")
    }

    /// `%SYS-5-CONFIG_I: Configured from console by console`. `origin` is everything after
    /// `Configured from` (`console by admin on vty0 (10.0.0.1)`, `startup.cfg by qfp run`).
    public static func configured(by origin: String) -> SyslogMessage {
        SyslogMessage(facility: "SYS", severity: .notifications, mnemonic: "CONFIG_I", text: "Configured from \(origin)")
    }

    /// `%HA_EM-6-LOG: APPLET: text`: an EEM applet's `action … syslog [priority P] msg "text"`.
    public static func eemLog(applet: String, text: String, severity: SyslogSeverity = .informational) -> SyslogMessage {
        SyslogMessage(facility: "HA_EM", severity: severity, mnemonic: "LOG", text: "\(applet): \(text)")
    }
}

/// Per-kind rate limits for system messages: the first message of a kind is logged, the same
/// kind is then suppressed (and counted) until its interval has passed since that logged one.
///
/// IOS limits (ios-xe-qfp.md §6.1): RECVD_PKT_INV_SPI once a minute, RECVD_PKT_MAC_ERR once
/// every 30 s, PKT_REPLAY_ERR once a minute. Other kinds are not limited. Data-plane counters
/// keep counting every drop; the log is a sample.
public struct SyslogRateLimits: Sendable, Equatable {
    /// Interval in nanoseconds by `SyslogMessage.kind`.
    public var intervals: [String: UInt64]

    public init(intervals: [String: UInt64]) { self.intervals = intervals }

    /// The IOS limits.
    public static let ios = SyslogRateLimits(intervals: [
        "CRYPTO-RECVD_PKT_INV_SPI": 60_000_000_000,
        "CRYPTO-RECVD_PKT_MAC_ERR": 30_000_000_000,
        "CRYPTO-PKT_REPLAY_ERR": 60_000_000_000,
    ])

    /// No limits.
    public static let none = SyslogRateLimits(intervals: [:])
}
