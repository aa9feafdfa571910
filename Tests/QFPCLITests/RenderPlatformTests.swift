@testable import QFPCLI
import QFPControl
import Testing

/// The `show platform hardware qfp active …` control-plane views against device captures.
@Suite("show platform hardware qfp: utilization, drop history, ipsec sa, ipsec state")
struct RenderPlatformTests {
    typealias Utilization = DatapathUtilizationSnapshot

    @Test("datapath utilization, one sub-device and Crypto/IO (genieparser golden_output)")
    func utilization() throws {
        let i = { (a: UInt64, b: UInt64, c: UInt64, d: UInt64) in Utilization.Intervals(fiveSeconds: a, oneMinute: b, fiveMinutes: c, sixtyMinutes: d) }
        let snapshot = Utilization(
            subdevices: [.init(
                subdevice: 0,
                input: .init(nonPriorityPPS: i(2, 3, 3, 1), nonPriorityBPS: i(1040, 1552, 1552, 752)),
                output: .init(nonPriorityPPS: i(1, 2, 2, 1), nonPriorityBPS: i(4864, 17624, 17632, 8360)),
                processingLoad: .init(1))],
            cryptoIO: .init(cryptoLoad: .init(0), rxLoad: .init(0), txLoad: i(1, 1, 1, 6), idle: i(98, 98, 98, 93)))
        #expect(trimmedEnd(ShowPlatformDatapathUtilization.render(snapshot)) == (try golden("datapath_utilization.txt")))
    }

