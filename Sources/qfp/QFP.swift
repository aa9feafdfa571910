import ArgumentParser
import Foundation
import Logging

/// `qfp`: the IPsec datapath emulator's command line.
@main
struct QFP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qfp",
        abstract: "Emulates the IPsec datapath of a Cisco ASR 1000 forwarding processor (QFP).",
        discussion: """
            With no subcommand, runs `qfp bench` on its embedded default workload: \
            2 workers, 100,000 inbound SAs, 64-byte ESP, 5% unknown SPIs. `qfp run` starts the \
            emulated router (with the embedded traffic when it has no --config); `qfp cli` and \
            `qfp shell` talk to it like an IOS console, `qfp top` watches it live; `qfp gen` starts and stops traffic in it, \
            `qfp capture` captures its drops; `qfp replay` runs a capture through a router; \
            `qfp scenario` reproduces an SA desynchronisation on the virtual clock.
            """,
        subcommands: [Bench.self, Run.self, CLI.self, Shell.self, Top.self, GenerateCommand.self, Replay.self, CaptureCommand.self, ScenarioCommand.self],
        defaultSubcommand: Bench.self
    )

    /// Runs the command; a `QFPFailure` prints as `qfp: ...` on stderr with exit status 1 (the
    /// form scripts and the README promise), everything else as ArgumentParser reports it.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as QFPFailure {
            FileHandle.standardError.write(Data("qfp: \(failure.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
    }
}
