import QFPControl

/// `show crypto ipsec profile [NAME]` in the IOS XE layout of Genie's `ShowCryptoIpsecProfile`
/// golden (a device capture, 8-space indent): the IKEv2 profile, lifetime, responder-only, PFS,
/// mixed mode and transform sets of each profile, a blank line between profiles. IOS's built-in
/// `default` profile is not listed: qfp has none.
enum ShowCryptoIPsecProfile {
    static let indent = "        "

    static func render(_ s: IPsecProfilesSnapshot) -> String {
        s.profiles.map { p in
            var out = "IPSEC profile \(p.name)\n"
            if let ike = p.ikev2Profile { out += "\(indent)IKEv2 Profile: \(ike)\n" }
            out += "\(indent)Security association lifetime: \(p.lifetimeKilobytes) kilobytes/\(p.lifetimeSeconds) seconds\n"
            out += ShowCryptoMap.policyLines(indent: indent, pfsGroup: p.pfsGroup)
            return out + ShowCryptoMap.transformSetLines(indent: indent, p.transformSets)
        }.joined(separator: "\n")
    }

    static func snapshot(_ c: RouterConfiguration, only: String?) -> IPsecProfilesSnapshot {
        IPsecProfilesSnapshot(profiles: c.ipsecProfiles.values.filter { only == nil || $0.name == only }
            .sorted { $0.name < $1.name }
            .map { p in
                IPsecProfilesSnapshot.Profile(
                    name: p.name, ikev2Profile: p.ikev2Profile,
                    lifetimeKilobytes: p.lifetimeKilobytes ?? c.lifetimeKilobytes, lifetimeSeconds: p.lifetimeSeconds ?? c.lifetimeSeconds,
                    pfsGroup: p.pfsGroup,
                    transformSets: p.transformSets.map { .init(name: $0, transforms: TransformInfo(c.transformSets[$0]).showText) })
            })
    }
}

/// The profiles of `show crypto ipsec profile` (and its `| json`).
struct IPsecProfilesSnapshot: Sendable, Equatable, Codable {
    struct Profile: Sendable, Equatable, Codable {
        var name: String
        var ikev2Profile: String?
        var lifetimeKilobytes: Int
        var lifetimeSeconds: Int
        var pfsGroup: String?
        var transformSets: [CryptoMapSnapshot.TransformSetRef]

        enum CodingKeys: String, CodingKey {
            case name
            case ikev2Profile = "ikev2_profile"
            case lifetimeKilobytes = "lifetime_kilobytes"
            case lifetimeSeconds = "lifetime_seconds"
            case pfsGroup = "pfs_group"
            case transformSets = "transform_sets"
        }
    }

    var profiles: [IPsecProfilesSnapshot.Profile]
}
