import Foundation
import QFPCLI
import QFPControl
import QFPDataplane

/// Feeds arbitrary bytes to the IOS command language: the configuration-file parser (with a
/// round-trip check), and a console session (exec and configuration mode, pipes, `?`, Tab).
///
/// The first byte picks the target; the rest is text (invalid UTF-8 repaired, as the control
/// socket's JSON decoding would). Any crash, trap, sanitizer report or failed check is a finding.
///
/// - 0 (even): load the text as a configuration file. When it loads, `show running-config` of
///   the result must load back to the same configuration.
/// - 1 (odd): type each line (up to 16) at one long-lived console session on the embedded
///   default router, then ask `?` and Tab for it; afterwards leave configuration mode and put
///   the default configuration back, so every input starts from the same router.
final class CommandHarness {
    let pipeline: ManualPipeline
    let session: CLISession
    let defaults: RouterConfiguration

    init() {
        var c = ManualPipeline.smallConfiguration
        c.transmitRings = true
        pipeline = try! ManualPipeline(c)
        let configuration: RouterConfiguration
        switch ConfigurationLanguage.shared.load(DefaultConfiguration.text, source: "default") {
        case let .success(l): configuration = l.configuration
        case let .failure(f): fatalError("\(f)")
        }
        defaults = configuration
        let clock = VirtualClock()
        let router = try! Router(pipeline: pipeline.pipeline, clock: clock, configuration: configuration)
        // `| append bootflash:…` and `| redirect` write here, never into the user's state directory.
        let flash = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("qfp-fuzz-bootflash-\(getpid())")
        let controlPlane = ControlPlane(router: router, clock: clock, wallClock: DerivedWallClock(start: 1_774_051_200, clock: clock),
                                        flashRoot: flash)
        session = CLISession(controlPlane: controlPlane, interactive: false)
        settle()
    }

    func settle() {
        _ = pipeline.drain()
        for w in 0..<pipeline.workers.count { _ = pipeline.takeTransmitted(worker: w) }
        // Punts (invalid SPIs, acquires) go through the IKE model, requests queued by `clear`.
        _ = session.controlPlane.serviceDataplane()
    }

    func configuration(_ text: String) {
        let language = ConfigurationLanguage.shared
        guard case let .success(loaded) = language.load(text, source: "fuzz") else { return }
        let rendered = RunningConfiguration.body(loaded.configuration)
        switch language.load(rendered, source: "rendered") {
        case let .success(again):
            guard again.configuration == loaded.configuration else {
                fatalError("show running-config does not load back to the same state:\n--- input\n\(text)\n--- rendered\n\(rendered)")
            }
        case let .failure(f):
            fatalError("show running-config does not load back:\n--- input\n\(text)\n--- rendered\n\(rendered)\n--- errors\n\(f)")
        }
    }

    func console(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(16) {
            let l = String(line)
            _ = session.execute(l, echo: true)
            settle()
            _ = session.help(l)
            _ = session.complete(l)
        }
        while session.isConfiguring {
            _ = session.execute("end")
        }
        settle()
        do {
            try session.controlPlane.router.apply(defaults)
        } catch {
            fatalError("the default configuration no longer applies after: \(text.debugDescription): \(error)")
        }
        session.controlPlane.syslog.clear()
        session.controlPlane.syslog.undebugAll()
        session.terminalLength = 0
        session.terminalWidth = 80
        settle()
    }
}

nonisolated(unsafe) let harness = CommandHarness()

func fuzzCommands(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] & 1 == 0 {
        harness.configuration(text)
    } else {
        harness.console(text)
    }
    return 0
}
