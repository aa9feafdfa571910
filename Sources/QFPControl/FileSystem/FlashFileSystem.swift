import Foundation

/// The router's file systems (`bootflash:`, `flash:`, `harddisk:`), all mapped to one directory
/// the daemon owns: what `| append URL`, `| redirect URL` and `more URL` read and write.
///
/// A URL is `FS:NAME` or `FS:/NAME`; NAME may name a file in an existing subdirectory. Names
/// with `..`, or that resolve outside the root through a symbolic link, are refused with IOS's
/// `%Error opening bootflash:../x (Permission denied)`.
public struct FlashFileSystem: Sendable {
    /// The directory behind the file systems.
    public let root: URL

    /// The prefixes accepted (IOS XE has all three on an ASR1000 RP; here they are one).
    public static let prefixes = ["bootflash", "flash", "harddisk"]

    public init(root: URL) { self.root = root.standardizedFileURL }

    /// `$XDG_STATE_HOME/qfp/bootflash`, else `~/.local/state/qfp/bootflash`, else a directory
    /// under the temporary directory.
    public static var defaultRoot: URL {
        let env = ProcessInfo.processInfo.environment
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("qfp/bootflash")
        }
        if let home = env["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home).appendingPathComponent(".local/state/qfp/bootflash")
        }
        return URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("qfp-bootflash")
    }

    /// A failure, worded as IOS words it: `%Error opening bootflash:x (No such file or directory)`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String { "%Error opening \(url) (\(reason))" }
    }

    /// Whether `word` looks like a file-system URL (`bootflash:x`).
    public static func isURL(_ word: String) -> Bool {
        guard let colon = word.firstIndex(of: ":") else { return false }
        return prefixes.contains(word[..<colon].lowercased())
    }

    /// The host path of `url`, or why there is none.
    public func path(of url: String) throws(Failure) -> URL {
        guard let colon = url.firstIndex(of: ":"), Self.prefixes.contains(url[..<colon].lowercased()) else {
            throw Failure(url: url, reason: "Invalid argument")
        }
        let name = url[url.index(after: colon)...].drop { $0 == "/" }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { throw Failure(url: url, reason: "Is a directory") }
        guard !parts.contains(where: { $0 == ".." || $0 == "." }), !name.contains("\0") else {
            throw Failure(url: url, reason: "Permission denied")
        }
        let file = parts.reduce(root) { $0.appendingPathComponent(String($1)) }
        // A symbolic link inside the root must not lead out of it.
        let resolvedRoot = root.resolvingSymlinksInPath().path
        let resolvedParent = file.deletingLastPathComponent().resolvingSymlinksInPath().path
        guard resolvedParent == resolvedRoot || resolvedParent.hasPrefix(resolvedRoot + "/") else {
            throw Failure(url: url, reason: "Permission denied")
        }
        return file
    }

    /// Appends `text` to the file at `url`, creating it (`| append`).
    public func append(_ text: String, to url: String) throws(Failure) {
        try write(text, to: url, appending: true)
    }

    /// Replaces the file at `url` with `text` (`| redirect`).
    public func write(_ text: String, to url: String) throws(Failure) {
        try write(text, to: url, appending: false)
    }

    func write(_ text: String, to url: String, appending: Bool) throws(Failure) {
        let file = try path(of: url)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw Failure(url: url, reason: "Permission denied")
        }
        let fd = open(file.path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (appending ? O_APPEND : O_TRUNC), 0o644)
        guard fd >= 0 else { throw Failure(url: url, reason: String(cString: strerror(errno))) }
        defer { _ = Foundation.close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(url: url, reason: String(cString: strerror(errno)))
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The text of the file at `url` (`more`). Invalid UTF-8 is replaced, not refused.
    public func read(_ url: String) throws(Failure) -> String {
        let file = try path(of: url)
        let fd = open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(url: url, reason: String(cString: strerror(errno))) }
        defer { _ = Foundation.close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(url: url, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            data += chunk[..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
