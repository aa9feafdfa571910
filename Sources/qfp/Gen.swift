import ArgumentParser
import Foundation
import QFPCLI
import QFPGenerator

/// `qfp gen`: the traffic generator of a running daemon.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Start, stop and watch traffic streams in the running daemon.",
        discussion: """
            Streams come from traffic profiles (YAML, docs/traffic-profiles.md; `qfp gen default-profile` prints the \
            embedded one). Streams start and stop independently while others run.
            """,
        subcommands: [Start.self, Stop.self, Status.self, ShowDefault.self])

    /// Reads and parses a profile file; errors name the file, line, column and key.
    static func loadProfile(_ path: String) throws -> TrafficProfile {
        let text = try readProfile(path)
        do { return try ProfileParser.parse(text, source: path) } catch { throw QFPFailure(error.description) }
    }

    static func readProfile(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw QFPFailure("cannot read traffic profile \(path)")
        }
        return text
    }

    static func request(_ socket: String?, _ request: ControlProtocol.Request) throws -> ControlProtocol.Reply {
        let client = try connect(socket ?? ControlSocketPath.default)
        let reply = try client.send(request)
        if let failure = reply.failure ?? reply.error { throw QFPFailure(failure) }
        return reply
    }

    static func printJSON(_ status: GeneratorStatus?) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let status, let data = try? encoder.encode(status) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a profile's streams (all, or those named with --stream).",
            discussion: "With --wait, shows progress until the streams end (they need count: or duration:); Ctrl-C stops them.")

        @Argument(help: "Traffic profile (YAML); the embedded default profile when omitted.")
        var profile: String?

        @Option(name: .customLong("stream"), help: "A stream to start (repeatable).")
        var streams: [String] = []

        @Option(name: .long, help: ArgumentHelp("Write the packets these streams generate to a capture (.pcap, or .pcapng).", valueName: "file"))
        var write: String?

        @Flag(name: .long, help: "Wait for the streams to end, with a progress bar, then print their statistics.")
        var wait = false

        @Flag(name: .long, help: "Print the generator status as JSON.")
        var json = false

        @Option(name: .long, help: "Control socket path.")
        var socket: String?

        func run() throws {
            let text = try profile.map(GenerateCommand.readProfile) ?? DefaultProfile.text
            let name = profile ?? "default-profile"
            // Parse here too: errors show before anything is sent, and --wait knows the limits.
            let parsed: TrafficProfile
            do { parsed = try ProfileParser.parse(text, source: name) } catch { throw QFPFailure(error.description) }
            // The daemon writes the file: give it a path that means the same there.
            let capturePath = write.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
            let reply = try GenerateCommand.request(socket, .init(operation: .generator, action: .start, profile: text,
                                                                  profileName: name, streams: streams.isEmpty ? nil : streams,
                                                                  path: capturePath))
            let started = parsed.streams.filter { streams.isEmpty || streams.contains($0.name) }
            if !wait {
                if json { GenerateCommand.printJSON(reply.generator) } else { print(reply.text ?? "", terminator: "") }
                return
            }
            if let endless = started.first(where: { $0.count == nil && $0.duration == nil }) {
                _ = try? GenerateCommand.request(socket, .init(operation: .generator, action: .stop, streams: started.map(\.name)))
                throw QFPFailure("stream '\(endless.name)' runs until stopped; --wait needs count: or duration: on every stream (stopped them)")
            }
            let final = try StreamProgress(streams: started, socket: socket).run()
            if json { GenerateCommand.printJSON(final) } else { print(final.text, terminator: "") }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop streams (all when none is named).")

        @Argument(help: "Streams to stop.")
        var streams: [String] = []

        @Option(name: .long, help: "Control socket path.")
        var socket: String?

        func run() throws {
            let reply = try GenerateCommand.request(socket, .init(operation: .generator, action: .stop, streams: streams))
            print(reply.text ?? "", terminator: "")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-stream packets, rates over the last second, faults and latency percentiles; top drop causes.")

        @Flag(name: .long, help: "Print the status as JSON.")
        var json = false

        @Flag(name: .long, help: "Print the status every second until interrupted.")
        var watch = false

        @Option(name: .long, help: ArgumentHelp("Also write per-stream rates and latency percentiles as SVG charts to this file (rewritten each second with --watch).", valueName: "file.svg"))
        var plot: String?

        @Option(name: .long, help: "Control socket path.")
        var socket: String?

        func run() throws {
            let stop = StopSignal()
            if watch { stop.install() }
            repeat {
                let reply = try GenerateCommand.request(socket, .init(operation: .generator, action: .status))
                if json { GenerateCommand.printJSON(reply.generator) } else { print(reply.text ?? "", terminator: "") }
                if let plot {
                    guard let status = reply.generator else { throw QFPFailure("the daemon sent no generator status") }
                    do { try PlotFile.write(try GeneratorPlot.figure(status), to: plot) } catch { throw QFPFailure(error.description) }
                }
                if watch { print(""); stop.wait(seconds: 1) }
            } while watch && !stop.requested
        }
    }

    struct ShowDefault: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "default-profile", abstract: "Print the embedded default traffic profile.")
        func run() { print(DefaultProfile.text) }
    }
}

/// Waits for streams to end, drawing a progress bar on a terminal (stderr) or a line a second
/// otherwise; Ctrl-C stops the streams.
struct StreamProgress {
    let streams: [TrafficProfile.Stream]
    let socket: String?

    func run() throws -> GeneratorStatus {
        let stop = StopSignal()
        stop.install()
        let terminal = isatty(STDERR_FILENO) == 1
        let names = Set(streams.map(\.name))
        var lastLine = 0.0
        while true {
            let reply = try GenerateCommand.request(socket, .init(operation: .generator, action: .status))
            guard let status = reply.generator else { throw QFPFailure("the daemon sent no generator status") }
            let mine = status.streams.filter { names.contains($0.name) }
            let fraction = mine.map { s -> Double in
                guard s.state == .running, let spec = streams.first(where: { $0.name == s.name }) else { return 1 }
                var f = 0.0
                if let c = spec.count { f = max(f, Double(s.txPackets) / Double(c)) }
                if let d = spec.duration { f = max(f, s.seconds / d) }
                return min(f, 1)
            }.min() ?? 1
            let done = mine.count == names.count && mine.allSatisfy { $0.state == .done }
            let tx = mine.reduce(0) { $0 + $1.txPackets }
            let rx = mine.reduce(0) { $0 + $1.rxPackets }
            let line = "\(Self.bar(done ? 1 : fraction)) tx \(tx) rx \(rx) packets, \(Int(status.txPPS)) pps"
            if terminal {
                FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            } else if done || Date().timeIntervalSince1970 - lastLine >= 1 {
                lastLine = Date().timeIntervalSince1970
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            if done {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                _ = try GenerateCommand.request(socket, .init(operation: .generator, action: .stop, streams: Array(names)))
                return GeneratorStatus(copying: status, only: names)
            }
            if stop.requested {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                _ = try? GenerateCommand.request(socket, .init(operation: .generator, action: .stop, streams: Array(names)))
                throw QFPFailure("interrupted; stopped \(names.sorted().joined(separator: ", "))")
            }
            stop.wait(seconds: 0.2)
        }
    }

    /// `[##########..........]  50%`
    static func bar(_ fraction: Double) -> String {
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + String(repeating: " ", count: 3 - String(Int(fraction * 100)).count) + "\(Int(fraction * 100))%"
    }
}

extension GeneratorStatus {
    init(copying status: GeneratorStatus, only names: Set<String>) {
        self = status
        streams = status.streams.filter { names.contains($0.name) }
    }
}
