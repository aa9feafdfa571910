import QFPDataplane
import Testing

@Suite("Security policy database")
struct SecurityPolicyTests {
    /// Linear first-match: the definition the compiled database must agree with.
    func reference(_ policies: [SecurityPolicy], _ c: PacketClassification) -> SPDView.Match {
        for p in policies {
            let portsOK = p.sourcePorts.contains(c.sourcePort) && p.destinationPorts.contains(c.destinationPort)
            if p.source.contains(c.source) && p.destination.contains(c.destination)
                && (p.protocolNumber == nil || p.protocolNumber == c.protocolNumber) && portsOK {
                switch p.action {
                case let .protect(b): return SPDView.Match(action: .protect, binding: b)
                case .bypass: return SPDView.Match(action: .bypass, binding: 0)
                case .deny: return SPDView.Match(action: .deny, binding: 0)
                }
            }
        }
        return SPDView.Match(action: .none, binding: 0)
    }

    func packet(_ s: IPAddress, _ d: IPAddress, _ proto: UInt8, _ sp: UInt16, _ dp: UInt16) -> PacketClassification {
        var c = PacketClassification()
        c.kind = .clear
        c.ipVersion = s.isIPv4 ? 4 : 6
        c.source = s
        c.destination = d
        c.protocolNumber = proto
        c.sourcePort = sp
        c.destinationPort = dp
        return c
    }

    @Test("random policy sets agree with linear first-match")
    func randomAgainstLinear() throws {
        var rng = SplitMix64(seed: 99)
        for round in 0..<20 {
            var policies: [SecurityPolicy] = []
            let n = 1 + Int(rng.next() % 300)
            for i in 0..<n {
                let v6 = rng.next() % 5 == 0
                func prefix() -> IPPrefix {
                    if v6 {
                        let a = IPAddress(high: 0x2001_0DB8_0000_0000 | (rng.next() % 4) << 16, low: rng.next() % 8)
                        return IPPrefix(a, length: [0, 32, 48, 128][Int(rng.next() % 4)])!
                    }
                    let a = IPAddress(ipv4: 0x0A00_0000 | UInt32(rng.next() % 4) << 16 | UInt32(rng.next() % 4))
                    return IPPrefix(a, length: [0, 8, 16, 24, 32][Int(rng.next() % 5)])!
                }
                func ports() -> ClosedRange<UInt16> {
                    switch rng.next() % 4 {
                    case 0: return SecurityPolicy.anyPort
                    case 1: let p = UInt16(rng.next() % 4); return p...p
                    case 2: let lo = UInt16(rng.next() % 4); return lo...(lo + UInt16(rng.next() % 3))
                    default: return SecurityPolicy.anyPort
                    }
                }
                let actions: [PolicyAction] = [.protect(binding: UInt32(i)), .bypass, .deny]
                policies.append(SecurityPolicy(source: prefix(), destination: prefix(),
                                               protocolNumber: rng.next() % 3 == 0 ? UInt8([6, 17][Int(rng.next() % 2)]) : nil,
                                               sourcePorts: ports(), destinationPorts: ports(),
                                               action: actions[Int(rng.next() % 3)]))
            }
            let db = try SecurityPolicyDatabase(policies)
            for _ in 0..<2000 {
                let v6 = rng.next() % 5 == 0
                let s = v6 ? IPAddress(high: 0x2001_0DB8_0000_0000 | (rng.next() % 4) << 16, low: rng.next() % 8)
                    : IPAddress(ipv4: 0x0A00_0000 | UInt32(rng.next() % 4) << 16 | UInt32(rng.next() % 4))
                let d = v6 ? IPAddress(high: 0x2001_0DB8_0000_0000 | (rng.next() % 4) << 16, low: rng.next() % 8)
                    : IPAddress(ipv4: 0x0A00_0000 | UInt32(rng.next() % 4) << 16 | UInt32(rng.next() % 4))
                let c = packet(s, d, [6, 17, 1][Int(rng.next() % 3)], UInt16(rng.next() % 5), UInt16(rng.next() % 5))
                let got = db.view.lookup(c)
                let want = reference(policies, c)
                #expect(got.action == want.action && got.binding == want.binding, "round \(round)")
            }
        }
    }

    @Test("100,000 host policies compile into one shape and look up exactly")
    func manyHosts() throws {
        var policies: [SecurityPolicy] = []
        for i in 0..<100_000 {
            policies.append(SecurityPolicy(source: IPPrefix("10.1.0.0/16")!,
                                           destination: IPPrefix(IPAddress(ipv4: 0x0B00_0000 + UInt32(i)), length: 32)!,
                                           action: .protect(binding: UInt32(i))))
        }
        let db = try SecurityPolicyDatabase(policies)
        for i in stride(from: 0, to: 100_000, by: 997) {
            let m = db.view.lookup(packet(IPAddress("10.1.2.3")!, IPAddress(ipv4: 0x0B00_0000 + UInt32(i)), 17, 1, 2))
            #expect(m.action == .protect && m.binding == UInt32(i))
        }
        #expect(db.view.lookup(packet(IPAddress("10.9.2.3")!, IPAddress(ipv4: 0x0B00_0000), 17, 1, 2)).action == .none)
    }

    @Test("mixed-family selectors are rejected with the policy's index")
    func mixedFamily() {
        let bad = SecurityPolicy(source: IPPrefix("10.0.0.0/8")!, destination: IPPrefix("2001:db8::/32")!, action: .deny)
        #expect(throws: DataplaneError.invalidPolicy(index: 1, reason: "source 10.0.0.0/8 and destination 2001:db8::/32 differ in family")) {
            try SecurityPolicyDatabase([SecurityPolicy(source: .any(ipv4: true), destination: .any(ipv4: true), action: .bypass), bad])
        }
    }
}
