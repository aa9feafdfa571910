import QFPControl

/// `show ssh` in the IOS layout of public IOS/IOS XE transcripts: a row per direction (`IN`,
/// `OUT`) of each SSH connection, columns of 11, 8, 5, 12, 13 and 22 characters, then
/// `%No SSHv1 server connections running.`; with no connection only
/// `%No SSHv2 server connections running.` [I: as IOS prints it].
enum ShowSSH {
    static let header = "Connection Version Mode Encryption  Hmac         State                 Username\n"

    static func render(_ s: SSHSnapshot) -> String {
        guard !s.connections.isEmpty else { return "%No SSHv2 server connections running.\n" }
        var out = header
        for c in s.connections {
            for mode in ["IN", "OUT"] {
                out += IOSText.field(String(c.connection), width: 11) + IOSText.field(c.version, width: 8)
                    + IOSText.field(mode, width: 5) + IOSText.field(c.encryption, width: 12) + IOSText.field(c.hmac, width: 13)
                    + IOSText.field(c.state, width: 22) + c.username + "\n"
            }
        }
        return out + "%No SSHv1 server connections running.\n"
    }

    static func snapshot(_ sessions: [SessionRegistry.Session]) -> SSHSnapshot {
        SSHSnapshot(connections: sessions.compactMap { s in
            guard let ssh = s.ssh, case let .vty(n) = s.line else { return nil }
            return SSHSnapshot.Connection(connection: n, version: ssh.version, encryption: ssh.encryption, hmac: ssh.hmac,
                                          username: s.user ?? "")
        })
    }
}

/// The connections of `show ssh` (and its `| json`).
struct SSHSnapshot: Sendable, Equatable, Codable {
    struct Connection: Sendable, Equatable, Codable {
        /// The vty number.
        var connection: Int
        var version: String
        var encryption: String
        var hmac: String
        var state = "Session started"
        var username: String
    }

    var connections: [Connection]
}
