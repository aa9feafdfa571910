import QFPCommandLanguage
import QFPDataplane

/// Global configuration commands.
enum GlobalConfigCommands {
    static func register(_ t: CommandTree<ConfigHandler>) {
        t.add("hostname WORD", negatable: true) { e, p in
            if p.isNegated { e.configuration.hostname = "Router"; return }
            let name = p.arguments[0]
            guard name.first?.isLetter == true, name.count <= 63,
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw ConfigError.message("% Hostname contains one or more illegal characters.")
            }
            e.configuration.hostname = name
        }
        t.add("interface WORD", negatable: true) { e, p in
            guard let name = InterfaceName.canonical(p.arguments[0]) else { throw ConfigError.invalid(column: p.argumentColumns[0]) }
            if p.isNegated {
                guard name.hasPrefix("Tunnel") || name.hasPrefix("Loopback") else {
                    throw ConfigError.message("% Removal of physical interfaces is not permitted")
                }
                e.configuration.interfaces[name] = nil
                return
            }
            if e.configuration.interfaces[name] == nil {
                e.configuration.interfaces[name] = InterfaceConfiguration(name: name)
            }
            e.mode = .interface(name)
        }
        t.add("crypto ipsec transform-set WORD LINE") { e, p in
            let transforms = try TransformParser.parse(p.arguments[1], column: p.argumentColumns[1])
            let name = p.arguments[0]
            var set = e.configuration.transformSets[name] ?? TransformSet(name: name, transforms: transforms)
            set.transforms = transforms
            e.configuration.transformSets[name] = set
            e.mode = .transformSet(name)
        }
        t.add("no crypto ipsec transform-set WORD") { e, p in
            e.configuration.transformSets[p.arguments[0]] = nil
        }
        t.add("crypto ipsec profile WORD", negatable: true) { e, p in
            let name = p.arguments[0]
            if p.isNegated { e.configuration.ipsecProfiles[name] = nil; return }
            if e.configuration.ipsecProfiles[name] == nil { e.configuration.ipsecProfiles[name] = IPsecProfile(name: name) }
            e.mode = .ipsecProfile(name)
        }
        t.add("crypto map WORD <1-65535> {ipsec-isakmp | ipsec-manual}") { e, p in
            let name = p.arguments[0]
            let seq = Int(p.arguments[1])!
            let kind: CryptoMapEntry.Kind = p.has("ipsec-manual") ? .manual : .isakmp
            if let existing = e.configuration.cryptoMaps[name]?[seq], existing.kind != kind {
                throw ConfigError.message("% Cannot change an existing crypto map entry's type; remove it first (no crypto map \(name) \(seq))")
            }
            if e.configuration.cryptoMaps[name]?[seq] == nil {
                e.configuration.cryptoMaps[name, default: [:]][seq] = CryptoMapEntry(map: name, sequence: seq, kind: kind)
                if e.interactive {
                    e.notes.append(kind == .manual
                        ? "% NOTE: This new crypto map will remain disabled until a peer,\n        an access list and keys have been configured."
                        : "% NOTE: This new crypto map will remain disabled until a peer\n        and a valid access list have been configured.")
                }
            }
            e.mode = .cryptoMap(name, seq)
        }
        t.add("crypto map WORD <1-65535> ipsec-isakmp dynamic WORD") { e, p in
            let name = p.arguments[0]
            let seq = Int(p.arguments[1])!
            e.configuration.cryptoMaps[name, default: [:]][seq] = CryptoMapEntry(map: name, sequence: seq, kind: .dynamic(p.arguments[2]))
        }
        t.add("no crypto map WORD [<1-65535>]") { e, p in
            let name = p.arguments[0]
            if p.arguments.count > 1 {
                e.configuration.cryptoMaps[name]?[Int(p.arguments[1])!] = nil
                if e.configuration.cryptoMaps[name]?.isEmpty == true { e.configuration.cryptoMaps[name] = nil }
            } else {
                e.configuration.cryptoMaps[name] = nil
            }
        }
        t.add("crypto dynamic-map WORD <1-65535>", negatable: true) { e, p in
            let name = p.arguments[0]
            let seq = Int(p.arguments[1])!
            if p.isNegated {
                e.configuration.dynamicMaps[name]?[seq] = nil
                if e.configuration.dynamicMaps[name]?.isEmpty == true { e.configuration.dynamicMaps[name] = nil }
                return
            }
            if e.configuration.dynamicMaps[name]?[seq] == nil {
                e.configuration.dynamicMaps[name, default: [:]][seq] = CryptoMapEntry(map: name, sequence: seq, kind: .isakmp)
            }
            e.mode = .dynamicMap(name, seq)
        }
        t.add("crypto ipsec security-association lifetime {seconds <120-86400> | kilobytes <2560-4294967295>}", negatable: true) { e, p in
            if p.has("seconds") {
                e.configuration.lifetimeSeconds = p.isNegated ? RouterConfiguration.defaultLifetimeSeconds : Int(p.arguments[0])!
            } else {
                e.configuration.lifetimeKilobytes = p.isNegated ? RouterConfiguration.defaultLifetimeKilobytes : Int(p.arguments[0])!
            }
        }
        t.add("crypto ipsec security-association replay window-size <64-1024>", negatable: true) { e, p in
            if p.isNegated { e.configuration.replayWindow = RouterConfiguration.defaultReplayWindow; return }
            let n = Int(p.arguments[0])!
            guard [64, 128, 256, 512, 1024].contains(n) else { throw ConfigError.invalid(column: p.argumentColumns[0]) }
            e.configuration.replayWindow = n
        }
        t.add("access-list {<100-199> | <2000-2699>} LINE") { e, p in
            let name = p.arguments[0]
            var list = e.configuration.accessLists[name] ?? AccessList(name: name, isNumbered: true)
            let sequence = (list.entries.last?.sequence ?? 0) + 10
            list.entries.append(try AccessListEntryParser.parse(p.arguments[1], column: p.argumentColumns[1], sequence: sequence))
            e.configuration.accessLists[name] = list
        }
        t.add("access-list {<1-99> | <1300-1999>} LINE") { e, p in
            let name = p.arguments[0]
            var list = e.configuration.accessLists[name] ?? AccessList(name: name, isNumbered: true, isStandard: true)
            let sequence = (list.entries.last?.sequence ?? 0) + 10
            list.entries.append(try AccessListEntryParser.parseStandard(p.arguments[1], column: p.argumentColumns[1], sequence: sequence))
            e.configuration.accessLists[name] = list
        }
        t.add("no access-list {<1-99> | <1300-1999>}") { e, p in
            e.configuration.accessLists[p.arguments[0]] = nil
        }
        t.add("no access-list {<100-199> | <2000-2699>}") { e, p in
            e.configuration.accessLists[p.arguments[0]] = nil
        }
        t.add("ip access-list extended WORD", negatable: true) { e, p in
            let name = p.arguments[0]
            if p.isNegated { e.configuration.accessLists[name] = nil; return }
            if e.configuration.accessLists[name] == nil { e.configuration.accessLists[name] = AccessList(name: name, isNumbered: false) }
            e.mode = .accessList(name)
        }
        t.add("ip route A.B.C.D A.B.C.D {A.B.C.D | WORD}", negatable: true) { e, p in
            let network = IPAddress(p.arguments[0])!
            guard let length = WildcardMask.prefixLength(netmask: IPAddress(p.arguments[1])!.ipv4) else {
                throw ConfigError.invalid(column: p.argumentColumns[1])
            }
            guard network.masked(toPrefix: 96 + length) == network else {
                throw ConfigError.message("%Inconsistent address and mask")
            }
            var route = StaticRoute(prefix: IPPrefix(network, length: length)!)
            if let hop = IPAddress(p.arguments[2]), hop.isIPv4 {
                route.nextHop = hop
            } else {
                guard let name = InterfaceName.canonical(p.arguments[2]) else { throw ConfigError.invalid(column: p.argumentColumns[2]) }
                route.interface = name
            }
            e.configuration.staticRoutes.removeAll { $0 == route }
            if !p.isNegated { e.configuration.staticRoutes.append(route) }
        }
        IKEConfigCommands.registerGlobal(t)
        registerServiceAndLogging(t)
        AccessConfigCommands.register(t)
        EventManagerCommands.registerGlobal(t)
    }

    /// A syslog severity: a name or 0–7.
    static let severity = "{<0-7> | emergencies | alerts | critical | errors | warnings | notifications | informational | debugging}"

    /// `service timestamps …` and the modelled `logging …` lines.
    static func registerServiceAndLogging(_ t: CommandTree<ConfigHandler>) {
        t.add("service timestamps {log | debug} datetime [msec] [localtime] [show-timezone] [year]", negatable: true) { e, p in
            let stamps = p.isNegated ? ServiceTimestamps(enabled: false)
                : ServiceTimestamps(kind: .datetime, msec: p.has("msec"), localtime: p.has("localtime"),
                                    showTimezone: p.has("show-timezone"), year: p.has("year"))
            e.setTimestamps(stamps, log: p.has("log"))
        }
        t.add("service timestamps {log | debug} uptime", negatable: true) { e, p in
            let stamps = p.isNegated ? ServiceTimestamps(enabled: false)
                : ServiceTimestamps(kind: .uptime, msec: false)
            e.setTimestamps(stamps, log: p.has("log"))
        }
        // Bare `service timestamps [debug]` is `… uptime`, as on IOS.
        t.add("service timestamps [{log | debug}]", negatable: true) { e, p in
            let stamps = p.isNegated ? ServiceTimestamps(enabled: false)
                : ServiceTimestamps(kind: .uptime, msec: false)
            e.setTimestamps(stamps, log: p.has("log"))
        }
        t.add("logging buffered [<4096-2147483647>] [\(severity)]") { e, p in
            var logging = e.configuration.control.logging
            logging.bufferedDisabled = false
            logging.bufferedSize = p.arguments.compactMap { Int($0) }.first { $0 >= 4096 }
                ?? logging.bufferedSize ?? LoggingConfiguration.defaultBufferedSize
            logging.bufferedLevel = level(p) ?? .debugging
            e.configuration.control.logging = logging
        }
        t.add("no logging buffered [<4096-2147483647>] [\(severity)]") { e, _ in
            e.configuration.control.logging.bufferedDisabled = true
            e.configuration.control.logging.bufferedSize = nil
            e.configuration.control.logging.bufferedLevel = .debugging
        }
        t.add("logging [host] A.B.C.D [transport udp port <1-65535>]", negatable: true) { e, p in
            let address = try p.address(0)
            var port: UInt16 = 514
            if p.arguments.count > 1 { port = UInt16(try p.int(1)) }
            var hosts = e.configuration.control.logging.hosts
            hosts.removeAll { $0.address == address }
            if !p.isNegated { hosts.append(LoggingHost(address: address, port: port)) }
            e.configuration.control.logging.hosts = hosts
        }
        t.add("logging trap \(severity)", negatable: true) { e, p in
            e.configuration.control.logging.trapLevel = p.isNegated ? .informational : (level(p) ?? .informational)
        }
        t.add("no logging trap") { e, _ in e.configuration.control.logging.trapLevel = .informational }
    }

    /// The severity a `logging` line gives: a name keyword or a `<0-7>` number (the command
    /// table has told it from a buffer size, which is at least 4096).
    static func level(_ p: ParsedCommand) -> SyslogSeverity? {
        if let name = p.keywords.last, let s = SyslogSeverity(name: name) { return s }
        return p.arguments.compactMap { Int($0) }.first { $0 <= 7 }.flatMap { SyslogSeverity(rawValue: $0) }
    }
}

