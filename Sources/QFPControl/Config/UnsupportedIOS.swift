/// IOS configuration commands that are valid on a router but that qfp does not model. A
/// configuration containing them loads; each is reported, never silently dropped.
enum UnsupportedIOS {
    /// First words (or first two words) of such commands.
    static let prefixes: [String] = [
        "aaa", "archive", "banner", "boot", "boot-start-marker", "boot-end-marker", "call-home", "cdp",
        "clock", "control-plane", "crypto isakmp", "crypto ikev2", "crypto pki", "crypto keyring",
        "crypto logging", "diagnostic", "enable", "event", "ip domain", "ip domain-name", "ip forward-protocol",
        "ip http", "ip name-server", "ip nat", "ip scp", "ip ssh", "ip tftp", "ip vrf", "ipv6 unicast-routing",
        "license", "line", "lldp", "logging", "login", "memory", "mpls", "multilink", "ntp", "platform",
        "redundancy", "router", "service", "snmp-server", "spanning-tree", "subscriber", "username", "version",
        "vrf", "track", "key", "policy-map", "class-map", "route-map", "prefix-list", "ip prefix-list",
        "ip sla", "virtual-service", "transceiver", "alias", "no service", "no aaa", "no ip domain", "no logging",
    ]

    /// The report for an unsupported line, or nil when qfp handles it (or it is not IOS at all).
    static func note(for line: String) -> String? {
        let words = line.split(separator: " ").prefix(2).map { $0.lowercased() }
        guard let first = words.first else { return nil }
        let two = words.count > 1 ? first + " " + words[1] : first
        guard prefixes.contains(first) || prefixes.contains(two) else { return nil }
        return "% qfp: '\(line)' is IOS configuration that qfp does not model; ignored"
    }
}

/// Help texts of configuration keywords (shown by `?` in configuration mode).
enum ConfigHelp {
    static let texts: [String: String] = [
        "hostname": "Set system's network name",
        "interface": "Select an interface to configure",
        "crypto": "Encryption module",
        "ipsec": "Configure IPSEC policy",
        "transform-set": "Define transform and settings",
        "profile": "Configure an ipsec policy profile",
        "map": "Enter a crypto map",
        "dynamic-map": "Specify a dynamic crypto map template",
        "security-association": "Security association parameters",
        "lifetime": "security association lifetime",
        "seconds": "Time-based key duration in seconds",
        "kilobytes": "Volume-based key duration",
        "replay": "Set replay checking.",
        "window-size": "Set replay window size.",
        "disable": "Disable replay checking.",
        "ipsec-isakmp": "IPSEC w/ISAKMP",
        "ipsec-manual": "IPSEC w/manual keying",
        "access-list": "Add an access list entry",
        "ip": "Global IP configuration subcommands",
        "ipv6": "IPv6 interface subcommands",
        "route": "Establish static routes",
        "extended": "Extended Access List",
        "permit": "Specify packets to forward",
        "deny": "Specify packets to reject",
        "remark": "Access list entry comment",
        "address": "Set the IP address of an interface",
        "description": "Interface specific description",
        "mtu": "Set IP Maximum Transmission Unit",
        "shutdown": "Shutdown the selected interface",
        "tunnel": "protocol-over-protocol tunneling",
        "source": "source of tunnel packets",
        "destination": "destination of tunnel",
        "mode": "tunnel encapsulation method",
        "protection": "Enable tunnel protection",
        "nhrp": "NHRP interface subcommands",
        "network-id": "NBMA network identifier",
        "nhs": "Next hop server",
        "set": "Set values for encryption/decryption",
        "peer": "Allowed Encryption/Decryption peer.",
        "match": "Match values.",
        "pfs": "Specify pfs settings",
        "session-key": "Specify a session key",
        "inbound": "Inbound session key",
        "outbound": "Outbound session key",
        "esp": "ESP key",
        "cipher": "ESP cipher key",
        "authenticator": "ESP authenticator key",
        "exit": "Exit from configure mode",
        "end": "Exit from configure mode",
        "no": "Negate a command or set its defaults",
        "transport": "transport (payload encapsulation).",
        "tunnel transport": "transport (payload encapsulation).",
        "mode tunnel": "tunnel (datagram encapsulation).",
        "mode transport": "transport (payload encapsulation).",
    ]
}
