import Crypto
import QFPDataplane

/// Key derivation of the IKE model (cold path, control plane): the IKE SA's key-derivation key
/// (IKEv1 SKEYID_d, IKEv2 SK_d) and the child SAs' keying material, as RFC 2409 §5.5 and
/// RFC 7296 §2.14/§2.17 compute them, with HMAC-SHA256 as the prf.
///
/// What is emulated: there is no Diffie-Hellman. Where the RFCs feed the DH shared secret
/// (g^xy, g^ir) into the derivation, qfp feeds the pre-shared key of the peer (`crypto isakmp
/// key … address …`, or the IKEv2 keyring's `pre-shared-key`; empty when none is configured).
/// Everything else is as specified: fresh 32-byte nonces per exchange, the IKE SPIs (cookies),
/// the child SAs' SPIs and the prf/prf+ constructions, so each side that knows the key derives
/// the same keys from the same exchange, and every rekey gives new keys.
public enum IKEKeys {
    /// Length of every nonce the model generates (RFC 7296 §2.10: at least half the prf's key
    /// size, at least 16 bytes).
    public static let nonceLength = 32

    /// The prf: HMAC-SHA256 (IKEv1 `hash sha256` policies, IKEv2 `prf sha256`).
    public static func prf(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// RFC 7296 §2.13: prf+(K, S) = T1 | T2 | …, T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n),
    /// truncated to `count` bytes.
    public static func prfPlus(key: [UInt8], _ seed: [UInt8], count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var t: [UInt8] = []
        var n: UInt8 = 1
        while out.count < count {
            t = prf(key: key, t + seed + [n])
            out += t
            n &+= 1
        }
        return Array(out.prefix(count))
    }

    /// IKEv1 (RFC 2409 §5, pre-shared key authentication): SKEYID = prf(key, Ni_b | Nr_b),
    /// SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) — with g^xy left out (no DH here).
    public static func ikev1SKEYIDd(preSharedKey: [UInt8], initiatorNonce: [UInt8], responderNonce: [UInt8],
                                    initiatorCookie: UInt64, responderCookie: UInt64) -> [UInt8] {
        let skeyid = prf(key: preSharedKey, initiatorNonce + responderNonce)
        return prf(key: skeyid, bigEndian(initiatorCookie) + bigEndian(responderCookie) + [0])
    }

    /// IKEv2 (RFC 7296 §2.14): SKEYSEED = prf(Ni | Nr, g^ir) — the pre-shared key in place of
    /// g^ir — and SK_d, the first prf-length bytes of prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
    public static func ikev2SKd(preSharedKey: [UInt8], initiatorNonce: [UInt8], responderNonce: [UInt8],
                                initiatorSPI: UInt64, responderSPI: UInt64) -> [UInt8] {
        let skeyseed = prf(key: initiatorNonce + responderNonce, preSharedKey)
        return prfPlus(key: skeyseed, initiatorNonce + responderNonce + bigEndian(initiatorSPI) + bigEndian(responderSPI),
                       count: SHA256.byteCount)
    }

    /// IKEv1 quick mode without PFS (RFC 2409 §5.5): KEYMAT = K1 | K2 | …, K1 = prf(SKEYID_d,
    /// protocol | SPI | Ni_b | Nr_b), Kn = prf(SKEYID_d, Kn-1 | protocol | SPI | Ni_b | Nr_b),
    /// for the SA with `spi` (each direction its own: the SPI its receiver chose), protocol 3 (ESP).
    public static func ikev1KEYMAT(skeyidD: [UInt8], spi: UInt32, initiatorNonce: [UInt8], responderNonce: [UInt8],
                                   count: Int) -> [UInt8] {
        let seed = [espProtocol] + bigEndian(spi) + initiatorNonce + responderNonce
        var out: [UInt8] = []
        var k: [UInt8] = []
        while out.count < count {
            k = prf(key: skeyidD, k + seed)
            out += k
        }
        return Array(out.prefix(count))
    }

    /// IKEv2 child SA without PFS (RFC 7296 §2.17): KEYMAT = prf+(SK_d, Ni | Nr).
    public static func ikev2KEYMAT(skD: [UInt8], initiatorNonce: [UInt8], responderNonce: [UInt8], count: Int) -> [UInt8] {
        prfPlus(key: skD, initiatorNonce + responderNonce, count: count)
    }

    /// Splits keying material of one direction into `transform`'s keys: the encryption key
    /// first (for AES-GCM the AES key then the 4-byte salt, RFC 4106 §8.1), then the integrity
    /// key (RFC 7296 §2.17, RFC 2409 §5.5).
    public static func split(_ material: ArraySlice<UInt8>, _ transform: ESPTransform) -> ESPKeys {
        let c = transform.cipherKeyLength
        let a = transform.authenticatorKeyLength
        let start = material.startIndex
        return ESPKeys(cipher: Array(material[start ..< start + c]), authenticator: Array(material[start + c ..< start + c + a]))
    }

    /// Bytes of keying material one direction of `transform` takes.
    public static func materialLength(_ transform: ESPTransform) -> Int {
        transform.cipherKeyLength + transform.authenticatorKeyLength
    }

    /// IPsec DOI protocol id of ESP (RFC 2407 §4.4.1).
    static let espProtocol: UInt8 = 3

    static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
    static func bigEndian(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }

    /// `count` random bytes from the system generator (nonces).
    static func nonce<G: RandomNumberGenerator>(using g: inout G) -> [UInt8] {
        (0..<nonceLength).map { _ in UInt8.random(in: 0 ... 255, using: &g) }
    }
}

extension IKESA {
    /// This IKE SA's key-derivation key (IKEv1 SKEYID_d, IKEv2 SK_d) for a side that holds
    /// `preSharedKey`.
    public func derivationKey(preSharedKey: [UInt8]) -> [UInt8] {
        switch version {
        case .ikev1:
            IKEKeys.ikev1SKEYIDd(preSharedKey: preSharedKey, initiatorNonce: initiatorNonce, responderNonce: responderNonce,
                                 initiatorCookie: initiatorSPI, responderCookie: responderSPI)
        case .ikev2:
            IKEKeys.ikev2SKd(preSharedKey: preSharedKey, initiatorNonce: initiatorNonce, responderNonce: responderNonce,
                             initiatorSPI: initiatorSPI, responderSPI: responderSPI)
        }
    }
}

/// A child SA pair as an IKE exchange made it: its SPIs, the transform chosen from the
/// proposals, and the exchange's values the keys derive from. Both sides hold one (the router
/// and the emulated peer), each derives the keys with its own copy of the IKE SA's key.
public struct NegotiatedChildSA: Sendable, Equatable {
    public var version: IKEMessage.Version
    /// The router's inbound SPI (the peer sends with it) and outbound SPI (the peer's inbound).
    public var routerInboundSPI: UInt32
    public var routerOutboundSPI: UInt32
    public var transform: ESPTransform
    /// The transform set it came from (nil when the router had none to offer: ESP-NULL).
    public var transformSet: TransformSet?
    /// The nonces of the exchange that made it (IKEv1 quick mode; IKEv2 CREATE_CHILD_SA, or
    /// IKE_SA_INIT for the first child SA).
    public var initiatorNonce: [UInt8]
    public var responderNonce: [UInt8]
    /// Whether the router initiated that exchange.
    public var routerInitiated: Bool

