/// An address prefix for traffic selectors.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    /// Prefix length in the address family's terms: 0–32 for IPv4, 0–128 for IPv6.
    public let length: Int

    /// A prefix of `address` with `length` bits (family terms). Host bits are cleared.
    public init?(_ address: IPAddress, length: Int) {
        let maximum = address.isIPv4 ? 32 : 128
        guard (0...maximum).contains(length) else { return nil }
        self.length = length
        self.address = address.masked(toPrefix: Self.bits(length, ipv4: address.isIPv4))
    }

    /// Parses `A.B.C.D/N`, `X::Y/N`, or a bare address (a host prefix).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : (address.isIPv4 ? 32 : 128)
        guard let length else { return nil }
        self.init(address, length: length)
    }

    /// Every IPv4 (or IPv6) address.
    public static func any(ipv4: Bool) -> IPPrefix {
        IPPrefix(ipv4 ? IPAddress(ipv4: 0) : IPAddress(high: 0, low: 0), length: 0)!
    }

    public var isIPv4: Bool { address.isIPv4 }

    /// The length counted over the 128-bit mapped form (IPv4 /n is 96 + n).
    public var mappedLength: Int { Self.bits(length, ipv4: isIPv4) }

    static func bits(_ length: Int, ipv4: Bool) -> Int { ipv4 ? 96 + length : length }

    /// Whether `a` lies in the prefix (and has the prefix's family).
    public func contains(_ a: IPAddress) -> Bool {
        a.isIPv4 == isIPv4 && a.masked(toPrefix: mappedLength) == address
    }

    public var description: String { "\(address)/\(length)" }
}

/// What an outbound packet that matches a policy gets.
public enum PolicyAction: Equatable, Sendable {
    /// Encrypt with the SA currently bound to `binding`; with none bound, drop (33/38) and ask
    /// the control plane to start IKE.
    case protect(binding: UInt32)
    /// Forward in the clear.
    case bypass
    /// Drop (35/40).
    case deny
}

/// One entry of the security policy database: a traffic selector and an action (RFC 4301 §4.4.1).
/// Policies are ordered: the first that matches a packet applies.
public struct SecurityPolicy: Equatable, Sendable {
    public var source: IPPrefix
    public var destination: IPPrefix
    /// IP protocol, or nil for any.
    public var protocolNumber: UInt8?
    public var sourcePorts: ClosedRange<UInt16>
    public var destinationPorts: ClosedRange<UInt16>
    public var action: PolicyAction

    public static let anyPort: ClosedRange<UInt16> = 0...UInt16.max

    public init(source: IPPrefix, destination: IPPrefix, protocolNumber: UInt8? = nil,
                sourcePorts: ClosedRange<UInt16> = anyPort,
                destinationPorts: ClosedRange<UInt16> = anyPort, action: PolicyAction) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
        self.action = action
    }
}
