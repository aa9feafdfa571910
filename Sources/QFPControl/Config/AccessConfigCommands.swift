import Foundation
import QFPCommandLanguage
import QFPDataplane

/// `username`, `enable secret`, `ip ssh listen` (a qfp line), `ip ssh version|time-out|
/// authentication-retries`, the `login` enhancements (`delay`, `block-for`, `quiet-mode`,
/// `on-failure`, `on-success`) and `line` blocks.
enum AccessConfigCommands {
    /// Public-key algorithms the SSH server verifies (swift-nio-ssh has no RSA).
    static let keyTypes = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    static func register(_ t: CommandTree<ConfigHandler>) {
        t.add("username WORD [privilege <0-15>] secret LINE") { e, p in
            let name = p.arguments[0]
            let secret = try secretText(p.arguments.last!, column: p.argumentColumns.last!)
            var user = e.configuration.control.access.users[name] ?? UserAccount(name: name)
            user.secret = secret
            if let level = p.argument(after: "privilege") { user.privilege = Int(level)! }
            e.configuration.control.access.users[name] = user
        }
        t.add("username WORD [privilege <0-15>] password LINE") { _, _ in
            throw ConfigError.message("% qfp: 'username … password' keeps a reversible password; use 'username NAME secret 0 TEXT' (stored as a type 9 scrypt hash)")
        }
        t.add("username WORD privilege <0-15>") { e, p in
            let name = p.arguments[0]
            var user = e.configuration.control.access.users[name] ?? UserAccount(name: name)
            user.privilege = Int(p.arguments[1])!
            e.configuration.control.access.users[name] = user
        }
        t.add("username WORD [privilege <0-15>] ssh-key LINE", negatable: true) { e, p in
            let name = p.arguments[0]
            let key = try publicKey(p.arguments.last!, column: p.argumentColumns.last!)
            var user = e.configuration.control.access.users[name] ?? UserAccount(name: name)
            if let level = p.argument(after: "privilege"), !p.isNegated { user.privilege = Int(level)! }
            user.sshKeys.removeAll { $0 == key }
            if !p.isNegated { user.sshKeys.append(key) }
            e.configuration.control.access.users[name] = user
        }
        t.add("no username WORD") { e, p in
            e.configuration.control.access.users[p.arguments[0]] = nil
        }
        t.add("enable secret LINE") { e, p in
            e.configuration.control.access.enableSecret = try secretText(p.arguments[0], column: p.argumentColumns[0])
        }
        t.add("no enable secret [LINE]") { e, _ in
            e.configuration.control.access.enableSecret = nil
        }
        t.add("ip ssh listen {A.B.C.D | X:X:X:X::X} [port <1-65535>]", negatable: true) { e, p in
            if p.isNegated { e.configuration.control.access.sshListen = nil; return }
            let port = p.argument(after: "port").map { UInt16($0)! } ?? SSHListen.defaultPort
            e.configuration.control.access.sshListen = SSHListen(address: try p.address(0), port: port)
        }
        t.add("no ip ssh listen") { e, _ in e.configuration.control.access.sshListen = nil }
        t.add("login delay <1-10>", negatable: true) { e, p in
            e.configuration.control.access.loginDelay = p.isNegated ? AccessConfiguration.defaultLoginDelay : Int(p.arguments[0])!
        }
        t.add("no login delay") { e, _ in e.configuration.control.access.loginDelay = AccessConfiguration.defaultLoginDelay }

        // Login attacks (IOS "login enhancements").
        t.add("login block-for <1-65535> attempts <1-65535> within <1-65535>") { e, p in
            e.configuration.control.access.block = LoginBlock(seconds: Int(p.arguments[0])!, attempts: Int(p.arguments[1])!,
                                                              within: Int(p.arguments[2])!)
        }
        t.add("no login block-for [LINE]") { e, _ in e.configuration.control.access.block = nil }
        t.add("login quiet-mode access-class WORD", negatable: true) { e, p in
            e.configuration.control.access.quietModeAccessClass = p.isNegated ? nil : p.arguments[0]
        }
        t.add("no login quiet-mode access-class") { e, _ in e.configuration.control.access.quietModeAccessClass = nil }
        t.add("login on-failure log [every <1-65535>]", negatable: true) { e, p in
            e.configuration.control.access.logFailuresEvery = p.isNegated ? nil : Int(p.argument(after: "every") ?? "1")!
        }
        t.add("login on-success log [every <1-65535>]", negatable: true) { e, p in
            e.configuration.control.access.logSuccessesEvery = p.isNegated ? nil : Int(p.argument(after: "every") ?? "1")!
        }
        t.add("ip ssh version <1-2>", negatable: true) { e, p in
            if p.isNegated { e.configuration.control.access.sshVersion = nil; return }
            guard p.arguments[0] == "2" else {
                throw ConfigError.message("% qfp: the SSH server speaks version 2 only (swift-nio-ssh); 'ip ssh version 1' is not supported")
            }
            e.configuration.control.access.sshVersion = 2
        }
        t.add("no ip ssh version") { e, _ in e.configuration.control.access.sshVersion = nil }
        t.add("ip ssh time-out <1-120>", negatable: true) { e, p in
            e.configuration.control.access.sshTimeout = p.isNegated ? AccessConfiguration.defaultSSHTimeout : Int(p.arguments[0])!
        }
        t.add("no ip ssh time-out") { e, _ in e.configuration.control.access.sshTimeout = AccessConfiguration.defaultSSHTimeout }
        t.add("ip ssh authentication-retries <0-5>", negatable: true) { e, p in
            e.configuration.control.access.sshRetries = p.isNegated ? AccessConfiguration.defaultSSHRetries : Int(p.arguments[0])!
        }
        t.add("no ip ssh authentication-retries") { e, _ in
            e.configuration.control.access.sshRetries = AccessConfiguration.defaultSSHRetries
        }

        // Terminal lines.
        t.add("line {console | aux | vty} <0-1869> [<0-1869>]") { e, p in
            let kind: TerminalLines.Kind = p.has("vty") ? .vty : p.has("aux") ? .aux : .console
            let first = Int(p.arguments[0])!
            let last = p.arguments.count > 1 ? Int(p.arguments[1])! : first
            guard last >= first else { throw ConfigError.invalid(column: p.argumentColumns[1]) }
            if kind != .vty && (first != 0 || last != 0) {
                throw ConfigError.message("% qfp: there is one \(kind == .aux ? "auxiliary" : "console") line: line \(kind.rawValue) 0")
            }
            var access = e.configuration.control.access
            if !access.lines.contains(where: { $0.kind == kind && $0.range == first...last }) {
                // Kept in the order IOS lists them: console, aux, vty, each by first line.
                let block = TerminalLines(kind: kind, range: first...last)
                let at = access.lines.firstIndex { TerminalLines.listedBefore(block, $0) } ?? access.lines.count
                access.lines.insert(block, at: at)
                e.configuration.control.access = access
            }
            e.mode = .line(kind, first, last)
        }
    }