    public init(version: IKEMessage.Version, routerInboundSPI: UInt32, routerOutboundSPI: UInt32, transform: ESPTransform,
                transformSet: TransformSet?, initiatorNonce: [UInt8], responderNonce: [UInt8], routerInitiated: Bool) {
        self.version = version
        self.routerInboundSPI = routerInboundSPI
        self.routerOutboundSPI = routerOutboundSPI
        self.transform = transform
        self.transformSet = transformSet
        self.initiatorNonce = initiatorNonce
        self.responderNonce = responderNonce
        self.routerInitiated = routerInitiated
    }

    /// The keys of the SA into the router (the peer seals with them) and of the SA out of it,
    /// from the IKE SA's key-derivation key. ESP-NULL has none.
    public func keys(derivationKey: [UInt8]) -> (routerInbound: ESPKeys, routerOutbound: ESPKeys) {
        guard transform != .null else { return (.none, .none) }
        let n = IKEKeys.materialLength(transform)
        switch version {
        case .ikev1:
            func direction(_ spi: UInt32) -> ESPKeys {
                IKEKeys.split(IKEKeys.ikev1KEYMAT(skeyidD: derivationKey, spi: spi, initiatorNonce: initiatorNonce,
                                                  responderNonce: responderNonce, count: n)[...], transform)
            }
            return (direction(routerInboundSPI), direction(routerOutboundSPI))
        case .ikev2:
            // Initiator-to-responder keys first, then responder-to-initiator.
            let material = IKEKeys.ikev2KEYMAT(skD: derivationKey, initiatorNonce: initiatorNonce,
                                                 responderNonce: responderNonce, count: 2 * n)
            let toResponder = IKEKeys.split(material[0 ..< n], transform)
            let toInitiator = IKEKeys.split(material[n ..< 2 * n], transform)
            return routerInitiated ? (toInitiator, toResponder) : (toResponder, toInitiator)
        }
    }

    /// The same child SA as the peer sees it, for `established` callbacks' convenience:
    /// what the peer sends with and receives on.
    public var peerSendsWith: UInt32 { routerInboundSPI }
    public var peerReceivesOn: UInt32 { routerOutboundSPI }
}

extension RouterConfiguration {
    /// The pre-shared key this router holds for `peer`: for IKEv2 the keyring of the profile
    /// that matches the peer, else (and for IKEv1) the most specific `crypto isakmp key`
    /// covering it. Empty when none is configured (the model then derives with an empty key).
    public func preSharedKey(for peer: IPAddress, version: IKEMessage.Version) -> [UInt8] {
        let c = control
        if version == .ikev2 {
            let keyrings = c.ikev2Profiles.values.sorted { $0.name < $1.name }
                .filter { $0.matchRemoteAddresses.contains { $0.contains(peer) } }.compactMap { $0.keyring }
                .compactMap { c.ikev2Keyrings[$0] } + c.ikev2Keyrings.values.sorted { $0.name < $1.name }
            for keyring in keyrings {
                let best = keyring.peers.filter { $0.address?.contains(peer) == true && $0.preSharedKey != nil }
                    .max { ($0.address?.length ?? 0) < ($1.address?.length ?? 0) }
                if let key = best?.preSharedKey { return Array(key.utf8) }
            }
        }
        let best = c.isakmpKeys.filter { key in
            guard let mask = key.mask else { return key.address == peer }
            return mask.isIPv4 && peer.isIPv4 && (mask.ipv4 & key.address.ipv4) == (mask.ipv4 & peer.ipv4)
        }.max { ($0.mask?.ipv4.nonzeroBitCount ?? 32) < ($1.mask?.ipv4.nonzeroBitCount ?? 32) }
        return best.map { Array($0.key.utf8) } ?? []
    }
}
