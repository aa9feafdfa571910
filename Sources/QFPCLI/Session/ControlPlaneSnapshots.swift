import Foundation
import QFPControl
import QFPDataplane

/// Builds the show commands' snapshots from the control plane, each from one read of the
/// counters it needs, so the numbers within one output agree.
enum ControlPlaneSnapshots {
    // MARK: show crypto ipsec sa

    static func ipsecSA(_ cp: ControlPlane, peer: IPAddress?) -> CryptoIPsecSASnapshot {
        let router = cp.router
        let plan = router.plan
        let configuration = router.configuration
        var interfaces: [CryptoIPsecSASnapshot.Interface] = []
        // Configured flows, then the peers only IKE knows (dynamic crypto map, dynamic NHRP).
        for flow in plan.flows + router.dynamicFlows where peer == nil || flow.peer == peer {
            let snapshot = flowSnapshot(flow, cp, configuration)
            if let last = interfaces.last, last.name == flow.interface, last.cryptoMapTag == flow.cryptoMapTag {
                interfaces[interfaces.count - 1].flows.append(snapshot)
            } else {
                interfaces.append(.init(name: flow.interface, cryptoMapTag: flow.cryptoMapTag,
                                        localAddress: flow.localAddress.description, flows: [snapshot]))
            }
        }
        return CryptoIPsecSASnapshot(interfaces: interfaces)
    }

    static func flowSnapshot(_ flow: DataplanePlan.Flow, _ cp: ControlPlane, _ c: RouterConfiguration) -> IPsecFlowSnapshot {
        let (inbound, outbound) = cp.router.installedSAs(flow: flow.bindingKey)
        let counters = flowCounters(inbound: inbound, outbound: outbound, cp)

        // What the SAs were installed with (IKE may choose another of the entry's sets than the
        // first); the flow's first set when it has none.
        let flowSet = outbound?.transformSet ?? inbound.last?.transformSet ?? flow.transformSet
        let info = TransformInfo(flowSet)
        let tunnel = (flowSet?.mode ?? .tunnel) == .tunnel
        let mtu = c.interfaces[flow.interface]?.ipMTU ?? 1500
        let plaintext = mtu - info.overhead(tunnel: tunnel)
        let mtuInterface = c.interfaces[flow.interface]?.isTunnel == true
            ? (c.interfaces[flow.interface]?.tunnel.sourceInterface ?? flow.interface) : flow.interface
        func sa(_ installed: Router.InstalledSA) -> IPsecSASnapshot {
            let age = (cp.clock.now() &- installed.installedAt) / 1_000_000_000
            let set = installed.transformSet ?? flowSet
            let info = TransformInfo(set)
            return IPsecSASnapshot(
                spi: installed.spi, transform: info.showText, mode: (set?.mode ?? .tunnel) == .tunnel ? .tunnel : .transport,
                connectionID: installed.connectionID, flowID: "SW:\(installed.connectionID - 2000)",
                siblingFlags: 0xFFFF_FFFF_8000_0048, cryptoMap: flow.mapName ?? flow.cryptoMapTag,
                remainingKilobytes: UInt64(flow.lifetimeKilobytes),
                remainingSeconds: UInt64(flow.lifetimeSeconds) > age ? UInt64(flow.lifetimeSeconds) - age : 0,
                ivSizeBytes: info.ivSize, replayDetection: flow.replayWindow != nil,
                // IOS names the window only when it is not the default 64 [I, from captures].
                replayWindowSize: flow.replayWindow.flatMap { $0 == 64 ? nil : $0 })
        }
        return IPsecFlowSnapshot(
            localIdentity: selector(flow.localIdentity, flow.protocolNumber, flow.localPort),
            remoteIdentity: selector(flow.remoteIdentity, flow.protocolNumber, flow.remotePort),
            currentPeer: flow.peer?.description ?? "0.0.0.0", counters: counters,
            localEndpoint: flow.localAddress.description, remoteEndpoint: flow.peer?.description ?? "0.0.0.0",
            plaintextMTU: plaintext, pathMTU: mtu, ipMTU: mtu, ipMTUInterface: mtuInterface,
            currentOutboundSPI: outbound?.spi ?? 0, pfs: flow.pfsGroup != nil, dhGroup: flow.pfsGroup,
            inboundESP: inbound.map(sa), outboundESP: outbound.map { [sa($0)] } ?? [])
    }

