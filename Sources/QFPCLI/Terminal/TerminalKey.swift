/// One key as decoded from terminal input bytes.
enum TerminalKey: Equatable, Sendable {
    /// A printable character (not a control character).
    case character(Unicode.Scalar)
    /// A C0 control byte (0x00–0x1F) or DEL (0x7F): Ctrl-A is 0x01, Enter 0x0D, Backspace 0x7F.
    case control(UInt8)
    case up, down, left, right, home, end, delete
    /// Esc B and Esc F: IOS's word moves.
    case wordLeft, wordRight
    /// An escape sequence not understood here, or invalid UTF-8: ignored by callers.
    case unknown
}
