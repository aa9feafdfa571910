#if canImport(Glibc)
import Glibc
#endif

/// A live port that could not be opened: the device, the system call and its errno.
public struct PortError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Linux interface named in the configuration.
    public let device: String
    /// The call that failed (`if_nametoindex`, `socket(AF_PACKET, SOCK_RAW)`, `bind`, ...), or
    /// `configuration` for sizes the ring cannot take.
    public let step: String
    /// The errno value (0 for a configuration error).
    public let errno: Int32
    /// Extra words for a configuration error.
    public let detail: String

    public init(device: String, step: String, errno: Int32, detail: String = "") {
        self.device = device
        self.step = step
        self.errno = errno
        self.detail = detail
    }

    /// errno as text (`strerror`).
    public var errnoText: String { String(cString: strerror(errno)) }

    public var description: String {
        if step == "configuration" { return "port \(device): \(detail)" }
        if step == "if_nametoindex" && (errno == ENODEV || errno == ENXIO || errno == 0) {
            return "port \(device): no such network device (if_nametoindex: \(errnoText))"
        }
        if errno == EPERM || errno == EACCES {
            return "port \(device): AF_PACKET not permitted (\(step): \(errnoText), errno \(errno)); run as root or with CAP_NET_RAW"
        }
        return "port \(device): \(step) failed: \(errnoText) (errno \(errno))"
    }
}
