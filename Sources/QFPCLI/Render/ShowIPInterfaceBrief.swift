/// `show ip interface brief` in the IOS XE layout: a C `"%-22s %-15s %-3s %-6s %-21s %-8s"`
/// row per interface (columns from CSR1000v/C8000v captures in Genie's `ShowIpInterfaceBrief`
/// golden and public IOS XE lab transcripts: Interface 23, IP-Address 16, `OK? ` 4, Method 7,
/// Status 22 characters, Protocol padded to 8 — the trailing spaces after `up` are IOS's).
enum ShowIPInterfaceBrief {
    static let header = "Interface              IP-Address      OK? Method Status                Protocol\n"

    static func render(_ s: IPInterfaceBriefSnapshot) -> String {
        header + s.interfaces.map { row in
            IOSText.field(row.interface, width: 23) + IOSText.field(row.ipAddress, width: 16)
                + IOSText.field(row.ok, width: 4) + IOSText.field(row.method.rawValue, width: 7)
                + IOSText.field(row.status, width: 22) + IOSText.padded(row.protocolStatus, to: 8) + "\n"
        }.joined()
    }
}

/// The rows of `show ip interface brief` (and its `| json`).
struct IPInterfaceBriefSnapshot: Sendable, Equatable, Codable {
    /// Where the address came from, as IOS names it.
    enum Method: String, Sendable, Equatable, Codable {
        /// Set by the configuration the router started with.
        case nvram = "NVRAM"
        /// Set (or changed) since, by `configure terminal`.
        case manual
        /// No address.
        case unset
    }

    struct Row: Sendable, Equatable, Codable {
        var interface: String
        /// `192.0.2.1` or `unassigned`.
        var ipAddress: String
        /// `YES` (IOS prints `NO` only for an address it finds invalid, which qfp's parser refuses).
        var ok = "YES"
        var method: Method
        /// `up`, `down`, `administratively down`.
        var status: String
        /// `up`, `down`.
        var protocolStatus: String

        enum CodingKeys: String, CodingKey {
            case interface, ok, method, status
            case ipAddress = "ip_address"
            case protocolStatus = "protocol"
        }
    }

    var interfaces: [Row]
}
