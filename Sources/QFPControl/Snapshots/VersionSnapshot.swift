/// What `show version` prints about the software, the uptime and the hardware.
///
/// The fixed legal paragraphs (GPL notice, export notice) belong to the renderer; this value
/// holds what varies. genieparser keys on `Cisco IOS XE Software, Version`, `<host> uptime is`,
/// `System image file is`, `Last reload reason:` and `cisco <PID> … bytes of memory`, so the
/// renderer keeps those lines exact.
public struct VersionSnapshot: Sendable, Equatable, Codable {
    /// After `Cisco IOS XE Software, Version ` (`17.03.04a`, or a build label).
    public var xeVersion: String
    /// Bracketed train on line 2: `Denali` (16.3), `Amsterdam` (17.3), `IOSXE` (newer).
    public var train: String
    /// Platform software name on line 2: `ASR1000 Software`, `Virtual XE Software`.
    public var platformSoftware: String
    /// Image feature set in parentheses: `X86_64_LINUX_IOSD-UNIVERSALK9-M`.
    public var imageFeatureSet: String
    /// The rest of line 2 after `), `: `Version 17.3.4a, RELEASE SOFTWARE (fc3)`.
    public var versionDetail: String
    /// Last year of both copyright lines.
    public var copyrightYear: Int
    /// After `Compiled `: `Mon 10-Apr-17 04:35 by mcpre`.
    public var compiled: String
    /// After `ROM: `: `IOS-XE ROMMON`.
    public var rom: String
    public var hostname: String
    /// Router uptime in seconds (`<host> uptime is …`).
    public var uptimeSeconds: UInt64
    /// Route processor uptime in seconds (`Uptime for this control processor is …`).
    public var controlProcessorUptimeSeconds: UInt64
    /// After `System returned to ROM by `: `reload`, or `reload at 02:14:51 PDT Mon Apr 10 2017`.
    public var returnedToROMBy: String
    /// `System restarted at …` line; nil leaves it out.
    public var systemRestartedAt: String?
    /// Quoted after `System image file is `: `bootflash:packages.conf`.
    public var systemImage: String
    /// After `Last reload reason: `: `Reload Command`, `reload`.
    public var lastReloadReason: String
    /// The licence block between the export notice and the hardware line, one element per
    /// line (`""` for a blank line), as the platform prints it.
    public var licenseLines: [String]
    /// Product id after `cisco `: `ASR1006`, `ASR1001-X`, `C8000V`.
    public var productID: String
    /// Processor type in parentheses: `RP2`, `1NG`, `VXE`.
    public var processorType: String
    /// After `(revision `.
    public var processorRevision: String
    /// Processor and I/O memory in KB (`with 4138965K/6147K bytes of memory.`).
    public var processorMemoryKB: UInt64
    public var ioMemoryKB: UInt64
    /// `Processor board ID`.
    public var processorBoardID: String
    /// `Router operating mode: Autonomous` (IOS XE 17); nil leaves it out.
    public var routerOperatingMode: String?
    /// Interface and storage inventory lines: `5 Gigabit Ethernet interfaces`,
    /// `32768K bytes of non-volatile configuration memory.` …
    public var inventoryLines: [String]
    /// `Configuration register is 0x2102`.
    public var configurationRegister: String
    /// ` (will be 0x2102 at next reload)` when it differs; nil otherwise.
    public var nextReloadConfigurationRegister: String?

    public init(
        xeVersion: String, train: String, platformSoftware: String, imageFeatureSet: String = "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        versionDetail: String, copyrightYear: Int, compiled: String, rom: String = "IOS-XE ROMMON", hostname: String,
        uptimeSeconds: UInt64, controlProcessorUptimeSeconds: UInt64, returnedToROMBy: String = "reload",
        systemRestartedAt: String? = nil, systemImage: String = "bootflash:packages.conf", lastReloadReason: String,
        licenseLines: [String], productID: String, processorType: String, processorRevision: String,
        processorMemoryKB: UInt64, ioMemoryKB: UInt64, processorBoardID: String, routerOperatingMode: String? = nil,
        inventoryLines: [String], configurationRegister: String = "0x2102", nextReloadConfigurationRegister: String? = nil
    ) {
        self.xeVersion = xeVersion
        self.train = train
        self.platformSoftware = platformSoftware
        self.imageFeatureSet = imageFeatureSet
        self.versionDetail = versionDetail
        self.copyrightYear = copyrightYear
        self.compiled = compiled
        self.rom = rom
        self.hostname = hostname
        self.uptimeSeconds = uptimeSeconds
        self.controlProcessorUptimeSeconds = controlProcessorUptimeSeconds
        self.returnedToROMBy = returnedToROMBy
        self.systemRestartedAt = systemRestartedAt
        self.systemImage = systemImage
        self.lastReloadReason = lastReloadReason
        self.licenseLines = licenseLines
        self.productID = productID
        self.processorType = processorType
        self.processorRevision = processorRevision
        self.processorMemoryKB = processorMemoryKB
        self.ioMemoryKB = ioMemoryKB
        self.processorBoardID = processorBoardID
        self.routerOperatingMode = routerOperatingMode
        self.inventoryLines = inventoryLines
        self.configurationRegister = configurationRegister
        self.nextReloadConfigurationRegister = nextReloadConfigurationRegister
    }

    enum CodingKeys: String, CodingKey {
        case xeVersion = "xe_version"
        case train
        case platformSoftware = "platform_software"
        case imageFeatureSet = "image_id"
        case versionDetail = "version_detail"
        case copyrightYear = "copyright_year"
        case compiled = "compiled"
        case rom
        case hostname
        case uptimeSeconds = "uptime_seconds"
        case controlProcessorUptimeSeconds = "control_processor_uptime_seconds"
        case returnedToROMBy = "returned_to_rom_by"
        case systemRestartedAt = "system_restarted_at"
        case systemImage = "system_image"
        case lastReloadReason = "last_reload_reason"
        case licenseLines = "license_lines"
        case productID = "chassis"
        case processorType = "processor_type"
        case processorRevision = "processor_revision"
        case processorMemoryKB = "main_mem_kb"
        case ioMemoryKB = "io_mem_kb"
        case processorBoardID = "processor_board_id"
        case routerOperatingMode = "router_operating_mode"
        case inventoryLines = "inventory_lines"
        case configurationRegister = "curr_config_register"
        case nextReloadConfigurationRegister = "next_config_register"
    }
}
