import Foundation
@testable import QFPCLI
import QFPControl
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A raw Unix-socket connection, for sending what a well-behaved client never would.
final class RawConnection {
    let fd: Int32

    init(_ path: String) throws {
        fd = try ControlSocketClient.connect(path)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }   // the server may close while we are still writing
            offset += n
        }
    }

    /// Everything until the server closes (or the 10 s timeout).
    func readToEnd() -> String {
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += chunk[..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A daemon-side control socket on a test router, in a private directory.
final class TestServer {
    let directory: String
    let path: String
    let router: TestRouter
    let server: ControlSocketServer

    init() throws {
        directory = "/tmp/qfp-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        path = directory + "/qfp.sock"
        router = try TestRouter()
        server = ControlSocketServer(path: path, controlPlane: router.controlPlane)
        try server.start()
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func client() throws -> ControlSocketClient { try ControlSocketClient(path: path) }
}

@Suite("Control socket daemon")
struct ControlSocketTests {
    @Test("the socket is mode 0600 in a 0700 directory, and answers like the console")
    func basics() throws {
        let s = try TestServer()
        let attributes = try FileManager.default.attributesOfItem(atPath: s.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: s.directory)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
        let c = try s.client()
        let r = try c.execute("sh cry isakmp sa")
        #expect(!r.failed && r.output.hasPrefix("IPv4 Crypto ISAKMP SA\n") && r.prompt == "qfp-asr1k#")
        let bad = try c.execute("show crypto frob", echo: true)
        #expect(bad.failed)
        #expect(bad.output == "qfp-asr1k#show crypto frob\n                      ^\n% Invalid input detected at '^' marker.\n\n")
        let help = try c.send(ControlProtocol.Request(operation: .help, line: "show crypto "))
        #expect(help.text?.contains("  isakmp   Show ISAKMP\n") == true)
        #expect(try c.send(ControlProtocol.Request(operation: .complete, line: "sh cry ses")).text == "sh cry session ")
    }

    @Test("32 concurrent clients, 25 commands each: every answer is the right one")
    func concurrentClients() async throws {
        let s = try TestServer()
        s.router.esp(from: .init("198.51.100.7")!, to: .init("192.0.2.1")!, spi: 0x7777, count: 3, length: 100)
        let path = s.path
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<32 {
                group.addTask {
                    let c = try ControlSocketClient(path: path)
                    var bad = 0
                    for i in 0..<25 {
                        switch (client + i) % 3 {
                        case 0:
                            let r = try c.execute("show platform hardware qfp active statistics drop | inc Ipsec")
                            if r.output != "IpsecInput                                      3                     300  \n" { bad += 1 }
                        case 1:
                            let r = try c.execute("sh plat hard qfp act feat ipsec data drops | count NOT.FOUND")
                            if r.output != "Number of lines which match regexp = 1\n" { bad += 1 }
                        default:
                            let r = try c.execute("show nothing")
                            if !r.failed || !r.output.contains("% Invalid input detected at '^' marker.") { bad += 1 }
                        }
                    }
                    return bad
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test("a second daemon on the same socket is refused; a stale socket file is replaced")
    func secondDaemonAndStaleSocket() throws {
        let s = try TestServer()
        let second = ControlSocketServer(path: s.path, controlPlane: s.router.controlPlane)
        #expect {
            try second.start()
        } throws: { error in
            "\(error)" == "a qfp daemon is already serving \(s.path) (stop it, or use --socket)"
        }
        #expect(try s.client().execute("show clock").failed == false)

        // A socket file nobody listens on, as a killed daemon leaves it.
        let stale = s.directory + "/stale.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(stale.utf8))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: stale))
        let replacement = ControlSocketServer(path: stale, controlPlane: s.router.controlPlane)
        try replacement.start()
        defer { replacement.stop() }
        #expect(try ControlSocketClient(path: stale).execute("show clock").failed == false)
    }

    @Test("no daemon: the message the user sees")
    func noDaemon() throws {
        #expect {
            _ = try ControlSocketClient(path: "/tmp/qfp-no-such-dir/qfp.sock")
        } throws: { error in
            "\(error)" == "no qfp daemon at /tmp/qfp-no-such-dir/qfp.sock (start one with 'qfp run')"
        }
    }

    @Test("malformed JSON, binary garbage and an oversized request get an error and a close; others keep being served")
    func badClients() throws {
        let s = try TestServer()
        let good = try s.client()

        let json = try RawConnection(s.path)
        json.send(Array("{\"op\": \"execute\", \"line\": \n".utf8))
        #expect(json.readToEnd() == "{\"error\":\"qfp: malformed request (expected one JSON object per line)\"}\n")

        let garbage = try RawConnection(s.path)
        var bytes = (0..<4000).map { _ in UInt8.random(in: 0...255) }
        bytes.append(0x0A)
        garbage.send(bytes)
        #expect(garbage.readToEnd().hasPrefix("{\"error\":\"qfp: malformed request"))

        let unknown = try RawConnection(s.path)
        unknown.send(Array("{\"op\": \"reboot\"}\n".utf8))
        #expect(unknown.readToEnd().hasPrefix("{\"error\":\"qfp: malformed request"))

        let big = try RawConnection(s.path)
        big.send([UInt8](repeating: 0x41, count: ControlProtocol.maximumMessageBytes + 10))
        #expect(big.readToEnd() == "{\"error\":\"qfp: request longer than 65536 bytes\"}\n")

        #expect(try good.execute("show clock").failed == false)
        #expect(try s.client().execute("show clock").failed == false)
    }

    @Test("a client that disconnects mid-request or before its answer does not disturb the daemon")
    func disconnects() throws {
        let s = try TestServer()
        for _ in 0..<20 {
            let half = try RawConnection(s.path)
            half.send(Array("{\"op\":\"execute\",\"line\":\"show crypto ipsec".utf8))   // no newline, then gone
            let gone = try RawConnection(s.path)
            gone.send(Array("{\"op\":\"execute\",\"line\":\"show crypto ipsec sa detail\"}\n".utf8))   // gone before the reply
        }
        let c = try s.client()
        #expect(try c.execute("show crypto ipsec sa | count spi:").output == "Number of lines which match regexp = 8\n")
    }

    @Test("over-long lines and control characters are IOS errors, not crashes")
    func badLines() throws {
        let s = try TestServer()
        let c = try s.client()
        let long = try c.execute("show " + String(repeating: "x", count: CLISession.maximumLineLength))
        #expect(long.failed && long.output == "% Input line too long (4101 characters; at most 4096)\n")
        let control = try c.execute("show cl\u{1}ock", echo: true)
        #expect(control.failed)
        #expect(control.output == "qfp-asr1k#show cl\u{1}ock\n                 ^\n% Invalid input detected at '^' marker.\n\n")
        #expect(try c.execute("show clock").failed == false)
    }

    @Test("exit ends the session and the daemon closes that connection only")
    func exitCloses() throws {
        let s = try TestServer()
        let c = try s.client()
        #expect(try c.execute("exit").closed)
        #expect(throws: ControlSocketClient.ClientError.self) { try c.execute("show clock") }
        #expect(try s.client().execute("show clock").failed == false)
    }
}
