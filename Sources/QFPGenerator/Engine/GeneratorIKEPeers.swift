import QFPControl
import QFPDataplane
import Synchronization

/// The traffic generator's emulated peers as IKE peers of the daemon's router.
///
/// Each peer with a running stream answers IKE, holds the IKE SA the router negotiated with it,
/// answers DPD, and reacts to the router's DELETE or INVALID_SPI notify the way a real peer
/// does. It drops the stale SA: the streams sending with that SPI stop. It negotiates new SAs
/// over the IKE SA. When the router has programmed them, the streams restart with the new SPI.
/// That is how invalid-SPI recovery ends a blackhole in `qfp run`.
///
/// The manager's callbacks queue work; `settle` (the manager between operations, on its
/// driving thread) carries it out.
public final class GeneratorIKEPeers: IKEPeerEndpoint, @unchecked Sendable {
    let generator: TrafficGenerator
    /// The pre-shared key each peer holds for the router (the peers are configured to match it).
    let preSharedKey: @Sendable (IPAddress, IKEMessage.Version) -> [UInt8]
    struct Peer {
        var ike: IKESA?
        /// Its IKE SA's key-derivation key (SKEYID_d / SK_d), derived on its side.
        var derivationKey: [UInt8] = []
        /// Streams stopped because their SA was deleted, waiting for new SAs.
        var waiting: [TrafficGenerator.StartedStream] = []
        var negotiating = false
    }
    enum Action {
        case negotiate(IPAddress, local: IPAddress, version: IKEMessage.Version)
        case restart(IPAddress, sa: TrafficProfile.SABelief, spi: UInt32)
        case answer(IKEDatagram)
    }
    let state = Mutex<(peers: [IPAddress: Peer], actions: [Action], log: [String])>(([:], [], []))
    var nextSPI: UInt32 = 0x6000_0000

    /// Peers of `generator`'s streams; `preSharedKey` gives the key a peer holds for the
    /// router (by default none: the empty key, as a router without `crypto isakmp key` uses).
    public init(generator: TrafficGenerator,
                preSharedKey: @escaping @Sendable (IPAddress, IKEMessage.Version) -> [UInt8] = { _, _ in [] }) {
        self.generator = generator
        self.preSharedKey = preSharedKey
    }

    /// What the peers did, oldest first (the daemon logs it).
    public func takeLog() -> [String] { state.withLock { s in defer { s.log.removeAll() }; return s.log } }

    public func answersIKE(_ address: IPAddress, over ikeSA: IKESA?) -> Bool {
        state.withLock { s in
            // A peer exists while it has streams, running or waiting for new SAs.
            guard generator.hasPeer(address) || s.peers[address]?.waiting.isEmpty == false else { return false }
            guard let ikeSA else { return true }
            return s.peers[address]?.ike.map { $0.initiatorSPI == ikeSA.initiatorSPI && $0.responderSPI == ikeSA.responderSPI } ?? false
        }
    }

    public func deliver(_ datagram: IKEDatagram, wire: [UInt8], at time: UInt64) {
        guard let parsed = try? IKEWire.parseDatagram(wire) else { return }
        let address = parsed.destination
        let m = parsed.message
        state.withLock { s in
            guard var peer = s.peers[address], let ike = peer.ike,
                  ike.initiatorSPI == m.initiatorSPI, ike.responderSPI == m.responderSPI else {
                s.log.append("peer \(address): IKE message for an IKE SA it does not hold, ignored")
                return
            }
            var stale: [UInt32] = []
            switch m.body {
            case let .deleteESP(spis): stale = spis
            case let .invalidSPI(spi): stale = [spi]
            case let .dpdRequest(sequence):
                let reply = ike.message(.dpdResponse(sequence: sequence), messageID: m.messageID, response: true)
                s.actions.append(.answer(IKEDatagram(source: address, destination: parsed.source, message: reply)))
            case .dpdResponse: break
            case .deleteIKE: peer.ike = nil
            }
            if !stale.isEmpty {
                let affected = generator.streams(ofPeer: address).filter { !Set($0.spis).isDisjoint(with: stale) }
                if !affected.isEmpty {
                    let names = affected.map(\.stream.name).joined(separator: ", ")
                    s.log.append("peer \(address): \(m.body.isDelete ? "DELETE" : "INVALID_SPI") for SPI "
                        + stale.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ")
                        + " received; stops \(names) and renegotiates")
                    _ = try? generator.stop(affected.map(\.stream.name))
                    peer.waiting += affected
                    if !peer.negotiating {
                        peer.negotiating = true
                        s.actions.append(.negotiate(address, local: parsed.source, version: ike.version))
                    }
                }
            }
            s.peers[address] = peer
        }
    }

    public func established(peer address: IPAddress, ike: IKESA?, child: NegotiatedChildSA?, purpose: NegotiationPurpose,
                            usableAt: UInt64) {
        let key = preSharedKey(address, ike?.version ?? child?.version ?? .ikev1)
        state.withLock { s in
            var peer = s.peers[address] ?? Peer()
            if let ike {
                peer.ike = ike.mirrored
                // The peer derives its own key from the exchange's nonces and SPIs.
                peer.derivationKey = peer.ike!.derivationKey(preSharedKey: key)
                s.log.append("peer \(address): IKE SA with the router established")
            }
            if let child {
                peer.negotiating = false
                let spi = child.peerSendsWith
                let sa: TrafficProfile.SABelief
                if child.transform == .null {
                    sa = .spi(spi)
                } else {
                    sa = .keyed(spi: spi, transform: child.transform, keys: child.keys(derivationKey: peer.derivationKey).routerInbound)
                }
                s.actions.append(.restart(address, sa: sa, spi: spi))
            } else if peer.negotiating && purpose != .recovery {
                peer.negotiating = false
                s.log.append("peer \(address): no child SA (no common transform with the router); its streams stay stopped")
            }
            s.peers[address] = peer
        }
    }

    public func settle(_ manager: IKEManager) {
        let actions = state.withLock { s in defer { s.actions.removeAll() }; return s.actions }
        for action in actions {
            switch action {
            case let .negotiate(address, local, version):
                nextSPI &+= 1
                if !manager.peerInitiates(from: address, to: local, version: version, createsIKESA: false, peerInboundSPI: nextSPI) {
                    state.withLock { s in s.peers[address]?.negotiating = false }
                }
            case let .restart(address, sa, spi):
                let waiting = state.withLock { s in
                    defer { s.peers[address]?.waiting.removeAll() }
                    return s.peers[address]?.waiting ?? []
                }
                for started in waiting {
                    do {
                        try generator.restart(started, sas: [sa])
                        state.withLock { $0.log.append("peer \(address): \(started.stream.name) restarts on SPI 0x\(String(spi, radix: 16, uppercase: true))") }
                    } catch {
                        state.withLock { $0.log.append("peer \(address): \(started.stream.name) not restarted: \(error)") }
                    }
                }
            case let .answer(datagram):
                manager.receive(datagram)
            }
        }
    }
}

extension IKEMessage.Body {
    var isDelete: Bool {
        if case .deleteESP = self { return true }
        return false
    }
}
