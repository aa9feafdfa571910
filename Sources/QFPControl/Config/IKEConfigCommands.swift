import QFPCommandLanguage
import QFPDataplane

/// Global commands and sub-modes of the IKE side of the configuration: `crypto isakmp …`,
/// `crypto ikev2 …` and the Easy VPN client (`crypto ipsec client ezvpn`).
enum IKEConfigCommands {
    /// Diffie-Hellman groups IOS accepts in `group` lines.
    static let dhGroups: Set<Int> = [1, 2, 5, 14, 15, 16, 19, 20, 21, 24]
    /// `encryption` transforms of an IKEv2 proposal.
    static let ikev2Encryption = ["3des", "aes-cbc-128", "aes-cbc-192", "aes-cbc-256", "aes-gcm-128", "aes-gcm-256", "des"]
    /// `integrity` and `prf` algorithms of an IKEv2 proposal.
    static let ikev2Integrity = ["md5", "sha1", "sha256", "sha384", "sha512"]

    /// The global commands (registered into the global table).
    static func registerGlobal(_ t: CommandTree<ConfigHandler>) {
        // ISAKMP (IKEv1).
        t.add("crypto isakmp policy <1-10000>", negatable: true) { e, p in
            let priority = try p.int(0)
            if p.isNegated { e.configuration.control.isakmpPolicies[priority] = nil; return }
            if e.configuration.control.isakmpPolicies[priority] == nil {
                e.configuration.control.isakmpPolicies[priority] = ISAKMPPolicy(priority: priority)
            }
            e.mode = .isakmpPolicy(priority)
        }
        t.add("crypto isakmp key [{0 | 6}] WORD address A.B.C.D [A.B.C.D] [no-xauth]", negatable: true) { e, p in
            let address = try p.address(1)
            var mask: IPAddress?
            if p.arguments.count > 2 { mask = try p.address(2) }
            if let mask, WildcardMask.prefixLength(netmask: mask.ipv4) == nil { throw ConfigError.invalid(column: p.argumentColumns[2]) }
            var key = ISAKMPKey(key: p.arguments[0], address: address, mask: mask, noXauth: p.has("no-xauth"))
            key.encrypted = p.has("6")
            e.configuration.control.isakmpKeys.removeAll { $0.address == address && $0.mask == mask }
            if !p.isNegated { e.configuration.control.isakmpKeys.append(key) }
        }
        t.add("crypto isakmp invalid-spi-recovery", negatable: true) { e, p in
            e.configuration.control.invalidSPIRecovery = !p.isNegated
        }
        t.add("crypto isakmp keepalive <10-3600> [<2-60>] [{periodic | on-demand}]") { e, p in
            var retry = 2
            if p.arguments.count > 1 { retry = try p.int(1) }
            e.configuration.control.keepalive = DPDSettings(seconds: try p.int(0), retry: retry, mode: p.has("periodic") ? .periodic : .onDemand)
        }
        t.add("no crypto isakmp keepalive [<10-3600> [<2-60>] [{periodic | on-demand}]]") { e, _ in
            e.configuration.control.keepalive = nil
        }

        // IKEv2.
        namedBlock(t, "crypto ikev2 proposal WORD", \.ikev2Proposals, IKEv2Proposal.init(name:), ConfigMode.ikev2Proposal)
        namedBlock(t, "crypto ikev2 policy WORD", \.ikev2Policies, IKEv2Policy.init(name:), ConfigMode.ikev2Policy)
        namedBlock(t, "crypto ikev2 keyring WORD", \.ikev2Keyrings, IKEv2Keyring.init(name:), ConfigMode.ikev2Keyring)
        namedBlock(t, "crypto ikev2 profile WORD", \.ikev2Profiles, IKEv2Profile.init(name:), ConfigMode.ikev2Profile)
        // Easy VPN remote.
        namedBlock(t, "crypto ipsec client ezvpn WORD", \.ezvpnClients, EzVPNClient.init(name:), ConfigMode.ezvpn)
    }

