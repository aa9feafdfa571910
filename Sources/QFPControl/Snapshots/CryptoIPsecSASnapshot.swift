/// Everything `show crypto ipsec sa [detail]` prints: the crypto map interfaces in IOS order,
/// each with its flows.
///
/// An empty list is a router without crypto maps or tunnel protection; IOS then prints
/// nothing at all [I] (no capture of that case was found).
public struct CryptoIPsecSASnapshot: Sendable, Equatable, Codable {
    /// One interface with a crypto map or tunnel protection: the `interface:` header block.
    public struct Interface: Sendable, Equatable, Codable {
        /// `interface:` name, e.g. `Tunnel0`, `GigabitEthernet3`.
        public var name: String
        /// `Crypto map tag:`; tunnel protection shows `<Tunnel>-head-0`.
        public var cryptoMapTag: String
        /// `local addr`.
        public var localAddress: String
        /// The flows, in the order IOS lists them.
        public var flows: [IPsecFlowSnapshot]

        public init(name: String, cryptoMapTag: String, localAddress: String, flows: [IPsecFlowSnapshot]) {
            self.name = name
            self.cryptoMapTag = cryptoMapTag
            self.localAddress = localAddress
            self.flows = flows
        }

        enum CodingKeys: String, CodingKey {
            case name
            case cryptoMapTag = "crypto_map_tag"
            case localAddress = "local_addr"
            case flows
        }
    }

    /// The interfaces, in the order IOS prints them.
    public var interfaces: [Interface]

    public init(interfaces: [Interface] = []) {
        self.interfaces = interfaces
    }
}
