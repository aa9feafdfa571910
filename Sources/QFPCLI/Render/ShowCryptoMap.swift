import QFPControl

/// `show crypto map [tag NAME | interface IF]` in the IOS XE 16/17 layout of Genie's
/// `ShowCryptoMap` goldens (device captures, tab-indented): one block per entry, a blank line
/// between entries [I], `Interfaces using crypto map NAME:` after a map's last entry. The ACL's
/// entries follow its header line as `access-list NAME ...` four spaces further in (public
/// IOS XE transcripts). Manual entries print neither lifetime nor PFS lines (Genie golden 3)
/// but their session keys' SPIs [I: no capture found; the keys themselves are not shown].
enum ShowCryptoMap {
    /// The policy lines a crypto map entry and an IPsec profile share (`show crypto map`,
    /// `show crypto ipsec profile`), at their indent.
    static func policyLines(indent: String, pfsGroup: String?) -> String {
        var out = "\(indent)Responder-Only (Y/N): N\n"
        out += "\(indent)PFS (Y/N): \(IOSText.yesNo(pfsGroup != nil))\n"
        if let g = pfsGroup { out += "\(indent)DH group:  \(g)\n" }
        return out + "\(indent)Mixed-mode : Disabled\n"
    }

    /// `Transform sets={` … `}` at `indent` (entries one indent deeper).
    static func transformSetLines(indent: String, _ sets: [CryptoMapSnapshot.TransformSetRef]) -> String {
        "\(indent)Transform sets={\n" + sets.map { "\(indent)\(indent)\($0.name):  { \($0.transforms)  } ,\n" }.joined() + "\(indent)}\n"
    }

    static func render(_ s: CryptoMapSnapshot) -> String {
        var blocks: [String] = []
        for (n, e) in s.entries.enumerated() {
            var out = "Crypto Map IPv4 \"\(e.name)\" \(e.sequence) \(e.kind)\n"
            if let template = e.dynamicMap {
                out += "\tDynamic map template tag: \(template)\n"
            } else {
                out += body(e)
            }
            let last = n + 1 == s.entries.count || s.entries[n + 1].name != e.name
            if last {
                out += "\tInterfaces using crypto map \(e.name):\n" + e.interfaces.map { "\t\t\($0)\n" }.joined()
            }
            blocks.append(out)
        }
        return blocks.joined(separator: "\n")
    }

    static func body(_ e: CryptoMapSnapshot.Entry) -> String {
        var out = ""
        if e.incomplete {
            out += "\tWARNING: This crypto map is in an incomplete state!\n\t\t(missing peer or access-list definitions)\n"
        }
        out += e.peers.map { "\tPeer = \($0)\n" }.joined()
        out += "\tAccess-List SS dynamic: False\n"
        if let acl = e.accessList {
            out += "\t\(e.accessListStandard ? "Standard" : "Extended") IP access list \(acl)\n"
            out += e.accessListEntries.map { "\t    access-list \(acl) \($0)\n" }.joined()
        } else {
            out += "\tNo matching address list set.\n"
        }
        if let peer = e.currentPeer { out += "\tCurrent peer: \(peer)\n" }
        if !e.manual {
            out += "\tSecurity association lifetime: \(e.lifetimeKilobytes) kilobytes/\(e.lifetimeSeconds) seconds\n"
            out += "\tDualstack (Y/N): N\n\n"
            out += policyLines(indent: "\t", pfsGroup: e.pfsGroup)
        }
        out += transformSetLines(indent: "\t", e.transformSets)
        if e.manual {
            for spi in e.inboundSPIs { out += "\tInbound esp spi: \(spi)\n" }
            if let spi = e.outboundSPI { out += "\tOutbound esp spi: \(spi)\n" }
        }
        return out
    }

