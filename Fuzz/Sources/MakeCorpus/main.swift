import Foundation
import QFPDataplane
import QFPGenerator

// Writes seed inputs for PacketFuzzer: one valid packet per path, matching the SAs and
// policies its harness installs.
let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "corpus"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let router = IPAddress("192.0.2.1")!
let peer = IPAddress("198.51.100.7")!
let router6 = IPAddress("2001:db8::1")!
let peer6 = IPAddress("2001:db8:1::7")!
let inner = PacketBuilder.clear(source: IPAddress("10.2.2.2")!, destination: IPAddress("10.1.1.1")!)
let udp = PacketBuilder.udpDatagram(sourcePort: 5000, destinationPort: 53, payload: [1, 2, 3, 4])
let seeds: [String: [UInt8]] = [
    "esp-tunnel": PacketBuilder.esp(source: peer, destination: router, spi: 0x100, sequence: 1, inner: inner),
    "esp-transport": PacketBuilder.esp(source: peer, destination: router, spi: 0x101, sequence: 1, inner: udp, mode: .transport),
    "esp-udp": PacketBuilder.esp(source: peer, destination: router, spi: 0x102, sequence: 1, inner: inner, udp: true),
    "esp-v6": PacketBuilder.esp(source: peer6, destination: router6, spi: 0x103, sequence: 1, inner: inner),
    "esp-lifetime": PacketBuilder.esp(source: peer, destination: router, spi: 0x104, sequence: 7, inner: inner),
    "esp-unknown": PacketBuilder.esp(source: peer, destination: router, spi: 0x999, sequence: 1, inner: inner),
    "esp-transport-endpoint": PacketBuilder.esp(source: peer, destination: IPAddress("192.0.2.2")!, spi: 0x777, sequence: 1, inner: inner),
    "ike-500": PacketBuilder.ike(source: peer, destination: router),
    "ike-4500": PacketBuilder.ike(source: peer, destination: router, natTraversal: true),
    "keepalive": PacketBuilder.natKeepalive(source: peer, destination: router),
    "clear-protect": PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.2.2.2")!),
    "clear-deny": PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.3.3.3")!, protocolNumber: 6, destinationPort: 22),
    "clear-transport": PacketBuilder.clear(source: IPAddress("10.1.1.1")!, destination: IPAddress("10.3.3.3")!),
    "clear-v6": PacketBuilder.clear(source: IPAddress("2001:db8:5::1")!, destination: IPAddress("2001:db8:6::1")!),
    "fragment": PacketBuilder.fragmentIPv4(PacketBuilder.esp(source: peer, destination: router, spi: 0x100, sequence: 2, inner: inner)),
]
for (name, bytes) in seeds {
    try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
}
print("wrote \(seeds.count) seeds to \(directory)")