    /// The `#pkts` counters of one flow, summed from its SAs' data-plane counters (shared by
    /// `show crypto ipsec sa` and `show crypto session detail`, so the two always agree).
    static func flowCounters(inbound: [Router.InstalledSA], outbound: Router.InstalledSA?, _ cp: ControlPlane) -> IPsecFlowCounters {
        let control = cp.router.dataplane
        var counters = IPsecFlowCounters()
        for sa in inbound {
            guard case let .inbound(h) = sa.handle, let c = control.counters(h) else { continue }
            counters.decaps &+= c[.decapsulatedPackets]
            counters.replayFailedReceive &+= c[.replayDuplicates] &+ c[.replayTooOld]
            counters.verifyFailed &+= c[.integrityFailures]
            counters.invalidLengthReceive &+= c[.paddingErrors]
            counters.invalidProtocolReceive &+= c[.nextHeaderErrors]
            counters.invalidSAReceive &+= c[.hardExpiryDrops]
        }
        if let sa = outbound, case let .outbound(h) = sa.handle, let c = control.counters(h) {
            counters.encaps = c[.encapsulatedPackets]
            counters.replayRolloverSend = c[.sequenceOverflowDrops]
            counters.encapsFailedSend = c[.hardExpiryDrops]
        }
        counters.encrypt = counters.encaps
        counters.digest = counters.encaps
        counters.decrypt = counters.decaps
        counters.verify = counters.decaps
        counters.receiveErrors = counters.replayFailedReceive &+ counters.verifyFailed &+ counters.invalidLengthReceive
            &+ counters.invalidProtocolReceive &+ counters.invalidSAReceive
        counters.sendErrors = counters.replayRolloverSend &+ counters.encapsFailedSend
        return counters
    }

    static func selector(_ p: IPPrefix, _ proto: UInt8, _ port: UInt16) -> IPsecTrafficSelector {
        if p.isIPv4 {
            return IPsecTrafficSelector(address: p.address.description, mask: WildcardMask.netmask(p.length).description,
                                        ipProtocol: proto, port: port)
        }
        return IPsecTrafficSelector(address: p.address.description, mask: String(p.length), ipProtocol: proto, port: port)
    }

    // MARK: IKE and sessions

    /// The IKE model's IKEv1 SAs.
    static func isakmpSA(_ cp: ControlPlane) -> CryptoISAKMPSASnapshot { CryptoISAKMPSASnapshot(sas: cp.ike.snapshot.isakmp) }
    /// The IKE model's IKEv2 SAs.
    static func ikev2SA(_ cp: ControlPlane) -> CryptoIKEv2SASnapshot { CryptoIKEv2SASnapshot(sas: cp.ike.snapshot.ikev2) }

    /// One session per peer of an interface: UP-ACTIVE with an IKE SA and IPsec SAs,
    /// UP-NO-IKE when its SAs are installed without IKE (manual keying, or the IKE SA is gone),
    /// UP-IDLE with an IKE SA and no IPsec SA, DOWN with neither.
    static func sessions(_ cp: ControlPlane) -> CryptoSessionTableSnapshot {
        let plan = cp.router.plan
        let ike = cp.ike.snapshot.sessions
        var sessions: [CryptoSessionSnapshot] = []
        var index: [String: Int] = [:]
        for flow in plan.flows {
            guard let peer = flow.peer else { continue }
            let key = "\(flow.interface) \(peer)"
            let (inbound, outbound) = cp.router.installedSAs(flow: flow.bindingKey)
            let c = flowCounters(inbound: inbound, outbound: outbound, cp)
            let installedAt = (inbound.map(\.installedAt) + (outbound.map { [$0.installedAt] } ?? [])).min()
            let age = installedAt.map { (cp.clock.now() &- $0) / 1_000_000_000 } ?? 0
            let remaining = UInt64(flow.lifetimeSeconds) > age ? UInt64(flow.lifetimeSeconds) - age : 0
            // A flow without SAs has no lifetime left: IOS prints `life (KB/Sec) 0/0` [I].
            let hasSAs = !inbound.isEmpty || outbound != nil
            let kilobytes = hasSAs ? UInt64(flow.lifetimeKilobytes) : 0
            let seconds = hasSAs ? remaining : 0
            let ipsecFlow = CryptoSessionSnapshot.IPsecFlow(
                text: "permit \(protocolText(flow.protocolNumber, ipv4: flow.localIdentity.isIPv4)) "
                    + "\(address(flow.localIdentity)) \(address(flow.remoteIdentity))",
                activeSAs: inbound.count + (outbound == nil ? 0 : 1),
                inbound: .init(packets: c.decaps, drops: c.receiveErrors, remainingKilobytes: kilobytes, remainingSeconds: seconds),
                outbound: .init(packets: c.encaps, drops: c.sendErrors, remainingKilobytes: kilobytes, remainingSeconds: seconds))
            let ikeSA = ike[peer]
            let status: CryptoSessionSnapshot.Status = hasSAs ? (ikeSA == nil ? .upNoIKE : .upActive) : (ikeSA == nil ? .down : .upIdle)
            if let i = index[key] {
                sessions[i].ipsecFlows.append(ipsecFlow)
                if hasSAs { sessions[i].status = status }
            } else {
                index[key] = sessions.count
                sessions.append(CryptoSessionSnapshot(
                    interface: flow.interface, uptimeSeconds: age, status: status,
                    // Phase1_id is the peer's IKE identity; without an IKE SA there is none.
                    peer: peer.description, phase1ID: ikeSA == nil ? "(none)" : peer.description, sessionID: sessions.count,
                    ikeSAs: ikeSA.map { [$0] } ?? [], ipsecFlows: [ipsecFlow]))
            }
        }
        return CryptoSessionTableSnapshot(sessions: sessions)
    }

