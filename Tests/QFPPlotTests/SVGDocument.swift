import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file parsed by Foundation's XMLParser (a strict, non-validating XML 1.0 parser): the
/// test fails on any well-formedness error, and the elements can be counted and read back.
struct SVGDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var path: [String]
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
    }

    var elements: [Element] = []

    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String { if case let .malformed(m) = self { m } else { "" } }
    }

    init(_ text: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw Failure.malformed("not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        elements = delegate.done
    }

    /// Elements named `name`, with `cls` among their classes when given.
    func all(_ name: String, class cls: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (cls == nil || $0.classes.contains(cls!)) }
    }

    /// The text of `<text>` elements with class `cls`.
    func texts(class cls: String) -> [String] { all("text", class: cls).map(\.text) }

    var root: Element? { elements.first { $0.path.isEmpty } }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var done: [Element] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            stack.append(Element(name: name, attributes: attributes, text: "", path: stack.map(\.name)))
        }

        // Text belongs to every open element (a <text>'s <tspan> lines read back as the <text>'s
        // string); newlines are dropped, as SVG's default `xml:space` handling drops them.
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            let kept = string.filter { $0 != "\n" }
            for i in stack.indices { stack[i].text += kept }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            done.append(stack.removeLast())
        }
    }
}
