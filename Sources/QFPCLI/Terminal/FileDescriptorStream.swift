import Glibc

/// Terminal input and output over a file descriptor, with `EINTR` retried and reads buffered.
///
/// Does not own the descriptor (never closes it). Reads take what one `read(2)` returns (up to
/// 256 bytes), so keep one instance per descriptor: bytes typed ahead live in its buffer.
/// Not thread-safe.
public final class FileDescriptorStream: TerminalInput, TerminalOutput {
    /// The descriptor read from and written to.
    public let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 256)
    private var start = 0
    private var end = 0

    /// A stream over `fd`, which stays open after the stream is gone.
    public init(fd: Int32) {
        self.fd = fd
    }

    /// The next byte; nil at end of file. Blocks in `read(2)` when the buffer is empty.
    public func readByte() throws -> UInt8? {
        if start == end {
            var n: Int
            repeat {
                n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            } while n < 0 && errno == EINTR
            if n < 0 { throw TerminalError.lastError("read") }
            if n == 0 { return nil }
            start = 0
            end = n
        }
        defer { start += 1 }
        return buffer[start]
    }

    /// Writes all bytes, looping over short writes and `EINTR`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TerminalError.lastError("write")
                }
                offset += n
            }
        }
    }
}

@available(*, unavailable, message: "holds a read buffer; use from one thread")
extension FileDescriptorStream: Sendable {}
