// White-box hooks for tests (`@testable import QFPDataplane`); not public API.
import Synchronization

extension DataplaneControl {
    /// Moves an outbound SA's sequence counter, to reach the 2^32 limit without sending 2^32 packets.
    func setSequenceNumberForTesting(_ sa: OutboundSAHandle, to value: UInt64) {
        // Relaxed: tests call this while no worker sends on the SA.
        outbound.entry(sa.slot).sequence.pointee.store(value, ordering: .relaxed)
    }
}
