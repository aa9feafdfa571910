import ArgumentParser
import Foundation
import Logging
import QFPCLI
import QFPControl
import QFPCrypto
import QFPDataplane
import QFPGenerator
import QFPPort
import QFPSSH

/// `qfp run`: the daemon — data plane, control plane, and the control socket.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the emulated router: data plane, control plane and the control socket.",
        discussion: """
            With no --config, runs the embedded default router (see `qfp run --show-default-config`) \
            and, unless --no-traffic, the embedded default traffic profile (`qfp gen default-profile`): \
            two sites in sync and two peers still sending on SAs the router lost. With --profile, \
            starts that profile's streams instead. `qfp gen` starts and stops streams later.

            With --port DEV, a Linux interface is the router's port instead of the generator: frames \
            received on DEV (AF_PACKET, TPACKET_V3 ring; needs root or CAP_NET_RAW) lose their \
            Ethernet header and VLAN tags and enter the data plane as `qfp replay` feeds a capture; \
            packets the router forwards (decapsulated or encrypted) leave through DEV with an \
            Ethernet header from DEV's own address (or --port-mac) to the sender of the latest \
            received frame (or --peer-mac; broadcast until a frame arrives). The port's counters \
            are logged every second while they change, and once more at exit. `--port \
            GigabitEthernet2=eth1` says which of the router's interfaces the device stands for (it \
            must be in the configuration; without it, GigabitEthernet1): received packets carry \
            that interface, as syslog's `input interface=` shows.

            Interfaces can also be mapped in the configuration with `qfp port linux DEV` under \
            `interface GigabitEthernetN` (a qfp extension, not IOS): every mapped device is opened, \
            one port thread serves them all, each forwarded packet leaves by its egress interface \
            (see docs/live-ports.md), and `show interfaces` prints each port's counters. --port adds \
            to those or overrides the interface it names.
            """)

    @Option(name: .long, help: "IOS configuration file to load.")
    var config: String?

    @Option(name: .long, help: "Control socket path (default: $XDG_RUNTIME_DIR/qfp/qfp.sock, else /tmp/qfp-UID/qfp.sock).")
    var socket: String?

    @Option(name: .long, help: "Traffic profile (YAML) to start with the daemon.")
    var profile: String?

    @Flag(name: .customLong("no-traffic"), help: "Start no traffic (the embedded profile otherwise runs when there is no --config).")
    var noTraffic = false

    @Option(name: .long, help: "Worker threads (1...64).")
    var workers: Int = 2

    @Option(name: .long, help: "Linux interface to use as the router's port (AF_PACKET) instead of the traffic generator: DEV, or GigabitEthernetN=DEV for the router interface it stands for (default GigabitEthernet1).")
    var port: String?

    @Option(name: .customLong("port-mac"), help: "Source MAC address of frames sent out of --port (default: the interface's own).")
    var portMAC: String?

    @Option(name: .customLong("peer-mac"), help: "Destination MAC address of frames sent out of --port (default: learned from received frames).")
    var peerMAC: String?

    @Option(name: .customLong("port-cpu"), help: "CPU to pin the --port thread to (default: one the workers do not use, else unpinned).")
    var portCPU: Int?

    @Option(name: .long, help: "Serve the IOS CLI over SSH on ADDRESS:PORT, [IPV6]:PORT or PORT (loopback); overrides the configuration's 'ip ssh listen'. Logins need a 'username' line.")
    var ssh: String?

    @Option(name: .customLong("ssh-host-key"), help: "SSH host key file (ed25519, mode 0600; made on first start). Default: ssh_host_ed25519_key next to the control socket.")
    var sshHostKey: String?

    @Option(name: .long, help: "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (ADDRESS:PORT, [IPV6]:PORT or PORT on loopback).")
    var metrics: String?

    @Option(name: .customLong("metrics-flows"), help: "Per-SA metrics for at most this many flows (the busiest; 0...10000).")
    var metricsFlows: Int = MetricsExposition.defaultMaximumFlows

    @Option(name: .customLong("crypto-provider"), help: CryptoProviderChoice.help)
    var cryptoProvider: CryptoProviderChoice = .auto

    @Flag(name: .customLong("show-default-config"), help: "Print the embedded default configuration and exit.")
    var showDefaultConfig = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be in 1...64, got \(workers)") }
        if noTraffic && profile != nil { throw ValidationError("--profile and --no-traffic contradict each other") }
        if port != nil && profile != nil { throw ValidationError("--port replaces the traffic generator: --profile cannot be used with it") }
        if let port, PortMapping(port) == nil {
            throw ValidationError("--port: '\(port)' is neither a device name nor GigabitEthernetN=DEV (N in 1...65535)")
        }
        if port == nil && (portMAC != nil || peerMAC != nil) {
            throw ValidationError("--port-mac and --peer-mac need --port")
        }
        if let portMAC, MACAddress(portMAC) == nil { throw ValidationError("--port-mac: '\(portMAC)' is not a MAC address (aa:bb:cc:dd:ee:ff)") }
        if let metrics, ListenAddress(metrics) == nil { throw ValidationError("--metrics: '\(metrics)' is not ADDRESS:PORT, [IPV6]:PORT or PORT (0...65535)") }
        guard (0...10000).contains(metricsFlows) else { throw ValidationError("--metrics-flows must be in 0...10000, got \(metricsFlows)") }
        if let ssh, ListenAddress(ssh) == nil { throw ValidationError("--ssh: '\(ssh)' is not ADDRESS:PORT, [IPV6]:PORT or PORT (0...65535)") }
        if let peerMAC, MACAddress(peerMAC) == nil { throw ValidationError("--peer-mac: '\(peerMAC)' is not a MAC address (aa:bb:cc:dd:ee:ff)") }
    }

    func run() throws {
        if showDefaultConfig {
            print(DefaultConfiguration.text)
            return
        }
        QFP.bootstrapLogging()
        let logger = Logger(label: "qfp.run")
        let source = config ?? "(embedded default)"
        let loaded = try loadConfiguration(config, consequence: "nothing started")
        for note in loaded.notes { logger.warning("\(note)") }
        // Chosen (and refused, when forced and missing) before anything starts; logged once it runs.
        let crypto = try cryptoProvider.selectForCommand()
        var trafficProfile: TrafficProfile?
        if let profile {
            trafficProfile = try GenerateCommand.loadProfile(profile)
        } else if config == nil && !noTraffic && port == nil && !loaded.configuration.interfaces.values.contains(where: { $0.linuxDevice != nil }) {
            trafficProfile = DefaultProfile.profile
        }
        // The ports open first: a missing device or a refused socket ends here, nothing started.
        let portOption = port.flatMap(PortMapping.init)
        if let port, let mapping = portOption {
            if mapping.explicit && !loaded.configuration.orderedInterfaces.contains(where: { $0.name == mapping.interface }) {
                throw QFPFailure("--port \(port): interface \(mapping.interface) is not in configuration \(source)")
            }
        }
        let mappings = RunPorts.mappings(loaded.configuration, source: source, port: portOption)
        if !mappings.isEmpty && profile != nil {
            throw QFPFailure("configuration \(source) maps interfaces to Linux devices (qfp port linux), which replace the traffic generator: --profile cannot be used with it")
        }
        if mappings.isEmpty && portCPU != nil { throw QFPFailure("--port-cpu needs a port (--port, or qfp port linux in the configuration)") }
        let livePorts = try RunPorts.open(mappings, port: portOption, sourceMAC: portMAC.flatMap(MACAddress.init),
                                          destinationMAC: peerMAC.flatMap(MACAddress.init))
        let portGroup = livePorts.isEmpty ? nil : PortGroup(ports: livePorts, egress: RunPorts.egress(loaded.configuration, mappings: mappings))

        var pc = PipelineConfiguration()
        pc.workers = workers
        pc.sources = 1
        // The generator thread shares a core with a worker on small machines: deep input and
        // transmit rings (16 ms at 1 Mpps per worker) ride out scheduling hiccups instead of
        // tail-dropping.
        pc.inputRingSlots = 16384
        pc.transmitRingSlots = 16384
        pc.sourcePoolBuffers = 32768
        pc.inboundSAsPerWorker = 65536
        pc.outboundSAs = 65536
        pc.bindings = 65536
        // Forwarded packets come back to the generator (rx counts, latency).
        pc.transmitRings = true
        pc.dropCaptureRingSlots = 4096
        let pipeline = try Pipeline(pc)
        try pipeline.startClock()
        let clock = MonotonicControlClock()
        try pipeline.startWorkers()
        pipeline.control.setCryptoProvider(crypto.provider)
        let router: Router
        do {
            router = try Router(pipeline: pipeline, clock: clock, configuration: loaded.configuration)
        } catch {
            pipeline.stop()
            throw QFPFailure("configuration \(source) refused: \(error)")
        }
        let controlPlane = ControlPlane(router: router, clock: clock, wallClock: SystemWallClock())
        controlPlane.attachCLIToEEM()
        controlPlane.syslog.log("%SYS-5-CONFIG_I: Configured from \(source) by qfp run")
        var generator: TrafficGenerator?
        var ikePeers: GeneratorIKEPeers?
        if let portGroup {
            let workerCPUs = Set((0..<workers).map { pipeline.cpu(ofWorker: $0) })
            let cpu = portCPU ?? pipeline.topology.allowedCPUs.first { !workerCPUs.contains($0) }
            do {
                try portGroup.start(pipeline: pipeline, source: pipeline.takeSource(0), cpu: cpu)
            } catch {
                pipeline.stop()
                throw QFPFailure("ports \(mappings.map(\.device).joined(separator: ", ")): thread not started: \(error)")
            }
            RunPorts.attach(livePorts, mappings, to: controlPlane.interfaces)
            // Routes, addresses and `shutdown` changed at run time reach the port thread.
            controlPlane.onConfigurationApplied { [mappings] configuration in
                portGroup.update(egress: RunPorts.egress(configuration, mappings: mappings))
            }
            for (p, m) in zip(livePorts, mappings) {
                logger.info("port \(m.device) as \(m.interface): AF_PACKET, address \(p.interfaceAddress), port thread on \(cpu.map { "CPU \($0)" } ?? "any CPU")")
            }
        } else {
            let g = TrafficGenerator(pipeline: pipeline) { RouterView(router: router) }
            try g.startThread(source: pipeline.takeSource(0))
            // The generator's peers answer the router's IKE: recovery, DELETE and DPD reach them.
            // They hold the same pre-shared keys as the router (peers configured to match it).
            ikePeers = GeneratorIKEPeers(generator: g) { peer, version in
                router.configuration.preSharedKey(for: peer, version: version)
            }
            controlPlane.ike.peers = ikePeers
            generator = g
        }

        let path = socket ?? ControlSocketPath.default
        let dropCapture = DropCapture(control: pipeline.control, statistics: pipeline.statistics)
        controlPlane.ike.onSend = { datagram, time in dropCapture.recordIKE(datagram, time: time) }
        let server = ControlSocketServer(path: path, controlPlane: controlPlane, generator: generator, dropCapture: dropCapture)
        do {
            try server.start()
        } catch {
            // Not ours to remove: the socket may belong to another daemon.
            portGroup?.stop()
            generator?.shutdown()
            pipeline.stop()
            throw QFPFailure("\(error)")
        }
        // SSH: --ssh, else the configuration's `ip ssh listen`, else none.
        var sshServer: SSHServer?
        let sshListen = ssh.flatMap(ListenAddress.init)
            ?? loaded.configuration.control.access.sshListen.map { ListenAddress(host: "\($0.address)", port: Int($0.port)) }
        if let sshListen {
            do {
                let key = try SSHHostKey.loadOrCreate(sshHostKey ?? (path as NSString).deletingLastPathComponent + "/ssh_host_ed25519_key")
                let s = SSHServer(host: sshListen.host, port: sshListen.port, controlPlane: controlPlane, hostKey: key)
                try s.start()
                sshServer = s
                logger.info("ssh: listening on \(ListenAddress(host: sshListen.host, port: s.boundPort ?? sshListen.port)), host key \(key.path) (\(key.openSSHPublicKey))")
                if loaded.configuration.control.access.users.isEmpty {
                    logger.warning("ssh: no 'username' in the configuration: every login fails until one is configured")
                }
            } catch {
                server.stop()
                generator?.shutdown()
                pipeline.stop()
                throw QFPFailure("\(error)")
            }
        }
        var metricsServer: MetricsServer?
        if let listen = metrics.flatMap(ListenAddress.init) {
            let m = MetricsServer(host: listen.host, port: listen.port, controlPlane: controlPlane, generator: generator, maximumFlows: metricsFlows)
            do {
                try m.start()
            } catch {
                sshServer?.stop()
                server.stop()
                generator?.shutdown()
                pipeline.stop()
                throw QFPFailure("\(error)")
            }
            metricsServer = m
            logger.info("metrics: http://\(ListenAddress(host: listen.host, port: m.boundPort ?? listen.port))/metrics")
        }
        do {
            if let trafficProfile, let generator { try generator.start(trafficProfile) }
        } catch {
            metricsServer?.stop()
            sshServer?.stop()
            server.stop()
            generator?.shutdown()
            pipeline.stop()
            throw QFPFailure("traffic profile \(profile ?? "(embedded)") not started: \(error)")
        }
        let traffic = !mappings.isEmpty ? mappings.map { "port \($0.device) as \($0.interface)" }.joined(separator: ", ") : trafficProfile.map { "\($0.streams.count) streams from \(profile ?? "the embedded profile")" } ?? "no traffic"
        logger.info("qfp running: \(workers) workers, configuration \(source), \(traffic), control socket \(path)")
        logger.info("ESP crypto provider: \(crypto.name)")

        // SIGINT/SIGTERM end the daemon cleanly; the main thread samples the monitors meanwhile,
        // and the control thread takes the workers' punts (syslog, recovery) and runs the IKE
        // timers every few milliseconds.
        let stop = StopSignal()
        stop.install()
        let controlThread = Thread {
            while !stop.requested {
                if controlPlane.serviceDataplane() == 0 { usleep(5000) }
            }
        }
        controlThread.name = "qfp-control"
        controlThread.start()
        let trafficLog = Logger(label: "qfp.gen")
        let ikeLog = Logger(label: "qfp.ike")
        var lastPortCounters = [PortCounters](repeating: PortCounters(), count: livePorts.count)
        while !stop.requested {
            controlPlane.tick()
            for line in ikePeers?.takeLog() ?? [] { ikeLog.info("\(line)") }
            if let status = generator?.status(), status.running > 0 { trafficLog.info("\(status.logLine)") }
            for (k, p) in livePorts.enumerated() {
                let counters = p.statistics.counters
                if counters != lastPortCounters[k] { logger.info("port \(p.configuration.device): \(counters.summary)") }
                lastPortCounters[k] = counters
            }
            stop.wait(seconds: 1)
        }
        logger.info("qfp stopping")
        portGroup?.stop()
        for p in livePorts { logger.info("port \(p.configuration.device) stopped: \(p.statistics.counters.summary)") }
        if let summary = try? dropCapture.stop() { logger.info("\(summary.dropLast())") }
        metricsServer?.stop()
        sshServer?.stop()
        server.stop()
        generator?.shutdown()
        pipeline.stop()
    }
}

