import QFPControl
import QFPCrypto
import QFPDataplane

/// The remote peer of a scenario: its own view of the IKE SA and the SAs to the router, which
/// can fall out of step with the router's. It answers IKE, honours DELETE and INVALID_SPI
/// notifies, answers DPD, rekeys before its lifetime ends, and renegotiates when it has
/// traffic and no SA.
final class ScenarioPeer: IKEPeerEndpoint, @unchecked Sendable {
    let address: IPAddress
    let routerAddress: IPAddress
    let version: IKEMessage.Version
    unowned let world: ScenarioWorld

    /// Up and answering.
    var alive = true
    /// Whether it has traffic of its own to send to the router (a peer that came back from a
    /// reboot as a pure responder has none until the router reaches it).
    var sends = true
    /// The IKE SA it believes in.
    var ike: IKESA?
    /// The SPI it sends with (the router's inbound SPI) and from when.
    var outboundSPI: UInt32?
    var outboundUsableAt: UInt64 = 0
    /// SPIs it accepts from the router (the current one and, during a rekey overlap, the old).
    var inboundSPIs: [UInt32] = []
    /// Its IKE SA's key-derivation key, derived on its side from the exchange and its
    /// pre-shared key.
    var derivationKey: [UInt8] = []
    /// The transform and keys it seals with (its outbound SA), and those it opens the router's
    /// packets with, per SPI.
    var outboundTransform: ESPTransform = .null
    var outboundKeys: ESPKeys = .none
    var inboundKeys: [UInt32: (transform: ESPTransform, keys: ESPKeys)] = [:]
    /// Its SA's rekey time and expiry (it rekeys `rekeyLead` before the router would).
    var rekeyAt: UInt64 = .max
    var expiresAt: UInt64 = .max
    var negotiating = false
    var lastAttempt: UInt64 = 0
    var sequence: UInt32 = 0
    /// Messages it received from the router, decoded from the wire.
    var received: [IKEMessage] = []

    init(address: IPAddress, routerAddress: IPAddress, version: IKEMessage.Version, world: ScenarioWorld) {
        self.address = address
        self.routerAddress = routerAddress
        self.version = version
        self.world = world
    }

    var hasSA: Bool { outboundSPI != nil }

    // MARK: IKEPeerEndpoint

    func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool {
        guard address == self.address && alive else { return false }
        guard let ikeSA else { return true }
        return ike?.initiatorSPI == ikeSA.initiatorSPI && ike?.responderSPI == ikeSA.responderSPI
    }

