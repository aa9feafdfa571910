import QFPGenerator

/// Carries out `qfp gen start|stop|status` requests on the daemon's generator.
enum GeneratorRequests {
    static func handle(_ request: ControlProtocol.Request, _ generator: TrafficGenerator) -> ControlProtocol.Reply {
        do {
            switch request.action ?? .status {
            case .start:
                guard let text = request.profile else { return ControlProtocol.Reply(failure: "start needs a profile") }
                let profile = try ProfileParser.parse(text, source: request.profileName ?? "profile")
                let started = try generator.start(profile, streams: request.streams, write: request.path)
                var answer = "started \(started.joined(separator: ", "))\n"
                if let path = request.path { answer += "writing their packets to \(path)\n" }
                return ControlProtocol.Reply(text: answer, generator: generator.status())
            case .stop:
                let stopped = try generator.stop(request.streams ?? [])
                let text = stopped.isEmpty ? "no streams were running\n" : "stopped \(stopped.joined(separator: ", "))\n"
                return ControlProtocol.Reply(text: text, generator: generator.status())
            case .status:
                let status = generator.status()
                return ControlProtocol.Reply(text: status.text, generator: status)
            }
        } catch let error as ProfileError {
            return ControlProtocol.Reply(failure: error.description)
        } catch let error as GeneratorError {
            return ControlProtocol.Reply(failure: error.description)
        } catch {
            return ControlProtocol.Reply(failure: "\(error)")
        }
    }
}
