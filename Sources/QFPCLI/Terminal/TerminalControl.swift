/// The bytes the line editor and the pager write, named once.
///
/// Cursor movement uses ANSI/VT100 sequences (ECMA-48), which every terminal emulator reached
/// through `qfp shell` understands; left moves and erasures use backspace as IOS does.
enum TerminalControl {
    static let escape: UInt8 = 0x1B
    static let backspace: UInt8 = 0x08
    static let bell: [UInt8] = [0x07]
    static let newline: [UInt8] = [0x0D, 0x0A]
    static let carriageReturn: [UInt8] = [0x0D]
    /// `ESC [ J`: erase from the cursor to the end of the screen (ED 0).
    static let clearToEndOfScreen: [UInt8] = [0x1B, 0x5B, 0x4A]

    /// `ESC [ ? 1049 h`: switch to the alternate screen (xterm), so the shell's screen comes
    /// back untouched on leaving. `ESC [ ? 1049 l` leaves it.
    static let enterAlternateScreen: [UInt8] = Array("\u{1B}[?1049h".utf8)
    static let leaveAlternateScreen: [UInt8] = Array("\u{1B}[?1049l".utf8)
    /// `ESC [ ? 25 l` / `h`: hide and show the cursor (DECTCEM).
    static let hideCursor: [UInt8] = Array("\u{1B}[?25l".utf8)
    static let showCursor: [UInt8] = Array("\u{1B}[?25h".utf8)
    /// `ESC [ H`: cursor to the top-left corner (CUP).
    static let cursorHome: [UInt8] = Array("\u{1B}[H".utf8)
    /// `ESC [ K`: erase from the cursor to the end of the line (EL 0).
    static let clearToEndOfLine: [UInt8] = [0x1B, 0x5B, 0x4B]

    /// `ESC [ n A`: cursor up `n` rows (CUU); nothing for 0.
    static func cursorUp(_ n: Int) -> [UInt8] {
        n > 0 ? csi(n, "A") : []
    }

    /// `ESC [ n C`: cursor right `n` columns (CUF); nothing for 0.
    static func cursorForward(_ n: Int) -> [UInt8] {
        n > 0 ? csi(n, "C") : []
    }

    /// `n` line feeds: down `n` rows, scrolling at the bottom (CUD would stop there instead).
    static func cursorDown(_ n: Int) -> [UInt8] {
        [UInt8](repeating: 0x0A, count: max(0, n))
    }

    /// Echo of Ctrl-C at the prompt, before the new line.
    static let interruptEcho: [UInt8] = Array("^C".utf8)
    /// Echo of Ctrl-Z (IOS `end`) at the prompt, before the new line.
    static let endEcho: [UInt8] = Array("^Z".utf8)

    /// IOS's pager prompt, written at the start of the row below the last line shown.
    static let morePrompt: [UInt8] = Array(" --More-- ".utf8)
    /// How IOS erases ` --More-- ` after a key: 9 backspaces, 8 spaces, 9 backspaces, leaving
    /// the cursor at column 0 of a blank row for the next line of output. Seen byte for byte in
    /// device captures quoted by public tools (an IOS 12.4 `show running-config` and an IOS 15.2
    /// IOL `show version`, found with the search tool's exact-string look-up); NX-OS and other
    /// Cisco-like CLIs use 10 of each instead.
    static let moreErase: [UInt8] =
        [UInt8](repeating: 0x08, count: 9) + [UInt8](repeating: 0x20, count: 8) + [UInt8](repeating: 0x08, count: 9)

    private static func csi(_ n: Int, _ final: Character) -> [UInt8] {
        [0x1B, 0x5B] + Array(String(n).utf8) + [final.asciiValue!]
    }
}
