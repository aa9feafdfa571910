import QFPCommandLanguage
import QFPDataplane

/// `interface` sub-mode commands (physical, loopback and tunnel interfaces).
enum InterfaceConfigCommands {
    static func register(_ t: CommandTree<ConfigHandler>) {
        t.add("description LINE", negatable: true) { e, p in
            try e.withInterface { i in i.description = p.isNegated ? nil : p.arguments[0] }
        }
        t.add("ip address A.B.C.D A.B.C.D") { e, p in
            let address = IPAddress(p.arguments[0])!
            guard let length = WildcardMask.prefixLength(netmask: IPAddress(p.arguments[1])!.ipv4), length > 0 else {
                throw ConfigError.message("% Bad mask 0x\(String(IPAddress(p.arguments[1])!.ipv4, radix: 16, uppercase: true)) for address \(p.arguments[0])")
            }
            try e.withInterface { i in i.ipv4 = InterfaceAddress(address: address, length: length) }
        }
        t.add("no ip address [A.B.C.D A.B.C.D]") { e, _ in
            try e.withInterface { i in i.ipv4 = nil }
        }
        t.add("ipv6 address WORD", negatable: true) { e, p in
            let parts = p.arguments[0].split(separator: "/")
            guard parts.count == 2, let a = IPAddress(String(parts[0])), !a.isIPv4, let n = Int(parts[1]), (1...128).contains(n) else {
                throw ConfigError.invalid(column: p.argumentColumns[0])
            }
            let prefix = InterfaceAddress(address: a, length: n)
            try e.withInterface { i in
                i.ipv6.removeAll { $0 == prefix }
                if !p.isNegated { i.ipv6.append(prefix) }
            }
        }
        t.add("ip mtu <68-9216>", negatable: true) { e, p in
            try e.withInterface { i in i.ipMTU = p.isNegated ? nil : Int(p.arguments[0]) }
        }
        t.add("crypto map WORD") { e, p in
            try e.withInterface { i in
                guard !i.isTunnel else { throw ConfigError.message("% Crypto maps cannot be applied to tunnel interfaces; use tunnel protection") }
                i.cryptoMap = p.arguments[0]
            }
        }
        t.add("no crypto map [WORD]") { e, _ in
            try e.withInterface { i in i.cryptoMap = nil }
        }
        t.add("crypto ipsec client ezvpn WORD [{outside | inside}]", negatable: true) { e, p in
            try e.withInterface { i in
                if p.isNegated {
                    // Removes the client from the interface (whichever side it was on).
                    if i.ezvpnName == p.arguments[0] { i.ezvpn = nil }
                } else {
                    i.ezvpn = (p.arguments[0], p.has("inside"))
                }
            }
        }
        // A qfp extension (IOS has no such command): the Linux device behind this interface.
        t.add("qfp port linux WORD", negatable: true) { e, p in
            if !p.isNegated, case let .interface(name) = e.mode,
               let other = e.configuration.orderedInterfaces.first(where: { $0.name != name && $0.linuxDevice == p.arguments[0] }) {
                throw ConfigError.message("% qfp: device \(p.arguments[0]) is already the port of \(other.name)")
            }
            try e.withInterface { i in
                guard i.portIndex != nil else {
                    throw ConfigError.message("% qfp: only GigabitEthernetN interfaces (N in 1-65535) can be ports; \(i.name) cannot")
                }
                if p.isNegated {
                    if i.linuxDevice == p.arguments[0] { i.linuxDevice = nil }
                    return
                }
                if let bad = LinuxDeviceName.invalidOffset(p.arguments[0]) {
                    throw ConfigError.invalid(column: p.argumentColumns[0] + bad)
                }
                i.linuxDevice = p.arguments[0]
            }
        }
        t.add("no qfp port linux") { e, _ in
            try e.withInterface { i in i.linuxDevice = nil }
        }
        t.add("shutdown", negatable: true) { e, p in
            try e.withInterface { i in i.shutdown = !p.isNegated }
        }
        t.add("tunnel source {A.B.C.D | WORD}", negatable: true) { e, p in
            try e.withTunnel(p) { tunnel in
                tunnel.sourceAddress = nil
                tunnel.sourceInterface = nil
                if p.isNegated { return }
                if let a = IPAddress(p.arguments[0]), a.isIPv4 {
                    tunnel.sourceAddress = a
                } else if let name = InterfaceName.canonical(p.arguments[0]) {
                    tunnel.sourceInterface = name
                } else {
                    throw ConfigError.invalid(column: p.argumentColumns[0])
                }
            }
        }
        t.add("tunnel destination {A.B.C.D | X:X:X:X::X}", negatable: true) { e, p in
            try e.withTunnel(p) { tunnel in tunnel.destination = p.isNegated ? nil : IPAddress(p.arguments[0]) }
        }
        t.add("tunnel mode {gre {ip | multipoint} | ipsec {ipv4 | ipv6}}", negatable: true) { e, p in
            try e.withTunnel(p) { tunnel in
                let words = p.keywords.drop { $0 != "mode" }.dropFirst().joined(separator: " ")
                tunnel.mode = p.isNegated ? .greIP : (TunnelConfiguration.Mode(rawValue: words) ?? .greIP)
            }
        }
        t.add("tunnel protection ipsec profile WORD", negatable: true) { e, p in
            try e.withTunnel(p) { tunnel in tunnel.protectionProfile = p.isNegated ? nil : p.arguments[0] }
        }
        t.add("ip nhrp map A.B.C.D A.B.C.D", negatable: true) { e, p in
            let m = NHRPMapping(tunnelAddress: IPAddress(p.arguments[0])!, nbmaAddress: IPAddress(p.arguments[1])!)
            try e.withTunnel(p) { tunnel in
                tunnel.nhrpMaps.removeAll { $0 == m }
                if !p.isNegated { tunnel.nhrpMaps.append(m) }
            }
        }
        t.add("ip nhrp network-id <1-4294967295>", negatable: true) { e, p in
            try e.withTunnel(p) { tunnel in tunnel.nhrpNetworkID = p.isNegated ? nil : Int(p.arguments[0]) }
        }
        t.add("ip nhrp nhs A.B.C.D", negatable: true) { e, p in
            let a = IPAddress(p.arguments[0])!
            try e.withTunnel(p) { tunnel in
                tunnel.nhrpServers.removeAll { $0 == a }
                if !p.isNegated { tunnel.nhrpServers.append(a) }
            }
        }
    }
}

extension ConfigEditor {
    /// The tunnel settings of the current interface; `tunnel`/`nhrp` lines on other
    /// interfaces are invalid input at their first word, as on IOS.
    mutating func withTunnel(_ p: ParsedCommand, _ body: (inout TunnelConfiguration) throws -> Void) throws {
        try withInterface { i in
            guard i.isTunnel else { throw ConfigError.invalid(column: p.isNegated ? 3 : 0) }
            try body(&i.tunnel)
        }
    }
}