    func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64) {
        guard alive else { return }
        var message = datagram.message
        if !wire.isEmpty {
            // The peer reads what the router put on the wire, as a real peer would.
            guard let parsed = try? IKEWire.parseDatagram(wire) else {
                world.note(time, "peer \(address): undecodable IKE message from the router dropped")
                return
            }
            message = parsed.message
        }
        received.append(message)
        guard let ike, ike.initiatorSPI == message.initiatorSPI, ike.responderSPI == message.responderSPI else {
            // No such IKE SA on this side (after a reboot): ignored, as IOS does.
            world.note(time, "peer \(address): IKE message for an IKE SA it does not have, ignored")
            return
        }
        switch message.body {
        case let .deleteESP(spis):
            if let spi = outboundSPI, spis.contains(spi) {
                world.note(time, "peer \(address): DELETE for SPI 0x\(hexSPI(spi)) received; deletes its stale SA")
                world.ended(by: .recovery, at: time)
                dropSA()
            } else {
                inboundSPIs.removeAll { spis.contains($0) }
            }
        case let .invalidSPI(spi):
            if outboundSPI == spi {
                world.note(time, "peer \(address): INVALID_SPI notify for SPI 0x\(hexSPI(spi)) received; deletes its stale SA")
                world.ended(by: .recovery, at: time)
                dropSA()
            }
        case let .dpdRequest(sequence):
            world.answer(from: self, .dpdResponse(sequence: sequence), messageID: message.messageID, at: time)
        case .dpdResponse:
            break
        case .deleteIKE:
            self.ike = nil
        }
    }

    func proposals(for peer: IPAddress) -> [ESPTransform]? { world.options.peerProposals }

    func established(peer: IPAddress, ike: IKESA?, child: NegotiatedChildSA?, purpose: NegotiationPurpose, usableAt: UInt64) {
        if let ike {
            let mine = ike.mirrored
            self.ike = mine
            derivationKey = mine.derivationKey(preSharedKey: world.preSharedKey)
        }
        guard let child else {
            if purpose == .recovery || !negotiating {
                world.note(usableAt, "peer \(address): new IKE SA with the router (phase 1 only)")
            } else {
                world.note(usableAt, "peer \(address): phase 2 refused: no transform in common with the router")
                negotiating = false
            }
            return
        }
        let routerInboundSPI = child.peerSendsWith
        let peerInboundSPI = child.peerReceivesOn
        negotiating = false
        if outboundSPI != nil && purpose == .rekey {
            world.note(world.clock.now(), "peer \(address): rekey done, now sends on SPI 0x\(hexSPI(routerInboundSPI))")
        }
        // The same keys the router derived, from the same exchange, on the peer's side.
        let keys = child.keys(derivationKey: derivationKey)
        outboundSPI = routerInboundSPI
        outboundUsableAt = usableAt
        outboundTransform = child.transform
        outboundKeys = keys.routerInbound
        inboundSPIs.append(peerInboundSPI)
        inboundKeys[peerInboundSPI] = (child.transform, keys.routerOutbound)
        if inboundSPIs.count > 2 { inboundSPIs.removeFirst(inboundSPIs.count - 2) }
        inboundKeys = inboundKeys.filter { inboundSPIs.contains($0.key) }
        sends = true
        let lifetime = world.lifetimeNanoseconds
        rekeyAt = usableAt &+ (lifetime > world.peerRekeyLead ? lifetime - world.peerRekeyLead : lifetime / 2)
        expiresAt = usableAt &+ lifetime
    }

    /// The ESP packet the peer sends next on its SA (sealed with its keys unless ESP-NULL).
    func packet(inner: [UInt8], spi: UInt32) -> [UInt8] {
        sequence &+= 1
        if outboundTransform == .null {
            return PacketBuilder.esp(source: address, destination: routerAddress, spi: spi, sequence: sequence, inner: inner)
        }
        // The keys' lengths come from the transform's own split: sealing cannot fail.
        return (try? PacketBuilder.protectedESP(source: address, destination: routerAddress, spi: spi, sequence: sequence,
                                                inner: inner, transform: outboundTransform, keys: outboundKeys)) ?? []
    }

    /// Whether the peer accepts an ESP packet from the router: an SPI it holds and, for a real
    /// transform, an ICV its keys verify (AEAD: and decrypt).
    func accepts(_ packet: [UInt8], spi: UInt32) -> (accepted: Bool, icvFailed: Bool) {
        guard inboundSPIs.contains(spi) else { return (false, false) }
        guard let (transform, keys) = inboundKeys[spi], transform != .null else { return (true, false) }
        let provider = SwiftCryptoProvider()
        guard let context = try? provider.makeContext(transform: transform, keys: keys) else { return (false, true) }
        defer { provider.releaseContext(context) }
        var copy = packet
        let ok = copy.withUnsafeMutableBytes { context.verify(packet: $0.baseAddress!, espStart: IPv4Header.minimumLength, end: $0.count) }
        return (ok, !ok)
    }

    // MARK: Behaviour

    func dropSA() {
        outboundSPI = nil
        inboundSPIs.removeAll()
        inboundKeys.removeAll()
        rekeyAt = .max
        expiresAt = .max
    }

    /// The peer reboots: everything is gone.
    func reboot() {
        dropSA()
        ike = nil
        negotiating = false
    }

    /// Lifetimes and (re)negotiation.
    func tick(_ now: UInt64) {
        guard alive else { return }
        if now >= expiresAt {
            world.note(now, "peer \(address): SA 0x\(hexSPI(outboundSPI ?? 0)) lifetime expired")
            world.ended(by: .lifetimeExpiry, at: now)
            dropSA()
        }
        let retry: UInt64 = 10_000_000_000
        if hasSA, now >= rekeyAt, !negotiating, now &- lastAttempt >= retry {
            lastAttempt = now
            if ike != nil && world.manager.peerInitiates(from: address, to: routerAddress, version: version, createsIKESA: false,
                                                          peerInboundSPI: world.freshSPI(), purpose: .rekey) {
                negotiating = true
            } else if ike != nil {
                // The router does not know this IKE SA (it lost it): the peer gives it up and
                // negotiates a new one when the SA expires or traffic needs it.
                world.note(now, "peer \(address): rekey refused (router has no such IKE SA); peer deletes its IKE SA")
                ike = nil
            }
        }
        if !hasSA, sends, !negotiating, now &- lastAttempt >= retry || lastAttempt == 0 {
            lastAttempt = now
            let full = ike == nil
            if world.manager.peerInitiates(from: address, to: routerAddress, version: version, createsIKESA: full,
                                           peerInboundSPI: world.freshSPI(), purpose: .peer) {
                negotiating = true
            } else if !full {
                ike = nil
            }
        }
        if negotiating && now &- lastAttempt > 60_000_000_000 { negotiating = false }
    }
}

func hexSPI(_ v: UInt32) -> String { String(v, radix: 16, uppercase: true) }
