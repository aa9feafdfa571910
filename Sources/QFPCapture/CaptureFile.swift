#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation, with the C library's words for `errno`.
public struct CaptureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation that failed: `open`, `write`, `read`, `close`.
    public var operation: String
    /// The file.
    public var path: String
    /// The `errno` value.
    public var errorNumber: Int32

    /// `open /tmp/x.pcap: No such file or directory`.
    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errorNumber)))"
    }
}

/// A file opened for writing a capture, without Foundation: `write` loops until every byte is
/// written or fails with the `errno` text.
///
/// Closed by `close()` (which reports errors) or, failing that, when it goes out of scope.
public struct CaptureFile: ~Copyable {
    /// The path given to `init`.
    public let path: String
    private var descriptor: Int32

    /// Creates the file, or truncates it, with mode 0644.
    public init(creating path: String) throws(CaptureFileError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw CaptureFileError(operation: "open", path: path, errorNumber: errno) }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CaptureFileError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = systemWrite(descriptor, base + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw CaptureFileError(operation: "write", path: path, errorNumber: errno)
            }
            done += count
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(CaptureFileError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(CaptureFileError) in try write(buffer) }
        }
        try result.get()
    }

    /// Closes the file, reporting what `close` says (a delayed write error, for example).
    public mutating func close() throws(CaptureFileError) {
        guard descriptor >= 0 else { return }
        let result = systemClose(descriptor)
        descriptor = -1
        if result != 0 { throw CaptureFileError(operation: "close", path: path, errorNumber: errno) }
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
    }
}

/// Reads a whole file into memory, for `CaptureReader`.
public func readWholeFile(_ path: String) throws(CaptureFileError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 { throw CaptureFileError(operation: "open", path: path, errorNumber: errno) }
    defer { _ = close(descriptor) }
    var contents: [UInt8] = []
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_size > 0 { contents.reserveCapacity(Int(status.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw CaptureFileError(operation: "read", path: path, errorNumber: errno)
        }
        if count == 0 { return contents }
        contents.append(contentsOf: chunk[..<count])
    }
}

// The C calls under names that `CaptureFile`'s own `write` and `close` do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
