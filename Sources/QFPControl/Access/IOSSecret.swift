import Crypto
import _CryptoExtras

/// IOS type 9 secrets (`username … secret 9 $9$…`, `enable secret 9 …`): scrypt with N = 16384,
/// r = 1, p = 1 over a 14-character salt, the 32-byte result written in Cisco's base64 alphabet
/// (`./0-9A-Za-z`, no padding). Type 9 is what IOS XE itself stores for `secret`; a plaintext
/// `secret 0 TEXT` is hashed on entry, so no configuration, file or `show running-config` ever
/// holds a password in clear. Hashing costs about 16 MiB and tens of milliseconds: control
/// plane only (configuration and logins).
public enum IOSSecret {
    /// `$9$` + salt + `$` + hash.
    public static let prefix = "$9$"
    static let saltLength = 14
    static let hashLength = 43
    /// Cisco's base64 digits, in value order.
    static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Why a secret was refused.
    public enum SecretError: Error, Equatable, CustomStringConvertible {
        /// Not `$9$<14 salt characters>$<43 hash characters>`.
        case malformedType9(String)
        /// An empty plaintext secret.
        case empty
        public var description: String {
            switch self {
            case let .malformedType9(text): "'\(text)' is not a type 9 secret ($9$ + 14 salt characters + $ + 43 hash characters of ./0-9A-Za-z)"
            case .empty: "an empty secret"
            }
        }
    }

    /// The type 9 form of `password`, with a random salt unless one is given (tests).
    public static func hash(_ password: String, salt: String? = nil) throws -> String {
        guard !password.isEmpty else { throw SecretError.empty }
        let salt = salt ?? String(decoding: (0..<saltLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }, as: UTF8.self)
        return prefix + salt + "$" + digest(password, salt: salt)
    }

    /// Whether `password` is the one `stored` (a type 9 secret) was made from. Compares in
    /// constant time.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard isType9(stored) else { return false }
        let salt = String(stored.dropFirst(prefix.count).prefix(saltLength))
        let expected = Array(stored.utf8.suffix(hashLength))
        let actual = Array(digest(password, salt: salt).utf8)
        guard actual.count == expected.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<actual.count { difference |= actual[i] ^ expected[i] }
        return difference == 0
    }

    /// Whether `text` has the shape of a type 9 secret.
    public static func isType9(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == prefix.count + saltLength + 1 + hashLength, text.hasPrefix(prefix),
              bytes[prefix.count + saltLength] == UInt8(ascii: "$") else { return false }
        let digits = bytes[prefix.count..<(prefix.count + saltLength)] + bytes[(prefix.count + saltLength + 1)...]
        return digits.allSatisfy { alphabet.contains($0) }
    }

    /// Validates a type 9 secret given as is (`secret 9 …`).
    public static func checkType9(_ text: String) throws -> String {
        guard isType9(text) else { throw SecretError.malformedType9(text) }
        return text
    }

    static func digest(_ password: String, salt: String) -> String {
        // scrypt with these fixed parameters only fails if memory runs out.
        guard let key = try? KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: Array(salt.utf8), outputByteCount: 32,
                                                  rounds: 16384, blockSize: 1, parallelism: 1) else { return "" }
        return key.withUnsafeBytes { encode(Array($0)) }
    }

    /// Base64 with Cisco's alphabet and no padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            let count = min(3, bytes.count - i) + 1
            for k in 0..<count { out.append(alphabet[Int(group >> (18 - 6 * UInt32(k)) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
