import CFuzzerDriver
import QFPDataplane
import QFPGenerator

/// libFuzzer entry: every input is read as a traffic profile (its bytes as UTF-8, invalid
/// sequences repaired), then once more spliced into the embedded default profile as the value
/// of one key (so that value parsing is reached behind a valid document). Any trap is a bug;
/// so is a parsed profile that breaks what the parser promises, or an error that does not
/// name its source.
enum Harness {
    static let source = "fuzz"

    /// Keys of `DefaultProfile.text` whose value a spliced input replaces: the text before the
    /// value and the text after it.
    static let splicePoints: [(prefix: String, suffix: String)] = {
        let text = DefaultProfile.text
        let keys = [
            "seed: 2026", "address: 198.51.100.7", "router: 192.0.2.1", "sas: 0x5A3C11E7",
            "name: site-b-data", "peer: site-c", "size: imix", "rate: 2kpps", "faults: {replay: 0.05%}",
            "size: 200", "rate: 500pps", "name: vti-west",
        ]
        return keys.map { key in
            guard let r = text.range(of: key), let colon = key.firstIndex(of: ":") else {
                fatalError("'\(key)' is not in DefaultProfile.text")
            }
            let name = key[..<colon]
            return (String(text[..<r.lowerBound]) + name + ": ", String(text[r.upperBound...]))
        }
    }()
}

/// Checks what every parsed profile promises; `fatalError` names the first broken promise.
func check(_ p: TrafficProfile, _ text: String) {
    func broken(_ what: String) -> Never {
        fatalError("parsed profile breaks an invariant: \(what)\n--- input ---\n\(text)\n--- parsed ---\n\(p)")
    }
    let slack = 1e-9
    let sizes = PacketSizes.minimum...PacketSizes.maximum
    if !(p.portSpeed.isFinite && p.portSpeed > 0) { broken("port speed \(p.portSpeed)") }
    if p.streams.isEmpty { broken("no streams") }
    if Set(p.peers.map(\.name)).count != p.peers.count { broken("duplicate peer names") }
    if Set(p.streams.map(\.name)).count != p.streams.count { broken("duplicate stream names") }
    func validSPI(_ spi: UInt32) -> Bool { spi >= 256 }
    for peer in p.peers {
        if peer.name.isEmpty || peer.name.count > 64 { broken("peer name '\(peer.name)'") }
        if let router = peer.router, router.isIPv4 != peer.address.isIPv4 { broken("peer \(peer.name): router and address of different IP versions") }
        for sa in peer.sas {
            switch sa {
            case .router: break
            case let .spi(spi): if !validSPI(spi) { broken("peer \(peer.name): SPI \(spi)") }
            case let .range(first, count):
                if !validSPI(first) || count < 1 || count > 1 << 20 || UInt64(first) + UInt64(count) - 1 > UInt64(UInt32.max) {
                    broken("peer \(peer.name): SPI range \(first) × \(count)")
                }
            }
        }
    }
    for s in p.streams {
        let at = "stream '\(s.name)'"
        if s.name.isEmpty || s.name.count > 64 { broken("\(at): name") }
        if !p.peers.contains(where: { $0.name == s.peer }) { broken("\(at): no peer '\(s.peer)'") }
        if let spis = s.spis, !spis.allSatisfy(validSPI) { broken("\(at): SPI below 256") }
        switch s.size {
        case let .fixed(n): if !sizes.contains(n) { broken("\(at): size \(n)") }
        case let .range(a, b): if !(sizes.contains(a) && sizes.contains(b) && a <= b) { broken("\(at): size range \(a)-\(b)") }
        case let .mix(mix):
            if mix.isEmpty { broken("\(at): empty size mix") }
            for m in mix where !sizes.contains(m.size) || !(1...1000).contains(m.weight) { broken("\(at): mix entry \(m)") }
            if mix.reduce(0, { $0 + $1.weight }) > 4096 { broken("\(at): mix weights") }
        }
        switch s.rate {
        case let .packetsPerSecond(r): if !(r.isFinite && r > 0) { broken("\(at): rate \(r) pps") }
        case let .bitsPerSecond(r): if !(r.isFinite && r > 0) { broken("\(at): rate \(r) bps") }
        case let .percent(r): if !(r.isFinite && r > 0 && r <= 100) { broken("\(at): rate \(r)%") }
        case .maximum: break
        }
        if let d = s.duration, !(d.isFinite && d > 0) { broken("\(at): duration \(d)") }
        if let c = s.count, c < 1 { broken("\(at): count \(c)") }
        let f = s.faults
        let shares = [f.unknownSPI, f.replay, f.tooOld, f.truncated, f.malformed]
        if !shares.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }) { broken("\(at): fault shares \(shares)") }
        if !(f.total <= 1 + slack) { broken("\(at): faults add up to \(f.total)") }
    }
}

/// Parses `text`: a profile must keep its promises, an error must name its source.
func parseAndCheck(_ text: String) {
    do {
        let profile = try ProfileParser.parse(text, source: Harness.source)
        check(profile, text)
    } catch {
        let description = error.description
        if description.isEmpty || !description.contains(Harness.source) {
            fatalError("error without its source: '\(description)' for\n\(text)")
        }
    }
}

/// One input: parsed as a whole profile, then its first line (after a byte that picks the key)
/// spliced into the default profile as one key's value.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    parseAndCheck(String(decoding: bytes, as: UTF8.self))

    guard let pick = bytes.first else { return 0 }
    let point = Harness.splicePoints[Int(pick) % Harness.splicePoints.count]
    let rest = bytes.dropFirst()
    let line = rest.prefix(while: { $0 != 0x0A && $0 != 0x0D })
    parseAndCheck(point.prefix + String(decoding: line, as: UTF8.self) + point.suffix)
    return 0
}
