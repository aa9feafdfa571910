import QFPDataplane

/// The kinds of crypto configuration that decide whether invalid-SPI recovery can reach a
/// sender (reference §7, Cisco TN115801): recovery needs a peer the configuration names
/// statically.
public enum CryptoConfigType: String, Sendable, Equatable, CaseIterable, Codable {
    case staticMap = "static-map"
    case dynamicMap = "dynamic-map"
    case greTunnelProtection = "gre-tp"
    case mgreStaticNHRP = "mgre-static-nhrp"
    case mgreDynamicNHRP = "mgre-dynamic-nhrp"
    case staticVTI = "svti"
    case ezvpnClient = "ezvpn-client"

    /// Whether `crypto isakmp invalid-spi-recovery` can start IKE to a sender of this kind.
    public enum Support: String, Sendable, Equatable, Codable {
        case yes
        case no
        /// EzVPN client: the client always initiates to its server; recovery does not apply.
        case notApplicable = "n/a"
    }

    /// The support matrix: static crypto map yes, dynamic crypto map no, P2P GRE with tunnel
    /// protection yes, mGRE with static NHRP yes, mGRE with dynamic NHRP no, sVTI yes, EzVPN
    /// client not applicable.
    public var recoverySupport: Support {
        switch self {
        case .staticMap, .greTunnelProtection, .mgreStaticNHRP, .staticVTI: .yes
        case .dynamicMap, .mgreDynamicNHRP: .no
        case .ezvpnClient: .notApplicable
        }
    }

    /// How `show` output and the blackhole detector name it.
    public var displayName: String {
        switch self {
        case .staticMap: "static crypto map"
        case .dynamicMap: "dynamic crypto map"
        case .greTunnelProtection: "P2P GRE with tunnel protection"
        case .mgreStaticNHRP: "mGRE with static NHRP"
        case .mgreDynamicNHRP: "mGRE with dynamic NHRP"
        case .staticVTI: "static VTI"
        case .ezvpnClient: "EzVPN client"
        }
    }
}

/// How the configuration knows a sender of ESP: which construct protects traffic with it, and
/// whether it names the sender statically.
public struct SenderClassification: Sendable, Equatable {
    /// nil when no crypto configuration covers the sender.
    public var type: CryptoConfigType?
    /// The interface of the construct (`GigabitEthernet1`, `Tunnel10`).
    public var interface: String?
    /// The binding key of the sender's flow when the configuration has one for it.
    public var flowKey: String?
    /// Whether IKE to this sender runs IKEv2 (an IKEv2 profile covers it), else IKEv1.
    public var ikev2: Bool

    /// Whether invalid-SPI recovery may initiate IKE to the sender.
    public var recoveryPossible: Bool { type?.recoverySupport == .yes }

    /// Classifies `sender` under configuration `c`, for packets that arrived for `local`.
    public static func classify(sender: IPAddress, local: IPAddress?, configuration c: RouterConfiguration,
                                plan: DataplanePlan) -> SenderClassification {
        let flowKey = plan.flows.first { $0.peer == sender && !$0.manual }?.bindingKey
            ?? plan.flows.first { $0.peer == sender }?.bindingKey
        let ikev2 = c.control.ikev2Profiles.values.contains { p in p.matchRemoteAddresses.contains { $0.contains(sender) } }
        func result(_ t: CryptoConfigType?, _ i: String?) -> SenderClassification {
            SenderClassification(type: t, interface: i, flowKey: flowKey, ikev2: ikev2)
        }
        for i in c.orderedInterfaces where !i.shutdown {
            if let name = i.ezvpnName, !i.ezvpnInside, c.control.ezvpnClients[name]?.peers.contains(sender) == true {
                return result(.ezvpnClient, i.name)
            }
            if let mapName = i.cryptoMap, let entries = c.cryptoMaps[mapName] {
                if entries.values.contains(where: { $0.kind != .manual && $0.peers.contains(sender) }) {
                    return result(.staticMap, i.name)
                }
            }
            guard i.isTunnel, i.tunnel.protectionProfile != nil else { continue }
            switch i.tunnel.mode {
            case .greIP where i.tunnel.destination == sender: return result(.greTunnelProtection, i.name)
            case .ipsecIPv4 where i.tunnel.destination == sender, .ipsecIPv6 where i.tunnel.destination == sender:
                return result(.staticVTI, i.name)
            case .greMultipoint where i.tunnel.nhrpMaps.contains { $0.nbmaAddress == sender }:
                return result(.mgreStaticNHRP, i.name)
            default: continue
            }
        }
        // No static construct names the sender: a dynamic map or an mGRE hub learning spokes
        // over NHRP on the receiving address would accept it.
        for i in c.orderedInterfaces where !i.shutdown {
            let address = i.ipv4?.address
            if let mapName = i.cryptoMap, let entries = c.cryptoMaps[mapName],
               entries.values.contains(where: { if case .dynamic = $0.kind { true } else { false } }),
               local == nil || address == local {
                return result(.dynamicMap, i.name)
            }
            if i.isTunnel, i.tunnel.mode == .greMultipoint, i.tunnel.protectionProfile != nil {
                let source = i.tunnel.sourceAddress ?? i.tunnel.sourceInterface.flatMap { c.interfaces[$0]?.ipv4?.address }
                if local == nil || source == local { return result(.mgreDynamicNHRP, i.name) }
            }
        }
        return result(nil, nil)
    }
}