    static func registerISAKMPPolicy(_ t: CommandTree<ConfigHandler>) {
        t.add("encryption {des | 3des | aes [{128 | 192 | 256}]}", negatable: true) { e, p in
            let words = p.keywords.drop { $0 != "encryption" }.dropFirst().joined(separator: " ")
            try e.withISAKMPPolicy { $0.encryption = p.isNegated ? nil : words }
        }
        t.add("hash {sha | sha256 | sha384 | sha512 | md5}", negatable: true) { e, p in
            try e.withISAKMPPolicy { $0.hash = p.isNegated ? nil : p.keywords.last }
        }
        t.add("authentication {pre-share | rsa-sig | rsa-encr}", negatable: true) { e, p in
            try e.withISAKMPPolicy { $0.authentication = p.isNegated ? nil : p.keywords.last }
        }
        t.add("group <1-24>", negatable: true) { e, p in
            let group = try p.int(0)
            guard dhGroups.contains(group) else { throw ConfigError.invalid(column: p.argumentColumns[0]) }
            try e.withISAKMPPolicy { $0.group = p.isNegated ? nil : group }
        }
        t.add("lifetime <60-86400>", negatable: true) { e, p in
            let seconds = try p.int(0)
            try e.withISAKMPPolicy { $0.lifetime = p.isNegated ? nil : seconds }
        }
        t.add("no lifetime") { e, _ in try e.withISAKMPPolicy { $0.lifetime = nil } }
        t.add("no encryption") { e, _ in try e.withISAKMPPolicy { $0.encryption = nil } }
        t.add("no hash") { e, _ in try e.withISAKMPPolicy { $0.hash = nil } }
        t.add("no authentication") { e, _ in try e.withISAKMPPolicy { $0.authentication = nil } }
        t.add("no group") { e, _ in try e.withISAKMPPolicy { $0.group = nil } }
    }

    static func registerIKEv2Proposal(_ t: CommandTree<ConfigHandler>) {
        t.add("encryption LINE", negatable: true) { e, p in
            let names = try words(p, allowed: ikev2Encryption)
            try e.withIKEv2Proposal { $0.encryption = merged($0.encryption, names, negated: p.isNegated) }
        }
        t.add("integrity LINE", negatable: true) { e, p in
            let names = try words(p, allowed: ikev2Integrity)
            try e.withIKEv2Proposal { $0.integrity = merged($0.integrity, names, negated: p.isNegated) }
        }
        t.add("prf LINE", negatable: true) { e, p in
            let names = try words(p, allowed: ikev2Integrity)
            try e.withIKEv2Proposal { $0.prf = merged($0.prf, names, negated: p.isNegated) }
        }
        t.add("group LINE", negatable: true) { e, p in
            var groups: [Int] = []
            for (word, column) in AccessListEntryParser.splitWords(p.arguments[0], base: p.argumentColumns[0]) {
                guard let g = Int(word), dhGroups.contains(g) else { throw ConfigError.invalid(column: column) }
                groups.append(g)
            }
            try e.withIKEv2Proposal { $0.groups = merged($0.groups, groups, negated: p.isNegated) }
        }
        for keyword in ["encryption", "integrity", "prf", "group"] {
            t.add("no \(keyword)") { e, _ in
                try e.withIKEv2Proposal { proposal in
                    switch keyword {
                    case "encryption": proposal.encryption = []
                    case "integrity": proposal.integrity = []
                    case "prf": proposal.prf = []
                    default: proposal.groups = []
                    }
                }
            }
        }
    }

    static func registerIKEv2Policy(_ t: CommandTree<ConfigHandler>) {
        t.add("proposal WORD", negatable: true) { e, p in
            let name = p.arguments[0]
            try e.withIKEv2Policy { policy in
                policy.proposals.removeAll { $0 == name }
                if !p.isNegated { policy.proposals.append(name) }
            }
        }
        t.add("match address local A.B.C.D", negatable: true) { e, p in
            let address = try p.address(0)
            try e.withIKEv2Policy { policy in
                policy.matchLocalAddresses.removeAll { $0 == address }
                if !p.isNegated { policy.matchLocalAddresses.append(address) }
            }
        }
    }

    static func registerIKEv2Keyring(_ t: CommandTree<ConfigHandler>) {
        t.add("peer WORD", negatable: true) { e, p in
            guard case let .ikev2Keyring(name) = e.mode, var keyring = e.configuration.control.ikev2Keyrings[name] else {
                throw ConfigError.invalid(column: 0)
            }
            let peer = p.arguments[0]
            if p.isNegated {
                keyring.peers.removeAll { $0.name == peer }
            } else if !keyring.peers.contains(where: { $0.name == peer }) {
                keyring.peers.append(IKEv2Keyring.Peer(name: peer))
            }
            e.configuration.control.ikev2Keyrings[name] = keyring
            if !p.isNegated { e.mode = .ikev2KeyringPeer(keyring: name, peer: peer) }
        }
    }

