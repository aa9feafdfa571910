/// Errors the data plane reports to its callers (control plane, tools, tests).
///
/// Every case names what failed and where, so a message can be shown to a user as it is.
public enum DataplaneError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A node-local or plain allocation of `bytes` bytes failed.
    case outOfMemory(what: String, bytes: Int)
    /// A thread could not be started.
    case threadStart(name: String, errno: Int32)
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// A worker's command ring stayed full (workers stopped or overloaded).
    case commandRingFull(worker: Int)
    /// A worker's SA arena has no free slot.
    case saTableFull(worker: Int, capacity: Int)
    /// An inbound SA with the same (SPI, destination, protocol) is already installed.
    case duplicateSPI(spi: UInt32, destination: IPAddress)
    /// SPIs 0–255 are reserved (RFC 4303 §2.1) and cannot be installed.
    case reservedSPI(UInt32)
    /// A handle refers to an SA that was deleted or never existed.
    case unknownSA(String)
    /// An SA parameter is out of range.
    case invalidSA(String)
    /// A security policy is malformed.
    case invalidPolicy(index: Int, reason: String)
    /// Workers did not acknowledge commands in time.
    case acknowledgementTimeout(worker: Int)

    public var description: String {
        switch self {
        case let .outOfMemory(what, bytes): "cannot allocate \(bytes) bytes for \(what)"
        case let .threadStart(name, errno): "cannot start thread \(name): errno \(errno)"
        case let .invalidConfiguration(text): "invalid data-plane configuration: \(text)"
        case let .commandRingFull(worker): "command ring of worker \(worker) is full"
        case let .saTableFull(worker, capacity): "SA table of worker \(worker) is full (\(capacity) SAs)"
        case let .duplicateSPI(spi, destination):
            "an inbound SA with SPI \(SPIFormat.hexAndDecimal(spi)) to \(destination) already exists"
        case let .reservedSPI(spi): "SPI \(spi) is reserved (RFC 4303: 0 local use, 1-255 IANA)"
        case let .unknownSA(text): "unknown SA: \(text)"
        case let .invalidSA(text): "invalid SA: \(text)"
        case let .invalidPolicy(index, reason): "security policy \(index): \(reason)"
        case let .acknowledgementTimeout(worker): "worker \(worker) did not acknowledge its commands in time"
        }
    }
}

/// SPI text forms used across the project (`0x3EA71AED(1051138797)` as IOS prints them).
public enum SPIFormat {
    /// Uppercase hex without zero padding, then the decimal value in parentheses.
    public static func hexAndDecimal(_ spi: UInt32) -> String {
        "0x" + String(spi, radix: 16, uppercase: true) + "(\(spi))"
    }
}
