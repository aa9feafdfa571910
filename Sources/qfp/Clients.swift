import ArgumentParser
import Foundation
import QFPCLI

/// `qfp cli`: one or more commands against the running daemon.
struct CLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cli",
        abstract: "Run IOS commands on the running daemon and print their output.",
        discussion: "Exits 1 when a command fails with an IOS error, or when no daemon answers.")

    @Option(name: .long, help: "Control socket path.")
    var socket: String?

    @Flag(name: .long, help: "Print each command's data as JSON (the same as appending `| json`).")
    var json = false

    @Argument(help: "Commands, each one argument: qfp cli 'show crypto ipsec sa'")
    var commands: [String]

    func run() throws {
        let path = socket ?? ControlSocketPath.default
        let client = try connect(path)
        _ = try client.send(ControlProtocol.Request(operation: .hello, interactive: false))
        var failed = false
        for command in commands {
            let line = json ? command + " | json" : command
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("?") {
                let reply = try client.send(ControlProtocol.Request(operation: .help, line: String(trimmed.dropLast())))
                FileHandle.standardOutput.write(Data((reply.text ?? "").utf8))
                continue
            }
            let response = try client.execute(line, echo: true)
            FileHandle.standardOutput.write(Data(response.output.utf8))
            failed = failed || response.failed
            if response.closed { break }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Connects, turning "nobody home" into the one-line message users expect.
func connect(_ path: String) throws -> ControlSocketClient {
    do {
        return try ControlSocketClient(path: path)
    } catch let error as ControlSocketClient.ClientError {
        throw QFPFailure(error.description)
    }
}

/// `qfp shell`: an interactive `Router#` prompt, or a script from a file or stdin.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An interactive IOS prompt on the running daemon (line editing, history, ? help, Tab, --More--).",
        discussion: "With FILE, or when stdin is not a terminal, runs the lines as a script and prints the transcript.")

    @Option(name: .long, help: "Control socket path.")
    var socket: String?

    @Argument(help: "A file of commands to run instead of reading the terminal.")
    var file: String?

    func run() throws {
        let path = socket ?? ControlSocketPath.default
        let client = try connect(path)
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw QFPFailure("cannot read \(file)") }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }   // the file's final newline
            try script(client, lines: lines)
            return
        }
        guard RawTerminal.isTerminal(STDIN_FILENO) else {
            var lines: [String] = []
            while let line = readLine(strippingNewline: true) { lines.append(line) }
            try script(client, lines: lines)
            return
        }
        try interactive(client)
    }

    /// Runs lines non-interactively, printing `prompt + line` and the output of each.
    func script(_ client: ControlSocketClient, lines: [String]) throws {
        guard let hello = try client.send(ControlProtocol.Request(operation: .hello, interactive: false)).response else { return }
        var prompt = hello.prompt
        var failed = false
        for line in lines {
            var out = prompt + line + "\n"
            if line.hasSuffix("?") {
                out += try client.send(ControlProtocol.Request(operation: .help, line: String(line.dropLast()))).text ?? ""
                FileHandle.standardOutput.write(Data(out.utf8))
                continue
            }
            let r = try client.execute(line)
            out += r.output
            FileHandle.standardOutput.write(Data(out.utf8))
            prompt = r.prompt
            failed = failed || r.failed
            if r.closed { break }
        }
        if failed { throw ExitCode(1) }
    }

    func interactive(_ client: ControlSocketClient) throws {
        guard let hello = try client.send(ControlProtocol.Request(operation: .hello, interactive: true)).response else { return }
        let stream = FileDescriptorStream(fd: STDIN_FILENO)
        let output = FileDescriptorStream(fd: STDOUT_FILENO)
        let terminal = try RawTerminal(fd: STDIN_FILENO)
        let editor = LineEditor(input: stream, output: output, terminal: terminal)
        let delegate = ShellDelegate(client: client)
        editor.delegate = delegate
        let pager = Pager(length: hello.terminalLength, input: stream, output: output, terminal: terminal)
        var prompt = hello.prompt
        while true {
            guard let entry = try editor.readLine(prompt: prompt) else { break }
            let line: String
            switch entry {
            case let .line(text): line = text
            case .end: line = "end"
            }
            let r = try client.execute(line)
            pager.length = r.terminalLength
            try pager.show(r.output)
            prompt = r.prompt
            if r.closed { break }
        }
    }
}

/// Forwards `?` and Tab to the daemon's session.
final class ShellDelegate: LineEditorDelegate {
    let client: ControlSocketClient
    init(client: ControlSocketClient) { self.client = client }

    func help(for line: String) -> String {
        (try? client.send(ControlProtocol.Request(operation: .help, line: line)).text) ?? "% qfp: the daemon did not answer\n"
    }

    func complete(_ line: String) -> String? {
        (try? client.send(ControlProtocol.Request(operation: .complete, line: line)))?.text
    }
}