/// The configuration of each `--crypto-config TYPE`: the router's side of one peer, as a small
/// IOS configuration (scenarios and tests load it through the real parser).
public enum RecoveryMatrixConfigurations {
    /// The router's address, the peer's, and the protected networks of the scenarios.
    public static let routerAddress = IPAddress("192.0.2.1")!
    public static let peerAddress = IPAddress("198.51.100.7")!

    /// The router's `crypto isakmp key` (every peer).
    public static let preSharedKey = "cisco123"

    /// IOS configuration text for `type`, with or without invalid-SPI recovery and DPD, its
    /// transform set `TS` with `transformSet`'s transforms.
    public static func text(_ type: CryptoConfigType, recovery: Bool, keepalive: String? = nil,
                            transformSet: String = "esp-null") -> String {
        var lines = ["hostname qfp-hub", "!"]
        lines.append("crypto isakmp policy 10")
        lines.append(" encryption aes 256")
        lines.append(" hash sha256")
        lines.append(" authentication pre-share")
        lines.append(" group 14")
        lines.append("crypto isakmp key \(preSharedKey) address 0.0.0.0 0.0.0.0")
        if recovery { lines.append("crypto isakmp invalid-spi-recovery") }
        if let keepalive { lines.append("crypto isakmp keepalive \(keepalive)") }
        lines.append("!")
        lines.append("crypto ipsec transform-set TS \(transformSet)")
        lines.append(" mode tunnel")
        lines.append("crypto ipsec profile PROF")
        lines.append(" set transform-set TS")
        lines.append("!")
        let peer = peerAddress
        switch type {
        case .staticMap:
            lines += ["crypto map OUTSIDE 10 ipsec-isakmp", " set peer \(peer)", " set transform-set TS", " match address 110", "!"]
        case .dynamicMap:
            lines += ["crypto dynamic-map DYN 10", " set transform-set TS", "!", "crypto map OUTSIDE 10 ipsec-isakmp dynamic DYN", "!"]
        case .ezvpnClient:
            lines += ["crypto ipsec client ezvpn EZ", " connect auto", " group EZGROUP key cisco123", " mode network-extension",
                      " peer \(peer)", "!"]
        default: break
        }
        lines += ["interface GigabitEthernet1", " ip address \(routerAddress) 255.255.255.0"]
        switch type {
        case .staticMap, .dynamicMap: lines.append(" crypto map OUTSIDE")
        case .ezvpnClient: lines.append(" crypto ipsec client ezvpn EZ")
        default: break
        }
        lines += ["!", "interface GigabitEthernet2", " ip address 10.1.0.1 255.255.0.0"]
        if type == .ezvpnClient { lines.append(" crypto ipsec client ezvpn EZ inside") }
        lines.append("!")
        switch type {
        case .greTunnelProtection, .staticVTI:
            lines += ["interface Tunnel10", " ip address 172.31.0.1 255.255.255.252", " tunnel source GigabitEthernet1"]
            if type == .staticVTI { lines.append(" tunnel mode ipsec ipv4") }
            lines += [" tunnel destination \(peer)", " tunnel protection ipsec profile PROF", "!",
                      "ip route 10.2.0.0 255.255.0.0 Tunnel10", "!"]
        case .mgreStaticNHRP, .mgreDynamicNHRP:
            lines += ["interface Tunnel10", " ip address 172.31.0.1 255.255.255.0"]
            if type == .mgreStaticNHRP { lines.append(" ip nhrp map 172.31.0.2 \(peer)") }
            lines += [" ip nhrp network-id 1", " tunnel source GigabitEthernet1", " tunnel mode gre multipoint",
                      " tunnel protection ipsec profile PROF", "!"]
            if type == .mgreStaticNHRP { lines += ["ip route 10.2.0.0 255.255.0.0 172.31.0.2", "!"] }
        default: break
        }
        if type == .staticMap { lines += ["access-list 110 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255", "!"] }
        lines.append("end")
        return lines.joined(separator: "\n") + "\n"
    }
}
