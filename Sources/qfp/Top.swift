import ArgumentParser
import Foundation
import Glibc
import QFPCLI

/// `qfp top`: a live view of the running daemon.
struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live full-screen view of the running daemon: workers, drop causes with rates, invalid-SPI flows, syslog.",
        discussion: """
            Refreshed every --interval: per-worker load and pps, the global drop causes and IPsec feature \
            drops with their rate (pps), total since the daemon started and count since clear, the invalid-SPI \
            flows the blackhole detector flags, and the newest syslog lines that fit. Rates come from two \
            snapshots and the daemon's own timestamps.

            Keys:
              s          sort by the next column: rate, total, since clear, name
              p, space   pause / resume
              c          count "since clear" from now (top only; the router is untouched)
              C          clear the router's QFP drop counters (show ... clear)
              q, Ctrl-C  quit (Ctrl-D too)
            The terminal is put back on exit, Ctrl-C, errors and SIGINT/SIGTERM/SIGHUP.

            When stdout is not a terminal (or with --batch), prints a block of plain lines per refresh \
            instead, each line starting with its kind (top, worker, global, ipsec, invalid-spi, log), \
            a blank line after each block.
            """)

    @Option(name: .long, help: "Control socket path.")
    var socket: String?

    @Option(name: .long, help: "Seconds between refreshes (0.1 to 3600).")
    var interval: Double = 1

    @Option(name: [.customShort("n"), .long], help: "Stop after this many refreshes (default: until q or Ctrl-C).")
    var iterations: Int?

    @Flag(name: .long, help: "Plain lines even when stdout is a terminal.")
    var batch = false

    func validate() throws {
        guard interval >= 0.1 && interval <= 3600 else {
            throw ValidationError("--interval \(interval): must be between 0.1 and 3600 seconds")
        }
        if let iterations, iterations < 1 { throw ValidationError("--iterations \(iterations): must be 1 or more") }
    }

    func run() throws {
        let client = try connect(socket ?? ControlSocketPath.default)
        let nanoseconds = UInt64(interval * 1e9)
        let plain = batch || !RawTerminal.isTerminal(STDOUT_FILENO)
        // A screen's worth of syslog at most; plain blocks need only the lines since the last one.
        let lines = plain ? TopSnapshot.defaultSyslogLines : max(TopSnapshot.defaultSyslogLines, RawTerminal.size(of: STDOUT_FILENO)?.rows ?? 0)
        let fetch = { () throws -> TopSnapshot in
            try Self.daemon {
                guard let top = try client.send(ControlProtocol.Request(operation: .top, syslogLines: lines)).top else {
                    throw QFPFailure("the daemon sent no snapshot (is it an older qfp?)")
                }
                return top
            }
        }
        if plain {
            try TopBatch(interval: nanoseconds, iterations: iterations, fetch: fetch) { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }.run()
            return
        }
        let console = TopConsole(input: STDIN_FILENO, output: STDOUT_FILENO, interval: nanoseconds, iterations: iterations,
                                 fetch: fetch, clearRouter: { try Self.clearRouter(client) })
        if let signal = try console.run() {
            // The screen and the terminal are back: end as the signal asked.
            _ = Glibc.signal(signal, SIG_DFL)
            _ = raise(signal)
        }
    }

    /// The IOS commands that clear the QFP drop tables (global causes, then IPsec feature drops).
    static let clearCommands = [
        "show platform hardware qfp active statistics drop clear",
        "show platform hardware qfp active feature ipsec datapath drops clear",
    ]

    static func clearRouter(_ client: ControlSocketClient) throws -> String {
        for command in clearCommands {
            let response = try daemon { try client.execute(command) }
            if response.failed {
                throw QFPFailure("\(command): \(response.output.split(separator: "\n").last ?? "failed")")
            }
        }
        return "cleared the router's QFP drop counters (statistics drop clear, feature ipsec datapath drops clear)"
    }

    /// Runs `body`, turning a lost daemon into the one-line message users expect.
    static func daemon<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ControlSocketClient.ClientError {
            throw QFPFailure(error.description)
        }
    }
}
