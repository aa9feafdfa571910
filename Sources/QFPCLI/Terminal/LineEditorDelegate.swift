/// What the line editor asks of the command language: help for `?` and completion for Tab.
///
/// Called on the thread running `LineEditor.readLine`, while the terminal is in raw mode: keep
/// it quick and do not write to the terminal (return the text instead).
public protocol LineEditorDelegate: AnyObject {
    /// The text IOS shows for `?` typed after `line` (the line up to the cursor, without the
    /// `?`), with "\n" line ends; printed below the line, which is then shown again.
    func help(for line: String) -> String
    /// The line with its last word completed (for Tab after `line`, the line up to the cursor),
    /// or nil when there is nothing to complete (the terminal bell rings).
    func complete(_ line: String) -> String?
}
