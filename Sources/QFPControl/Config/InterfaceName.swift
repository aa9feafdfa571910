/// Interface names: IOS abbreviations (`gi1`, `Gig0/0/1`, `tu10`) to canonical names, and order.
public enum InterfaceName {
    /// Types qfp models, canonical spelling, in the order IOS lists them.
    public static let types = ["GigabitEthernet", "TenGigabitEthernet", "Loopback", "Tunnel"]

    /// The canonical name for `text` (`gi1` → `GigabitEthernet1`), or nil when the type is
    /// unknown or the number is missing.
    public static func canonical(_ text: String) -> String? {
        let letters = text.prefix { $0.isLetter || $0 == "-" }
        let number = text.dropFirst(letters.count)
        guard !letters.isEmpty, !number.isEmpty,
              number.allSatisfy({ $0.isNumber || $0 == "/" || $0 == "." }),
              number.first!.isNumber, number.last!.isNumber else { return nil }
        let lower = letters.lowercased()
        let matches = types.filter { $0.lowercased().hasPrefix(lower) }
        // IOS prefers GigabitEthernet for "g" and "gi".
        guard let type = matches.first else { return nil }
        return type + number
    }

    /// IOS order: by type position, then numerically by each component.
    public static func order(_ a: String, _ b: String) -> Bool {
        func key(_ n: String) -> (Int, [Int]) {
            let letters = n.prefix { $0.isLetter }
            let type = types.firstIndex(of: String(letters)) ?? types.count
            let numbers = n.dropFirst(letters.count).split(whereSeparator: { $0 == "/" || $0 == "." }).map { Int($0) ?? 0 }
            return (type, numbers)
        }
        let (ka, kb) = (key(a), key(b))
        if ka.0 != kb.0 { return ka.0 < kb.0 }
        return ka.1.lexicographicallyPrecedes(kb.1)
    }
}
