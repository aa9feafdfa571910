import Crypto
@testable import QFPControl
import QFPDataplane
import Testing

/// The IKE model's key derivation against the RFC constructions written out here step by step
/// with swift-crypto's HMAC (not through the model's prf/prf+ helpers).
@Suite("IKE key derivation: SKEYID_d / SK_d and child SA KEYMAT (RFC 2409 §5.5, RFC 7296 §2.17)")
struct IKEKeysTests {
    let psk = Array("cisco123".utf8)
    let ni = (0..<32).map { UInt8($0) }
    let nr = (0..<32).map { UInt8(0xA0 &+ $0) }
    let qmNi = (0..<32).map { UInt8(0x40 &+ 3 &* $0) }
    let qmNr = (0..<32).map { UInt8(0xF0 &- $0) }
    let cookieI: UInt64 = 0x0123_4567_89AB_CDEF
    let cookieR: UInt64 = 0xFEDC_BA98_7654_3210
    let routerInbound: UInt32 = 0x1234_5678
    let routerOutbound: UInt32 = 0x9ABC_DEF0

    func hmac(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    func ike(_ version: IKEMessage.Version) -> IKESA {
        var sa = IKESA(version: version, state: .qmIdle, established: true, initiatorSPI: cookieI, responderSPI: cookieR,
                       connectionID: 1001, local: IPAddress("192.0.2.1")!, remote: IPAddress("198.51.100.7")!,
                       routerInitiated: false, createdAt: 0, lifetimeSeconds: 86400)
        sa.initiatorNonce = ni
        sa.responderNonce = nr
        return sa
    }

    @Test("IKEv1: SKEYID, SKEYID_d and per-direction KEYMAT K1|K2 with each direction's SPI",
          arguments: [ESPTransform.aesCBC256SHA256, .aesGCM256, .aesCBC128SHA1, .aesGCM128])
    func ikev1(transform: ESPTransform) throws {
        // SKEYID = prf(pre-shared-key, Ni_b | Nr_b); SKEYID_d = prf(SKEYID, CKY-I | CKY-R | 0).
        let skeyid = hmac(psk, ni + nr)
        let cookies: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10]
        let skeyidD = hmac(skeyid, cookies + [0])
        #expect(ike(.ikev1).derivationKey(preSharedKey: psk) == skeyidD)

        // KEYMAT = K1 | K2, K1 = prf(SKEYID_d, protocol | SPI | Ni_b | Nr_b), K2 = prf(SKEYID_d, K1 | protocol | SPI | Ni_b | Nr_b).
        func keymat(_ spi: [UInt8]) -> [UInt8] {
            let k1 = hmac(skeyidD, [3] + spi + qmNi + qmNr)
            let k2 = hmac(skeyidD, k1 + [3] + spi + qmNi + qmNr)
            return k1 + k2
        }
        let inbound = keymat([0x12, 0x34, 0x56, 0x78])
        let outbound = keymat([0x9A, 0xBC, 0xDE, 0xF0])
        let c = transform.cipherKeyLength
        let a = transform.authenticatorKeyLength
        let child = NegotiatedChildSA(version: .ikev1, routerInboundSPI: routerInbound, routerOutboundSPI: routerOutbound,
                                      transform: transform, transformSet: nil, initiatorNonce: qmNi, responderNonce: qmNr,
                                      routerInitiated: false)
        let keys = child.keys(derivationKey: skeyidD)
        #expect(keys.routerInbound == ESPKeys(cipher: Array(inbound[0..<c]), authenticator: Array(inbound[c..<c + a])))
        #expect(keys.routerOutbound == ESPKeys(cipher: Array(outbound[0..<c]), authenticator: Array(outbound[c..<c + a])))
        // Lengths fit the data plane (AES-GCM: the AES key then the 4-byte salt).
        try transform.validate(keys.routerInbound)
        #expect(keys.routerInbound != keys.routerOutbound)
    }

