#!/usr/bin/env python3
"""Writes the replay test captures of Tests/QFPCLITests/Captures with scapy, an implementation
independent of qfp, and beside them the ground truth: what each packet is, as scapy built it,
and what the embedded default router (qfp run --show-default-config) must count for it.

    python3 Tools/make-replay-captures.py

The first run makes a virtual environment at .build/capture-venv with a pinned scapy (the same
one Tools/make-test-captures.py uses) and re-runs itself there. ESP is built by scapy's own
SecurityAssociation with NULL encryption and NULL authentication (RFC 2410), so the trailer
(padding 1, 2, 3, ..., pad length, next header) is scapy's, not qfp's. The same packets are
written with five link layers; every file must give the same counts.

The router's manual SAs: inbound SPI 4096 from 198.51.100.7 and 4097 from 198.51.100.9 to
192.0.2.1, tunnel mode, anti-replay window 64.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scapy_venv import ROOT, SCAPY, ensure_venv  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "QFPCLITests", "Captures")
ensure_venv(__file__)

from scapy.all import (ARP, IP, UDP, CookedLinux, CookedLinuxV2, Ether, IPv6,  # noqa: E402
                       PcapNgWriter, PcapWriter, Raw, conf)
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

ROUTER = "192.0.2.1"
SITE_B, SITE_C, STRANGER = "198.51.100.7", "198.51.100.9", "203.0.113.5"
PEER6, ROUTER6 = "2001:db8:1::7", "2001:db8::1"
PEER_MAC, ROUTER_MAC = "02:00:00:00:00:07", "02:00:00:00:00:01"
START = 1_700_000_000


def inner(n, src="10.2.0.10", dst="10.1.0.10"):
    return IP(src=src, dst=dst, id=n) / UDP(sport=5001, dport=5001) / Raw(bytes((n + i) & 0xFF for i in range(20 + n % 40)))


def esp_tunnel(spi, seq, peer, router=ROUTER, n=0, nat_t=False):
    """ESP-NULL tunnel mode, encrypted by scapy's SecurityAssociation."""
    header = IP(src=peer, dst=router)
    if nat_t:
        header = header / UDP(sport=4500, dport=4500)
    sa = SecurityAssociation(ESP, spi=spi, crypt_algo="NULL", crypt_key=None, auth_algo="NULL", auth_key=None,
                             tunnel_header=header)
    return IP(bytes(sa.encrypt(inner(n), seq_num=seq)))


def esp6_tunnel(spi, seq, n=0):
    sa = SecurityAssociation(ESP, spi=spi, crypt_algo="NULL", crypt_key=None, auth_algo="NULL", auth_key=None,
                             tunnel_header=IPv6(src=PEER6, dst=ROUTER6))
    inner6 = IPv6(src="2001:db8:2::10", dst="2001:db8:3::10") / UDP(sport=5001, dport=5001) / Raw(bytes(range(24)))
    return IPv6(bytes(sa.encrypt(inner6, seq_num=seq)))


def packets():
    """(what, expected outcome, IP packet or None for ARP) in capture order."""
    out = []
    for seq in range(1, 21):
        out.append((f"site-b spi 4096 seq {seq}", "forwarded", esp_tunnel(4096, seq, SITE_B, n=seq)))
    for seq in range(1, 6):
        out.append((f"site-c spi 4097 seq {seq}", "forwarded", esp_tunnel(4097, seq, SITE_C, n=seq)))
    for seq in (5, 12, 20):
        out.append((f"site-b spi 4096 seq {seq} again", "drop 19 IN_CD_SW_IPSEC_ANTI_REPLAY_FAIL", esp_tunnel(4096, seq, SITE_B, n=seq)))
    for seq in range(1, 5):
        out.append((f"stale spi 0x5a3c11e7 seq {seq}", "drop 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", esp_tunnel(0x5A3C11E7, seq, STRANGER, n=seq)))
    for seq in range(1, 3):
        out.append((f"nat-t spi 0xdeadbeef seq {seq}", "drop 4 IN_US_V4_PKT_SA_NOT_FOUND_SPI", esp_tunnel(0xDEADBEEF, seq, STRANGER, n=seq, nat_t=True)))
    out.append(("ipv6 spi 0x1234 seq 1", "drop 12 IN_US_V6_PKT_SA_NOT_FOUND_SPI", esp6_tunnel(0x1234, 1)))
    for seq in range(21, 100):
        out.append((f"site-b spi 4096 seq {seq}", "forwarded", esp_tunnel(4096, seq, SITE_B, n=seq)))
    out.append(("site-b spi 4096 seq 2 (behind the window)", "drop 116 CD_IN_PKT_OUT_OF_WINDOW", esp_tunnel(4096, 2, SITE_B, n=2)))
    out.append(("arp who-has 192.0.2.1", "not IP", None))
    return out