    static func protocolText(_ p: UInt8, ipv4: Bool) -> String {
        p == 0 ? (ipv4 ? "ip" : "ipv6") : String(p)
    }

    static func address(_ p: IPPrefix) -> String {
        if p.isIPv4 && p.length == 32 { return "host \(p.address)" }
        return p.isIPv4 ? "\(p.address)/\(WildcardMask.netmask(p.length))" : "\(p.address)/\(p.length)"
    }

    // MARK: Platform

    static func dropHistory(_ cp: ControlPlane) -> DropHistorySnapshot {
        let w = cp.dropHistory.windows()
        let rows = GlobalDropCause.allCases.compactMap { cause -> DropHistorySnapshot.Row? in
            let row = DropHistorySnapshot.Row(
                name: cause.rawValue, oneMinute: w.oneMinute.packets(cause), fiveMinutes: w.fiveMinutes.packets(cause),
                thirtyMinutes: w.thirtyMinutes.packets(cause), all: w.all.packets(cause))
            return row.all == 0 && row.thirtyMinutes == 0 ? nil : row
        }
        guard let cleared = w.lastClear else { return DropHistorySnapshot(rows: rows) }
        let seconds = (cp.clock.now() &- cleared) / 1_000_000_000
        let date = Date(timeIntervalSince1970: cp.wallClock.secondsSince1970() - Double(seconds))
        return DropHistorySnapshot(lastClearing: IOSDate.long(date), secondsSinceClearing: seconds, rows: rows)
    }

    static func utilization(_ cp: ControlPlane) -> DatapathUtilizationSnapshot {
        typealias S = DatapathUtilizationSnapshot
        let subdevices = cp.utilization.utilization().map { u -> S.Subdevice in
            func intervals(_ f: (UtilizationMonitor.Rates) -> UInt64) -> S.Intervals {
                S.Intervals(fiveSeconds: f(u.fiveSeconds), oneMinute: f(u.oneMinute),
                            fiveMinutes: f(u.fiveMinutes), sixtyMinutes: f(u.sixtyMinutes))
            }
            return S.Subdevice(
                subdevice: u.worker,
                input: S.Direction(nonPriorityPPS: intervals(\.inputPackets), nonPriorityBPS: intervals(\.inputBits)),
                output: S.Direction(nonPriorityPPS: intervals(\.outputPackets), nonPriorityBPS: intervals(\.outputBits)),
                processingLoad: intervals { UInt64($0.loadPercent) })
        }
        return S(subdevices: subdevices)
    }

    /// `... feature ipsec sa ID`: ID is the SA's connection id (as `show crypto ipsec sa`
    /// prints it).
    static func qfpSA(_ cp: ControlPlane, id: Int) -> QFPIPsecSASnapshot? {
        let router = cp.router
        for flow in router.plan.flows {
            let (inbound, outbound) = router.installedSAs(flow: flow.bindingKey)
            for sa in inbound + (outbound.map { [$0] } ?? []) where sa.connectionID == id {
                let ingress: Bool
                if case .inbound = sa.handle { ingress = true } else { ingress = false }
                let tunnel = (flow.transformSet?.mode ?? .tunnel) == .tunnel
                let info = TransformInfo(flow.transformSet)
                let mtu = UInt32(1500 - info.overhead(tunnel: tunnel))
                // qfp's flag word: bit 0 valid, 1 replay check, 2 egress, 3 tunnel mode.
                let flags = UInt32(1) | (flow.replayWindow != nil && ingress ? 2 : 0) | (ingress ? 0 : 4) | (tunnel ? 8 : 0)
                return QFPIPsecSASnapshot(
                    qfpSAID: id, palSAID: id, spID: Int(flow.mapSequence), spi: sa.spi,
                    cryptoContext: 0x0000_FFFF_0000_0000 | UInt64(id), flags: flags,
                    source: flow.manual ? "MANUAL" : "IKE", replayCheck: ingress && flow.replayWindow != nil,
                    mode: ingress ? "Receive-only" : "Active", direction: ingress ? .ingress : .egress,
                    fragType: ingress ? "BEFORE_ENCRYPT" : "AFTER_ENCRYPT", mtu: ingress ? 0 : mtu,
                    mtuAdjusted: ingress ? 0 : mtu, extendedAntiReplayWindowSize: UInt32(flow.replayWindow ?? 0),
                    spPointer: 0x5430_0000 + UInt64(flow.mapSequence) * 64, sbsPointer: 0x5250_0000 + UInt64(id) * 32,
                    localEndpoint: flow.localAddress.description, remoteEndpoint: flow.peer?.description ?? "0.0.0.0",
                    firstInterfaceName: flow.interface)
            }
        }
        return nil
    }

