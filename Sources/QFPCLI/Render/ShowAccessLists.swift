import QFPControl
import QFPDataplane

/// `show access-lists [NAME]` in the IOS layout (Genie `ShowAccessLists` goldens, public IOS
/// XE transcripts): `Standard IP access list 10` / `Extended IP access list SITE-B`, then each
/// entry four spaces in with its sequence number. Standard entries print the source as
/// `192.0.2.0, wildcard bits 0.0.0.255` (a host without a keyword, `any`) after the action
/// padded to six characters (`deny   any`); extended entries as configured. No `(N matches)`:
/// qfp does not count ACE hits.
enum ShowAccessLists {
    static func render(_ s: AccessListsSnapshot) -> String {
        s.accessLists.map { list in
            "\(list.standard ? "Standard" : "Extended") IP access list \(list.name)\n"
                + list.entries.map { "    \($0.sequence) \($0.text)\n" }.joined()
        }.joined()
    }

    /// Numbered lists first, by number, then named ones by name [I: IOS's order of creation
    /// looks like this in every capture seen].
    static func snapshot(_ c: RouterConfiguration, only name: String?) -> AccessListsSnapshot {
        let lists = c.accessLists.values.filter { name == nil || $0.name == name }.sorted { a, b in
            if a.isNumbered != b.isNumbered { return a.isNumbered }
            if a.isNumbered, let x = Int(a.name), let y = Int(b.name) { return x < y }
            return a.name < b.name
        }
        return AccessListsSnapshot(accessLists: lists.map { list in
            AccessListsSnapshot.List(name: list.name, standard: list.isStandard, entries: list.entries.map { e in
                AccessListsSnapshot.Entry(sequence: e.sequence, action: e.action.rawValue,
                                          text: list.isStandard ? standard(e) : RunningConfiguration.ace(e))
            })
        })
    }

    /// `permit 192.0.2.0, wildcard bits 0.0.0.255`, `deny   any`, `permit 192.0.2.5`.
    static func standard(_ e: AccessListEntry) -> String {
        let p = e.source
        let source = p.length == 0 ? "any"
            : p.length == 32 ? "\(p.address)" : "\(p.address), wildcard bits \(WildcardMask.wildcard(p.length))"
        return IOSText.field(e.action.rawValue, width: 7) + source
    }
}

/// The lists of `show access-lists` (and its `| json`).
struct AccessListsSnapshot: Sendable, Equatable, Codable {
    struct Entry: Sendable, Equatable, Codable {
        var sequence: Int
        /// `permit`, `deny`.
        var action: String
        /// The entry after its sequence number, as printed.
        var text: String
    }

    struct List: Sendable, Equatable, Codable {
        var name: String
        var standard: Bool
        var entries: [Entry]
    }

    var accessLists: [List]

    enum CodingKeys: String, CodingKey { case accessLists = "access_lists" }
}
