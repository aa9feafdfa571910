import Foundation
import QFPControl
import QFPDataplane
import QFPGenerator

// Writes seed inputs: `MakeCorpus DIR` for PacketFuzzer (one valid packet per path, matching
// the SAs and policies its harness installs); `MakeCorpus --commands DIR` for CommandFuzzer
// (configurations and console sessions) plus DIR.dict, a libFuzzer dictionary of IOS words;
// `MakeCorpus --default-profile FILE` writes the embedded traffic profile for ProfileFuzzer.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--commands" {
    try writeCommandSeeds(to: CommandLine.arguments[2])
    exit(0)
}
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--default-profile" {
    try DefaultProfile.text.write(toFile: CommandLine.arguments[2], atomically: true, encoding: .utf8)
    exit(0)
}
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

func writeCommandSeeds(to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let configurations = [
        DefaultConfiguration.text,
        """
        hostname spoke
        crypto ipsec transform-set T esp-gcm 256
         mode transport
        crypto ipsec profile P
         set transform-set T
        crypto dynamic-map DYN 10
         set transform-set T
        crypto map M 65535 ipsec-isakmp dynamic DYN
        interface Tunnel0
         ip address 172.16.0.1 255.255.255.0
         ipv6 address 2001:DB8::1/64
         tunnel source GigabitEthernet1
         tunnel mode gre multipoint
         ip nhrp map 172.16.0.2 203.0.113.2
         tunnel protection ipsec profile P
        interface GigabitEthernet1
         ip address 203.0.113.1 255.255.255.0
         crypto map M
        crypto ipsec security-association lifetime seconds 120
        crypto ipsec security-association lifetime kilobytes 2560
        crypto ipsec security-association replay window-size 1024
        ip access-list extended ACL
         permit udp host 10.0.0.1 eq 500 any range 1000 2000
         deny tcp 10.0.0.0 0.0.0.255 any
        end
        """,
        """
        hostname cp
        service timestamps debug datetime msec localtime show-timezone year
        service timestamps log uptime
        logging buffered 65536 informational
        logging host 192.0.2.99 transport udp port 5514
        logging trap warnings
        crypto isakmp policy 10
         encr aes 256
         hash sha256
         authentication pre-share
         group 14
         lifetime 3600
        crypto isakmp key 0 cisco123 address 0.0.0.0 0.0.0.0 no-xauth
        crypto isakmp invalid-spi-recovery
        crypto isakmp keepalive 10 3 periodic
        crypto ikev2 proposal PROP
         encryption aes-cbc-256
         integrity sha256
         group 14
        crypto ikev2 policy POL
         proposal PROP
        crypto ikev2 keyring KR
         peer P1
          address 198.51.100.7
          pre-shared-key cisco123
        crypto ikev2 profile IKEV2
         match identity remote address 198.51.100.7 255.255.255.255
         authentication remote pre-share
         authentication local pre-share
         keyring local KR
         dpd 10 2 on-demand
        crypto ipsec client ezvpn EZ
         connect manual
         group G key K
         mode network-extension
         peer 203.0.113.1
        event manager applet INV-SPI-CATCH
         event syslog occurs 1 period 60 pattern "RECVD_PKT_INV_SPI" maxrun 60
         action 1.0 cli command "enable"
         action 2.0 cli command "show crypto ipsec sa | append bootflash:invspi.txt"
         action 3.0 regexp "spi=(0x[0-9A-F]+)" "$_syslog_msg" match spi
         action 4.0 syslog msg "captured invalid SPI $spi"
        end
        """,
    ]
    let sessions = [
        "show platform hardware qfp active statistics drop\nsh plat hard qfp act stat drop all | i Ipsec\nshow platform hardware qfp active statistics drop clear",
        "sh pl ha qfp ac feat ipsec data drops all | ex _0_\nshow platform hardware qfp active feature ipsec datapath drops clear\nshow platform hardware qfp active statistics drop history",
        "show crypto ipsec sa detail | section inbound\nshow crypto ipsec sa peer 198.51.100.7\nclear crypto sa peer 198.51.100.7\nclear crypto sa",
        "show crypto session detail | begin Tunnel\nshow crypto isakmp sa | json\nshow crypto ikev2 sa\nclear crypto isakmp",
        "show logging | count SYS\nclear logging\nshow running-config | section interface\nshow version | include uptime\nshow clock",
        "show platform hardware qfp active feature ipsec sa 2001\nshow platform hardware qfp active feature ipsec state\nshow platform hardware qfp active datapath utilization\nsh plat hard qfp act stat drop worker 1",
        "configure terminal\nhostname x\ncrypto map OUTSIDE 40 ipsec-manual\n set peer 198.51.100.11\n set session-key inbound esp 5000 cipher 00\n set session-key outbound esp 6000 cipher 00\n match address 120\nexit\naccess-list 120 permit ip any any\ndo show crypto ipsec sa | i spi\nno crypto map OUTSIDE 40\nend",
        "debug crypto isakmp\ndebug crypto ipsec\nshow debugging\nshow qfp invalid-spi\nshow qfp invalid-spi | json\nundebug all",
        "conf t\ncrypto isakmp invalid-spi-recovery\ncrypto isakmp keepalive 10 2\nevent manager applet A\n event none\n action 1 syslog msg \"hi $x\"\nend\nevent manager run A\nshow logging | i HA_EM",
        "show crypto session | redirect bootflash:s.txt\nmore bootflash:s.txt\nshow clock | append bootflash:s.txt\nmore bootflash:../etc/passwd",
        "conf t\ninterface Tunnel5\n tunnel mode ipsec ipv6\n tunnel destination 2001:db8::9\n ipv6 address 2001:db8:5::1/64\n no tunnel protection ipsec profile VTI-PROFILE\nend\nterminal length 0",
    ]
    var n = 0
    for text in configurations {
        try Data([0] + Array(text.utf8)).write(to: URL(fileURLWithPath: directory).appendingPathComponent("config-\(n)"))
        n += 1
    }
    for text in sessions {
        try Data([1] + Array(text.utf8)).write(to: URL(fileURLWithPath: directory).appendingPathComponent("session-\(n)"))
        n += 1
    }
    let words = [
        "show", "platform", "hardware", "qfp", "active", "statistics", "drop", "drops", "all", "clear", "history", "worker",
        "feature", "ipsec", "datapath", "utilization", "state", "sa", "crypto", "isakmp", "ikev2", "session", "detail",
        "peer", "logging", "running-config", "version", "clock", "terminal", "length", "width", "configure", "end", "exit",
        "do", "no", "hostname", "interface", "GigabitEthernet1", "Tunnel0", "ip address", "ipv6 address", "transform-set",
        "esp-aes 256", "esp-sha256-hmac", "esp-gcm", "esp-null", "mode tunnel", "mode transport", "profile", "map",
        "ipsec-isakmp", "ipsec-manual", "dynamic-map", "dynamic", "set peer", "set transform-set", "match address",
        "set session-key inbound esp", "set session-key outbound esp", "cipher", "authenticator", "tunnel source",
        "tunnel destination", "tunnel mode gre multipoint", "tunnel mode ipsec ipv4", "tunnel protection ipsec profile",
        "ip nhrp map", "security-association lifetime seconds", "kilobytes", "replay window-size", "access-list",
        "ip access-list extended", "permit", "deny", "host", "any", "eq", "range", "ip route", "| include", "| exclude",
        "| begin", "| section", "| count", "| json", "| i", "?", "\t", "_", "0.0.0.255", "255.255.255.0", "198.51.100.7",
        "2001:db8::1", "4294967295", "65535",
        "crypto isakmp policy", "encr", "hash sha256", "authentication pre-share", "group 14", "lifetime", "crypto isakmp key",
        "invalid-spi-recovery", "keepalive", "periodic", "on-demand", "crypto ikev2 proposal", "crypto ikev2 policy",
        "crypto ikev2 keyring", "crypto ikev2 profile", "match identity remote address", "keyring local", "dpd",
        "crypto ipsec client ezvpn", "service timestamps", "datetime msec", "uptime", "logging buffered", "logging host",
        "logging trap", "event manager applet", "event syslog", "occurs", "period", "pattern", "maxrun", "ratelimit",
        "event none", "event timer countdown time", "action", "cli command", "syslog msg", "regexp", "puts", "set",
        "\"", "$_syslog_msg", "$_cli_result", "debug crypto isakmp", "undebug all", "show debugging", "event manager run",
        "| append bootflash:", "| redirect bootflash:", "more bootflash:", "show qfp invalid-spi",
    ]
    let dictionary = words.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
    try (dictionary.joined(separator: "\n") + "\n").write(toFile: directory + ".dict", atomically: true, encoding: .utf8)
    print("wrote \(n) seeds to \(directory) and a dictionary to \(directory).dict")
}