def frame(ip, link):
    if ip is None:
        arp = ARP(op=1, hwsrc=PEER_MAC, psrc=SITE_B, pdst=ROUTER)
        return {"ethernet": Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / arp,
                "sll": CookedLinux(pkttype=1, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0", proto=0x0806) / arp,
                "sll2": CookedLinuxV2(proto=0x0806, pkttype=1, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0", ifindex=2) / arp,
                "raw": None}[link]
    proto = 0x86DD if ip.version == 6 else 0x0800
    return {"ethernet": Ether(src=PEER_MAC, dst=ROUTER_MAC, type=proto) / ip,
            "sll": CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0", proto=proto) / ip,
            "sll2": CookedLinuxV2(proto=proto, pkttype=0, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0", ifindex=2) / ip,
            "raw": ip}[link]


def main():
    os.makedirs(OUT, exist_ok=True)
    conf.verb = 0
    items = packets()
    files = {"replay-ethernet.pcap": ("ethernet", PcapWriter, 1), "replay-ethernet.pcapng": ("ethernet", PcapNgWriter, 1),
             "replay-raw.pcap": ("raw", PcapWriter, 101), "replay-sll.pcap": ("sll", PcapWriter, 113),
             "replay-sll2.pcap": ("sll2", PcapWriter, 276)}
    for name, (link, writer_type, linktype) in files.items():
        path = os.path.join(OUT, name)
        w = writer_type(path) if writer_type is PcapNgWriter else writer_type(path, linktype=linktype, sync=True)
        for i, (_, _, ip) in enumerate(items):
            f = frame(ip, link)
            if f is None:
                continue
            f.time = START + i * 0.001
            w.write(f)
        w.close()
    truth = []
    for i, (what, outcome, ip) in enumerate(items):
        entry = {"index": i, "what": what, "expected": outcome}
        if ip is not None:
            esp = ip[ESP] if ESP in ip else None
            entry.update({"ip_version": ip.version, "ip_length": len(ip), "spi": esp.spi if esp else None,
                          "seq": esp.seq if esp else None, "udp_encapsulated": UDP in ip and ip[UDP].dport == 4500})
        truth.append(entry)

    def count(prefix):
        return sum(1 for _, o, _ in items if o.startswith(prefix))
    drops = {}
    for _, o, _ in items:
        if o.startswith("drop "):
            number = o.split()[1]
            drops[number] = drops.get(number, 0) + 1
    ground = {
        "generator": f"scapy {SCAPY.split('==')[1]} SecurityAssociation(ESP, NULL, NULL)",
        "router": "qfp embedded default configuration",
        "packets": truth,
        "expected": {
            "records_with_arp": len(items), "records_raw_ip": len(items) - count("not IP"),
            "not_ip": count("not IP"), "injected": len(items) - count("not IP"),
            "forwarded": count("forwarded"), "IpsecInput": sum(drops.values()),
            "ipsec_datapath_drops": drops,
        },
    }
    with open(os.path.join(OUT, "replay-ground-truth.json"), "w") as f:
        json.dump(ground, f, indent=1)
        f.write("\n")


main()
