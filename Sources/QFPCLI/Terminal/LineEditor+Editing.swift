/// The edits of `LineEditor`: each changes `line` and `cursor`, then shows the change.
extension LineEditor {
    func insert(_ scalars: [Unicode.Scalar]) throws {
        guard !scalars.isEmpty else { return }
        let atEnd = cursor == line.count
        line.insert(contentsOf: scalars, at: cursor)
        cursor += scalars.count
        // At the end and still on the same row (so not at the margin): the echo is enough.
        if atEnd && place(cursor - scalars.count).row == place(cursor).row {
            try output.write(Self.bytes(scalars[...]))
        } else {
            try redraw()
        }
    }

    func backspace() throws {
        guard cursor > 0 else { return }
        let atEnd = cursor == line.count
        cursor -= 1
        line.remove(at: cursor)
        if atEnd && place(cursor).row == cursorRow {
            try output.write([TerminalControl.backspace, 0x20, TerminalControl.backspace])
        } else {
            try redraw()
        }
    }

    func deleteForward() throws {
        guard cursor < line.count else { return }
        line.remove(at: cursor)
        try redraw()
    }

    /// Removes `range` into the kill buffer (for Ctrl-Y) and leaves the cursor at its start.
    func kill(_ range: Range<Int>) throws {
        guard !range.isEmpty else { return }
        killed = Array(line[range])
        line.removeSubrange(range)
        cursor = range.lowerBound
        try redraw()
    }

    /// Where the word before `index` starts: back over blanks, then over non-blanks.
    func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0 && line[i - 1] == " " { i -= 1 }
        while i > 0 && line[i - 1] != " " { i -= 1 }
        return i
    }

    /// Where the word after `index` ends: forward over blanks, then over non-blanks.
    func wordEnd(after index: Int) -> Int {
        var i = index
        while i < line.count && line[i] == " " { i += 1 }
        while i < line.count && line[i] != " " { i += 1 }
        return i
    }

    /// Shows history entry `index` (`entries.count`: the line that was being typed).
    func recall(_ index: Int) throws {
        let entries = history.entries
        guard index >= 0 && index <= entries.count && index != historyIndex else {
            try output.write(TerminalControl.bell)
            return
        }
        if historyIndex == entries.count { typedLine = line }
        historyIndex = index
        line = index == entries.count ? typedLine : Array(entries[index].unicodeScalars)
        cursor = line.count
        try redraw()
    }

    /// `?`: echo it, print the delegate's help below the line, then show prompt and line again
    /// with the cursor where it was.
    func showHelp() throws {
        let help = delegate?.help(for: String(String.UnicodeScalarView(line[..<cursor]))) ?? ""
        let keep = cursor
        try moveCursor(to: line.count)
        var out: [UInt8] = [UInt8(ascii: "?")] + TerminalControl.newline + Self.terminalLines(help)
        if let last = out.last, last != 0x0A { out += TerminalControl.newline }
        try output.write(out)
        cursor = keep
        try draw(fresh: true)
    }

    /// Tab: the delegate's completion of the line up to the cursor replaces it; bell if none.
    func complete() throws {
        let before = String(String.UnicodeScalarView(line[..<cursor]))
        guard let completed = delegate?.complete(before) else {
            try output.write(TerminalControl.bell)
            return
        }
        guard completed != before else { return }
        let scalars = Array(completed.unicodeScalars)
        line = scalars + line[cursor...]
        cursor = scalars.count
        try redraw()
    }

    /// Ctrl-L / Ctrl-R: the line again on a new row, as IOS does.
    func redisplay() throws {
        let keep = cursor
        try finish(echo: [])
        cursor = keep
        try draw(fresh: true)
    }

    /// Leaves the cursor at the start of the row below the line, after `echo` (e.g. "^C").
    func finish(echo: [UInt8]) throws {
        try moveCursor(to: line.count)
        if echo.isEmpty && place(line.count).column == 0 && promptWidth + line.count > 0 {
            return   // the line filled its last row exactly: the cursor already starts a new one
        }
        try output.write(echo + TerminalControl.newline)
    }

    /// `text` with each "\n" not already after "\r" sent as "\r\n" (raw mode has no output processing).
    static func terminalLines(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(b)
            previous = b
        }
        return out
    }

    static func bytes(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt8] {
        var out: [UInt8] = []
        for s in scalars {
            UTF8.encode(s) { out.append($0) }
        }
        return out
    }
}