    /// The entries of the maps named `only` (every map when nil), in name and sequence order.
    static func snapshot(_ c: RouterConfiguration, only: String?) -> CryptoMapSnapshot {
        var entries: [CryptoMapSnapshot.Entry] = []
        for (name, map) in c.cryptoMaps.sorted(by: { $0.key < $1.key }) where only == nil || only == name {
            let interfaces = c.orderedInterfaces.filter { $0.cryptoMap == name }.map(\.name)
            for e in map.values.sorted(by: { $0.sequence < $1.sequence }) {
                entries.append(entry(e, c, interfaces: interfaces))
            }
        }
        return CryptoMapSnapshot(entries: entries)
    }

    static func entry(_ e: CryptoMapEntry, _ c: RouterConfiguration, interfaces: [String]) -> CryptoMapSnapshot.Entry {
        let list = e.matchAddress.flatMap { c.accessLists[$0] }
        var out = CryptoMapSnapshot.Entry(name: e.map, sequence: e.sequence, kind: "ipsec-isakmp", interfaces: interfaces)
        switch e.kind {
        case .isakmp: break
        case .manual: out.kind = "ipsec-manual"; out.manual = true
        case let .dynamic(template): out.dynamicMap = template
        }
        out.peers = e.peers.map { "\($0)" }
        out.currentPeer = out.peers.first
        out.accessList = e.matchAddress
        out.accessListStandard = list?.isStandard ?? false
        out.accessListEntries = list.map { l in
            l.entries.map { l.isStandard ? ShowAccessLists.standard($0) : RunningConfiguration.ace($0) }
        } ?? []
        out.incomplete = out.dynamicMap == nil && (e.peers.isEmpty || list == nil)
        out.lifetimeKilobytes = e.lifetimeKilobytes ?? c.lifetimeKilobytes
        out.lifetimeSeconds = e.lifetimeSeconds ?? c.lifetimeSeconds
        out.pfsGroup = e.pfsGroup
        out.transformSets = e.transformSets.map { name in
            CryptoMapSnapshot.TransformSetRef(name: name, transforms: TransformInfo(c.transformSets[name]).showText)
        }
        out.inboundSPIs = e.inboundKeys.map(\.spi)
        out.outboundSPI = e.outboundKey?.spi
        return out
    }
}

/// The entries of `show crypto map` (and its `| json`).
struct CryptoMapSnapshot: Sendable, Equatable, Codable {
    /// A transform set named by an entry and its transforms as IOS shows them (`esp-256-aes`).
    struct TransformSetRef: Sendable, Equatable, Codable {
        var name: String
        var transforms: String
    }

    struct Entry: Sendable, Equatable, Codable {
        var name: String
        var sequence: Int
        /// `ipsec-isakmp`, `ipsec-manual`.
        var kind: String
        var manual = false
        /// `ipsec-isakmp dynamic NAME`: the dynamic map.
        var dynamicMap: String?
        var peers: [String] = []
        var currentPeer: String?
        var accessList: String?
        var accessListStandard = false
        var accessListEntries: [String] = []
        /// No peer or no (existing) access list.
        var incomplete = false
        var lifetimeKilobytes = 0
        var lifetimeSeconds = 0
        var pfsGroup: String?
        var transformSets: [TransformSetRef] = []
        var inboundSPIs: [UInt32] = []
        var outboundSPI: UInt32?
        var interfaces: [String]

        init(name: String, sequence: Int, kind: String, interfaces: [String]) {
            self.name = name
            self.sequence = sequence
            self.kind = kind
            self.interfaces = interfaces
        }

        enum CodingKeys: String, CodingKey {
            case name, sequence, kind, manual, peers, incomplete, interfaces
            case dynamicMap = "dynamic_map"
            case currentPeer = "current_peer"
            case accessList = "access_list"
            case accessListStandard = "access_list_standard"
            case accessListEntries = "access_list_entries"
            case lifetimeKilobytes = "lifetime_kilobytes"
            case lifetimeSeconds = "lifetime_seconds"
            case pfsGroup = "pfs_group"
            case transformSets = "transform_sets"
            case inboundSPIs = "inbound_esp_spis"
            case outboundSPI = "outbound_esp_spi"
        }
    }

    var entries: [Entry]

    enum CodingKeys: String, CodingKey { case entries = "crypto_maps" }
}
