import QFPDataplane

/// Renders a configuration the way `show running-config` prints it, in IOS order; loading the
/// text back gives an equal `RouterConfiguration`.
public enum RunningConfiguration {
    /// The configuration text, from the first `!` to `end`.
    public static func body(_ c: RouterConfiguration) -> String {
        var out = "!\nhostname \(c.hostname)\n!\n"
        var globals: [String] = []
        if c.lifetimeSeconds != RouterConfiguration.defaultLifetimeSeconds {
            globals.append("crypto ipsec security-association lifetime seconds \(c.lifetimeSeconds)")
        }
        if c.lifetimeKilobytes != RouterConfiguration.defaultLifetimeKilobytes {
            globals.append("crypto ipsec security-association lifetime kilobytes \(c.lifetimeKilobytes)")
        }
        if c.replayWindow != RouterConfiguration.defaultReplayWindow {
            globals.append("crypto ipsec security-association replay window-size \(c.replayWindow)")
        }
        if !globals.isEmpty { out += globals.joined(separator: "\n") + "\n!\n" }

        for set in c.transformSets.values.sorted(by: { $0.name < $1.name }) {
            // IOS leaves a space after the transform list.
            out += "crypto ipsec transform-set \(set.name) \(set.transforms.joined(separator: " ")) \n"
            out += " mode \(set.mode == .tunnel ? "tunnel" : "transport")\n"
        }
        if !c.transformSets.isEmpty { out += "!\n" }
        for profile in c.ipsecProfiles.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ipsec profile \(profile.name)\n"
            if let s = profile.lifetimeSeconds { out += " set security-association lifetime seconds \(s)\n" }
            if let k = profile.lifetimeKilobytes { out += " set security-association lifetime kilobytes \(k)\n" }
            if !profile.transformSets.isEmpty { out += " set transform-set \(profile.transformSets.joined(separator: " ")) \n" }
            if let g = profile.pfsGroup { out += " set pfs \(g)\n" }
            out += "!\n"
        }
        for (name, entries) in c.dynamicMaps.sorted(by: { $0.key < $1.key }) {
            for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
                out += "crypto dynamic-map \(name) \(entry.sequence)\n" + mapBody(entry)
            }
            out += "!\n"
        }
        for (name, entries) in c.cryptoMaps.sorted(by: { $0.key < $1.key }) {
            for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
                switch entry.kind {
                case .isakmp: out += "crypto map \(name) \(entry.sequence) ipsec-isakmp \n" + mapBody(entry)
                case .manual: out += "crypto map \(name) \(entry.sequence) ipsec-manual \n" + mapBody(entry)
                case let .dynamic(d): out += "crypto map \(name) \(entry.sequence) ipsec-isakmp dynamic \(d) \n"
                }
            }
            out += "!\n"
        }
        for i in c.orderedInterfaces {
            out += interface(i) + "!\n"
        }
        for r in c.staticRoutes {
            let target = r.nextHop?.description ?? r.interface ?? ""
            out += "ip route \(r.prefix.address) \(WildcardMask.netmask(r.prefix.length)) \(target)\n"
        }
        if !c.staticRoutes.isEmpty { out += "!\n" }
        let lists = c.accessLists.values.sorted { a, b in a.isNumbered != b.isNumbered ? !a.isNumbered : a.name < b.name }
        for list in lists where !list.isNumbered {
            out += "ip access-list extended \(list.name)\n"
            for e in list.entries { out += " \(e.sequence) \(ace(e))\n" }
            out += "!\n"
        }
        for list in lists where list.isNumbered {
            for e in list.entries { out += "access-list \(list.name) \(ace(e))\n" }
        }
        if lists.contains(where: \.isNumbered) { out += "!\n" }
        out += "end\n"
        return out
    }

    /// The whole `show running-config` output: header and body.
    public static func show(_ c: RouterConfiguration, lastChange: String) -> String {
        let text = body(c)
        return "Building configuration...\n\nCurrent configuration : \(text.utf8.count) bytes\n"
            + "!\n! Last configuration change at \(lastChange)\n" + text
    }

    static func mapBody(_ e: CryptoMapEntry) -> String {
        var out = ""
        for p in e.peers { out += " set peer \(p)\n" }
        for k in e.inboundKeys { out += " set session-key inbound esp \(k.spi)\(keyText(k))\n" }
        if let k = e.outboundKey { out += " set session-key outbound esp \(k.spi)\(keyText(k))\n" }
        if let s = e.lifetimeSeconds { out += " set security-association lifetime seconds \(s)\n" }
        if let k = e.lifetimeKilobytes { out += " set security-association lifetime kilobytes \(k)\n" }
        switch e.replay {
        case .global: break
        case let .window(n): out += " set security-association replay window-size \(n)\n"
        case .disabled: out += " set security-association replay disable\n"
        }
        if !e.transformSets.isEmpty { out += " set transform-set \(e.transformSets.joined(separator: " ")) \n" }
        if let g = e.pfsGroup { out += " set pfs \(g)\n" }
        if let acl = e.matchAddress { out += " match address \(acl)\n" }
        return out
    }

    static func keyText(_ k: SessionKey) -> String {
        (k.cipher.map { " cipher \($0)" } ?? "") + (k.authenticator.map { " authenticator \($0)" } ?? "")
    }

    static func interface(_ i: InterfaceConfiguration) -> String {
        var out = "interface \(i.name)\n"
        if let d = i.description { out += " description \(d)\n" }
        if let a = i.ipv4 { out += " ip address \(a.address) \(WildcardMask.netmask(a.length))\n" } else { out += " no ip address\n" }
        if let mtu = i.ipMTU { out += " ip mtu \(mtu)\n" }
        let t = i.tunnel
        if i.isTunnel {
            for m in t.nhrpMaps { out += " ip nhrp map \(m.tunnelAddress) \(m.nbmaAddress)\n" }
            if let id = t.nhrpNetworkID { out += " ip nhrp network-id \(id)\n" }
            for s in t.nhrpServers { out += " ip nhrp nhs \(s)\n" }
        }
        for a in i.ipv6 { out += " ipv6 address \(a.address)/\(a.length)\n" }
        if i.shutdown { out += " shutdown\n" }
        if i.isTunnel {
            if let s = t.sourceAddress { out += " tunnel source \(s)\n" }
            if let s = t.sourceInterface { out += " tunnel source \(s)\n" }
            if t.mode != .greIP { out += " tunnel mode \(t.mode.rawValue)\n" }
            if let d = t.destination { out += " tunnel destination \(d)\n" }
            if let p = t.protectionProfile { out += " tunnel protection ipsec profile \(p)\n" }
        }
        if let m = i.cryptoMap { out += " crypto map \(m)\n" }
        return out
    }

    static func ace(_ e: AccessListEntry) -> String {
        let proto = e.protocolNumber.map { n in
            AccessListEntryParser.protocols.first(where: { $0.value == n })?.key ?? String(n)
        } ?? "ip"
        return "\(e.action.rawValue) \(proto) \(addr(e.source))\(ports(e.sourcePorts)) \(addr(e.destination))\(ports(e.destinationPorts))"
    }

    static func addr(_ p: IPPrefix) -> String {
        if p.length == 0 { return "any" }
        if p.length == 32 { return "host \(p.address)" }
        return "\(p.address) \(WildcardMask.wildcard(p.length))"
    }

    static func ports(_ m: AccessListEntry.PortMatch) -> String {
        switch m {
        case .any: ""
        case let .eq(p): " eq \(p)"
        case let .lt(p): " lt \(p)"
        case let .gt(p): " gt \(p)"
        case let .range(a, b): " range \(a) \(b)"
        }
    }
}
