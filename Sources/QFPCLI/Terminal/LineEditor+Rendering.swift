/// How `LineEditor` shows the line on a terminal `columns` wide, wrapping at the right margin.
///
/// Positions count columns from the prompt's first character, prompt included; the cursor's
/// row (`cursorRow`) is remembered so that a redraw can go back up to the prompt. At rest the
/// terminal cursor is never left in the "pending wrap" state of the last column: a line that
/// ends exactly at the margin with the cursor at its end is followed by "\r\n".
extension LineEditor {
    /// Row and column of line index `index`.
    func place(_ index: Int) -> (row: Int, column: Int) {
        let p = promptWidth + index
        return (p / columns, p % columns)
    }

    /// Draws prompt and line again over the old ones: cursor up to the prompt's row, "\r",
    /// erase to the end of the screen, then as `draw(fresh: true)`.
    func redraw() throws {
        try draw(fresh: false)
    }

    /// Writes prompt and line, then puts the cursor at `cursor`. `fresh`: the terminal cursor
    /// is at the start of an empty row (after help output); otherwise the old line is erased.
    func draw(fresh: Bool) throws {
        var out: [UInt8] = []
        if !fresh {
            out += TerminalControl.cursorUp(cursorRow) + TerminalControl.carriageReturn + TerminalControl.clearToEndOfScreen
        }
        out += prompt + Self.bytes(line[...])
        let end = promptWidth + line.count
        let endsAtMargin = end > 0 && end % columns == 0
        // Where the terminal cursor is now: at the margin it stays on the last written row.
        var row = endsAtMargin ? end / columns - 1 : end / columns
        let column = endsAtMargin ? columns - 1 : end % columns
        let target = place(cursor)
        if cursor == line.count {
            if endsAtMargin {
                out += TerminalControl.newline
                row += 1
            }
        } else if row == target.row && !endsAtMargin {
            out += [UInt8](repeating: TerminalControl.backspace, count: column - target.column)
        } else {
            out += TerminalControl.cursorUp(row - target.row) + TerminalControl.carriageReturn
                + TerminalControl.cursorForward(target.column)
        }
        cursorRow = target.row
        try output.write(out)
    }

    /// Moves the terminal cursor to line index `index` (rings the bell outside the line):
    /// "\b" or the characters themselves within a row, otherwise rows up (ESC [ n A) or down
    /// (line feeds), "\r" and columns right (ESC [ n C).
    func moveCursor(to index: Int) throws {
        guard index >= 0 && index <= line.count else {
            try output.write(TerminalControl.bell)
            return
        }
        guard index != cursor else { return }
        let from = place(cursor)
        let to = place(index)
        var out: [UInt8]
        if from.row == to.row {
            out = to.column < from.column
                ? [UInt8](repeating: TerminalControl.backspace, count: from.column - to.column)
                : Self.bytes(line[cursor..<index])
        } else {
            out = to.row < from.row ? TerminalControl.cursorUp(from.row - to.row) : TerminalControl.cursorDown(to.row - from.row)
            out += TerminalControl.carriageReturn + TerminalControl.cursorForward(to.column)
        }
        cursor = index
        cursorRow = to.row
        try output.write(out)
    }
}
