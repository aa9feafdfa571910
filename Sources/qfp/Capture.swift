import ArgumentParser
import Foundation
import QFPCLI

/// `qfp capture`: the daemon's capture of the packets it drops.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture the packets the running daemon drops to pcapng, the drop reason in each packet's comment.",
        discussion: """
            Wireshark shows the reason under "Packet comments" (tshark: -e frame.comment). Each packet keeps \
            its first 256 bytes. Counting never waits for the capture: drops that come faster than it \
            copies them are counted as usual and reported by `qfp capture stop`.
            """,
        subcommands: [Start.self, Stop.self, Status.self])

    static func send(_ socket: String?, _ action: ControlProtocol.Request.GeneratorAction, path: String? = nil) throws {
        let client = try connect(socket ?? ControlSocketPath.default)
        let reply = try client.send(.init(operation: .capture, action: action, path: path))
        if let failure = reply.failure ?? reply.error { throw QFPFailure(failure) }
        print(reply.text ?? "", terminator: "")
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start capturing drops to FILE (pcapng).")
        @Argument(help: "The pcapng file to write (the daemon writes it).")
        var file: String
        @Option(name: .long, help: "Control socket path.")
        var socket: String?
        func run() throws {
            let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            try CaptureCommand.send(socket, .start, path: path)
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop capturing and close the file.")
        @Option(name: .long, help: "Control socket path.")
        var socket: String?
        func run() throws { try CaptureCommand.send(socket, .stop) }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether drops are being captured, and where.")
        @Option(name: .long, help: "Control socket path.")
        var socket: String?
        func run() throws { try CaptureCommand.send(socket, .status) }
    }
}
