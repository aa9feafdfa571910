import QFPDataplane

/// Parses the body of an extended ACE: `{permit|deny} PROTOCOL SOURCE [PORTS] DESTINATION [PORTS]`
/// with `any`, `host A.B.C.D` or `A.B.C.D WILDCARD` addresses and `eq`/`lt`/`gt`/`neq`-free
/// `range` port matches, reporting the column of the first bad word.
enum AccessListEntryParser {
    static let protocols: [String: UInt8?] = [
        "ip": nil, "tcp": 6, "udp": 17, "icmp": 1, "gre": 47, "esp": 50, "ahp": 51, "sctp": 132,
    ]

    static func parse(_ text: String, column base: Int, sequence: Int) throws(ConfigError) -> AccessListEntry {
        var words = splitWords(text, base: base)[...]
        func next() throws(ConfigError) -> (String, Int) {
            guard let w = words.popFirst() else { throw .message("% Incomplete command.") }
            return w
        }
        let (actionWord, actionColumn) = try next()
        guard let action = AccessListEntry.Action(rawValue: actionWord.lowercased()) else { throw .invalid(column: actionColumn) }
        let (protoWord, protoColumn) = try next()
        let proto: UInt8?
        if let p = protocols[protoWord.lowercased()] {
            proto = p
        } else if let n = UInt8(protoWord) {
            proto = n
        } else {
            throw .invalid(column: protoColumn)
        }
        let source = try address(&words)
        let sourcePorts = proto == 6 || proto == 17 || proto == 132 ? try ports(&words) : .any
        let destination = try address(&words)
        let destinationPorts = proto == 6 || proto == 17 || proto == 132 ? try ports(&words) : .any
        if let extra = words.first { throw .invalid(column: extra.1) }
        var e = AccessListEntry(sequence: sequence, action: action, protocolNumber: proto, source: source, destination: destination)
        e.sourcePorts = sourcePorts
        e.destinationPorts = destinationPorts
        return e
    }

    /// The body of a standard ACE: `{permit|deny} {any | host A.B.C.D | A.B.C.D [WILDCARD]} [log]`
    /// (a bare address is a host).
    static func parseStandard(_ text: String, column base: Int, sequence: Int) throws(ConfigError) -> AccessListEntry {
        var words = splitWords(text, base: base)[...]
        guard let (actionWord, actionColumn) = words.popFirst() else { throw .message("% Incomplete command.") }
        guard let action = AccessListEntry.Action(rawValue: actionWord.lowercased()) else { throw .invalid(column: actionColumn) }
        guard let (first, firstColumn) = words.first else { throw .message("% Incomplete command.") }
        let source: IPPrefix
        if first.lowercased() == "any" || first.lowercased() == "host" {
            source = try address(&words)
        } else {
            words.removeFirst()
            guard let ip = IPAddress(first), ip.isIPv4 else { throw .invalid(column: firstColumn) }
            if let (m, mc) = words.first, m.lowercased() != "log" {
                words.removeFirst()
                guard let wildcard = IPAddress(m), wildcard.isIPv4, let length = WildcardMask.prefixLength(wildcard: wildcard.ipv4),
                      ip.masked(toPrefix: 96 + length) == ip else {
                    throw .invalid(column: mc)
                }
                source = IPPrefix(ip, length: length)!
            } else {
                source = IPPrefix(ip, length: 32)!
            }
        }
        if let (w, _) = words.first, w.lowercased() == "log" { words.removeFirst() }
        if let extra = words.first { throw .invalid(column: extra.1) }
        return AccessListEntry(sequence: sequence, action: action, protocolNumber: nil, source: source, destination: .any(ipv4: true))
    }

    static func splitWords(_ text: String, base: Int) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var current = ""
        var start = 0
        for (i, ch) in text.enumerated() {
            if ch == " " {
                if !current.isEmpty { out.append((current, base + start)); current = "" }
            } else {
                if current.isEmpty { start = i }
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append((current, base + start)) }
        return out
    }

    static func address(_ words: inout ArraySlice<(String, Int)>) throws(ConfigError) -> IPPrefix {
        guard let (w, col) = words.popFirst() else { throw .message("% Incomplete command.") }
        switch w.lowercased() {
        case "any":
            return .any(ipv4: true)
        case "host":
            guard let (a, ac) = words.popFirst() else { throw .message("% Incomplete command.") }
            guard let ip = IPAddress(a), ip.isIPv4 else { throw .invalid(column: ac) }
            return IPPrefix(ip, length: 32)!
        default:
            guard let ip = IPAddress(w), ip.isIPv4 else { throw .invalid(column: col) }
            guard let (m, mc) = words.popFirst() else { throw .message("% Incomplete command.") }
            guard let wildcard = IPAddress(m), wildcard.isIPv4, let length = WildcardMask.prefixLength(wildcard: wildcard.ipv4) else {
                throw .invalid(column: mc)
            }
            return IPPrefix(ip, length: length)!
        }
    }

    static func ports(_ words: inout ArraySlice<(String, Int)>) throws(ConfigError) -> AccessListEntry.PortMatch {
        guard let (op, _) = words.first else { return .any }
        func port(_ w: (String, Int)?) throws(ConfigError) -> UInt16 {
            guard let w else { throw .message("% Incomplete command.") }
            guard let p = UInt16(w.0) ?? wellKnown[w.0.lowercased()] else { throw .invalid(column: w.1) }
            return p
        }
        switch op.lowercased() {
        case "eq": words.removeFirst(); return .eq(try port(words.popFirst()))
        case "lt": words.removeFirst(); return .lt(try port(words.popFirst()))
        case "gt": words.removeFirst(); return .gt(try port(words.popFirst()))
        case "range":
            words.removeFirst()
            let a = try port(words.popFirst())
            let b = try port(words.popFirst())
            return .range(min(a, b), max(a, b))
        default: return .any
        }
    }

    static let wellKnown: [String: UInt16] = [
        "www": 80, "http": 80, "https": 443, "domain": 53, "isakmp": 500, "non500-isakmp": 4500,
        "ssh": 22, "telnet": 23, "ntp": 123, "snmp": 161, "syslog": 514, "bgp": 179,
    ]
}

/// IOS masks: dotted netmasks (`255.255.255.0`) and ACL wildcards (`0.0.0.255`).
public enum WildcardMask {
    /// The prefix length of a contiguous netmask, or nil.
    public static func prefixLength(netmask: UInt32) -> Int? {
        let length = netmask.nonzeroBitCount
        return netmask == (length == 0 ? 0 : UInt32.max << (32 - length)) ? length : nil
    }

    /// The prefix length of a contiguous wildcard (inverse mask), or nil.
    public static func prefixLength(wildcard: UInt32) -> Int? { prefixLength(netmask: ~wildcard) }

    /// The dotted netmask of a prefix length.
    public static func netmask(_ length: Int) -> IPAddress {
        IPAddress(ipv4: length == 0 ? 0 : UInt32.max << (32 - length))
    }

    /// The dotted wildcard of a prefix length.
    public static func wildcard(_ length: Int) -> IPAddress {
        IPAddress(ipv4: ~(length == 0 ? 0 : UInt32.max << (32 - length)))
    }
}
