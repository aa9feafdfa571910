import Glibc

/// Failures of the terminal layer.
public enum TerminalError: Error, Equatable, Sendable {
    /// The file descriptor is not a terminal (isatty failed).
    case notATerminal(fd: Int32)
    /// A system call failed with `errno`.
    case system(call: String, errno: Int32)
    /// More terminals are in raw mode at once than the signal-safe restore table holds.
    case tooManyRawTerminals

    /// The current `errno` as a `.system` error for `call`.
    static func lastError(_ call: String) -> TerminalError {
        .system(call: call, errno: errno)
    }
}