/// Loads `path` (or the embedded default router). A file with errors prints them IOS style,
/// then `qfp: configuration FILE not loaded; CONSEQUENCE`, and exits 1.
func loadConfiguration(_ path: String?, consequence: String) throws -> ConfigurationLanguage.Loaded {
    let text: String
    if let path {
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw QFPFailure("cannot read configuration file \(path)")
        }
        text = contents
    } else {
        text = DefaultConfiguration.text
    }
    switch ConfigurationLanguage.shared.load(text, source: path ?? "default-config") {
    case let .success(loaded): return loaded
    case let .failure(f):
        FileHandle.standardError.write(Data((f.description + "\nqfp: configuration \(path ?? "(embedded default)") not loaded; \(consequence)\n").utf8))
        throw ExitCode(1)
    }
}

/// A one-line error for the user, printed as `qfp: ...` with exit status 1.
struct QFPFailure: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

/// SIGINT and SIGTERM turned into a flag the daemon's main loop waits on.
final class StopSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var flag = false

    var requested: Bool { lock.withLock { flag } }

    func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.withLock { self.flag = true }
                self.semaphore.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func wait(seconds: Double) { _ = semaphore.wait(timeout: .now() + seconds) }
}

/// `--port DEV` or `--port GigabitEthernetN=DEV`: the Linux device and the router interface it
/// stands for (its number is the input-interface index packets carry).
struct PortMapping: Equatable {
    var interface: String
    var index: UInt16
    var device: String
    /// Whether the interface was named (and so must be in the configuration).
    var explicit: Bool

    init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else {
            guard !text.isEmpty, !text.contains("/") else { return nil }
            self.init(interface: "GigabitEthernet1", index: 1, device: text, explicit: false)
            return
        }
        let name = text[..<equals], device = String(text[text.index(after: equals)...])
        let prefix = "gigabitethernet"
        guard !device.isEmpty, !device.contains("/"), name.lowercased().hasPrefix(prefix),
              let n = UInt16(name.dropFirst(prefix.count)), n >= 1 else { return nil }
        self.init(interface: "GigabitEthernet\(n)", index: n, device: device, explicit: true)
    }

    init(interface: String, index: UInt16, device: String, explicit: Bool) {
        self.interface = interface
        self.index = index
        self.device = device
        self.explicit = explicit
    }
}
