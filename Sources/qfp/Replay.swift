import ArgumentParser
import Foundation
import QFPCapture
import QFPCLI
import QFPControl

/// `qfp replay`: a capture through the router, and what it counted.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a capture (pcap or pcapng) through the router and print what it counted.",
        discussion: """
            Link types Ethernet (with VLAN tags), raw IP, IPv4, IPv6, Linux cooked v1 and v2, BSD loopback. \
            Prints `show platform hardware qfp active statistics drop` and `show platform hardware qfp \
            active feature ipsec datapath drops` as the router shows them (or both as JSON with --json). \
            Time follows the capture's timestamps whatever the speed, so the counts, the rate-limited \
            syslog and the punts are the same on every run. A truncated or corrupt file ends with an \
            error naming the record and byte offset, after printing what was read; exit status 1.
            """)

    @Argument(help: "The capture file.")
    var file: String

    @Option(name: .long, help: "IOS configuration of the router (default: the embedded default router).")
    var config: String?

    @Option(name: .long, help: "max (default), original (the capture's own timing), or packets per second.")
    var speed: String = "max"

    @Flag(name: .long, help: "Print the counters as JSON.")
    var json = false

    @Option(name: .long, help: "Write the packets the router sent (decrypted inner packets, encrypted outbound packets) to this file: pcap, or pcapng when it ends in .pcapng; raw IP, stamped with the capture's times.")
    var write: String?

    func run() throws {
        let replaySpeed: CaptureReplay.Speed
        switch speed.lowercased() {
        case "max": replaySpeed = .maximum
        case "original": replaySpeed = .original
        default:
            guard let pps = Double(speed), pps > 0, pps.isFinite else {
                throw ValidationError("--speed must be max, original or a packet rate above 0, got '\(speed)'")
            }
            replaySpeed = .packetsPerSecond(pps)
        }
        let configuration = try loadConfiguration(config, consequence: "nothing replayed").configuration
        let bytes: [UInt8]
        do { bytes = try readWholeFile(file) } catch { throw QFPFailure("cannot read capture \(file): \(error)") }

        let replay = try CaptureReplay(configuration: configuration, keepTransmitted: write != nil)
        var sink: CaptureSink?
        if let write {
            do { sink = try CaptureSink(path: write, format: write.hasSuffix(".pcapng") ? .pcapng : .pcap) } catch {
                throw QFPFailure("--write \(write): \(error)")
            }
            replay.onTransmit = { packet, time in
                packet.withUnsafeBytes { sink?.append($0, calendarNanoseconds: time) }
            }
        }
        replay.run(bytes, speed: replaySpeed) { nanoseconds in
            var ts = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            nanosleep(&ts, nil)
        }
        let s = replay.summary
        var written: (path: String, packets: Int)?
        if let sink {
            if let failure = sink.finish() { throw QFPFailure("--write \(sink.path): \(failure)") }
            written = (sink.path, sink.packets)
        }
        let commands = ["show platform hardware qfp active statistics drop",
                        "show platform hardware qfp active feature ipsec datapath drops"]
        if json {
            var out = "{\n  \"file\": \(encode(file)),\n  \"summary\": \(encode(s)),\n"
            out += "  \"statistics_drop\": \(replay.show(commands[0] + " | json").trimmingCharacters(in: .whitespacesAndNewlines)),\n"
            out += "  \"ipsec_datapath_drops\": \(replay.show(commands[1] + " | json").trimmingCharacters(in: .whitespacesAndNewlines))"
            if let written { out += ",\n  \"written\": {\"file\": \(encode(written.path)), \"packets\": \(written.packets)}" }
            out += "\n}\n"
            FileHandle.standardOutput.write(Data(out.utf8))
        } else {
            var out = "Replayed \(file): \(s.records) record\(s.records == 1 ? "" : "s"), \(s.injected) IP packet\(s.injected == 1 ? "" : "s") into the router"
            var skipped: [String] = []
            if s.notIP > 0 { skipped.append("\(s.notIP) not IP") }
            if s.undecodable > 0 { skipped.append("\(s.undecodable) undecodable link header") }
            if s.oversize > 0 { skipped.append("\(s.oversize) longer than 1856 bytes") }
            if !skipped.isEmpty { out += "; skipped " + skipped.joined(separator: ", ") }
            out += "\n"
            if let written { out += "Wrote \(written.packets) packet\(written.packets == 1 ? "" : "s") the router sent to \(written.path)\n" }
            out += "\n"
            for command in commands {
                out += "\(configuration.hostname)#\(command)\n" + replay.show(command) + "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        if let error = s.error { throw QFPFailure("\(file): \(error)") }
    }

    func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
