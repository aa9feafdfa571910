/// A capture's link-layer header type: what the first bytes of every packet are.
///
/// Raw values are the `LINKTYPE_` numbers of tcpdump.org's registry, as stored in a pcap file
/// header and a pcapng Interface Description Block. Unknown values are kept as they are: reading
/// a file never fails because of its link type; `CaptureRecord.ipDatagram()` reports the ones it
/// cannot decapsulate.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `LINKTYPE_` number.
    public var rawValue: UInt32

    /// Wraps a `LINKTYPE_` number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `LINKTYPE_NULL` (0): BSD loopback, a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    /// `LINKTYPE_ETHERNET` (1): Ethernet II, optionally 802.1Q / 802.1ad tagged.
    public static let ethernet = LinkType(rawValue: 1)
    /// `LINKTYPE_RAW` (101): the IP header first; its version nibble says v4 or v6.
    public static let raw = LinkType(rawValue: 101)
    /// `LINKTYPE_LOOP` (108): OpenBSD loopback, a 4-byte address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// `LINKTYPE_LINUX_SLL` (113): Linux "cooked" capture, 16-byte header.
    public static let linuxSLL = LinkType(rawValue: 113)
    /// `LINKTYPE_IPV4` (228): an IPv4 header first.
    public static let ipv4 = LinkType(rawValue: 228)
    /// `LINKTYPE_IPV6` (229): an IPv6 header first.
    public static let ipv6 = LinkType(rawValue: 229)
    /// `LINKTYPE_LINUX_SLL2` (276): Linux "cooked" capture v2, 20-byte header.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// The registry name without its `LINKTYPE_` prefix, or the number for others.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "ETHERNET"
        case .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL2: "LINUX_SLL2"
        default: "linktype \(rawValue)"
        }
    }
}
