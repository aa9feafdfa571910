import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// The snapshots are the `| json` form of the show commands: they encode with snake_case
/// keys and decode back to the same value.
@Suite("snapshot JSON")
struct RenderJSONTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> [String: Any] {
        let text = try JSONOutput.encode(value)
        #expect(try JSONDecoder().decode(T.self, from: Data(text.utf8)) == value)
        return try jsonObject(value)
    }

    @Test("crypto snapshots round-trip")
    func crypto() throws {
        let sa = IPsecSASnapshot(
            spi: 0x658F_7C11, transform: "esp-256-aes esp-sha256-hmac", connectionID: 2076, flowID: "CSR:76",
            siblingFlags: 0xFFFF_FFFF_8000_0048, cryptoMap: "vpn-crypto-map", remainingKilobytes: 4_607_999,
            remainingSeconds: 83191, ivSizeBytes: 16)
        var counters = IPsecFlowCounters(encapsulated: 4, decapsulated: 4)
        counters.replayFailedReceive = 2
        let flow = IPsecFlowSnapshot(
            localIdentity: .anyIPv4, remoteIdentity: .anyIPv4, currentPeer: "1.1.1.1", counters: counters,
            localEndpoint: "1.1.1.2", remoteEndpoint: "1.1.1.1", plaintextMTU: 1438, ipMTUInterface: "GigabitEthernet3",
            currentOutboundSPI: 0x397C_36EE, inboundESP: [sa], outboundESP: [sa])
        let ipsec = try roundTrip(CryptoIPsecSASnapshot(interfaces: [
            .init(name: "GigabitEthernet3", cryptoMapTag: "vpn-crypto-map", localAddress: "1.1.1.2", flows: [flow]),
        ]))
        let interface = try #require((ipsec["interfaces"] as? [[String: Any]])?.first)
        #expect(interface["crypto_map_tag"] as? String == "vpn-crypto-map")
        let flowObject = try #require((interface["flows"] as? [[String: Any]])?.first)
        #expect(flowObject["current_outbound_spi"] as? Int == 0x397C_36EE)
        #expect((flowObject["counters"] as? [String: Any])?["pkts_replay_failed_rcv"] as? Int == 2)

        let isakmp = try roundTrip(CryptoISAKMPSASnapshot(sas: [
            .init(destination: "100.0.10.2", source: "100.12.82.2", state: .mmNoState, connectionID: 29188, status: .activeDeleted),
        ]))
        #expect((isakmp["sas"] as? [[String: Any]])?.first?["status"] as? String == "ACTIVE (deleted)")

        _ = try roundTrip(CryptoIKEv2SASnapshot(sas: [IKEv2SASnapshot(
            tunnelID: 1, localAddress: "10.0.0.1", remoteAddress: "10.0.0.2", encryption: "AES-CBC", keySize: 256,
            prf: "SHA256", hash: "SHA256", dhGroup: 19, activeSeconds: 5, sessionID: 1, localSPI: 1, remoteSPI: 2,
            localID: "10.0.0.1", remoteID: "10.0.0.2", initiator: true)]))

        let session = try roundTrip(CryptoSessionTableSnapshot(sessions: [CryptoSessionSnapshot(
            interface: "Tunnel0", status: .upNoIKE, peer: "192.0.2.2", phase1ID: "192.0.2.2", sessionID: 1, ikeSAs: [],
            ipsecFlows: [.init(text: "permit ip any any", activeSAs: 2,
                               inbound: .init(packets: 1, drops: 2, remainingKilobytes: nil, remainingSeconds: 3),
                               outbound: .init(packets: 4, remainingKilobytes: 5, remainingSeconds: 6))])]))
        #expect((session["sessions"] as? [[String: Any]])?.first?["session_status"] as? String == "UP-NO-IKE")
    }

    @Test("system and platform snapshots round-trip")
    func system() throws {
        let logging = try roundTrip(LoggingSnapshot(
            console: nil, monitor: .init(messagesLogged: 1), buffered: .init(messagesLogged: 2), trapMessageLinesLogged: 3,
            buffer: LogBufferSnapshot(sizeBytes: 4096, writing: [
                LogEntry(sequenceNumber: 1, timestamp: SyslogTimestamp(month: 1, day: 2, hour: 3, minute: 4, second: 5),
                         message: "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi"),
            ])))
        #expect(logging["console"] == nil)
        #expect((logging["log_buffer"] as? [String: Any])?["size_bytes"] as? Int == 4096)
        _ = try roundTrip(ClockSnapshot(hour: 1, minute: 2, second: 3, millisecond: 4, timeZone: "UTC", weekday: 1, month: 1, day: 1, year: 2026))
        _ = try roundTrip(DatapathUtilizationSnapshot(subdevices: [.init(
            subdevice: 0, input: .init(nonPriorityPPS: .init(1), nonPriorityBPS: .init(2)),
            output: .init(nonPriorityPPS: .init(3), nonPriorityBPS: .init(4)), processingLoad: .init(5))]))
        _ = try roundTrip(DropHistorySnapshot(rows: [.init(name: "IpsecInput", oneMinute: 1, fiveMinutes: 2, thirtyMinutes: 3, all: 4)]))
        _ = try roundTrip(QFPIPsecStateSnapshot(throughputKbps: 10, messages: [.init(type: "Initialize", requests: 1, repliesOK: 1)]))
        let qfp = try roundTrip(QFPIPsecSASnapshot(
            qfpSAID: 3, palSAID: 443, spID: 2, spi: 0xF60C_E626, cryptoContext: 1, flags: 0x2C40_0890, mode: "Receive-only",
            direction: .ingress, fragType: "BEFORE_ENCRYPT", spPointer: 1, sbsPointer: 2, localEndpoint: "a",
            remoteEndpoint: "b", firstInterfaceName: "Tunnel0"))
        #expect(qfp["qfp_spi"] as? Int == 0xF60C_E626)
    }
}