    static func registerIKEv2KeyringPeer(_ t: CommandTree<ConfigHandler>) {
        t.add("address A.B.C.D [A.B.C.D]", negatable: true) { e, p in
            let prefix = try p.prefix(0)
            try e.withKeyringPeer { $0.address = p.isNegated ? nil : prefix }
        }
        t.add("no address") { e, _ in try e.withKeyringPeer { $0.address = nil } }
        t.add("pre-shared-key [{0 | 6}] WORD", negatable: true) { e, p in
            try e.withKeyringPeer { peer in
                peer.preSharedKey = p.isNegated ? nil : p.arguments[0]
                peer.preSharedKeyEncrypted = !p.isNegated && p.has("6")
            }
        }
        t.add("no pre-shared-key") { e, _ in
            try e.withKeyringPeer { peer in
                peer.preSharedKey = nil
                peer.preSharedKeyEncrypted = false
            }
        }
    }

    static func registerIKEv2Profile(_ t: CommandTree<ConfigHandler>) {
        t.add("match identity remote address A.B.C.D [A.B.C.D]", negatable: true) { e, p in
            let prefix = try p.prefix(0)
            try e.withIKEv2Profile { profile in
                profile.matchRemoteAddresses.removeAll { $0 == prefix }
                if !p.isNegated { profile.matchRemoteAddresses.append(prefix) }
            }
        }
        t.add("identity local address A.B.C.D", negatable: true) { e, p in
            let address = try p.address(0)
            try e.withIKEv2Profile { $0.localIdentity = p.isNegated ? nil : address }
        }
        t.add("authentication {remote | local} {pre-share | rsa-sig}", negatable: true) { e, p in
            let method = p.isNegated ? nil : p.keywords.last
            try e.withIKEv2Profile { profile in
                if p.has("remote") { profile.authenticationRemote = method } else { profile.authenticationLocal = method }
            }
        }
        t.add("keyring local WORD", negatable: true) { e, p in
            try e.withIKEv2Profile { $0.keyring = p.isNegated ? nil : p.arguments[0] }
        }
        t.add("no keyring [local]") { e, _ in try e.withIKEv2Profile { $0.keyring = nil } }
        t.add("lifetime <120-86400>", negatable: true) { e, p in
            let seconds = try p.int(0)
            try e.withIKEv2Profile { $0.lifetime = p.isNegated ? nil : seconds }
        }
        t.add("no lifetime") { e, _ in try e.withIKEv2Profile { $0.lifetime = nil } }
        t.add("dpd <10-3600> <2-3600> {on-demand | periodic}") { e, p in
            let dpd = DPDSettings(seconds: try p.int(0), retry: try p.int(1), mode: p.has("periodic") ? .periodic : .onDemand)
            try e.withIKEv2Profile { $0.dpd = dpd }
        }
        t.add("no dpd [<10-3600> <2-3600> {on-demand | periodic}]") { e, _ in
            try e.withIKEv2Profile { $0.dpd = nil }
        }
    }

    static func registerEzVPN(_ t: CommandTree<ConfigHandler>) {
        t.add("connect {auto | manual}", negatable: true) { e, p in
            try e.withEzVPN { $0.connect = !p.isNegated && p.has("manual") ? .manual : .auto }
        }
        t.add("group WORD key WORD", negatable: true) { e, p in
            try e.withEzVPN { client in
                client.group = p.isNegated ? nil : p.arguments[0]
                client.groupKey = p.isNegated ? nil : p.arguments[1]
            }
        }
        t.add("no group") { e, _ in
            try e.withEzVPN { client in
                client.group = nil
                client.groupKey = nil
            }
        }
        t.add("mode {client | network-extension | network-plus}", negatable: true) { e, p in
            let mode = p.isNegated ? EzVPNClient.Mode.client : (p.keywords.last.flatMap(EzVPNClient.Mode.init(rawValue:)) ?? .client)
            try e.withEzVPN { $0.mode = mode }
        }
        t.add("peer A.B.C.D", negatable: true) { e, p in
            let address = try p.address(0)
            try e.withEzVPN { client in
                client.peers.removeAll { $0 == address }
                if !p.isNegated { client.peers.append(address) }
            }
        }
        t.add("xauth userid mode {interactive | local}", negatable: true) { e, p in
            try e.withEzVPN { $0.xauthUserIDMode = p.isNegated ? nil : p.keywords.last }
        }
    }

    /// The words of a LINE argument, each one of `allowed` (lower-cased), or invalid input at
    /// the first that is not.
    static func words(_ p: ParsedCommand, allowed: [String]) throws(ConfigError) -> [String] {
        var out: [String] = []
        for (word, column) in AccessListEntryParser.splitWords(p.arguments[0], base: p.argumentColumns[0]) {
            let lower = word.lowercased()
            guard allowed.contains(lower) else { throw .invalid(column: column) }
            out.append(lower)
        }
        return out
    }

