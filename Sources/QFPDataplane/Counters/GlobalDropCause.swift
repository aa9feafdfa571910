/// A QFP global drop cause, as `show platform hardware qfp active statistics drop` names it.
///
/// The raw value is the Cisco name, exactly as printed. This enum and `IPsecDatapathDrop` are
/// the only places a drop reason is named: counters, show output, JSON and tests derive from
/// them. Names are from real captures (../shared/reference/ios-xe-qfp.md §1.3 and public
/// device outputs); `IpsecLifetimeNotify`/`IpsecMaxSa` have no source and are left out.
public enum GlobalDropCause: String, CaseIterable, Sendable, Codable {
    /// Malformed or truncated IP (bad version, IHL, total length) or UDP header.
    case ipFormatErr = "IpFormatErr"
    /// An IP fragment that needed IPsec processing; the emulator does not reassemble.
    case ipFragErr = "IpFragErr"
    /// Outbound packet matched a deny policy (features 35/40).
    case ipsecDenyDrop = "IpsecDenyDrop"
    /// Outbound packet matched a protect policy with no SA yet: IKE is started (33/38).
    case ipsecIkeIndicate = "IpsecIkeIndicate"
    /// Inbound IPsec failure: unknown SPI, replay, runt, padding, next header.
    case ipsecInput = "IpsecInput"
    /// The SA exists but is no longer valid (hard lifetime expired; features 18/44).
    case ipsecInvalidSa = "IpsecInvalidSa"
    /// Outbound IPsec failure: sequence overflow, packet too big after encapsulation.
    case ipsecOutput = "IpsecOutput"
    /// IPsec traffic lost to a full worker input ring.
    case ipsecTailDrop = "IpsecTailDrop"
    /// TED (tunnel endpoint discovery) trigger; counted by no code path yet, printed by `all`.
    case ipsecTedIndicate = "IpsecTedIndicate"
    /// An IKE packet the punt path could not take (punt ring full).
    case puntPerCausePolicerDrops = "PuntPerCausePolicerDrops"
    /// Non-IPsec traffic lost to a full input ring, or a full transmit ring.
    case tailDrop = "TailDrop"

    /// Dense index for counter arrays (declaration order).
    @inlinable
    public var index: Int {
        switch self {
        case .ipFormatErr: 0
        case .ipFragErr: 1
        case .ipsecDenyDrop: 2
        case .ipsecIkeIndicate: 3
        case .ipsecInput: 4
        case .ipsecInvalidSa: 5
        case .ipsecOutput: 6
        case .ipsecTailDrop: 7
        case .ipsecTedIndicate: 8
        case .puntPerCausePolicerDrops: 9
        case .tailDrop: 10
        }
    }

    /// Number of causes.
    public static let count = allCases.count

    /// The cause at a dense index.
    public init?(index: Int) {
        guard Self.allCases.indices.contains(index) else { return nil }
        self = Self.allCases[index]
    }
}
