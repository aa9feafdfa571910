import Foundation
@testable import QFPCLI
import QFPControl
import Testing

/// `show version` and `show clock` against device captures.
@Suite("show version / show clock against device captures")
struct RenderVersionClockTests {
    @Test("ASR 1006 on IOS XE 16.3 (genieparser ShowVersion/golden_output_asr1k)")
    func asr1k() throws {
        let version = VersionSnapshot(
            xeVersion: "BLD_V163_MR_THROTTLE_LATEST_20170410_093453_V16_3_3_24", train: "Denali",
            platformSoftware: "ASR1000 Software",
            versionDetail: "Experimental Version 16.3.20170410:103306 [v163_mr_throttle-BLD-BLD_V163_MR_THROTTLE_LATEST_20170410_093453 118]",
            copyrightYear: 2017, compiled: "Mon 10-Apr-17 04:35 by mcpre", hostname: "PE1", uptimeSeconds: 32 * 60 + 5,
            controlProcessorUptimeSeconds: 34 * 60 + 59, returnedToROMBy: "reload at 02:14:51 PDT Mon Apr 10 2017",
            systemRestartedAt: "09:08:57 PDT Mon Apr 10 2017", systemImage: "harddisk:test-image-PE1-13113029",
            lastReloadReason: "Reload Command",
            licenseLines: ["License Type: RightToUse", "License Level: advipservices", "Next reload license Level: advipservices"],
            productID: "ASR1006", processorType: "RP2", processorRevision: "RP2", processorMemoryKB: 4_138_965, ioMemoryKB: 6147,
            processorBoardID: "FOX1444GPXU",
            inventoryLines: [
                "5 Gigabit Ethernet interfaces", "32768K bytes of non-volatile configuration memory.",
                "8388608K bytes of physical memory.", "1925119K bytes of eUSB flash at bootflash:.",
                "78085207K bytes of SATA hard disk at harddisk:.", "0K bytes of  at webui:.",
            ],
            configurationRegister: "0x2000", nextReloadConfigurationRegister: "0x2002")
        #expect(ShowVersion.render(version) == (try fixture("version_asr1k.txt")))
    }

    @Test("C8000V on IOS XE 17.15 (genieparser ShowVersion/golden_output_c8000v)")
    func c8000v() throws {
        let version = VersionSnapshot(
            xeVersion: "BLD_POLARIS_DEV_LATEST_20240326_003112", train: "IOSXE", platformSoftware: "Virtual XE Software",
            versionDetail: "Experimental Version 17.15.20240326:010319 [BLD_POLARIS_DEV_LATEST_20240326_003112:/nobackup/mcpre/s2c-build-ws 101]",
            copyrightYear: 2024, compiled: "Mon 25-Mar-24 18:03 by mcpre", hostname: "ott-mdt-vm7", uptimeSeconds: 59,
            controlProcessorUptimeSeconds: 61, lastReloadReason: "reload",
            licenseLines: [
                "License Level:", "License Type: Perpetual", "Next reload license Level:", "",
                "Addon License Level:", "Addon License Type: Subscription", "Next reload addon license Level:", "",
                "The current throughput level is 2000 kbps", "", "", "Smart Licensing Status: Smart Licensing Using Policy",
            ],
            productID: "C8000V", processorType: "VXE", processorRevision: "VXE", processorMemoryKB: 1_900_130, ioMemoryKB: 3075,
            processorBoardID: "9E42BIFKVLR", routerOperatingMode: "Autonomous",
            inventoryLines: [
                "3 Gigabit Ethernet interfaces", "32768K bytes of non-volatile configuration memory.",
                "8082280K bytes of physical memory.", "14589951K bytes of virtual hard disk at bootflash:.",
            ])
        #expect(ShowVersion.render(version) == (try fixture("version_c8000v.txt")))
    }

    @Test("uptime wording")
    func uptime() {
        #expect(ShowVersion.uptime(0) == "0 minutes")
        #expect(ShowVersion.uptime(60) == "1 minute")
        #expect(ShowVersion.uptime((7 + 2) * 86_400 + 3600 + 36 * 60) == "1 week, 2 days, 1 hour, 36 minutes")
        #expect(ShowVersion.uptime(366 * 86_400) == "1 year, 1 day, 0 minutes")
    }

    @Test("clock, NTP lost (genieparser ShowClock/golden_output2)")
    func clock() throws {
        let clock = ClockSnapshot(
            authority: .unsynchronized, hour: 4, minute: 37, second: 54, millisecond: 849, timeZone: "UTC",
            weekday: 5, month: 8, day: 7, year: 2025)
        #expect(ShowClock.render(clock) == (try golden("clock_unsynced.txt")))
        let fromDate = ClockSnapshot(Date(timeIntervalSince1970: 1_754_541_474.8495), in: TimeZone(identifier: "UTC")!,
                                     zoneName: "UTC", authority: .unsynchronized)
        #expect(fromDate == clock)
        let est = ClockSnapshot(Date(timeIntervalSince1970: 1_476_748_564.5545), in: TimeZone(secondsFromGMT: -5 * 3600)!, zoneName: "EST")
        #expect(ShowClock.render(est) == "18:56:04.554 EST Mon Oct 17 2016\n")
    }
}
