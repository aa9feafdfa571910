import Foundation
@testable import QFPControl
import QFPDataplane
import Testing

/// A real rsyslogd on loopback, run as the current user with a throwaway configuration.
final class RsyslogReceiver {
    let directory: URL
    let output: URL
    let port: UInt16
    let process = Process()

    /// rsyslogd lives in /usr/sbin, often not on a user's PATH.
    static func executable() -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (path + ["/usr/sbin", "/sbin", "/usr/local/sbin"])
            .map { $0 + "/rsyslogd" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A UDP port free at the time of asking.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    init(executable: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfp-rsyslog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        output = directory.appendingPathComponent("received.log")
        port = try Self.freePort()
        let configuration = """
            global(workDirectory="\(directory.path)")
            module(load="imudp")
            input(type="imudp" address="127.0.0.1" port="\(port)")
            template(name="raw" type="string" string="%rawmsg%\\n")
            action(type="omfile" file="\(output.path)" template="raw")

            """
        let conf = directory.appendingPathComponent("rsyslog.conf")
        try configuration.write(to: conf, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-n", "-f", conf.path, "-i", directory.appendingPathComponent("rsyslogd.pid").path]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
    }

    /// The lines received so far.
    var lines: [String] {
        ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls the output file until `done` holds for its lines or `seconds` pass.
    func wait(seconds: Double = 10, until done: ([String]) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var current = lines
        while !done(current), Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            current = lines
        }
        return current
    }

    /// Kills rsyslogd and removes its files. SIGKILL, not SIGTERM: Process spawns from a
    /// thread that blocks SIGTERM, rsyslogd inherits the mask, and then notices SIGTERM only at
    /// its main loop's next periodic wake-up (minutes).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("Syslog over UDP to a real rsyslogd", .serialized)
struct SyslogUDPTests {
    @Test("logging host gets <PRI>SEQ: STAMP: %… datagrams, one invalid-SPI line per minute, trap level honoured")
    func rsyslog() throws {
        guard let executable = RsyslogReceiver.executable() else {
            Issue.record("rsyslogd is not installed: run `Tools/setup --test` (installs rsyslog) to run this test")
            return
        }
        let receiver = try RsyslogReceiver(executable: executable)
        defer { receiver.stop() }

        // rsyslogd is up when a probe gets through.
        let probe = SyslogUDPSender()
        defer { probe.close() }
        let host = LoggingHost(address: IPAddress("127.0.0.1")!, port: receiver.port)
        let ready = receiver.wait { lines in
            probe.send("<191>0: qfp probe", to: [host])
            return lines.contains { $0.contains("qfp probe") }
        }
        try #require(ready.contains { $0.contains("qfp probe") }, "rsyslogd did not start receiving on 127.0.0.1:\(receiver.port)")

        let (logger, clock) = makeLogger()
        defer { logger.close() }
        var c = ControlConfiguration()
        c.logging.hosts = [host]
        logger.apply(c)
        logger.setDebug(.cryptoISAKMP, true)
        for i in 0..<600 {
            logger.log(invalidSPISample)
            if i == 10 { logger.debug("ISAKMP: not sent (debugging is below trap level informational)") }
            clock.advance(by: .milliseconds(300))  // 600 × 0.3 s = 180 s
        }
        logger.log(.configured(by: "console by console"))

        let lines = receiver.wait { $0.contains { $0.contains("CONFIG_I") } }.filter { !$0.contains("qfp probe") }
        #expect(lines == [
            "<188>1: Mar 21 00:00:00.000: " + invalidSPISample.formatted,
            "<188>2: Mar 21 00:01:00.000: " + invalidSPISample.formatted,
            "<188>3: Mar 21 00:02:00.000: " + invalidSPISample.formatted,
            "<189>4: Mar 21 00:03:00.000: %SYS-5-CONFIG_I: Configured from console by console",
        ])
        #expect(logger.trapMessageLinesLogged == 4)
        #expect(logger.messagesRateLimited == 597)
    }
}
