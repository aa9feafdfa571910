import QFPControl

/// `show version` in IOS XE layout.
///
/// Pinned byte for byte by genieparser `ShowVersion/golden_output_asr1k` (ASR1006, 16.3) and
/// `golden_output_c8000v` (17.15); both share the fixed paragraphs below, the blank-line
/// pattern, and differ only in fields `VersionSnapshot` carries.
///
/// Uptime text (`32 minutes`, `1 minute`, `1 week, 2 days, 1 hour, 36 minutes`): years, weeks,
/// days and hours when non-zero, then minutes always, singular for 1 [I: whether IOS drops
/// `0 minutes` after a larger unit was not found].
public enum ShowVersion {
    static func gplNotice(_ year: Int) -> String {
        "Cisco IOS-XE software, Copyright (c) 2005-\(year) by cisco Systems, Inc.\n" + gplText
    }

    static let gplText = """
        All rights reserved.  Certain components of Cisco IOS-XE software are
        licensed under the GNU General Public License ("GPL") Version 2.0.  The
        software code licensed under GPL Version 2.0 is free software that comes
        with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such
        GPL code under the terms of GPL Version 2.0.  For more details, see the
        documentation or "License Notice" file accompanying the IOS-XE software,
        or the applicable URL provided on the flyer accompanying the IOS-XE
        software.
        """

    static let exportNotice = """
        This product contains cryptographic features and is subject to United
        States and local country laws governing import, export, transfer and
        use. Delivery of Cisco cryptographic products does not imply
        third-party authority to import, export, distribute or use encryption.
        Importers, exporters, distributors and users are responsible for
        compliance with U.S. and local country laws. By using this product you
        agree to comply with applicable laws and regulations. If you are unable
        to comply with U.S. and local laws, return this product immediately.

        A summary of U.S. laws governing Cisco cryptographic products may be found at:
        http://www.cisco.com/wwl/export/crypto/tool/stqrg.html

        If you require further assistance please contact us by sending email to
        export@cisco.com.
        """

    /// Renders the whole command output.
    public static func render(_ v: VersionSnapshot) -> String {
        var lines = [
            "Cisco IOS XE Software, Version \(v.xeVersion)",
            "Cisco IOS Software [\(v.train)], \(v.platformSoftware) (\(v.imageFeatureSet)), \(v.versionDetail)",
            "Copyright (c) 1986-\(v.copyrightYear) by Cisco Systems, Inc.",
            "Compiled \(v.compiled)",
            "", "",
            gplNotice(v.copyrightYear),
            "", "",
            "ROM: \(v.rom)",
            "",
            "\(v.hostname) uptime is \(uptime(v.uptimeSeconds))",
            "Uptime for this control processor is \(uptime(v.controlProcessorUptimeSeconds))",
            "System returned to ROM by \(v.returnedToROMBy)",
        ]
        if let restarted = v.systemRestartedAt { lines.append("System restarted at \(restarted)") }
        lines += [
            "System image file is \"\(v.systemImage)\"",
            "Last reload reason: \(v.lastReloadReason)",
            "", "", "",
            exportNotice,
            "",
        ]
        lines += v.licenseLines
        lines += [
            "",
            "cisco \(v.productID) (\(v.processorType)) processor (revision \(v.processorRevision)) with \(v.processorMemoryKB)K/\(v.ioMemoryKB)K bytes of memory.",
            "Processor board ID \(v.processorBoardID)",
        ]
        if let mode = v.routerOperatingMode { lines.append("Router operating mode: \(mode)") }
        lines += v.inventoryLines
        lines += ["", "Configuration register is \(v.configurationRegister)" + (v.nextReloadConfigurationRegister.map { " (will be \($0) at next reload)" } ?? "")]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1 week, 2 days, 1 hour, 36 minutes` (see the type's notes).
    public static func uptime(_ seconds: UInt64) -> String {
        var rest = seconds / 60
        var parts: [String] = []
        for (name, size) in [("year", UInt64(525_600)), ("week", 10_080), ("day", 1440), ("hour", 60)] {
            let count = rest / size
            rest %= size
            if count != 0 { parts.append("\(count) \(name)\(count == 1 ? "" : "s")") }
        }
        parts.append("\(rest) minute\(rest == 1 ? "" : "s")")
        return parts.joined(separator: ", ")
    }
}
