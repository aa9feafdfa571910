import Foundation
import Testing

/// A free TCP port on loopback (bound, read, released: the daemon takes it right after).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            guard bind(fd, p, length) == 0 else { return -1 }
            return getsockname(fd, p, &length)
        }
    }
    guard bound == 0 else { throw Daemon.DaemonError(description: "no free port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs a program and captures its output.
func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// A daemon with accounts and an SSH server on a free loopback port.
struct SSHFixture {
    let daemon: Daemon
    let port: Int
    let directory: String
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(extraConfiguration: String = "") throws {
        let defaults = try runQFP(["run", "--show-default-config"]).stdout
        directory = "/tmp/qfp-ssh-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = """
            enable secret 0 En4ble-me
            username ops secret 0 0ps-pass
            username admin privilege 15 secret 0 Adm1n-pass
            \(extraConfiguration)
            end
            """
        let config = directory + "/router.cfg"
        try defaults.replacingOccurrences(of: "\nend\n", with: "\n" + accounts + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        port = try freeLoopbackPort()
        daemon = try Daemon(config: config, extra: ["--ssh", "127.0.0.1:\(port)", "--ssh-host-key", directory + "/hostkey"])
    }
}

@Suite("qfp run --ssh: netmiko and OpenSSH against a running daemon")
struct SSHDaemonTests {
    /// Every show command of the exec table (with its options), a pipe and an error.
    static let commands = [
        "show platform hardware qfp active statistics drop",
        "show platform hardware qfp active statistics drop all",
        "show platform hardware qfp active statistics drop worker 0",
        "show platform hardware qfp active statistics drop history",
        "show platform hardware qfp active feature ipsec datapath drops",
        "show platform hardware qfp active feature ipsec datapath drops all",
        "show platform hardware qfp active feature ipsec datapath drops worker 0",
        "show platform hardware qfp active feature ipsec sa 1",
        "show platform hardware qfp active feature ipsec state",
        "show platform hardware qfp active datapath utilization",
        "show qfp invalid-spi",
        "show crypto ipsec sa", "show crypto ipsec sa detail", "show crypto ipsec sa peer 203.0.113.5",
        "show crypto isakmp sa", "show crypto ikev2 sa", "show crypto ikev2 sa detail",
        "show crypto session", "show crypto session detail",
        "show version", "show debugging", "show running-config",
        "show plat hard qfp act stat drop all | include Ipsec",
        "show crypto session | json",
        "show crypto ipsec sa frob",
    ]

    @Test("netmiko cisco_xe: wrong password refused; enable; every show command as qfp cli prints it; send_config_set; audit lines")
    func netmiko() throws {
        let f = try SSHFixture()
        let commandsFile = f.directory + "/commands.txt", configFile = f.directory + "/config.txt"
        try (Self.commands.joined(separator: "\n") + "\n").write(toFile: commandsFile, atomically: true, encoding: .utf8)
        try "crypto ipsec security-association replay window-size 512\nip access-list extended FROM-NETMIKO\npermit ip any any\n"
            .write(toFile: configFile, atomically: true, encoding: .utf8)
        let r = try runProgram("/usr/bin/env", ["python3", SSHFixture.root.path + "/Tools/netmiko_check.py", "--port", "\(f.port)",
                                                "--user", "ops", "--password", "0ps-pass", "--secret", "En4ble-me",
                                                "--commands", commandsFile, "--config-lines", configFile,
                                                "--qfp", qfpBinary().path, "--socket", f.daemon.socket])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)\n\(r.stderr)")
        #expect(result["wrong_password"] as? String == "refused")
        #expect(result["prompt_before_enable"] as? String == "qfp-asr1k>")
        #expect(result["prompt"] as? String == "qfp-asr1k#")
        let outputs = try #require(result["outputs"] as? [String: String])
        let cli = try #require(result["cli"] as? [String: [String]])
        for command in Self.commands {
            let got = try #require(outputs[command], "no output for \(command)")
            // `qfp cli` just before and just after: a counter or an uptime may tick in between.
            let expected = try #require(cli[command]).map { text in
                // A one-shot error starts with the prompt and the line (a terminal has shown
                // them already: the echo); netmiko strips the echo, the prompt and the newline
                // before the prompt.
                var t = text
                if t.hasPrefix("qfp-asr1k#" + command + "\n") { t.removeFirst(("qfp-asr1k#" + command + "\n").count) }
                return t.hasSuffix("\n") ? String(t.dropLast()) : t
            }
            #expect(expected.contains(got), "\(command): \(lineDifference(expected[1], got))")
        }
        let running = try #require(result["running_config"] as? String)
        #expect(running.contains("crypto ipsec security-association replay window-size 512\n"))
        #expect(running.contains("ip access-list extended FROM-NETMIKO\n 10 permit ip any any\n"))
        #expect(!running.contains("0ps-pass") && running.contains("username ops secret 9 $9$"))
        #expect(try f.daemon.cli("show running-config").stdout.contains("ip access-list extended FROM-NETMIKO\n"))

        let log = try f.daemon.cli("show logging").stdout
        #expect(log.contains("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ops] [Source: 127.0.0.1] [localport: \(f.port)] [Reason: Login Authentication Failed] at "))
        #expect(log.contains("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ops] [Source: 127.0.0.1] [localport: \(f.port)] at "))
        #expect(log.contains("%SYS-5-CONFIG_I: Configured from console by ops on vty0 (127.0.0.1)"))
        let failures = try f.daemon.cli("show login failures").stdout
        #expect(failures.hasPrefix("Total failed logins: 1\n") && failures.contains("\nops             127.0.0.1       \(f.port)"))
    }

    @Test("OpenSSH: a pinned host key, public-key login, one command by exec; an unknown key and an unknown user are refused")
    func openSSH() throws {
        let keyDirectory = "/tmp/qfp-ssh-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        for name in ["robot", "stranger"] {
            let made = try runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", keyDirectory + "/" + name])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let robotKey = try String(contentsOfFile: keyDirectory + "/robot.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let f = try SSHFixture(extraConfiguration: "username robot privilege 15 ssh-key \(robotKey)")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }

        // The host key file is private and its public half pins the server.
        var info = stat()
        #expect(stat(f.directory + "/hostkey", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(f.daemon.socket, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let hostKey = try String(contentsOfFile: f.directory + "/hostkey.pub", encoding: .utf8)
        try "[127.0.0.1]:\(f.port) \(hostKey)".write(toFile: keyDirectory + "/known_hosts", atomically: true, encoding: .utf8)

        func ssh(_ user: String, key: String, _ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runProgram("/usr/bin/ssh", ["-F", "/dev/null", "-p", "\(f.port)", "-i", keyDirectory + "/" + key,
                                            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                                            "-o", "UserKnownHostsFile=\(keyDirectory)/known_hosts", "-o", "PreferredAuthentications=publickey",
                                            "\(user)@127.0.0.1", command])
        }
        let version = try ssh("robot", key: "robot", "show version")
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.replacingOccurrences(of: "\r\n", with: "\n") == (try f.daemon.cli("show version").stdout))
        let bad = try ssh("robot", key: "robot", "show crypto ipsec sa frob")
        #expect(bad.status == 1 && bad.stdout.contains("% Invalid input detected at '^' marker."))
        #expect(try ssh("robot", key: "stranger", "show version").status == 255)
        #expect(try ssh("nobody", key: "robot", "show version").status == 255)
        let log = try f.daemon.cli("show logging").stdout
        #expect(log.contains("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: robot] [Source: 127.0.0.1]"))
        #expect(log.contains("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: nobody]"))
    }
}

extension SSHDaemonTests {
    @Test("OpenSSH against login block-for, the quiet-mode access class, and the vty's transport input and access-class")
    func loginProtection() throws {
        let keyDirectory = "/tmp/qfp-ssh-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        let made = try runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "robot", "-f", keyDirectory + "/robot"])
        #expect(made.status == 0, "\(made.stderr)")
        let robotKey = try String(contentsOfFile: keyDirectory + "/robot.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let f = try SSHFixture(extraConfiguration: """
            username robot privilege 15 ssh-key \(robotKey)
            login block-for 60 attempts 2 within 30
            line vty 0 15
             login local
             transport input ssh
            """)
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        func ssh(_ user: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runProgram("/usr/bin/ssh", ["-F", "/dev/null", "-p", "\(f.port)", "-i", keyDirectory + "/robot",
                                            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                                            "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=publickey",
                                            "-o", "ConnectTimeout=10", "\(user)@127.0.0.1", "show clock"])
        }
        func configure(_ lines: [String]) throws {
            let r = try runQFP(["cli", "--socket", f.daemon.socket, "configure terminal"] + lines + ["end"])
            #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        }
        #expect(try ssh("robot").status == 0)
        // Two failed logins within 30 s: quiet mode; the right key is refused too.
        #expect(try ssh("nobody").status == 255)
        #expect(try ssh("nobody").status == 255)
        let refused = try ssh("robot")
        #expect(refused.status == 255, "\(refused.stderr)")
        let log = try f.daemon.cli("show logging").stdout
        #expect(log.contains("%SEC_LOGIN-1-QUIET_MODE_ON: Still timeLeft for watching failures is "), "\(log)")
        #expect(log.contains("[user: nobody] [Source: 127.0.0.1] [localport: \(f.port)] [Reason: Login Authentication Failed] [ACL: sl_def_acl] at "))
        let login = try f.daemon.cli("show login").stdout
        #expect(login.contains("     Router presently in Quiet-Mode.\n     Will remain in Quiet-Mode for ") && login.contains("Denying logins from all sources."), "\(login)")

        // The quiet-mode access class lets the management host in.
        try configure(["access-list 10 permit host 127.0.0.1", "login quiet-mode access-class 10"])
        #expect(try ssh("robot").status == 0)
        // The vty lines decide next: no SSH, then a source the access class does not permit.
        try configure(["line vty 0 15", "transport input telnet"])
        #expect(try ssh("robot").status == 255)
        try configure(["line vty 0 15", "transport input ssh", "access-class 11 in", "access-list 11 permit host 192.0.2.1"])
        #expect(try ssh("robot").status == 255)
        try configure(["line vty 0 15", "no access-class 11 in"])
        let back = try ssh("robot")
        #expect(back.status == 0 && back.stdout.contains("UTC"), "\(back.stderr)")

        // The session registry, end to end: the SSH session sees itself as the current vty;
        // once it has gone, the console does not list it.
        let users = try runProgram("/usr/bin/ssh", ["-F", "/dev/null", "-p", "\(f.port)", "-i", keyDirectory + "/robot",
                                                    "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                                                    "-o", "UserKnownHostsFile=/dev/null", "robot@127.0.0.1", "show users"])
        let text = users.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(users.status == 0 && text.contains("*  2 vty 0     robot      idle                 00:00:00 127.0.0.1\n"), "\(text)")
        var after = ""
        for _ in 0..<100 {
            after = try f.daemon.cli("show users").stdout
            if !after.contains("robot") { break }
            usleep(20_000)
        }
        #expect(!after.contains("robot"), "the vty is released when the connection ends: \(after)")
    }
}

/// The first differing line of two outputs, for a readable failure.
func lineDifference(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
        return "line \(i + 1): expected \(i < a.count ? String(reflecting: String(a[i])) : "nothing"), got \(i < b.count ? String(reflecting: String(b[i])) : "nothing")"
    }
    return "equal"
}
