import Foundation
@testable import QFPCLI
import QFPDataplane
import Testing

/// Reads a fixture next to this file, with CRLF turned into LF.
func fixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
}

/// The output of a capture: everything after its `Router#command` line, when it has one.
func output(of capture: String) -> String {
    let lines = capture.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.first, first.contains("#show") || first.contains("#Show") else { return capture }
    return lines.dropFirst().joined(separator: "\n")
}

@Suite("IOS drop tables against device captures")
struct DropTableGoldenTests {
    @Test("datapath drops all: byte for byte as an IOS XE 17 device printed it")
    func datapathAll() throws {
        var s = CounterSnapshot()
        s.featurePackets[5] = 1   // the capture's only non-zero counter
        #expect(IPsecDatapathDropTable.render(s, all: true) == output(of: try fixture("ipsec_datapath_drops_all.txt")))
    }

    @Test("global drops with 'Last clearing ... : never', rows sorted by name")
    func globalNever() throws {
        let rows: [GlobalDropTable.Row] = [
            .init(name: "UnconfiguredIpv6Fia", packets: 3482, octets: 396913),
            .init(name: "BadUidbIdx", packets: 59, octets: 16702),
            .init(name: "Ipv4NoRoute", packets: 41, octets: 1968),
            .init(name: "Ipv6NoRoute", packets: 16, octets: 896),
            .init(name: "UnconfiguredIpv4Fia", packets: 2533, octets: 389422),
            .init(name: "Ipv4AclLookupMiss", packets: 1000, octets: 34000),
            .init(name: "Disabled", packets: 0, octets: 0),
        ]
        // The fixture's final row lost its trailing spaces when it was saved; restore them.
        let expected = try fixture("statistics_drop_never.txt").replacingOccurrences(of: "396913\n", with: "396913  \n")
        #expect(GlobalDropTable.render(rows) == expected)
    }

    @Test("rows end in two spaces; packets end at column 49 and octets at column 73")
    func globalColumns() throws {
        let capture = output(of: try fixture("statistics_drop_active.txt"))
        let rows = capture.split(separator: "\n").filter { $0.hasSuffix("  ") && $0.split(separator: " ").count == 3 && !$0.hasPrefix("Global") }
        #expect(rows.count == 5)
        for r in rows {
            let parts = r.split(separator: " ")
            let rendered = GlobalDropTable.cell(String(parts[0]), String(parts[1]), String(parts[2]))
            #expect(rendered == String(r))
        }
    }

    @Test("the clear form has two blank lines after the clearing time")
    func globalClear() throws {
        let capture = try fixture("statistics_drop_clear.txt")
        let rendered = GlobalDropTable.render([.init(name: "Disabled", packets: 285, octets: 22516)],
                                              lastClearing: "Tue Mar 21 00:00:15 2023", clearing: true)
        let capturedHead = capture.split(separator: "\n", omittingEmptySubsequences: false).prefix(4).joined(separator: "\n")
        let renderedHead = rendered.split(separator: "\n", omittingEmptySubsequences: false).prefix(4).joined(separator: "\n")
        #expect(renderedHead == capturedHead)
    }

    @Test("all-zero tables say so; 'all' lists every cause")
    func zeros() {
        let empty = GlobalDropTable.render(CounterSnapshot())
        #expect(empty.hasSuffix("-------------------------------------------------------------------------\n   The Global drop stats were all zero\n"))
        let all = GlobalDropTable.render(CounterSnapshot(), all: true)
        #expect(all.split(separator: "\n").count == 4 + GlobalDropCause.count)
        #expect(IPsecDatapathDropTable.render(CounterSnapshot()).split(separator: "\n").count == 3)
    }

    @Test("non-zero feature drops print in groups with the padded header")
    func datapathNonZero() {
        var s = CounterSnapshot()
        s.featurePackets[4] = 67643
        s.featurePackets[33] = 1_763_263_723
        s.featurePackets[116] = 2
        let expected = """
        ------------------------------------------------------------------------
        Drop Type  Name                                     Packets             
        ------------------------------------------------------------------------
                4  IN_US_V4_PKT_SA_NOT_FOUND_SPI                           67643
               33  OUT_V4_PKT_HIT_IKE_START_SP                        1763263723

              116  CD_IN_PKT_OUT_OF_WINDOW                                     2

        """
        #expect(IPsecDatapathDropTable.render(s) == expected)
    }

    @Test("JSON: global keyed by cause name, feature drops keyed by number")
    func json() throws {
        var s = CounterSnapshot()
        s.globalPackets[GlobalDropCause.ipsecInput.index] = 3
        s.globalOctets[GlobalDropCause.ipsecInput.index] = 300
        s.featurePackets[4] = 3
        let j = DropCountersJSON(s, includeZero: false)
        #expect(j.globalDropStats == ["IpsecInput": .init(packets: 3, octets: 300)])
        #expect(j.ipsecDatapathDrops == ["4": .init(name: "IN_US_V4_PKT_SA_NOT_FOUND_SPI", packets: 3)])
        let text = try JSONOutput.encode(j)
        #expect(text.contains("\"global_drop_stats\""))
        #expect(DropCountersJSON(s).ipsecDatapathDrops.count == IPsecDatapathDrop.allCases.count)
    }
}
