#!/usr/bin/env python3
"""Writes the small capture files of Tests/QFPCaptureTests/Captures with scapy, and beside each
one a ground-truth JSON taken from scapy's own dissection of the file it wrote.

    python3 Tools/make-test-captures.py

The first run makes a virtual environment at .build/capture-venv with a pinned scapy and
re-runs itself there. The packets are the same in every file: IPv4 ESP from 198.51.100.7 to
192.0.2.1 with SPI 4096 and sequence numbers 1 to 5, one with SPI 0xDEADBEEF, one IPv6 ESP, one
UDP/4500-encapsulated ESP; the Ethernet files add an 802.1Q-tagged ESP, an 802.1ad+802.1Q
double-tagged ESP and an ARP request. Everything is deterministic (fixed MACs, payloads and
times), so rerunning the script rewrites identical files.
"""
import json
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scapy_venv import ROOT, SCAPY, ensure_venv  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "QFPCaptureTests", "Captures")
ensure_venv(__file__)

from scapy.all import (ARP, IP, UDP, CookedLinux, CookedLinuxV2, Dot1AD, Dot1Q,  # noqa: E402
                       Ether, IPv6, PcapNgWriter, PcapWriter, rdpcap)
from scapy.layers.ipsec import ESP  # noqa: E402
from scapy.utils import EDecimal  # noqa: E402

PEER, ROUTER = "198.51.100.7", "192.0.2.1"
PEER6, ROUTER6 = "2001:db8:1::7", "2001:db8::1"
PEER_MAC, ROUTER_MAC = "02:00:00:00:00:07", "02:00:00:00:00:01"
START = Decimal(1_700_000_000)


def payload(n):
    return bytes((n * 7 + i) & 0xFF for i in range(16 + n))


def ip_packets():
    """(description, IP-layer packet) in file order."""
    packets = [(f"esp spi 0x1000 seq {n}", IP(src=PEER, dst=ROUTER, id=n) / ESP(spi=4096, seq=n, data=payload(n)))
               for n in range(1, 6)]
    packets.append(("esp spi 0xdeadbeef seq 1", IP(src=PEER, dst=ROUTER, id=6) / ESP(spi=0xDEADBEEF, seq=1, data=payload(6))))
    packets.append(("ipv6 esp spi 0x1001 seq 1", IPv6(src=PEER6, dst=ROUTER6) / ESP(spi=4097, seq=1, data=payload(7))))
    packets.append(("udp-encapsulated esp spi 0x1002 seq 1",
                    IP(src=PEER, dst=ROUTER, id=8) / UDP(sport=4500, dport=4500) / ESP(spi=4098, seq=1, data=payload(8))))
    return packets


def ethernet_packets():
    frames = [(text, Ether(src=PEER_MAC, dst=ROUTER_MAC) / packet) for text, packet in ip_packets()]
    frames.append(("802.1q vlan 100 esp spi 0x1000 seq 6",
                   Ether(src=PEER_MAC, dst=ROUTER_MAC) / Dot1Q(vlan=100) / IP(src=PEER, dst=ROUTER, id=9)
                   / ESP(spi=4096, seq=6, data=payload(9))))
    frames.append(("802.1ad+802.1q esp spi 0x1000 seq 7",
                   Ether(src=PEER_MAC, dst=ROUTER_MAC) / Dot1AD(vlan=200) / Dot1Q(vlan=100)
                   / IP(src=PEER, dst=ROUTER, id=10) / ESP(spi=4096, seq=7, data=payload(10))))
    frames.append(("arp who-has 192.0.2.1",
                   Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(hwsrc=PEER_MAC, psrc=PEER, pdst=ROUTER)))
    return frames


def sll_packets():
    return [(text, CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0",
                               proto=0x86DD if IPv6 in packet else 0x0800) / packet)
            for text, packet in ip_packets()]


def sll2_packets():
    # scapy builds SLL2 headers itself (CookedLinuxV2, linktype 276).
    return [(text, CookedLinuxV2(proto=0x86DD if IPv6 in packet else 0x0800, ifindex=2, pkttype=0,
                                 lladdrtype=1, lladdrlen=6, src=bytes.fromhex("020000000007") + b"\0\0") / packet)
            for text, packet in ip_packets()]


def raw_packets():
    return ip_packets()


def timestamp(index, nano):
    # Microsecond files get whole microseconds; the nanosecond file odd nanoseconds.
    return START + Decimal(index) / 1000 + (Decimal(index * 111 + 1) / 10**9 if nano else Decimal(index * 3 + 1) / 10**6)


def write(name, packets, linktype, pcapng=False, nano=False):
    path = os.path.join(OUT, name)
    for index, (text, packet) in enumerate(packets):
        packet.time = EDecimal(timestamp(index, nano))
        if pcapng:
            packet.comment = text.encode()
    if pcapng:
        writer = PcapNgWriter(path)
    else:
        writer = PcapWriter(path, linktype=linktype, nano=nano, sync=True)
    for _, packet in packets:
        writer.write(packet)
    writer.close()
    truth(path, linktype, pcapng)


def truth(path, linktype, pcapng):
    """The ground truth, from scapy's dissection of the file it just wrote."""
    records = []
    for index, packet in enumerate(rdpcap(path)):
        ip = packet[IP] if IP in packet else packet[IPv6] if IPv6 in packet else None
        esp = packet[ESP] if ESP in packet else None
        records.append({
            "index": index,
            "linktype": linktype,
            "is_ip": ip is not None,
            "ip_version": ip.version if ip is not None else None,
            "proto": (ip.proto if IP in packet else ip.nh) if ip is not None else None,
            "spi": esp.spi if esp is not None else None,
            "seq": esp.seq if esp is not None else None,
            "udp_encap": UDP in packet and esp is not None,
            "ip_length": (ip.len if IP in packet else 40 + ip.plen) if ip is not None else None,
            "captured_length": len(bytes(packet)),
            "timestamp_ns": int(Decimal(packet.time) * 10**9),
            "comment": packet.comment.decode() if pcapng and packet.comment else None,
        })
    with open(os.path.splitext(path)[0] + ".json", "w") as file:
        # One record a line: small, and a diff shows which packet changed.
        lines = ",\n  ".join(json.dumps(record, separators=(",", ":")) for record in records)
        file.write(f'{{"file": "{os.path.basename(path)}", "records": [\n  {lines}\n]}}\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    write("ethernet-usec.pcap", ethernet_packets(), 1)
    write("ethernet-nsec.pcap", ethernet_packets(), 1, nano=True)
    write("ethernet.pcapng", ethernet_packets(), 1, pcapng=True)
    write("raw-ip.pcap", raw_packets(), 101)
    write("linux-sll.pcap", sll_packets(), 113)
    write("linux-sll2.pcap", sll2_packets(), 276)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
