import ArgumentParser
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
            emulated router; `qfp cli` and `qfp shell` talk to it like an IOS console.
            """,
        subcommands: [Bench.self, Run.self, CLI.self, Shell.self],
        defaultSubcommand: Bench.self
    )

    static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
    }
}
