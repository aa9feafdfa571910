import Foundation
import QFPCommandLanguage
import QFPDataplane

/// `username`, `enable secret`, `ip ssh listen` (a qfp line) and `login delay`.
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
