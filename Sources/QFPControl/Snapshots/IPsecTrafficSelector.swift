/// One side of a flow's proxy identity, `local  ident (addr/mask/prot/port): (10.0.0.0/255.255.255.0/0/0)`.
public struct IPsecTrafficSelector: Sendable, Equatable, Codable {
    /// Network address as IOS prints it (dotted quad; IPv6 in upper-case hex).
    public var address: String
    /// Dotted mask for IPv4 (`255.255.255.0`); the prefix length as text for IPv6 (`64`).
    public var mask: String
    /// IP protocol number, 0 for any (47 for GRE under tunnel protection).
    public var ipProtocol: UInt8
    /// Port, 0 for any.
    public var port: UInt16

    public init(address: String, mask: String, ipProtocol: UInt8 = 0, port: UInt16 = 0) {
        self.address = address
        self.mask = mask
        self.ipProtocol = ipProtocol
        self.port = port
    }

    /// Any IPv4 traffic, `(0.0.0.0/0.0.0.0/0/0)` — what tunnel protection (`TunnelN-head-0`) shows.
    public static let anyIPv4 = IPsecTrafficSelector(address: "0.0.0.0", mask: "0.0.0.0")

    /// Whether the selector is IPv6 (its address contains a colon).
    public var isIPv6: Bool { address.contains(":") }

    enum CodingKeys: String, CodingKey {
        case address = "addr"
        case mask
        case ipProtocol = "prot"
        case port
    }
}
