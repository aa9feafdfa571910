import Foundation
import QFPGenerator

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
            /// The traffic generator: `action` start (with `profile` text), stop or status.
            case generator
            /// The capture of dropped packets: `action` start (to `path`), stop or status.
            case capture
            /// One `TopSnapshot` for `qfp top` (with up to `syslogLines` lines of the log).
            case top
        }

        /// What a `generator` request asks.
        public enum GeneratorAction: String, Codable, Sendable {
            case start, stop, status
        }
        public var operation: Operation
        public var line: String?
        public var echo: Bool?
        public var interactive: Bool?
        public var action: GeneratorAction?
        /// A traffic profile's YAML text, and the name to give it in errors (its file).
        public var profile: String?
        public var profileName: String?
        /// Streams to start or stop (none: all).
        public var streams: [String]?
        /// A file the daemon writes: the generated packets (pcap or pcapng by extension).
        public var path: String?
        /// Lines of the logging buffer a `top` request wants (default `TopSnapshot.defaultSyslogLines`).
        public var syslogLines: Int?

        public init(operation: Operation, line: String? = nil, echo: Bool? = nil, interactive: Bool? = nil,
                    action: GeneratorAction? = nil, profile: String? = nil, profileName: String? = nil, streams: [String]? = nil,
                    path: String? = nil, syslogLines: Int? = nil) {
            self.operation = operation
            self.line = line
            self.echo = echo
            self.interactive = interactive
            self.action = action
            self.profile = profile
            self.profileName = profileName
            self.streams = streams
            self.path = path
            self.syslogLines = syslogLines
        }

        enum CodingKeys: String, CodingKey {
            case operation = "op", line, echo, interactive, action, profile, profileName = "profile-name", streams, path
            case syslogLines = "syslog-lines"
        }
    }

    /// The server's answer.
    public struct Reply: Codable, Sendable, Equatable {
        public var response: CommandResponse?
        /// Help text, or a completed line.
        public var text: String?
        /// A protocol error (bad JSON, unknown operation); the server then closes.
        public var error: String?
        /// A request the daemon refused (a bad profile, an unknown stream); the session goes on.
        public var failure: String?
        /// The generator's statistics (generator requests).
        public var generator: GeneratorStatus?
        /// The daemon's counters, detector and log tail at one instant (top requests).
        public var top: TopSnapshot?

        public init(response: CommandResponse? = nil, text: String? = nil, error: String? = nil,
                    failure: String? = nil, generator: GeneratorStatus? = nil, top: TopSnapshot? = nil) {
            self.response = response
            self.text = text
            self.error = error
            self.failure = failure
            self.generator = generator
            self.top = top
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
