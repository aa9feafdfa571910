import QFPDataplane

/// Why no child SA could be agreed (phase 2 refused).
struct ProposalRefusal: Error {
    /// What the debug line says.
    var reason: String
}

extension IKEManager {
    /// The transform of a new child SA: the router offers (or accepts) the transform sets of
    /// the crypto map entry or IPsec profile that covers the flow, in their configured order;
    /// the peer proposes (or accepts) its own list (`IKEPeerEndpoint.proposals`). As responder
    /// the router takes the peer's most preferred transform it also has; as initiator the peer
    /// takes the router's most preferred one it has. A flow without any transform set (nothing
    /// configured to offer) keeps ESP-NULL, as before transforms were negotiated.
    func chooseTransform(_ flow: DataplanePlan.Flow?, peer: IPAddress,
                         routerInitiated: Bool) -> Result<(transform: ESPTransform, set: TransformSet?), ProposalRefusal> {
        let sets = flow?.proposals ?? []
        guard !sets.isEmpty else { return .success((.null, nil)) }
        let offered = sets.compactMap { set in set.espTransform.map { (transform: $0, set: Optional(set)) } }
        guard !offered.isEmpty else {
            let names = sets.map { "\($0.name) (\($0.transforms.joined(separator: " ")))" }.joined(separator: ", ")
            return .failure(ProposalRefusal(reason: "transform set \(names) is not implemented by the qfp data plane"))
        }
        guard let theirs = peers?.proposals(for: peer) else { return .success(offered[0]) }
        if routerInitiated {
            if let match = offered.first(where: { theirs.contains($0.transform) }) { return .success(match) }
        } else {
            for t in theirs {
                if let match = offered.first(where: { $0.transform == t }) { return .success(match) }
            }
        }
        let mine = offered.map { $0.transform.iosName }.joined(separator: ", ")
        let peerList = theirs.map(\.iosName).joined(separator: ", ")
        return .failure(ProposalRefusal(reason: "no common transform: router {\(mine)}, peer {\(peerList)}"))
    }

    /// Phase 2 fails: no child SA. The IKE SA, if this exchange made it, stays up (IKEv1 main
    /// mode and IKEv2 IKE_AUTH completed; RFC 7296 §1.2: a failed first child SA does not
    /// fail the IKE SA). IKEv1 logs the quick-mode failure as IOS does; the NO_PROPOSAL_CHOSEN
    /// notify (type 14) is what goes to the side that offered.
    func refuseChildSA(_ session: inout PeerSession, _ n: Negotiation, _ refusal: ProposalRefusal, now: UInt64) {
        counters.negotiationsFailed &+= 1
        counters.childSAProposalsRefused &+= 1
        let peer = session.address
        let id = session.ike?.connectionID ?? 0
        switch n.version {
        case .ikev1:
            if n.routerInitiated {
                debugISAKMP("ISAKMP: (\(id)):received NOTIFY PROPOSAL_NOT_CHOSEN protocol 3 from \(peer): \(refusal.reason)")
            } else {
                debugISAKMP("ISAKMP: (\(id)):atts not acceptable. Next payload is 0")
                debugISAKMP("ISAKMP: (\(id)):phase 2 SA policy not acceptable! (local \(session.local) remote \(peer)): \(refusal.reason)")
            }
            syslog.log("%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at \(peer)")
        case .ikev2:
            debugISAKMP("IKEv2-ERROR:(SESSION ID = \(id),SA ID = 1):: \(n.routerInitiated ? "Received" : "Sending") NO_PROPOSAL_CHOSEN notify; no child SA with \(peer): \(refusal.reason)")
        }
        peers?.established(peer: peer, ike: n.createsIKESA ? session.ike : nil, child: nil, purpose: n.purpose, usableAt: now)
        let pending = session.pendingDeletes
        session.pendingDeletes.removeAll()
        for spi in pending { notifyInvalidSPI(spi, session: &session, now: now) }
    }
}
