import QFPControl
import QFPDataplane
import QFPGenerator

/// What `/metrics` serves: one read of every counter per scrape, so the families agree with
/// each other and with the CLI read at the same moment (the drop tables are `show platform
/// hardware qfp active statistics drop` and `... feature ipsec datapath drops`: counts since
/// the last `clear`, which Prometheus sees as a counter reset).
///
/// Cardinality is bounded: drop families have one series per reason (× workers), per-SA
/// families at most `maximumFlows` flows (the busiest, by packets), generator families one
/// per stream.
public enum MetricsExposition {
    /// Flows (`show crypto ipsec sa` entries) exported by default.
    public static let defaultMaximumFlows = 50

    public static func render(_ cp: ControlPlane, generator: GeneratorStatus?, maximumFlows: Int = defaultMaximumFlows) -> String {
        var out = PrometheusText()
        info(&out, cp)
        drops(&out, cores: cp.statistics.sinceClearPerCore(), workers: cp.router.pipeline.configuration.workers)
        flows(&out, ControlPlaneSnapshots.ipsecSA(cp, peer: nil), maximumFlows: maximumFlows)
        if let generator { self.generator(&out, generator) }
        out.family("qfp_login_failures_total", .counter, help: "Failed logins (SSH) since the daemon started (show login failures).")
        out.sample("qfp_login_failures_total", [:], UInt64(cp.logins.failures.total))
        return out.text
    }

    static func info(_ out: inout PrometheusText, _ cp: ControlPlane) {
        out.family("qfp_info", .gauge, help: "The emulated router: hostname and IOS XE version (always 1).")
        out.sample("qfp_info", ["hostname": cp.router.configuration.hostname, "version": ControlPlaneSnapshots.version(cp).xeVersion], 1.0)
        out.family("qfp_uptime_seconds", .gauge, help: "Seconds since the daemon started.")
        out.sample("qfp_uptime_seconds", [:], cp.uptimeSeconds)
    }

    /// Global drop causes (packets, octets) and IPsec feature drops, summed and per worker.
    ///
    /// Per-core families label each counter block: `worker0`… (the workers, as `... worker N`
    /// shows them), then `source0`… (the packet sources' own blocks: steering-time drops).
    static func drops(_ out: inout PrometheusText, cores: [CounterSnapshot], workers: Int) {
        let total = cores.reduce(CounterSnapshot()) { $0.adding($1) }
        out.family("qfp_drops_packets_total", .counter, help: "Packets dropped by QFP global drop cause (show platform hardware qfp active statistics drop).")
        for c in GlobalDropCause.allCases { out.sample("qfp_drops_packets_total", ["cause": c.rawValue], total.packets(c)) }
        out.family("qfp_drops_octets_total", .counter, help: "Octets dropped by QFP global drop cause.")
        for c in GlobalDropCause.allCases { out.sample("qfp_drops_octets_total", ["cause": c.rawValue], total.octets(c)) }
        out.family("qfp_ipsec_datapath_drops_total", .counter, help: "IPsec feature drops by Cisco number and name (show platform hardware qfp active feature ipsec datapath drops).")
        for d in IPsecDatapathDrop.allCases {
            out.sample("qfp_ipsec_datapath_drops_total", ["number": String(d.rawValue), "name": d.name], total.packets(d))
        }
        // Each family's samples together, as the text format requires.
        let named = cores.enumerated().map { ($0.offset < workers ? "worker\($0.offset)" : "source\($0.offset - workers)", $0.element) }
        out.family("qfp_core_drops_packets_total", .counter, help: "Packets dropped by global drop cause, per core: workers and packet sources (they sum to qfp_drops_packets_total).")
        for (core, counters) in named {
            for c in GlobalDropCause.allCases { out.sample("qfp_core_drops_packets_total", ["core": core, "cause": c.rawValue], counters.packets(c)) }
        }
        out.family("qfp_core_drops_octets_total", .counter, help: "Octets dropped by global drop cause, per core.")
        for (core, counters) in named {
            for c in GlobalDropCause.allCases { out.sample("qfp_core_drops_octets_total", ["core": core, "cause": c.rawValue], counters.octets(c)) }
        }
        out.family("qfp_core_ipsec_datapath_drops_total", .counter, help: "IPsec feature drops, per core.")
        for (core, counters) in named {
            for d in IPsecDatapathDrop.allCases {
                out.sample("qfp_core_ipsec_datapath_drops_total", ["core": core, "number": String(d.rawValue), "name": d.name], counters.packets(d))
            }
        }
    }

