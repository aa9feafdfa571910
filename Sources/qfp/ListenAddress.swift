/// `--ssh` and `--metrics` values: `ADDRESS:PORT`, `[IPV6]:PORT` or a bare `PORT` (loopback,
/// 127.0.0.1). Port 0 asks the system for a free port.
struct ListenAddress: Equatable, CustomStringConvertible {
    var host: String
    var port: Int

    static let loopback = "127.0.0.1"

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(_ text: String) {
        func port(_ s: Substring) -> Int? {
            guard let p = Int(s), (0...65535).contains(p), s.allSatisfy(\.isNumber) else { return nil }
            return p
        }
        if let p = port(Substring(text)) {
            self.init(host: Self.loopback, port: p)
        } else if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let p = port(rest.dropFirst()), host.contains(":") else { return nil }
            self.init(host: String(host), port: p)
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            let host = text[..<colon]
            guard let p = port(text[text.index(after: colon)...]) else { return nil }
            self.init(host: host.isEmpty ? Self.loopback : String(host), port: p)
        } else {
            return nil
        }
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
