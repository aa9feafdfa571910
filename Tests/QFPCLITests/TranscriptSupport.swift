import Foundation
@testable import QFPCLI
import QFPControl
import QFPDataplane
import QFPGenerator
import Testing

/// A router under test: the control plane of `qfp run` on a hand-stepped pipeline, a virtual
/// clock and a wall clock derived from it, so every number and time in an output is known.
final class TestRouter {
    let pipeline: ManualPipeline
    let clock: VirtualClock
    let controlPlane: ControlPlane
    /// The directory behind `bootflash:` (a fresh temporary one, removed with the router).
    let flashRoot: URL
    var sequence: [UInt32: UInt32] = [:]

    /// 2026-03-21 00:00:00 UTC, a Saturday.
    static let epoch: Double = 1_774_051_200

    init(configuration text: String = DefaultConfiguration.text) throws {
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        pipeline = try ManualPipeline(c)
        clock = VirtualClock()
        let configuration: RouterConfiguration
        switch ConfigurationLanguage.shared.load(text, source: "test") {
        case let .success(l): configuration = l.configuration
        case let .failure(f): throw f
        }
        let router = try Router(pipeline: pipeline.pipeline, clock: clock, configuration: configuration)
        flashRoot = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-test-bootflash-\(UUID().uuidString)")
        controlPlane = ControlPlane(
            router: router, clock: clock, wallClock: DerivedWallClock(start: Self.epoch, clock: clock), flashRoot: flashRoot)
        controlPlane.attachCLIToEEM()
        settle()
    }

    deinit { try? FileManager.default.removeItem(at: flashRoot) }

    /// Lets the workers apply pending commands and process pending packets; discards output.
    func settle() {
        _ = pipeline.drain()
        for w in 0..<pipeline.workers.count { _ = pipeline.takeTransmitted(worker: w) }
    }

    /// Moves both clocks forward.
    func advance(seconds: Int) {
        clock.advance(by: .seconds(seconds))
        pipeline.setTime(clock.now())
    }

    /// `count` ESP packets of `length` bytes with sequence numbers continuing per SPI.
    func esp(from source: IPAddress, to destination: IPAddress, spi: UInt32, count: Int, length: Int) {
        for _ in 0..<count {
            let seq = (sequence[spi] ?? 0) + 1
            sequence[spi] = seq
            _ = pipeline.inject(PacketBuilder.espOfLength(length, source: source, destination: destination, spi: spi, sequence: seq))
            if seq % 128 == 0 { settle() }
        }
        settle()
    }

    /// `count` clear UDP datagrams with `payload` bytes.
    func clear(from source: IPAddress, to destination: IPAddress, count: Int, payload: Int) {
        for i in 0..<count {
            _ = pipeline.inject(PacketBuilder.clear(source: source, destination: destination, payloadLength: payload))
            if i % 128 == 127 { settle() }
        }
        settle()
    }
}

/// A golden IOS transcript: what an engineer sees at the console, byte for byte.
///
/// A line that starts with a prompt (`Router#`, `Router(config-if)#`) is a command typed at
/// it; the lines after it, up to the next command, are the output. A command ending in `?`
/// shows the help (the redisplayed prompt is left out). Lines starting `#@ ` are directives
/// to the test router, kept in the transcript as they are:
///
///     #@ esp SRC DST SPI [count N] [length BYTES]     ESP packets in (length 100 by default)
///     #@ clear SRC DST [count N] [payload BYTES]      clear UDP packets in (payload 18)
///     #@ advance SECONDS                              move the clocks forward
///     #@ sample N                                     N monitor samples, one second apart
///     #@ -- comment
///
/// The runner replays the commands on a fresh `TestRouter` and rebuilds the transcript from
/// what the session prints; the test compares the two texts. `QFP_RECORD_TRANSCRIPTS=1`
/// writes the rebuilt text back instead (review the diff before committing it).
struct Transcript {
    let name: String
    let text: String

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".txt") }.sorted()
    }

    init(_ name: String) throws {
        self.name = name
        text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Whether `line` is typed at a prompt: `Host#...` or `Host(mode)#...`.
    static func promptLength(_ line: Substring) -> Int? {
        var i = line.startIndex
        guard i < line.endIndex, line[i].isLetter else { return nil }
        while i < line.endIndex, line[i].isLetter || line[i].isNumber || line[i] == "-" || line[i] == "_" || line[i] == "." {
            i = line.index(after: i)
        }
        if i < line.endIndex, line[i] == "(" {
            guard let close = line[i...].firstIndex(of: ")") else { return nil }
            i = line.index(after: close)
        }
        guard i < line.endIndex, line[i] == "#" else { return nil }
        return line.distance(from: line.startIndex, to: i) + 1
    }

    /// Replays the transcript and returns what the console shows.
    func replay() throws -> String {
        let router = try TestRouter()
        let session = CLISession(controlPlane: router.controlPlane, interactive: false)
        var out = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.hasPrefix("#@ ") {
                try Self.directive(raw.dropFirst(3), router)
                out += raw + "\n"
                continue
            }
            // Typed at whatever prompt the file shows; the rebuilt text has the real one.
            guard let length = Self.promptLength(raw) else { continue }
            let line = String(raw.dropFirst(length))
            out += session.prompt + line + "\n"
            if line.hasSuffix("?") {
                out += session.help(String(line.dropLast()))
            } else {
                out += session.execute(line).output
                router.settle()
            }
        }
        return out
    }

    struct DirectiveError: Error, CustomStringConvertible { let description: String }

    static func directive(_ text: Substring, _ router: TestRouter) throws {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first else { throw DirectiveError(description: "empty directive") }
        func option(_ name: String, default value: Int) throws -> Int {
            guard let i = words.firstIndex(of: name) else { return value }
            guard i + 1 < words.count, let n = Int(words[i + 1]) else { throw DirectiveError(description: "bad \(name) in '\(text)'") }
            return n
        }
        func address(_ i: Int) throws -> IPAddress {
            guard i < words.count, let a = IPAddress(words[i]) else { throw DirectiveError(description: "bad address in '\(text)'") }
            return a
        }
        switch verb {
        case "--": break
        case "esp":
            guard words.count >= 4, let spi = UInt32(words[3].hasPrefix("0x") ? String(words[3].dropFirst(2)) : words[3],
                                                      radix: words[3].hasPrefix("0x") ? 16 : 10)
            else { throw DirectiveError(description: "bad SPI in '\(text)'") }
            router.esp(from: try address(1), to: try address(2), spi: spi,
                       count: try option("count", default: 1), length: try option("length", default: 100))
        case "clear":
            router.clear(from: try address(1), to: try address(2),
                         count: try option("count", default: 1), payload: try option("payload", default: 18))
        case "advance":
            guard words.count == 2, let s = Int(words[1]) else { throw DirectiveError(description: "bad '\(text)'") }
            router.advance(seconds: s)
        case "sample":
            guard words.count == 2, let n = Int(words[1]) else { throw DirectiveError(description: "bad '\(text)'") }
            for _ in 0..<n {
                router.advance(seconds: 1)
                router.controlPlane.tick()
            }
        default:
            throw DirectiveError(description: "unknown directive '\(text)'")
        }
    }
}

/// The first line where two texts differ, for a readable failure.
func firstDifference(_ expected: String, _ actual: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(e.count, a.count) {
        let x = i < e.count ? String(e[i]) : "<end>"
        let y = i < a.count ? String(a[i]) : "<end>"
        if x != y { return "line \(i + 1):\n  expected: \(x.debugDescription)\n  actual:   \(y.debugDescription)" }
    }
    return "identical"
}
