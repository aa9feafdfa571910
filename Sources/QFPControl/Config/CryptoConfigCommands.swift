import QFPCommandLanguage
import QFPDataplane

/// Sub-mode commands of transform sets, IPsec profiles and crypto maps.
enum CryptoConfigCommands {
    static let pfsGroups = "{group1 | group2 | group5 | group14 | group15 | group16 | group19 | group20 | group21 | group24}"

    static func registerTransformSet(_ t: CommandTree<ConfigHandler>) {
        t.add("mode {tunnel | transport}", negatable: true) { e, p in
            guard case let .transformSet(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.transformSets[name]?.mode = p.isNegated || p.has("tunnel") ? .tunnel : .transport
        }
    }

    static func registerProfile(_ t: CommandTree<ConfigHandler>) {
        t.add("set transform-set LINE", negatable: true) { e, p in
            guard case let .ipsecProfile(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.ipsecProfiles[name]?.transformSets = p.isNegated ? [] : p.arguments[0].split(separator: " ").map(String.init)
        }
        t.add("set security-association lifetime {seconds <120-86400> | kilobytes <2560-4294967295>}", negatable: true) { e, p in
            guard case let .ipsecProfile(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            let value = p.isNegated ? nil : Int(p.arguments[0])
            if p.has("seconds") { e.configuration.ipsecProfiles[name]?.lifetimeSeconds = value }
            else { e.configuration.ipsecProfiles[name]?.lifetimeKilobytes = value }
        }
        t.add("set ikev2-profile WORD", negatable: true) { e, p in
            guard case let .ipsecProfile(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.ipsecProfiles[name]?.ikev2Profile = p.isNegated ? nil : p.arguments[0]
        }
        t.add("no set ikev2-profile") { e, _ in
            guard case let .ipsecProfile(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.ipsecProfiles[name]?.ikev2Profile = nil
        }
        t.add("set pfs \(pfsGroups)", negatable: true) { e, p in
            guard case let .ipsecProfile(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.ipsecProfiles[name]?.pfsGroup = p.isNegated ? nil : p.keywords.last
        }
    }

    static func registerMap(_ t: CommandTree<ConfigHandler>, dynamic: Bool) {
        t.add("set peer {A.B.C.D | X:X:X:X::X}", negatable: true) { e, p in
            let peer = IPAddress(p.arguments[0])!
            try e.withMapEntry { m in
                m.peers.removeAll { $0 == peer }
                if !p.isNegated { m.peers.append(peer) }
            }
        }
        t.add("set transform-set LINE", negatable: true) { e, p in
            try e.withMapEntry { m in
                let names = p.arguments[0].split(separator: " ").map(String.init)
                m.transformSets = p.isNegated ? [] : names
            }
        }
        t.add("match address WORD", negatable: true) { e, p in
            try e.withMapEntry { m in m.matchAddress = p.isNegated ? nil : p.arguments[0] }
        }
        t.add("set security-association lifetime {seconds <120-86400> | kilobytes <2560-4294967295>}", negatable: true) { e, p in
            let value = p.isNegated ? nil : Int(p.arguments[0])
            try e.withMapEntry { m in
                if p.has("seconds") { m.lifetimeSeconds = value } else { m.lifetimeKilobytes = value }
            }
        }
        t.add("set security-association replay {window-size <64-1024> | disable}", negatable: true) { e, p in
            var setting = ReplaySetting.global
            if !p.isNegated {
                if p.has("disable") {
                    setting = .disabled
                } else {
                    let n = Int(p.arguments[0])!
                    guard [64, 128, 256, 512, 1024].contains(n) else { throw ConfigError.invalid(column: p.argumentColumns[0]) }
                    setting = .window(n)
                }
            }
            try e.withMapEntry { m in m.replay = setting }
        }
        t.add("set pfs \(pfsGroups)", negatable: true) { e, p in
            try e.withMapEntry { m in m.pfsGroup = p.isNegated ? nil : p.keywords.last }
        }
        if !dynamic {
            t.add("set session-key {inbound | outbound} esp <256-4294967295> [cipher HEX] [authenticator HEX]", negatable: true) { e, p in
                let key = SessionKey(spi: UInt32(p.arguments[0])!, cipher: p.argument(after: "cipher"),
                                     authenticator: p.argument(after: "authenticator"))
                try e.withMapEntry { m in
                    guard m.kind == .manual else {
                        throw ConfigError.message("% Session keys can only be set on ipsec-manual crypto map entries")
                    }
                    if p.has("inbound") {
                        m.inboundKeys.removeAll { $0.spi == key.spi }
                        if !p.isNegated { m.inboundKeys.append(key) }
                    } else {
                        m.outboundKey = p.isNegated ? nil : key
                    }
                }
            }
        }
    }
}

/// Named extended ACL sub-mode commands.
enum AccessListConfigCommands {
    static func registerNamed(_ t: CommandTree<ConfigHandler>) {
        t.add("{permit | deny} LINE") { e, p in
            try add(&e, p, explicitSequence: nil, text: (p.keywords.last ?? "permit") + " " + p.arguments[0],
                    column: p.argumentColumns[0] - (p.keywords.last ?? "permit").count - 1)
        }
        t.add("<1-2147483647> {permit | deny} LINE") { e, p in
            let action = p.keywords.last ?? "permit"
            try add(&e, p, explicitSequence: Int(p.arguments[0]), text: action + " " + p.arguments[1],
                    column: p.argumentColumns[1] - action.count - 1)
        }
        t.add("no <1-2147483647>") { e, p in
            guard case let .accessList(name) = e.mode else { throw ConfigError.invalid(column: 0) }
            e.configuration.accessLists[name]?.entries.removeAll { $0.sequence == Int(p.arguments[0]) }
        }
        t.add("remark LINE") { _, _ in }
    }

    static func add(_ e: inout ConfigEditor, _ p: ParsedCommand, explicitSequence: Int?, text: String, column: Int) throws {
        guard case let .accessList(name) = e.mode, var list = e.configuration.accessLists[name] else { throw ConfigError.invalid(column: 0) }
        let sequence = explicitSequence ?? ((list.entries.map(\.sequence).max() ?? 0) + 10)
        let entry = try AccessListEntryParser.parse(text, column: column, sequence: sequence)
        if list.entries.contains(where: { $0.sequence == sequence }) {
            throw ConfigError.message("% Duplicate sequence number")
        }
        list.entries.append(entry)
        list.entries.sort { $0.sequence < $1.sequence }
        e.configuration.accessLists[name] = list
    }
}
