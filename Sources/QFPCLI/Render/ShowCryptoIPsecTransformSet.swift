import QFPControl

/// `show crypto ipsec transform-set [tag NAME]` in the IOS XE layout (public IOS XE 16/17
/// transcripts that kept their trailing spaces): `Transform set NAME: { esp-256-aes
/// esp-sha256-hmac  } `, then `   will negotiate = { Tunnel,  }, ` and a blank line. IOS's
/// built-in `default` set is not listed: qfp has no built-in sets.
enum ShowCryptoIPsecTransformSet {
    static func render(_ s: TransformSetsSnapshot) -> String {
        s.transformSets.map { t in
            "Transform set \(t.name): { \(t.transforms)  } \n   will negotiate = { \(t.mode),  }, \n\n"
        }.joined()
    }

    static func snapshot(_ c: RouterConfiguration, only: String?) -> TransformSetsSnapshot {
        TransformSetsSnapshot(transformSets: c.transformSets.values.filter { only == nil || $0.name == only }
            .sorted { $0.name < $1.name }
            .map { .init(name: $0.name, transforms: TransformInfo($0).showText, mode: $0.mode == .tunnel ? "Tunnel" : "Transport") })
    }
}

/// The sets of `show crypto ipsec transform-set` (and its `| json`).
struct TransformSetsSnapshot: Sendable, Equatable, Codable {
    struct Set: Sendable, Equatable, Codable {
        var name: String
        /// As IOS shows them: `esp-256-aes esp-sha256-hmac`.
        var transforms: String
        /// `Tunnel`, `Transport`.
        var mode: String
    }

    var transformSets: [Set]

    enum CodingKeys: String, CodingKey { case transformSets = "transform_sets" }
}
