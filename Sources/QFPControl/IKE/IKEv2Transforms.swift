import QFPDataplane

/// The IKE SA transforms `show crypto ikev2 sa` prints for an IKEv2 SA: the first transforms of
/// the first proposal of the IKEv2 policy matching the local address (`match address local`;
/// else a policy without a match, by name), as IOS picks its policy. Only the display is
/// affected: the emulated IKE SA itself is not encrypted (docs/control-plane.md).
struct IKEv2Transforms: Equatable {
    var encryption = "AES-CBC"
    var keySize = 256
    var prf = "SHA256"
    var hash = "SHA256"
    var group = 14

    /// Without a configured policy and proposal: AES-CBC 256, SHA256, group 14 (what qfp showed
    /// before proposals were read).
    init() {}

    init(configuration c: RouterConfiguration, local: IPAddress) {
        let policies = c.control.ikev2Policies.values.sorted { $0.name < $1.name }
        let policy = policies.first { $0.matchLocalAddresses.contains(local) }
            ?? policies.first { $0.matchLocalAddresses.isEmpty }
        guard let proposal = policy?.proposals.lazy.compactMap({ c.control.ikev2Proposals[$0] }).first else { return }
        if let e = proposal.encryption.first, let (name, bits) = Self.encryption(e) { (encryption, keySize) = (name, bits) }
        if let i = proposal.integrity.first { hash = Self.hash(i) }
        if let p = proposal.prf.first ?? proposal.integrity.first { prf = p.uppercased() }
        if encryption == "AES-GCM" && proposal.integrity.isEmpty { hash = "None" }
        if let g = proposal.groups.first { group = g }
    }

    /// `aes-cbc-256` → AES-CBC, 256; `aes-gcm-128` → AES-GCM, 128; `3des` → 3DES, 192.
    static func encryption(_ keyword: String) -> (String, Int)? {
        let k = keyword.lowercased()
        if k == "3des" { return ("3DES", 192) }
        let parts = k.split(separator: "-")
        guard parts.count == 3, parts[0] == "aes", let bits = Int(parts[2]) else { return nil }
        return ("AES-" + parts[1].uppercased(), bits)
    }

    /// IOS shows HMAC-SHA1 as `SHA96` (its truncated length), the others by name.
    static func hash(_ integrity: String) -> String {
        integrity.lowercased() == "sha1" ? "SHA96" : integrity.uppercased()
    }
}

/// The phase 1 transforms `show crypto isakmp sa detail` prints for an IKEv1 SA, in IOS's
/// short names: those of the ISAKMP policy with the lowest priority number (the one IOS offers
/// first and the emulated peers accept). Without a policy: `aes`, `sha256`, `psk`, group 14
/// [I: what qfp negotiates; IOS XE's built-in default policies are not modelled].
struct ISAKMPTransforms: Equatable {
    var encryption = "aes"
    var hash = "sha256"
    var authentication = "psk"
    var group = 14

    init(configuration c: RouterConfiguration) {
        guard let policy = c.control.isakmpPolicies.values.min(by: { $0.priority < $1.priority }) else { return }
        if let e = policy.encryption?.lowercased() {
            encryption = e.hasPrefix("aes") ? "aes" : e.hasPrefix("3des") ? "3des" : e.hasPrefix("des") ? "des" : String(e.prefix(4))
        }
        if let h = policy.hash?.lowercased() { hash = h == "sha1" ? "sha" : h }
        if let a = policy.authentication?.lowercased() {
            authentication = a.hasPrefix("pre") ? "psk" : a.hasPrefix("rsa-sig") ? "rsig" : a.hasPrefix("rsa-encr") ? "renc" : a
        }
        if let g = policy.group { group = g }
    }
}