    /// `list` with `items` appended (those not already in it), or removed when negated.
    static func merged<T: Equatable>(_ list: [T], _ items: [T], negated: Bool) -> [T] {
        if negated { return list.filter { !items.contains($0) } }
        var out = list
        for item in items where !out.contains(item) { out.append(item) }
        return out
    }

    /// A named block (`crypto ikev2 proposal NAME` …): creates it when new, enters its mode;
    /// `no …` removes it.
    static func namedBlock<Value: Sendable>(
        _ t: CommandTree<ConfigHandler>, _ syntax: String, _ blocks: WritableKeyPath<ControlConfiguration, [String: Value]> & Sendable,
        _ make: @escaping @Sendable (String) -> Value, _ mode: @escaping @Sendable (String) -> ConfigMode
    ) {
        t.add(syntax, negatable: true) { e, p in
            let name = p.arguments[0]
            if p.isNegated { e.configuration.control[keyPath: blocks][name] = nil; return }
            if e.configuration.control[keyPath: blocks][name] == nil { e.configuration.control[keyPath: blocks][name] = make(name) }
            e.mode = mode(name)
        }
    }
}

extension ParsedCommand {
    /// Argument `i` as an integer (the command table has checked its range).
    func int(_ i: Int) throws(ConfigError) -> Int {
        guard i < arguments.count, let n = Int(arguments[i]) else { throw .invalid(column: i < argumentColumns.count ? argumentColumns[i] : 0) }
        return n
    }

    /// Argument `i` as an IPv4 address.
    func address(_ i: Int) throws(ConfigError) -> IPAddress {
        guard i < arguments.count, let a = IPAddress(arguments[i]) else { throw .invalid(column: i < argumentColumns.count ? argumentColumns[i] : 0) }
        return a
    }

    /// Arguments `i` (address) and, when present, `i + 1` (netmask) as a prefix; a host prefix
    /// without a mask.
    func prefix(_ i: Int) throws(ConfigError) -> IPPrefix {
        let address = try address(i)
        var length = 32
        if i + 1 < arguments.count {
            guard let l = WildcardMask.prefixLength(netmask: try self.address(i + 1).ipv4) else {
                throw .invalid(column: argumentColumns[i + 1])
            }
            length = l
        }
        guard let prefix = IPPrefix(address, length: length), prefix.address == address else {
            throw .message("%Inconsistent address and mask")
        }
        return prefix
    }
}

extension ConfigEditor {
    /// Edits the block `key` of `blocks` (the one the current sub-mode names); a block that is
    /// gone is IOS's invalid input.
    mutating func edit<Key: Hashable, Value>(_ key: Key, _ blocks: WritableKeyPath<ControlConfiguration, [Key: Value]>,
                                             _ body: (inout Value) throws -> Void) throws {
        guard var v = configuration.control[keyPath: blocks][key] else { throw ConfigError.invalid(column: 0) }
        try body(&v)
        configuration.control[keyPath: blocks][key] = v
    }

    mutating func withISAKMPPolicy(_ body: (inout ISAKMPPolicy) throws -> Void) throws {
        guard case let .isakmpPolicy(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.isakmpPolicies, body)
    }

    mutating func withIKEv2Proposal(_ body: (inout IKEv2Proposal) throws -> Void) throws {
        guard case let .ikev2Proposal(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.ikev2Proposals, body)
    }

    mutating func withIKEv2Policy(_ body: (inout IKEv2Policy) throws -> Void) throws {
        guard case let .ikev2Policy(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.ikev2Policies, body)
    }

    mutating func withKeyringPeer(_ body: (inout IKEv2Keyring.Peer) throws -> Void) throws {
        guard case let .ikev2KeyringPeer(name, peer) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(name, \.ikev2Keyrings) { keyring in
            guard let index = keyring.peers.firstIndex(where: { $0.name == peer }) else { throw ConfigError.invalid(column: 0) }
            try body(&keyring.peers[index])
        }
    }

    mutating func withIKEv2Profile(_ body: (inout IKEv2Profile) throws -> Void) throws {
        guard case let .ikev2Profile(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.ikev2Profiles, body)
    }

    mutating func withEzVPN(_ body: (inout EzVPNClient) throws -> Void) throws {
        guard case let .ezvpn(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.ezvpnClients, body)
    }

    mutating func withApplet(_ body: (inout EventManagerApplet) throws -> Void) throws {
        guard case let .applet(n) = mode else { throw ConfigError.invalid(column: 0) }
        try edit(n, \.applets, body)
    }
}
