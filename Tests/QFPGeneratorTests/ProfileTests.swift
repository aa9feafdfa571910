import QFPDataplane
@testable import QFPGenerator
import Testing

@Suite("Traffic profiles")
struct ProfileTests {
    @Test("The embedded default profile parses, with out-of-sync peers")
    func defaultProfile() throws {
        let p = try ProfileParser.parse(DefaultProfile.text)
        #expect(p.streams.map(\.name) == ["site-b-data", "site-c-voice", "hub-east-stale", "vti-west-stale"])
        #expect(p.peers.first { $0.name == "hub-east" }?.sas == [.spi(0x5A3C_11E7)])
        #expect(p.streams[0].size == .imix && p.streams[0].rate == .packetsPerSecond(2000))
        #expect(p.streams[0].faults.replay == 0.0005)
    }

    @Test("Every field, in each of its forms")
    func allForms() throws {
        let p = try ProfileParser.parse("""
            port-speed: 1Gbps
            seed: 0x10
            peers:
              - {name: a, address: 198.51.100.1, router: 192.0.2.1, sas: [router, 0x1000-0x1003, 777]}
              - {name: b6, address: "2001:db8::7", router: "2001:db8::1", sas: 300}
            streams:
              - {name: s1, peer: a, spi: [0x1000, 4097], encapsulation: esp-udp, mode: transport,
                 size: 64-1500, rate: 1.5Mpps, duration: 500ms, seed: 9}
              - {name: s2, peer: a, size: [{size: 100, weight: 3}, {size: 1400}], rate: 10Mbps, count: 1_000}
              - {name: s3, peer: b6, size: imix, rate: 5%, duration: 2m,
                 faults: {unknown-spi: 1%, replay: 0.5%, too-old: 0.1, truncated: 2%, malformed: 0.01%}}
              - {name: s4, peer: a, rate: max}
            """)
        #expect(p.portSpeed == 1e9 && p.seed == 16)
        #expect(p.peers[0].sas == [.router, .range(first: 0x1000, count: 4), .spi(777)])
        // A nested list is a list of SPIs, not a range.
        let nested = try ProfileParser.parse("peers: [{name: a, address: 198.51.100.1, sas: [[4096, 8192], 300]}]\nstreams: [{name: s, peer: a}]\n")
        #expect(nested.peers[0].sas == [.spi(4096), .spi(8192), .spi(300)])
        #expect(p.peers[1].address == IPAddress("2001:db8::7"))
        let s = p.streams
        #expect(s[0].spis == [0x1000, 4097] && s[0].encapsulation == .espUDP && s[0].mode == .transport)
        #expect(s[0].size == .range(64, 1500) && s[0].rate == .packetsPerSecond(1.5e6) && s[0].duration == 0.5 && s[0].seed == 9)
        #expect(s[1].size == .mix([.init(size: 100, weight: 3), .init(size: 1400, weight: 1)]))
        #expect(s[1].rate == .bitsPerSecond(10e6) && s[1].count == 1000)
        #expect(s[2].rate == .percent(5) && s[2].duration == 120)
        #expect(s[2].faults.unknownSPI == 0.01 && s[2].faults.tooOld == 0.1 && s[2].faults.malformed == 0.0001)
        #expect(s[3].rate == .maximum && s[3].size == .fixed(128))
    }

    @Test("Errors name the file, line, column and key path", arguments: [
        ("streams: []\n", "p.yaml:1:10: streams: the profile has no streams"),
        ("peers:\n  - name: a\n    address: 1.2.3.4\nstreams:\n  - name: s\n    peer: a\n    rate: 10 furlongs\n",
         "p.yaml:7:11: streams[0].rate: '10 furlongs' is not a rate (e.g. 1000pps, 2.5kpps, 1Mpps, 10Mbps, 1Gbps, 5%, max)"),
        ("peers:\n  - name: a\n    adress: 1.2.3.4\n",
         "p.yaml:3:5: peers[0]: unknown key 'adress' (expected one of: name, address, router, sas)"),
        ("peers:\n  - name: a\n    address: 1.2.3\n", "p.yaml:3:14: peers[0].address: '1.2.3' is not an IPv4 or IPv6 address"),
        ("peers:\n  - {name: a, address: 1.2.3.4}\nstreams:\n  - {name: s, peer: z}\n",
         "p.yaml:4:21: streams[0].peer: no peer named 'z' (peers: a)"),
        ("peers:\n  - {name: a, address: 1.2.3.4}\nstreams:\n  - {name: s, peer: a, size: 9000}\n",
         "p.yaml:4:30: streams[0].size: 9000 is out of range 20...1856"),
        ("peers:\n  - {name: a, address: 1.2.3.4, sas: 12}\n", "p.yaml:2:38: peers[0].sas: 12 is out of range 256...4294967295"),
        ("peers:\n  - {name: a, address: 1.2.3.4}\nstreams:\n  - {name: s, peer: a, faults: {replay: 80%, malformed: 30%}}\n",
         "p.yaml:4:32: streams[0].faults: the faults add up to more than 100%"),
        ("peers:\n  - {name: a, address: 1.2.3.4, sas: [[]]}\n", "p.yaml:2:39: peers[0].sas: an empty list of SPIs"),
        ("peers:\n  - {name: a, address: 1.2.3.4}\nstreams:\n  - {name: s, peer: a, spi: []}\n",
         "p.yaml:4:29: streams[0].spi: an empty list of SPIs (leave spi: out to use all of the peer's SAs)"),
        ("peers: [\n", "p.yaml:2:1: YAML: while parsing a flow node: did not find expected node content"),
        ("", "p.yaml: empty profile (expected peers: and streams:)"),
    ])
    func errors(text: String, message: String) {
        #expect(throws: ProfileError.self) { try ProfileParser.parse(text, source: "p.yaml") }
        do {
            _ = try ProfileParser.parse(text, source: "p.yaml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("Units: rates, speeds, durations, shares")
    func units() {
        #expect(Units.rate("2.5kpps") == .packetsPerSecond(2500))
        #expect(Units.rate("1Gbps") == .bitsPerSecond(1e9))
        #expect(Units.rate("0pps") == nil && Units.rate("-5pps") == nil && Units.rate("fast") == nil)
        #expect(Units.bitsPerSecond("100M") == 1e8)
        #expect(Units.seconds("250ms") == 0.25 && Units.seconds("1h") == 3600)
        #expect(Units.fraction("0.5%") == 0.005)
    }
}
