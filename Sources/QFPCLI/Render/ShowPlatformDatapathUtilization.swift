import QFPControl

/// `show platform hardware qfp active datapath utilization` in IOS XE layout.
///
/// Layout (ios-xe-qfp.md §13.1, genieparser `ShowPlatformHardwareQfpActiveDatapathUtilization/
/// golden_output`, byte for byte in the tests): each line is a 22-character label, right-aligned,
/// then four values right-aligned in 13-character columns (5 secs, 1 min, 5 min, 60 min); the
/// `CPP c: Subdev n` header uses the same columns.
/// - One block per sub-device — the emulator's workers, see `DatapathUtilizationSnapshot` —
///   printed back to back with no blank line between them [I: no multi-sub-device capture].
/// - The optional `Crypto/IO` block follows the last sub-device after a blank line, once.
public enum ShowPlatformDatapathUtilization {
    typealias Intervals = DatapathUtilizationSnapshot.Intervals

    /// Renders the whole command output.
    public static func render(_ s: DatapathUtilizationSnapshot) -> String {
        var out = ""
        for sub in s.subdevices {
            out += row(IOSText.padded("  CPP \(sub.cpp): Subdev \(sub.subdevice)", to: 22), ["5 secs", "1 min", "5 min", "60 min"])
            out += direction("Input:  ", sub.input)
            out += direction("Output: ", sub.output)
            out += row("Processing: Load (pct)", sub.processingLoad)
        }
        if let io = s.cryptoIO {
            out += "\nCrypto/IO\n"
            out += row("    Crypto: Load (pct)", io.cryptoLoad)
            out += row("        RX: Load (pct)", io.rxLoad)
            out += row("        TX: Load (pct)", io.txLoad)
            out += row("            Idle (pct)", io.idle)
        }
        return out
    }

    static func direction(_ name: String, _ d: DatapathUtilizationSnapshot.Direction) -> String {
        row(name + "Priority (pps)", d.priorityPPS)
            + row("                 (bps)", d.priorityBPS)
            + row("    Non-Priority (pps)", d.nonPriorityPPS)
            + row("                 (bps)", d.nonPriorityBPS)
            + row("           Total (pps)", d.totalPPS)
            + row("                 (bps)", d.totalBPS)
    }

    static func row(_ label: String, _ v: Intervals) -> String {
        row(label, [v.fiveSeconds, v.oneMinute, v.fiveMinutes, v.sixtyMinutes].map { String($0) })
    }

    static func row(_ label: String, _ cells: [String]) -> String {
        TextLayout.leftPadded(label, width: 22) + cells.map { TextLayout.leftPadded($0, width: 13) }.joined() + "\n"
    }
}
