import Foundation
import Testing

/// A device capture as the renderers must reproduce it: the `Router#command` echo removed
/// (`output(of:)`), lines holding only spaces emptied, and the end normalised by `trimmedEnd`.
///
/// Whitespace-only lines in the captures are the residue of IOS erasing its `--More--` prompt
/// (or of a prompt the golden's author deleted); real blank lines are empty. The goldens were
/// trimmed inconsistently at the end (with or without the last newline or blank lines), so
/// both sides are compared up to their last non-blank line; tests that care about the ending
/// check it on the rendered text directly.
func golden(_ name: String) throws -> String {
    let lines = output(of: try fixture(name)).split(separator: "\n", omittingEmptySubsequences: false)
    return trimmedEnd(lines.map { $0.allSatisfy { $0 == " " } ? "" : String($0) }.joined(separator: "\n"))
}

/// `text` up to its last line that is not blank, ending in one newline. Trailing spaces of
/// that last line are kept.
func trimmedEnd(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    while let last = lines.last, last.allSatisfy({ $0 == " " }) { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
}

/// Replaces exactly one occurrence of `target`; records an issue when it occurs any other
/// number of times, so a fix-up never silently stops applying.
func replacingOnce(_ text: String, _ target: String, with replacement: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let parts = text.components(separatedBy: target)
    #expect(parts.count == 2, "fix-up target must occur once: \(target)", sourceLocation: sourceLocation)
    return parts.joined(separator: replacement)
}

/// The JSON object of an encodable value, for key checks.
func jsonObject<T: Encodable>(_ value: T) throws -> [String: Any] {
    let data = try JSONEncoder().encode(value)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}