extension ConfigEditor {
    mutating func setTimestamps(_ stamps: ServiceTimestamps, log: Bool) {
        if log { configuration.control.timestampsLog = stamps } else { configuration.control.timestampsDebug = stamps }
    }
}

/// Transform lists of `crypto ipsec transform-set`.
enum TransformParser {
    /// Transform names IOS accepts, with the key sizes some take.
    static let known: [String: [String]] = [
        "esp-null": [], "esp-aes": ["128", "192", "256"], "esp-gcm": ["128", "192", "256"], "esp-gmac": ["128", "192", "256"],
        "esp-3des": [], "esp-des": [], "esp-seal": [], "esp-md5-hmac": [], "esp-sha-hmac": [], "esp-sha256-hmac": [],
        "esp-sha384-hmac": [], "esp-sha512-hmac": [], "ah-md5-hmac": [], "ah-sha-hmac": [], "ah-sha256-hmac": [],
        "comp-lzs": [],
    ]

    static func parse(_ text: String, column: Int) throws -> [String] {
        var words = AccessListEntryParser.splitWords(text, base: column)[...]
        var out: [String] = []
        while let (w, c) = words.popFirst() {
            let lower = w.lowercased()
            guard let sizes = known[lower] else { throw ConfigError.invalid(column: c) }
            if let next = words.first, sizes.contains(next.0) {
                out.append(lower + " " + next.0)
                words.removeFirst()
            } else {
                out.append(lower)
            }
        }
        return out
    }
}
