/// A source of terminal input bytes (a tty, a pipe, or a script in tests).
///
/// Not thread-safe: one reader at a time. Share one instance between the line editor and the
/// pager so that bytes typed ahead and read in one burst are not lost between them.
public protocol TerminalInput: AnyObject {
    /// The next byte, blocking until one is available; nil at end of input.
    func readByte() throws -> UInt8?
}