    @Test("datapath utilization, one block per worker, no Crypto/IO")
    func utilizationWorkers() {
        let idle = Utilization.Direction(nonPriorityPPS: .init(0), nonPriorityBPS: .init(0))
        let busy = Utilization.Direction(
            priorityPPS: .init(1), priorityBPS: .init(512), nonPriorityPPS: .init(20_000_000), nonPriorityBPS: .init(10_240_000_000))
        let snapshot = Utilization(subdevices: [
            .init(subdevice: 0, input: busy, output: idle, processingLoad: .init(100)),
            .init(subdevice: 1, input: idle, output: idle, processingLoad: .init(0)),
        ])
        let lines = ShowPlatformDatapathUtilization.render(snapshot).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 29)
        #expect(lines[0] == "  CPP 0: Subdev 0            5 secs        1 min        5 min       60 min")
        #expect(lines[5] == "           Total (pps)     20000001     20000001     20000001     20000001")
        #expect(lines[6] == "                 (bps)  10240000512  10240000512  10240000512  10240000512")
        #expect(lines[13] == "Processing: Load (pct)          100          100          100          100")
        #expect(lines[14] == "  CPP 0: Subdev 1            5 secs        1 min        5 min       60 min")
        #expect(lines.allSatisfy { $0.isEmpty || $0.count == 74 })
    }

    @Test("drop history with clearing time (genieparser ShowPlatformHardwareQfpStatisticsDropHistory/golden_1)")
    func dropHistory() throws {
        let snapshot = DropHistorySnapshot(
            lastClearing: "Mon Jun 26 07:29:14 2023", secondsSinceClearing: 99,
            rows: [
                .init(name: "Ipv4NoRoute", oneMinute: 99853, fiveMinutes: 99853, thirtyMinutes: 99853, all: 99853),
                .init(name: "IpsecInput", oneMinute: 0, fiveMinutes: 0, thirtyMinutes: 0, all: 0),
                .init(name: "Ipv4NoAdj", oneMinute: 99818, fiveMinutes: 99818, thirtyMinutes: 99818, all: 99818),
            ])
        let rendered = ShowPlatformDropHistory.render(snapshot)
        #expect(rendered == (try fixture("statistics_drop_history.txt")))
    }

    @Test("drop history never cleared, all zero; elapsed-time text")
    func dropHistoryZero() {
        let rendered = ShowPlatformDropHistory.render(DropHistorySnapshot(rows: [
            .init(name: "IpsecInput", oneMinute: 0, fiveMinutes: 0, thirtyMinutes: 0, all: 0),
        ]))
        let rule = String(repeating: "-", count: 121)
        #expect(rendered == """
            Last clearing of QFP drops statistics : never

            \(rule)
            Global Drop Stats                           1-Min                   5-Min                  30-Min                     All
            \(rule)
               The Global drop stats were all zero

            """)
        #expect(ShowPlatformDropHistory.ago(39) == "39s")
        #expect(ShowPlatformDropHistory.ago(7205) == "2h 0m 5s")
        #expect(ShowPlatformDropHistory.ago(0) == "0s")
        let cleared = ShowPlatformDropHistory.render(DropHistorySnapshot(lastClearing: "Tue Mar 21 00:00:15 2023", secondsSinceClearing: 0, rows: []), clearing: true)
        #expect(cleared.hasPrefix("Last clearing of QFP drops statistics : Tue Mar 21 00:00:15 2023\n (0s ago)\n\n\n---"))
    }

    /// The capture without its first line, the command as typed without a prompt.
    static func withoutEcho(_ name: String) throws -> String {
        String(try fixture(name).drop { $0 != "\n" }.dropFirst())
    }

    @Test("QFP ipsec sa, ingress (genieparser ShowPlatformHardwareQfpActiveFeatureIpsecSa3/golden_output_2)")
    func qfpSAIngress() throws {
        let sa = QFPIPsecSASnapshot(
            qfpSAID: 3, palSAID: 443, spID: 2, spi: 0xF60C_E626, cryptoContext: 0x0000_FFFF_53DE_03E0, flags: 0x2C40_0890,
            mode: "Receive-only", direction: .ingress, fragType: "BEFORE_ENCRYPT", spPointer: 0x543B_F000,
            sbsPointer: 0x525B_AD00, localEndpoint: "100.255.255.1", remoteEndpoint: "100.200.1.1",
            firstInterfaceName: "Virtual-Access1")
        #expect(ShowPlatformIPsecSA.render(sa) == (try Self.withoutEcho("qfp_ipsec_sa_ingress.txt")))
    }

    @Test("QFP ipsec sa, egress with MTU (genieparser ShowPlatformHardwareQfpActiveFeatureIpsecSa3/golden_output_3)")
    func qfpSAEgress() throws {
        let sa = QFPIPsecSASnapshot(
            qfpSAID: 6, palSAID: 1455, spID: 2, spi: 0xCF1E_F9F2, cryptoContext: 0x0000_FFFF_53DE_4420, flags: 0x0CE4_00D0,
            mode: "Active", direction: .egress, fragType: "AFTER_ENCRYPT", mtu: 1422, mtuAdjusted: 1400,
            spPointer: 0x543B_F000, sbsPointer: 0x525B_C9E0, localEndpoint: "100.255.255.1", remoteEndpoint: "100.0.1.2",
            cgidCidFidRid: "571.573.573.11919361", firstInterfaceName: "Virtual-Access2")
        #expect(ShowPlatformIPsecSA.render(sa) == (try Self.withoutEcho("qfp_ipsec_sa_egress.txt")))
    }

    @Test("QFP ipsec state, licensed and unlimited (genieparser ShowPlatformHardwareQfpActiveFeatureIpsecState/golden_output_1, _2)")
    func qfpState() throws {
        let messages = [
            QFPIPsecStateSnapshot.MessageCounter(type: "Initialize", requests: 1, repliesOK: 1),
            QFPIPsecStateSnapshot.MessageCounter(type: "Initialize", requests: 5, repliesOK: 5),
        ]
        // The goldens' second row lost the trailing spaces the first row has; restore them.
        func restored(_ name: String) throws -> String {
            replacingOnce(try golden(name), "  Initialize            5                5                0\n",
                          with: "  Initialize            5                5                0              \n")
        }
        let licensed = ShowPlatformIPsecState.render(QFPIPsecStateSnapshot(throughputKbps: 10000, messages: messages))
        #expect(trimmedEnd(licensed) == (try restored("qfp_ipsec_state_license.txt")))
        #expect(licensed.hasSuffix("0              \n \n \n"))
        let unlimited = ShowPlatformIPsecState.render(QFPIPsecStateSnapshot(messages: messages))
        #expect(trimmedEnd(unlimited) == (try restored("qfp_ipsec_state_unlimited.txt")))
    }

    @Test("QFP ipsec state with no messages yet")
    func qfpStateEmpty() {
        #expect(ShowPlatformIPsecState.render(QFPIPsecStateSnapshot(messages: [])) == """
            QFP IPSEC state:

             Configured throughput sucessfully:unlimited 
            Message counter:
              Type                  Request          Reply (OK)       Reply (Error)    
              -----------------------------------------------------------------------
             
             

            """)
    }
}