    /// Per-SA (flow) counters of the busiest `maximumFlows` flows.
    static func flows(_ out: inout PrometheusText, _ snapshot: CryptoIPsecSASnapshot, maximumFlows: Int) {
        let all = snapshot.interfaces.flatMap { i in i.flows.map { (interface: i.name, flow: $0) } }
        let busiest = all.enumerated()
            .sorted { a, b in
                let x = a.element.flow.counters.encaps &+ a.element.flow.counters.decaps
                let y = b.element.flow.counters.encaps &+ b.element.flow.counters.decaps
                return x != y ? x > y : a.offset < b.offset
            }
            .prefix(max(0, maximumFlows)).map(\.element)
        out.family("qfp_ipsec_sa_flows", .gauge, help: "IPsec flows (show crypto ipsec sa entries), and how many the per-SA families export.")
        out.sample("qfp_ipsec_sa_flows", ["exported": "false"], UInt64(all.count - busiest.count))
        out.sample("qfp_ipsec_sa_flows", ["exported": "true"], UInt64(busiest.count))
        let labelled = busiest.map { (interface, f) in
            (f, [("interface", interface), ("peer", f.currentPeer), ("local", selector(f.localIdentity)), ("remote", selector(f.remoteIdentity))])
        }
        out.family("qfp_ipsec_sa_packets_total", .counter, help: "Packets encapsulated (out) and decapsulated (in) per flow (#pkts encaps/decaps of show crypto ipsec sa).")
        for (f, labels) in labelled {
            out.sample("qfp_ipsec_sa_packets_total", labels + [("direction", "out")], f.counters.encaps)
            out.sample("qfp_ipsec_sa_packets_total", labels + [("direction", "in")], f.counters.decaps)
        }
        out.family("qfp_ipsec_sa_errors_total", .counter, help: "Send and receive errors per flow (#send errors, #recv errors).")
        for (f, labels) in labelled {
            out.sample("qfp_ipsec_sa_errors_total", labels + [("direction", "out")], f.counters.sendErrors)
            out.sample("qfp_ipsec_sa_errors_total", labels + [("direction", "in")], f.counters.receiveErrors)
        }
    }

    static func selector(_ s: IPsecTrafficSelector) -> String { "\(s.address)/\(s.mask)/\(s.ipProtocol)/\(s.port)" }

    /// The generator's streams: counters, rates and one-way latency histograms.
    static func generator(_ out: inout PrometheusText, _ g: GeneratorStatus) {
        let families: [(String, PrometheusText.Kind, String, (StreamStatus) -> Double)] = [
            ("qfp_generator_tx_packets_total", .counter, "Packets the traffic generator sent, per stream.", { Double($0.txPackets) }),
            ("qfp_generator_tx_octets_total", .counter, "Octets the traffic generator sent, per stream.", { Double($0.txOctets) }),
            ("qfp_generator_rx_packets_total", .counter, "Packets that came back through the router, per stream.", { Double($0.rxPackets) }),
            ("qfp_generator_rx_octets_total", .counter, "Octets that came back through the router, per stream.", { Double($0.rxOctets) }),
            ("qfp_generator_tx_pps", .gauge, "Send rate over the last window, packets per second.", { $0.txPPS }),
            ("qfp_generator_rx_pps", .gauge, "Receive rate over the last window, packets per second.", { $0.rxPPS }),
        ]
        for (name, kind, help, value) in families {
            out.family(name, kind, help: help)
            for s in g.streams { out.sample(name, [("stream", s.name), ("peer", s.peer)], value(s)) }
        }
        out.family("qfp_generator_latency_seconds", .histogram, help: "One-way latency of packets through the router (generator to transmit ring), per stream.")
        for s in g.streams {
            let latency = s.latency
            let bounds = StreamStatus.Latency.bucketBounds.map { $0 / 1e6 }
            let cumulative = latency?.buckets ?? Array(repeating: 0, count: bounds.count)
            out.histogram("qfp_generator_latency_seconds", [("stream", s.name), ("peer", s.peer)], bounds: bounds, cumulative: cumulative,
                          count: latency?.samples ?? 0, sum: (latency?.sum ?? 0) / 1e6)
        }
    }
}
