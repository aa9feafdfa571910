import Foundation
import Testing

/// Every exec command, replayed at the console of the embedded default router and compared
/// byte for byte with its golden transcript (Tests/QFPCLITests/Transcripts/*.txt).
@Suite("Golden IOS transcripts")
struct TranscriptTests {
    @Test("replays byte for byte", arguments: Transcript.all)
    func replay(_ name: String) throws {
        let transcript = try Transcript(name)
        let actual = try transcript.replay()
        if ProcessInfo.processInfo.environment["QFP_RECORD_TRANSCRIPTS"] == "1" {
            try actual.write(to: Transcript.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == transcript.text, "\(name): \(firstDifference(transcript.text, actual))")
    }

    @Test("every exec command appears in some transcript")
    func coverage() throws {
        let texts = try Transcript.all.map { try Transcript($0).text }.joined()
        // A command typed in full or abbreviated; each entry is a command's distinctive words,
        // as written in the transcripts.
        let commands = [
            "statistics drop\n", "statistics drop all", "statistics drop clear", "drop history\n", "drop history clear",
            "datapath drops\n", "datapath drops all", "datapath drops clear", "drop worker", "drops worker",
            "feature ipsec sa ", "feature ipsec state", "datapath utilization",
            "show crypto ipsec sa\n", "show crypto ipsec sa detail", "show crypto ipsec sa peer",
            "show crypto isakmp sa", "show crypto ikev2 sa", "show crypto session\n", "show crypto session detail",
            "show logging", "show running-config", "show version", "show clock",
            "clear crypto sa\n", "clear crypto sa peer", "clear crypto isakmp", "clear logging",
            "terminal length", "configure terminal", "| json",
            "debug crypto isakmp", "debug crypto ipsec", "undebug crypto", "no debug all", "show debugging",
            "| redirect bootflash:", "| append bootflash:", "more bootflash:", "event manager run",
        ]
        for c in commands { #expect(texts.contains(c), "no transcript runs '\(c)'") }
    }
}