    /// Messages the control plane sent the data plane: the initialisation and every SA,
    /// policy and endpoint change (all workers' acknowledged commands).
    static func ipsecState(_ cp: ControlPlane) -> QFPIPsecStateSnapshot {
        let applied = cp.statistics.totals()[.commandsApplied]
        return QFPIPsecStateSnapshot(messages: [
            .init(type: "Initialize", requests: 1, repliesOK: 1),
            .init(type: "Config", requests: applied, repliesOK: applied),   // one word, as parsers expect [I]
        ])
    }

    // MARK: System

    static func logging(_ cp: ControlPlane) -> LoggingSnapshot {
        let log = cp.syslog
        let configuration = log.configuration
        let logged = log.messagesLogged
        let destination = LoggingSnapshot.Destination(level: "debugging", messagesLogged: logged)
        let buffered = configuration.bufferedDisabled
            ? nil : LoggingSnapshot.Destination(level: configuration.bufferedLevel.name, messagesLogged: log.bufferedMessagesLogged)
        return LoggingSnapshot(
            messagesRateLimited: log.messagesRateLimited, console: destination, monitor: destination, buffered: buffered,
            trapLevel: configuration.trapLevel.name, trapMessageLinesLogged: log.trapMessageLinesLogged,
            buffer: LogBufferSnapshot(sizeBytes: log.capacity, writing: log.entries))
    }

    static func version(_ cp: ControlPlane) -> VersionSnapshot {
        let interfaces = cp.router.configuration.interfaces.keys.filter { $0.hasPrefix("GigabitEthernet") }.count
        return VersionSnapshot(
            xeVersion: "17.03.04a", train: "Amsterdam", platformSoftware: "ASR1000 Software",
            // Exactly IOS's wording: parsers read the release label from this line. The emulator
            // shows itself in the board ID (QFP0EMULATOR) and the copyright line's compiler.
            versionDetail: "Version 17.3.4a, RELEASE SOFTWARE (fc3)",
            copyrightYear: 2026, compiled: "Sun 29-Nov-26 00:00 by qfp", hostname: cp.router.configuration.hostname,
            uptimeSeconds: cp.uptimeSeconds, controlProcessorUptimeSeconds: cp.uptimeSeconds, lastReloadReason: "reload",
            licenseLines: ["License Type: Perpetual", "License Level: adventerprise", "Next reload license Level: adventerprise"],
            productID: "ASR1006", processorType: "RP2", processorRevision: "RP2", processorMemoryKB: 4_138_965,
            ioMemoryKB: 6147, processorBoardID: "QFP0EMULATOR",
            inventoryLines: ["\(max(interfaces, 1)) Gigabit Ethernet interfaces", "32768K bytes of non-volatile configuration memory.",
                             "8388608K bytes of physical memory."])
    }
}

/// Per-transform sizes for MTU and `IV size` (ESP, RFC 4303 and the transforms' RFCs).
struct TransformInfo {
    var ivSize = 0
    var blockSize = 4
    var icvSize = 0
    var showText = "esp-null"

    init(_ set: TransformSet?) {
        guard let set else { return }
        var words: [String] = []
        for t in set.transforms {
            let parts = t.split(separator: " ")
            switch parts[0] {
            case "esp-aes":
                ivSize = 16; blockSize = 16
                words.append(parts.count > 1 && parts[1] != "128" ? "esp-\(parts[1])-aes" : "esp-aes")
            case "esp-gcm", "esp-gmac":
                ivSize = 8; icvSize = 16
                words.append(t)
            case "esp-3des", "esp-des":
                ivSize = 8; blockSize = 8
                words.append(t)
            case "esp-sha-hmac", "esp-md5-hmac": icvSize = 12; words.append(t)
            case "esp-sha256-hmac": icvSize = 16; words.append(t)
            case "esp-sha384-hmac": icvSize = 24; words.append(t)
            case "esp-sha512-hmac": icvSize = 32; words.append(t)
            default: words.append(t)
            }
        }
        showText = words.joined(separator: " ")
    }

    /// Bytes ESP adds at most: outer IPv4 header (tunnel), ESP header, IV, padding, trailer, ICV.
    func overhead(tunnel: Bool) -> Int {
        (tunnel ? 20 : 0) + 8 + ivSize + (blockSize - 1) + 2 + icvSize
    }
}
