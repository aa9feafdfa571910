import Foundation

/// The control-socket protocol: one JSON object per line each way. A client sends requests
/// and reads one response per request, in order.
public enum ControlProtocol {
    /// A client's request.
    public struct Request: Codable, Sendable, Equatable {
        public enum Operation: String, Codable, Sendable {
            /// Run `line` (`echo`: prefix errors with prompt and line, for one-shot output).
            case execute
            /// `?` help for `line`.
            case help
            /// Tab completion of `line`.
            case complete
            /// Start of a session; `interactive` sets paging on (terminal length 24).
            case hello
        }
        public var operation: Operation
        public var line: String?
        public var echo: Bool?
        public var interactive: Bool?

        public init(operation: Operation, line: String? = nil, echo: Bool? = nil, interactive: Bool? = nil) {
            self.operation = operation
            self.line = line
            self.echo = echo
            self.interactive = interactive
        }

        enum CodingKeys: String, CodingKey {
            case operation = "op", line, echo, interactive
        }
    }

    /// The server's answer.
    public struct Reply: Codable, Sendable, Equatable {
        public var response: CommandResponse?
        /// Help text, or a completed line.
        public var text: String?
        /// A protocol error (bad JSON, unknown operation); the server then closes.
        public var error: String?

        public init(response: CommandResponse? = nil, text: String? = nil, error: String? = nil) {
            self.response = response
            self.text = text
            self.error = error
        }
    }

    /// Longest request line the server reads (larger ones are refused and the client dropped).
    public static let maximumMessageBytes = 64 * 1024

    static func encode<T: Encodable>(_ value: T) -> Data {
        var data = (try? JSONEncoder().encode(value)) ?? Data("{\"error\":\"encoding failed\"}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// Where the control socket lives by default: `$XDG_RUNTIME_DIR/qfp/qfp.sock`, else
/// `/tmp/qfp-UID/qfp.sock` (the directory is created mode 0700).
public enum ControlSocketPath {
    public static var `default`: String {
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/qfp/qfp.sock"
        }
        return "/tmp/qfp-\(getuid())/qfp.sock"
    }

    /// Creates the socket's directory (0700) when missing.
    public static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }
}