    @Test("IKEv2: SKEYSEED, SK_d = prf+ first block, KEYMAT = prf+(SK_d, Ni | Nr), initiator-to-responder first",
          arguments: [ESPTransform.aesGCM256, .aesCBC256SHA256])
    func ikev2(transform: ESPTransform) throws {
        // SKEYSEED = prf(Ni | Nr, key); SK_d = T1 of prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
        let skeyseed = hmac(ni + nr, psk)
        let spis: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10]
        let skD = hmac(skeyseed, ni + nr + spis + [1])
        #expect(ike(.ikev2).derivationKey(preSharedKey: psk) == skD)

        // prf+(SK_d, Ni | Nr): T1 = prf(K, S | 1), Tn = prf(K, Tn-1 | S | n); 72 (GCM) or 128 (CBC) bytes.
        let t1 = hmac(skD, qmNi + qmNr + [1])
        let t2 = hmac(skD, t1 + qmNi + qmNr + [2])
        let t3 = hmac(skD, t2 + qmNi + qmNr + [3])
        let t4 = hmac(skD, t3 + qmNi + qmNr + [4])
        let material = t1 + t2 + t3 + t4
        let c = transform.cipherKeyLength
        let a = transform.authenticatorKeyLength
        let n = c + a
        let toResponder = ESPKeys(cipher: Array(material[0..<c]), authenticator: Array(material[c..<n]))
        let toInitiator = ESPKeys(cipher: Array(material[n..<n + c]), authenticator: Array(material[n + c..<2 * n]))
        for routerInitiated in [false, true] {
            let child = NegotiatedChildSA(version: .ikev2, routerInboundSPI: routerInbound, routerOutboundSPI: routerOutbound,
                                          transform: transform, transformSet: nil, initiatorNonce: qmNi, responderNonce: qmNr,
                                          routerInitiated: routerInitiated)
            let keys = child.keys(derivationKey: skD)
            // The router receives what is sent to it: responder-bound keys when the peer initiated.
            #expect(keys.routerInbound == (routerInitiated ? toInitiator : toResponder))
            #expect(keys.routerOutbound == (routerInitiated ? toResponder : toInitiator))
            try transform.validate(keys.routerOutbound)
        }
    }

    @Test("The pre-shared key matters, ESP-NULL has no keys, and the peer's mirrored IKE SA derives the same key")
    func properties() {
        let router = ike(.ikev1)
        #expect(router.derivationKey(preSharedKey: psk) != router.derivationKey(preSharedKey: Array("other".utf8)))
        #expect(router.mirrored.derivationKey(preSharedKey: psk) == router.derivationKey(preSharedKey: psk))
        let null = NegotiatedChildSA(version: .ikev1, routerInboundSPI: 1, routerOutboundSPI: 2, transform: .null, transformSet: nil,
                                     initiatorNonce: qmNi, responderNonce: qmNr, routerInitiated: true)
        #expect(null.keys(derivationKey: [1, 2, 3]) == (ESPKeys.none, ESPKeys.none))
    }

    @Test("The router's pre-shared key for a peer: the most specific crypto isakmp key, the IKEv2 keyring's")
    func preSharedKeyLookup() throws {
        let text = """
            crypto isakmp key wide address 0.0.0.0 0.0.0.0
            crypto isakmp key narrow address 198.51.100.0 255.255.255.0
            crypto ikev2 keyring KR
             peer P
              address 203.0.113.5
              pre-shared-key v2key
            !
            crypto ikev2 profile PR
             match identity remote address 203.0.113.5 255.255.255.255
             keyring local KR
            !
            end
            """
        guard case let .success(loaded) = ConfigurationLanguage.shared.load(text, source: "test") else {
            Issue.record("configuration did not load")
            return
        }
        let c = loaded.configuration
        #expect(c.preSharedKey(for: IPAddress("198.51.100.7")!, version: .ikev1) == Array("narrow".utf8))
        #expect(c.preSharedKey(for: IPAddress("192.0.2.9")!, version: .ikev1) == Array("wide".utf8))
        #expect(c.preSharedKey(for: IPAddress("203.0.113.5")!, version: .ikev2) == Array("v2key".utf8))
        #expect(RouterConfiguration().preSharedKey(for: IPAddress("192.0.2.9")!, version: .ikev1).isEmpty)
    }
}