    /// Words `transport input|output` takes.
    static let transports: Set<String> = ["all", "none", "ssh", "telnet", "rlogin", "pad", "lat", "mop", "udptn", "v120", "lapb-ta"]

    /// The transports of `transport input|output` (each checked; `all` and `none` alone).
    static func transportWords(_ text: String, column: Int) throws -> [String] {
        var words: [String] = []
        var offset = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            defer { offset += word.count + 1 }
            if word.isEmpty { continue }
            let w = word.lowercased()
            guard transports.contains(w) else { throw ConfigError.invalid(column: column + offset) }
            words.append(w)
        }
        if words.count > 1 && (words.contains("all") || words.contains("none")) {
            throw ConfigError.message("% 'all' and 'none' stand alone in 'transport input'")
        }
        return words
    }

    /// The commands of a `line` block (`config-line`).
    static func registerLine(_ t: CommandTree<ConfigHandler>) {
        t.add("transport input LINE", negatable: true) { e, p in
            let words = p.isNegated ? nil : try transportWords(p.arguments[0], column: p.argumentColumns[0])
            try e.withLines { $0.transportInput = words }
        }
        t.add("no transport input") { e, _ in try e.withLines { $0.transportInput = nil } }
        t.add("transport output LINE", negatable: true) { e, p in
            let words = p.isNegated ? nil : try transportWords(p.arguments[0], column: p.argumentColumns[0])
            try e.withLines { $0.transportOutput = words }
        }
        t.add("no transport output") { e, _ in try e.withLines { $0.transportOutput = nil } }
        t.add("exec-timeout <0-35791> [<0-2147483>]") { e, p in
            let minutes = Int(p.arguments[0])!, seconds = p.arguments.count > 1 ? Int(p.arguments[1])! : 0
            try e.withLines { $0.execTimeout = LineSettings.ExecTimeout(minutes: minutes, seconds: seconds) }
        }
        t.add("no exec-timeout [LINE]") { e, _ in try e.withLines { $0.execTimeout = .iosDefault } }
        t.add("access-class WORD in [vrf-also]", negatable: true) { e, p in
            try e.withLines { $0.accessClass = p.isNegated ? nil : p.arguments[0] }
        }
        t.add("login [local]", negatable: true) { e, p in
            try e.withLines { $0.login = p.isNegated ? nil : (p.has("local") ? "local" : "") }
        }
        t.add("login authentication WORD") { e, p in
            try e.withLines { $0.login = "authentication \(p.arguments[0])" }
        }
        t.add("privilege level <0-15>", negatable: true) { e, p in
            try e.withLines { $0.privilegeLevel = p.isNegated ? nil : Int(p.arguments[0])! }
        }
        t.add("no privilege level") { e, _ in try e.withLines { $0.privilegeLevel = nil } }
        t.add("logging synchronous [LINE]", negatable: true) { e, p in
            try e.withLines { $0.loggingSynchronous = !p.isNegated }
        }
        t.add("length <0-512>", negatable: true) { e, p in
            try e.withLines { $0.length = p.isNegated ? nil : Int(p.arguments[0])! }
        }
        t.add("no length") { e, _ in try e.withLines { $0.length = nil } }
        t.add("width <0-512>", negatable: true) { e, p in
            try e.withLines { $0.width = p.isNegated ? nil : Int(p.arguments[0])! }
        }
        t.add("no width") { e, _ in try e.withLines { $0.width = nil } }
        t.add("session-timeout <0-35791>", negatable: true) { e, p in
            try e.withLines { $0.sessionTimeout = p.isNegated ? nil : Int(p.arguments[0])! }
        }
        t.add("no session-timeout") { e, _ in try e.withLines { $0.sessionTimeout = nil } }
        t.add("stopbits {1 | 2}", negatable: true) { e, p in
            try e.withLines { $0.stopbits = p.isNegated ? nil : (p.has("2") ? 2 : 1) }
        }
        // Line settings of hardening baselines that do not matter to an emulated vty: noted as
        // IOS that qfp does not model, as unmodelled global lines are, never an error.
        t.add("{history | escape-character | motd-banner | exec-banner | exec | speed | databits | flowcontrol | autocommand | absolute-timeout | ipv6 | vacant-message | session-limit | notify | login-string | activation-character | autoselect | modem | rotary | terminal-type | location | editing | full-help | refuse-message | timeout | autohangup | exec-character-bits | special-character-bits | international | monitor | domain-lookup} [LINE]",
              negatable: true) { e, p in
            let text = (p.isNegated ? "no " : "") + (p.keywords.first ?? "") + (p.arguments.first.map { " " + $0 } ?? "")
            e.notes.append("% qfp: '\(text)' is IOS configuration that qfp does not model; ignored")
        }
        t.add("transport preferred LINE", negatable: true) { e, p in
            e.notes.append("% qfp: '\(p.isNegated ? "no " : "")transport preferred \(p.arguments[0])' is IOS configuration that qfp does not model; ignored")
        }
        t.add("password LINE") { _, _ in
            throw ConfigError.message("% qfp: a line 'password' is a reversible shared password; use 'login local' with 'username NAME secret 0 TEXT' (stored as a type 9 scrypt hash)")
        }
    }

    /// The type 9 secret of a `secret` argument: `0 TEXT` or bare `TEXT` (hashed here),
    /// `9 $9$…` (kept). Types 5, 7 and 8 are refused: qfp keeps type 9 only.
    static func secretText(_ line: String, column: Int) throws -> String {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        let kind = words.count == 2 ? words[0] : nil
        switch kind {
        case "9":
            guard IOSSecret.isType9(words[1]) else {
                throw ConfigError.message("% Invalid encrypted secret: \(IOSSecret.SecretError.malformedType9(words[1]))")
            }
            return words[1]
        case "0":
            return try IOSSecret.hash(words[1])
        case "5", "7", "8":
            throw ConfigError.message("% qfp: secret type \(kind!) is not supported; give 'secret 0 TEXT' (hashed on entry) or 'secret 9 $9$…' (scrypt)")
        default:
            if IOSSecret.isType9(line) { return line }
            guard !line.contains(" ") else { throw ConfigError.invalid(column: column + (line.firstIndex(of: " ").map { line.distance(from: line.startIndex, to: $0) + 1 } ?? 0)) }
            return try IOSSecret.hash(line)
        }
    }

    /// An OpenSSH public key line (`TYPE BASE64 [comment]`), checked: a known type whose
    /// base64 blob starts with that type's name. Returns `TYPE BASE64` (the comment dropped).
    static func publicKey(_ line: String, column: Int) throws -> String {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 2, keyTypes.contains(words[0]) else {
            throw ConfigError.message("% qfp: ssh-key needs 'TYPE BASE64' with TYPE one of \(keyTypes.joined(separator: ", ")) (as in an authorized_keys line)")
        }
        guard let blob = Data(base64Encoded: words[1]), blob.count > 4 else {
            throw ConfigError.message("% qfp: ssh-key: '\(words[1].prefix(20))…' is not base64")
        }
        let bytes = [UInt8](blob)
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length == words[0].utf8.count, bytes.count >= 4 + length,
              String(decoding: bytes[4..<(4 + length)], as: UTF8.self) == words[0] else {
            throw ConfigError.message("% qfp: ssh-key: the key data is not a \(words[0]) key")
        }
        return words[0] + " " + words[1]
    }
}
