/// Text of an SVG document built element by element. Attribute values and text content are
/// XML-escaped here, so no caller ever writes markup by hand.
///
/// Cost: appends to one `String`; meant for files of a few hundred elements, not a hot path.
public struct SVGWriter: Sendable {
    public private(set) var text = ""
    private var open: [String] = []

    public init() {}

    /// `<name a="v" ...>`; closed later with `close()`.
    public mutating func begin(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(Self.attributes(attributes))>\n"
        open.append(name)
    }

    /// Closes the innermost element opened with `begin`.
    public mutating func close() {
        guard let name = open.popLast() else { return }
        text += "</\(name)>\n"
    }

    /// `<name a="v"/>`, or `<name a="v">text</name>` with `content` (escaped); `title` adds a
    /// `<title>` child, which browsers show as a tooltip.
    public mutating func element(_ name: String, _ attributes: [(String, String)] = [], content: String? = nil, title: String? = nil) {
        if content == nil && title == nil {
            text += "<\(name)\(Self.attributes(attributes))/>\n"
            return
        }
        text += "<\(name)\(Self.attributes(attributes))>"
        if let title { text += "<title>\(Self.escape(title))</title>" }
        if let content { text += Self.escape(content) }
        text += "</\(name)>\n"
    }

    /// Appends another writer's elements (all closed) after this one's.
    public mutating func append(_ other: SVGWriter) {
        text += other.text
    }

    /// The finished document: the XML declaration, everything written, and any element still open closed.
    public mutating func finish() -> String {
        while !open.isEmpty { close() }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text
    }

    static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`, and replaces characters XML 1.0 does not allow
    /// (C0 controls other than tab, LF, CR; U+FFFE and U+FFFF) with U+FFFD, so any string a
    /// user or a peer's file supplies (a stream name, a series name) keeps the document well-formed.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
