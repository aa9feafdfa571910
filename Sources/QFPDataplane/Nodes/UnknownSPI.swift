extension Worker {
    /// Inbound ESP whose (SPI, destination) has no SA: `IpsecInput` plus feature drop 4 (IPv4
    /// tunnel endpoint), 7 (IPv4 transport endpoint) or 12 (IPv6), then a punt record for the
    /// control plane's syslog and recovery, behind the per-worker token bucket. Reserved SPIs
    /// (0–255) are counted the same way but not punted: no SA can ever have them.
    @inlinable
    mutating func unknownSPI(_ handle: PacketHandle, _ c: PacketClassification, reserved: Bool) {
        let b = directory.buffer(handle)
        let feature: IPsecDatapathDrop = c.ipVersion == 6
            ? .inUsV6PktSaNotFoundSpi
            : (endpoints.isTransport(c.destination) ? .inTransV4IpsecPktNotFoundSpi : .inUsV4PktSaNotFoundSpi)
        if !reserved { puntPacket(.invalidSPI, c, interface: b.inputInterface) }
        drop(handle, .ipsecInput, feature)
    }

    /// A punt record about the packet `c` (invalid SPI, replay or integrity failure) for the
    /// control plane's syslog and recovery, behind the per-worker token bucket; what the bucket
    /// refuses is counted. Cold path: the packet is being dropped, so it stays out of line and
    /// out of the hot loop's code.
    @usableFromInline @inline(never)
    mutating func puntPacket(_ kind: PuntRecord.Kind, _ c: PacketClassification, slot: UInt32 = 0, interface: UInt16) {
        guard invalidSPIBucket.take(now: now) else {
            counters.count(.puntRateLimited)
            return
        }
        var r = PuntRecord(kind: kind, worker: index, time: now)
        r.protocolNumber = c.kind == .espInUDP ? IPv4Header.protocolNumberUDP : IPv4Header.protocolNumberESP
        r.ipVersion = c.ipVersion
        r.inputInterface = interface
        r.spi = c.spi
        r.slot = slot
        r.sequenceNumber = c.sequenceNumber
        r.source = c.source
        r.destination = c.destination
        _ = pushPunt(r)
    }
}
