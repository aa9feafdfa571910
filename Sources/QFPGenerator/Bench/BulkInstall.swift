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

    /// The same for SAs given in full (transform, keys, replay protection).
    public static func inbound(_ configs: [InboundSAConfig], control: DataplaneControl,
                               apply: () -> Void) throws(DataplaneError) {
        for config in configs {
            while true {
                do throws(DataplaneError) {
                    try control.installInbound(config)
                    break
                } catch .commandRingFull {
                    apply()
                }
            }
        }
        apply()
    }
}
