import QFPDataplane

/// Installs many inbound SAs while no worker thread runs: whenever a command ring fills,
/// `apply` lets the owner(s) drain it (e.g. `Worker.applyPendingCommands`, `ManualPipeline.step`).
public enum BulkInstall {
    public static func inbound(spis: [UInt32], destination: IPAddress, control: DataplaneControl,
                               apply: () -> Void) throws(DataplaneError) {
        for spi in spis {
            while true {
                do throws(DataplaneError) {
                    try control.installInbound(InboundSAConfig(spi: spi, destination: destination))
                    break
                } catch .commandRingFull {
                    apply()
                }
            }
        }
        apply()
    }
}
