import Foundation
import Testing

/// The built `qfp` binary next to this test bundle.
func qfpBinary() -> URL {
    let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
        ?? URL(fileURLWithPath: CommandLine.arguments[0])
    return bundle.deletingLastPathComponent().appendingPathComponent("qfp")
}

/// Runs `qfp` with `stdin` fed in (and `environment` added to this process's) and waits for it.
func runQFP(_ arguments: [String], stdin: String, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = qfpBinary()
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let input = Pipe(), out = Pipe(), err = Pipe()
    process.standardInput = input
    process.standardOutput = out
    process.standardError = err
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// `qfp run` in the background on a private socket; stopped (SIGTERM) at the end.
final class Daemon {
    let directory: String
    let socket: String
    let process = Process()
    let stderr = Pipe()

    /// A daemon on a fresh socket; without traffic unless `extra` asks for it (`--profile`,
    /// or `traffic: true` for the embedded profile).
    init(config: String? = nil, extra: [String] = [], traffic: Bool = false) throws {
        directory = "/tmp/qfp-daemon-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = directory + "/qfp.sock"
        process.executableURL = qfpBinary()
        let quiet = traffic || extra.contains("--profile") || config != nil ? [] : ["--no-traffic"]
        process.arguments = ["run", "--socket", socket, "--workers", "1"] + (config.map { ["--config", $0] } ?? []) + quiet + extra
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until it answers.
        for _ in 0..<400 where process.isRunning {
            if FileManager.default.fileExists(atPath: socket), (try? cli("show clock").status) == 0 { return }
            usleep(25_000)
        }
        throw DaemonError(description: "qfp run did not start: \(String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self))")
    }

    struct DaemonError: Error, CustomStringConvertible { let description: String }

    func cli(_ commands: String..., json: Bool = false) throws -> (status: Int32, stdout: String, stderr: String) {
        try runQFP(["cli", "--socket", socket] + (json ? ["--json"] : []) + commands)
    }

    /// Sends `signal` and waits for the exit status.
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        _ = stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite("qfp run, qfp cli, qfp shell")
struct DaemonTests {
    @Test("one-shot commands: output, IOS errors with exit 1, --json, several commands in one call")
    func cli() throws {
        let d = try Daemon()
        let ok = try d.cli("sh plat hard qfp act stat drop | i Ipsec")
        #expect(ok.status == 0 && ok.stdout == "")
        let error = try d.cli("show crypto ipsec sa frob")
        #expect(error.status == 1)
        #expect(error.stdout == "qfp-asr1k#show crypto ipsec sa frob\n                               ^\n% Invalid input detected at '^' marker.\n\n")
        let ambiguous = try d.cli("show c")
        #expect(ambiguous.status == 1 && ambiguous.stdout == "% Ambiguous command:  \"show c\"\n")
        let json = try d.cli("show crypto session", json: true)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let sessions = object?["sessions"] as? [[String: Any]]
        #expect(sessions?.map { $0["peer"] as? String } == ["198.51.100.7", "198.51.100.9", "203.0.113.5", "203.0.113.77"])
        let two = try d.cli("show clock", "show crypto isakmp sa")
        #expect(two.status == 0 && two.stdout.contains(" UTC ") && two.stdout.contains("IPv4 Crypto ISAKMP SA\n"))
    }

    @Test("no daemon: one line on stderr and exit 1")
    func noDaemon() throws {
        let r = try runQFP(["cli", "--socket", "/tmp/qfp-nobody-\(getpid())/qfp.sock", "show clock"])
        #expect(r.status == 1)
        #expect(r.stderr == "qfp: no qfp daemon at /tmp/qfp-nobody-\(getpid())/qfp.sock (start one with 'qfp run')\n")
    }

    @Test("a second daemon on the socket is refused; SIGTERM stops cleanly and removes the socket; SIGKILL's stale socket is replaced")
    func lifecycle() throws {
        let d = try Daemon()
        let second = try runQFP(["run", "--socket", d.socket, "--workers", "1"])
        #expect(second.status == 1)
        #expect(second.stderr.hasSuffix("qfp: a qfp daemon is already serving \(d.socket) (stop it, or use --socket)\n"))
        #expect(try d.cli("show clock").status == 0)
        #expect(d.stop(SIGTERM) == 0)
        #expect(!FileManager.default.fileExists(atPath: d.socket))

        let killed = try Daemon()
        _ = killed.stop(SIGKILL)
        #expect(FileManager.default.fileExists(atPath: killed.socket))   // left behind
        let replacement = Process()
        replacement.executableURL = qfpBinary()
        replacement.arguments = ["run", "--socket", killed.socket, "--workers", "1"]
        replacement.standardError = FileHandle.nullDevice
        try replacement.run()
        defer { kill(replacement.processIdentifier, SIGTERM); replacement.waitUntilExit() }
        var answered = false
        for _ in 0..<400 where !answered {
            answered = (try? runQFP(["cli", "--socket", killed.socket, "show clock"]).status) == 0
            if !answered { usleep(25_000) }
        }
        #expect(answered)
    }

    @Test("qfp shell runs a script from a file or stdin and prints the console transcript")
    func shellScripts() throws {
        let d = try Daemon()
        let script = "show crypto isakmp sa\nconf t\nhostname edge-9\nend\nsh cry isakmp sa | i IPv6\n"
        let fromStdin = try runQFP(["shell", "--socket", d.socket], stdin: script)
        #expect(fromStdin.status == 0)
        #expect(fromStdin.stdout == """
            qfp-asr1k#show crypto isakmp sa
            IPv4 Crypto ISAKMP SA
            dst             src             state          conn-id status

            IPv6 Crypto ISAKMP SA

            qfp-asr1k#conf t
            Enter configuration commands, one per line.  End with CNTL/Z.
            qfp-asr1k(config)#hostname edge-9
            edge-9(config)#end
            edge-9#sh cry isakmp sa | i IPv6
            IPv6 Crypto ISAKMP SA

            """)
        let file = d.directory + "/script.txt"
        try "show nonsense\nshow clock | count UTC\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try runQFP(["shell", "--socket", d.socket, file])
        #expect(fromFile.status == 1)   // one command failed
        #expect(fromFile.stdout.hasSuffix("edge-9#show clock | count UTC\nNumber of lines which match regexp = 1\n"))
    }

    @Test("--config: a file with errors names file, line and token, starts nothing; a good one round-trips through show running-config")
    func configFiles() throws {
        let directory = "/tmp/qfp-config-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bad = directory + "/bad.cfg"
        try "hostname r1\ninterface GigabitEthernet1\n ip address 192.0.2.1 255.255.255.0\n crypto mop X\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try runQFP(["run", "--socket", directory + "/s.sock", "--config", bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(bad):4"))
        #expect(r.stderr.contains("% Invalid input detected at '^' marker."))
        #expect(!FileManager.default.fileExists(atPath: directory + "/s.sock"))

        let missing = try runQFP(["run", "--socket", directory + "/s.sock", "--config", directory + "/none.cfg"])
        #expect(missing.status == 1 && missing.stderr == "qfp: cannot read configuration file \(directory)/none.cfg\n")

        // The embedded default, as a file: the running config printed back loads to the same state.
        let first = try Daemon()
        let running = try first.cli("show running-config").stdout
        let file = directory + "/running.cfg"
        try running.write(toFile: file, atomically: true, encoding: .utf8)
        let second = try Daemon(config: file)
        let again = try second.cli("show running-config").stdout
        func body(_ s: String) -> String { s.split(separator: "\n").filter { !$0.hasPrefix("! Last configuration change") }.joined(separator: "\n") }
        #expect(body(again) == body(running))
    }
}
