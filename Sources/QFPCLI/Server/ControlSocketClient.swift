import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking client of the control socket (for `qfp cli` and `qfp shell`).
public final class ControlSocketClient {
    let fd: Int32
    var pending = [UInt8]()

    /// Why a client could not talk to the daemon.
    public enum ClientError: Error, CustomStringConvertible {
        case noDaemon(String)
        case disconnected
        case protocolError(String)
        public var description: String {
            switch self {
            case let .noDaemon(p): "no qfp daemon at \(p) (start one with 'qfp run')"
            case .disconnected: "the qfp daemon closed the connection"
            case let .protocolError(t): t
            }
        }
    }

    /// Connects to the daemon at `path`.
    public init(path: String) throws {
        fd = try Self.connect(path)
    }

    deinit { close(fd) }

    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.noDaemon(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw ClientError.protocolError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw ClientError.noDaemon(path)
        }
        return fd
    }

    /// Whether a daemon answers on `path` (used to tell a live socket from a stale file).
    public static func isServing(_ path: String) -> Bool {
        guard let fd = try? connect(path) else { return false }
        close(fd)
        return true
    }

    /// Sends a request and waits for its reply.
    public func send(_ request: ControlProtocol.Request) throws -> ControlProtocol.Reply {
        let data = ControlProtocol.encode(request)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                // MSG_NOSIGNAL: a daemon that went away is an error here (EPIPE), not a SIGPIPE that
                // kills the client before it can put its terminal back.
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ClientError.disconnected }
                offset += n
            }
        }
        let line = try readLine()
        guard let reply = try? JSONDecoder().decode(ControlProtocol.Reply.self, from: Data(line)) else {
            throw ClientError.protocolError("qfp: unreadable reply from the daemon")
        }
        if let error = reply.error { throw ClientError.protocolError(error) }
        return reply
    }

    func readLine() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ClientError.disconnected }
            pending.append(contentsOf: chunk[..<n])
        }
    }

    /// Runs one line.
    public func execute(_ line: String, echo: Bool = false) throws -> CommandResponse {
        guard let r = try send(ControlProtocol.Request(operation: .execute, line: line, echo: echo)).response else {
            throw ClientError.protocolError("qfp: reply without a response")
        }
        return r
    }
}
