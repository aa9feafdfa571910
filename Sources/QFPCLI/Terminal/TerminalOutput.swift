/// A sink for terminal output bytes.
///
/// Not thread-safe: one writer at a time.
public protocol TerminalOutput: AnyObject {
    /// Writes all of `bytes`, blocking until they are accepted.
    func write(_ bytes: [UInt8]) throws
}
