import QFPCommandLanguage

/// IOS configuration commands that are valid on a router but that qfp does not model. A
/// configuration containing them loads; each is reported, never silently dropped.
///
/// Some families are partly modelled (`crypto isakmp policy` is, `crypto isakmp profile` is
/// not): a line is unmodelled only when the configuration language does not know the word
/// right after the family's prefix. A line that gets past that word is a modelled command and
/// its mistakes are errors (`crypto isakmp keepalive 5` is out of range, not "ignored").
enum UnsupportedIOS {
    /// First words (one to three) of such commands.
    static let prefixes: Set<String> = [
        "aaa", "archive", "banner", "boot", "boot-start-marker", "boot-end-marker", "call-home", "cdp",
        "clock", "control-plane", "crypto isakmp", "crypto ikev2", "crypto pki", "crypto keyring",
        "crypto logging", "diagnostic", "enable", "event", "event manager", "ip domain", "ip domain-name", "ip forward-protocol",
        "ip http", "ip name-server", "ip nat", "ip scp", "ip ssh", "ip tftp", "ip vrf", "ipv6 unicast-routing",
        "license", "line", "lldp", "logging", "login", "memory", "mpls", "multilink", "ntp", "platform",
        "redundancy", "router", "service", "snmp-server", "spanning-tree", "subscriber", "username", "version",
        "vrf", "track", "key", "policy-map", "class-map", "route-map", "prefix-list", "ip prefix-list",
        "ip sla", "virtual-service", "transceiver", "alias", "no service", "no aaa", "no ip domain", "no logging",
        "no crypto isakmp", "no crypto ikev2", "no event manager",
    ]

    /// The report for an unsupported line, or nil when qfp handles it (or it is not IOS at
    /// all). `global` is the global command table: a line it matches, or that it matches past
    /// the word after the longest listed prefix, is a modelled command.
    static func note(for line: String, global: CommandTree<ConfigHandler>) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard !words.isEmpty else { return nil }
        var depth = 0
        for n in 1...min(3, words.count) where prefixes.contains(words[0..<n].joined(separator: " ")) {
            depth = n
        }
        guard depth > 0 else { return nil }
        // How far the command table got: the index of the word it stopped at.
        let reached: Int
        switch global.match(line) {
        case .command, .empty, .failure(.ambiguous):
            return nil
        case let .failure(.invalid(column)):
            reached = wordIndex(atColumn: column, in: line)
        case .failure(.incomplete), .failure(.needsSubcommand):
            reached = words.count
        }
        guard reached <= depth else { return nil }
        return "% qfp: '\(line)' is IOS configuration that qfp does not model; ignored"
    }

    /// The index of the word that starts at `column` (the number of words before it).
    static func wordIndex(atColumn column: Int, in line: String) -> Int {
        var index = 0
        var inWord = false
        for (i, ch) in line.enumerated() {
            if i >= column { break }
            let space = ch == " " || ch == "\t"
            if !space && !inWord { index += 1 }
            inWord = !space
        }
        return index
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
        "qfp": "(qfp extension, not in IOS) qfp emulator settings",
        "qfp port": "Bind this interface to a port of the emulator",
        "port linux": "A Linux network device, opened with AF_PACKET by qfp run",
        "linux WORD": "Linux device name (at most 15 characters: letters, digits, '.', '-', '_')",
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
        "isakmp": "Configure ISAKMP policy",
        "isakmp policy": "Set policy for an ISAKMP protection suite",
        "isakmp key": "Set pre-shared key for remote peer",
        "invalid-spi-recovery": "Initiate IKE and send Invalid SPI Notify",
        "keepalive": "Set a keepalive interval for use with IOS peers",
        "periodic": "Send keepalives on regular basis",
        "on-demand": "Send keepalives on demand",
        "no-xauth": "Bypasses XAuth for this peer",
        "encryption": "Set encryption algorithm for protection suite",
        "hash": "Set hash algorithm for protection suite",
        "authentication": "Set authentication method for protection suite",
        "group": "Set the Diffie-Hellman group",
        "pre-share": "Pre-Shared Key",
        "rsa-sig": "Rivest-Shamir-Adleman Signature",
        "rsa-encr": "Rivest-Shamir-Adleman Encryption",
        "ikev2": "Configure IKEv2 server",
        "ikev2 proposal": "Define IKEV2 proposals",
        "ikev2 policy": "Define IKEV2 policies",
        "ikev2 keyring": "Define IKEv2 keyrings",
        "ikev2 profile": "Define IKEv2 Profiles",
        "integrity": "Specify integrity algorithms",
        "prf": "Specify pseudo-random function",
        "proposal": "Specify Proposal",
        "pre-shared-key": "pre-shared key",
        "identity": "Specify local identity",
        "keyring": "Keyring",
        "dpd": "Enable IKE liveness check for peers",
        "ikev2-profile": "Specify ikev2 profile",
        "client": "Configure a remote access client",
        "ezvpn": "Configure an Easy VPN Remote client",
        "connect": "Set connect type",
        "xauth": "Xauth parameters",
        "service": "Modify use of network based services",
        "timestamps": "Timestamp debug/log messages",
        "log": "Timestamp log messages",
        "debug": "Timestamp debug messages",
        "datetime": "Timestamp with date and time",
        "uptime": "Timestamp with system uptime",
        "msec": "Include milliseconds in timestamp",
        "localtime": "Use local time zone for timestamps",
        "show-timezone": "Add time zone information to timestamp",
        "year": "Include year in timestamp",
        "logging": "Modify message logging facilities",
        "buffered": "Set buffered logging parameters",
        "logging host": "Set syslog server IP address and parameters",
        "trap": "Set syslog server logging level",
        "event": "Event related configuration commands",
        "manager": "Event Manager configuration commands",
        "applet": "Register an Event Manager applet",
        "action": "Add or modify an action statement",
    ]
}
