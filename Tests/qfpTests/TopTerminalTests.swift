import Foundation
import Glibc
import Testing

/// A private tmux server with one window running `sh`, for reading what a screen shows.
///
/// The server runs in the foreground (`tmux -D`) as this test's child: a server that a client
/// daemonized would inherit the descriptor through which Foundation's `Process` learns that the
/// client ended, and waiting for the client would then never return.
final class TmuxPane {
    let socket: String
    let server = Process()
    /// The shell's prompt as a capture shows it (capture-pane drops trailing spaces).
    static let prompt = "qfp-test>"

    init(directory: String, columns: Int, rows: Int) throws {
        socket = directory + "/tmux.sock"
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["tmux", "-D", "-f", "/dev/null", "-S", socket]
        server.environment = Self.environment
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(25_000) }
        let r = try tmux(["new-session", "-d", "-s", "top", "-x", String(columns), "-y", String(rows), "/bin/sh"])
        guard r.status == 0 else { throw Daemon.DaemonError(description: "tmux new-session failed: \(r.output)") }
        // sh ignores a PS1 from the environment when run as root: set it (quoted so that the
        // echo of this line is not the prompt).
        try type("PS1=\"qfp-test\"'> '", enter: true)
        #expect(wait { $0.contains(Self.prompt) } != nil, "no shell prompt in tmux:\n\(screen())")
    }

    deinit {
        _ = try? tmux(["kill-server"])
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    /// No shell start-up file, no outer tmux, a terminal type with an alternate screen.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ENV"] = nil
        environment["TMUX"] = nil
        environment["TERM"] = "xterm"
        return environment
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-S", socket] + arguments
        process.environment = Self.environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Types `text` literally, then Enter when asked.
    func type(_ text: String, enter: Bool = false) throws {
        try tmux(["send-keys", "-t", "top", "-l", text])
        if enter { try tmux(["send-keys", "-t", "top", "Enter"]) }
    }

    /// Sends a key by tmux name (`C-c`).
    func key(_ name: String) throws {
        try tmux(["send-keys", "-t", "top", name])
    }

    /// What the pane shows now.
    func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-t", "top"]).output) ?? ""
    }

    /// Polls the screen until `condition` holds (bounded by 20 s, so a regression fails, not hangs).
    func wait(_ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let s = screen()
            if condition(s) { return s }
            usleep(100_000)
        }
        return nil
    }
}

/// The `Total` column of a drop row (`IpsecInput   25   1050   1050`).
func topTotal(_ screen: String, row label: String) -> UInt64? {
    guard let line = screen.split(separator: "\n").first(where: { $0.hasPrefix(label + " ") }) else { return nil }
    let fields = line.split(separator: " ")
    return fields.count >= 3 ? UInt64(fields[fields.count - 2]) : nil
}

@Suite("qfp top on a terminal")
struct TopTerminalTests {
    @Test("in tmux: the drop causes show and count up; keys sort, pause and clear; Ctrl-C leaves the terminal sane")
    func tmuxScreen() throws {
        let d = try Daemon(traffic: true)
        defer { _ = d.stop() }
        let pane = try TmuxPane(directory: d.directory, columns: 120, rows: 50)
        let state = d.directory + "/stty"
        // The marker comes after the terminal state is saved: once it shows, the file is complete.
        try pane.type("stty -g > \(state).before; \(qfpBinary().path) top --socket \(d.socket) --interval 0.5; "
                      + "rc=$?; stty -g > \(state).after; echo top-exit=$rc", enter: true)

        // The embedded traffic's stale peers: drop 4 under IpsecInput, counting up between refreshes.
        let first = try #require(pane.wait {
            $0.contains("4 IN_US_V4_PKT_SA_NOT_FOUND_SPI") && topTotal($0, row: "IpsecInput") != nil
        }, "\(pane.screen())")
        #expect(first.contains("qfp top - qfp-asr1k  up "))
        #expect(first.contains("Global drop cause                          *Rate pps         Total   Since clear"))
        let before = try #require(topTotal(first, row: "IpsecInput"))
        let featureBefore = try #require(topTotal(first, row: "4 IN_US_V4_PKT_SA_NOT_FOUND_SPI"))
        let later = pane.wait {
            (topTotal($0, row: "IpsecInput") ?? 0) > before && (topTotal($0, row: "4 IN_US_V4_PKT_SA_NOT_FOUND_SPI") ?? 0) > featureBefore
        }
        #expect(later != nil, "IpsecInput \(before), drop 4 \(featureBefore), then:\n\(pane.screen())")

        try pane.type("s")
        #expect(pane.wait { $0.contains("Rate pps        *Total   Since clear") } != nil, "\(pane.screen())")
        try pane.type("p")
        let paused = pane.wait { $0.contains("[PAUSED]") }
        #expect(paused != nil)
        try pane.type("c")
        let cleared = pane.wait { $0.contains("since clear: top's baseline, taken 00:00:00 ago") }
        #expect(cleared != nil, "\(pane.screen())")
        if let cleared {
            // Paused: the baseline is the frame on screen, so "since clear" reads 0 in it.
            #expect(cleared.split(separator: "\n").first { $0.hasPrefix("IpsecInput ") }?.hasSuffix(" 0") == true, "\(cleared)")
        }
        try pane.type("p")
        #expect(pane.wait { !$0.contains("[PAUSED]") && $0.contains("p pause") } != nil)

        // C clears the router's own counters: "since clear" follows them again, below the totals.
        try pane.type("C")
        let routerCleared = pane.wait {
            $0.contains("cleared the router's QFP drop counters") && !$0.contains("last clearing of QFP drops: never")
        }
        #expect(routerCleared != nil, "\(pane.screen())")
        if let row = routerCleared?.split(separator: "\n").first(where: { $0.hasPrefix("IpsecInput ") }) {
            let fields = row.split(separator: " ")
            let total = UInt64(fields[fields.count - 2]) ?? 0, since = UInt64(fields[fields.count - 1]) ?? .max
            #expect(since < total, "\(row)")
        }
        let ios = try d.cli("show platform hardware qfp active statistics drop").stdout
        #expect(!ios.contains("Last clearing of QFP drops statistics : never"), "\(ios)")

        try pane.key("C-c")
        let after = try #require(pane.wait { $0.contains("top-exit=0") }, "\(pane.screen())")
        // The alternate screen is gone: the shell's screen is back, top's frame is not on it.
        #expect(!after.contains("Global drop cause"))
        #expect(try String(contentsOfFile: state + ".before", encoding: .utf8) == String(contentsOfFile: state + ".after", encoding: .utf8))
        try pane.type("stty -a", enter: true)
        let stty = try #require(pane.wait { $0.contains("icanon") && $0.contains("opost") }, "\(pane.screen())")
        let flags = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for on in ["icanon", "echo", "isig", "icrnl", "opost", "iexten"] {
            #expect(flags.contains(on) && !flags.contains("-" + on), "\(on) not restored:\n\(stty)")
        }
    }
}
