#!/usr/bin/env python3
"""Writes the ESP interoperation captures of Tests/QFPCLITests/Captures: packets encrypted by
scapy's SecurityAssociation (scapy.layers.ipsec, with the `cryptography` package), an
implementation independent of qfp, together with the router configuration holding the same
manual SAs and keys, and the ground truth of what the router must count.

    python3 Tools/make-crypto-captures.py

The first run makes the virtual environment of Tools/scapy_venv.py and re-runs itself there.

Three peers, one SA each, tunnel mode, to the router 192.0.2.1:
  crypto-esp-gcm-128.pcap          198.51.100.7  SPI 4096  esp-gcm 128 (RFC 4106; key = AES key + 4-byte salt)
  crypto-esp-aes-256-sha1.pcap     198.51.100.9  SPI 4097  esp-aes 256 esp-sha-hmac (HMAC-SHA1-96)
  crypto-esp-aes-128-sha256.pcap   198.51.100.11 SPI 4098  esp-aes esp-sha256-hmac (HMAC-SHA256-128)
Each capture holds good packets, a packet whose ICV has a flipped byte (drop 62, and the good
packet with the same sequence number that follows it still passes: a bad ICV does not consume
its sequence number), a packet whose ciphertext has a flipped byte (drop 62), and a replay of
an earlier packet (drop 19). IVs are derived from SPI and sequence number, so the files are the
same on every run. crypto-router.cfg also holds outbound SAs (SPIs 8192-8194, other keys) for
the other direction: qfp encrypts, tshark decrypts.
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scapy_venv import ROOT, SCAPY, CRYPTOGRAPHY, ensure_venv  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "QFPCLITests", "Captures")
ensure_venv(__file__)

from scapy.all import IP, UDP, Ether, PcapWriter, Raw, conf  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

ROUTER = "192.0.2.1"
PEER_MAC, ROUTER_MAC = "02:00:00:00:00:07", "02:00:00:00:00:01"
START = 1_700_000_000


def key(label, n):
    """n deterministic key bytes named by `label`."""
    out = b""
    while len(out) < n:
        out += hashlib.sha256(f"qfp interop {label} {len(out)}".encode()).digest()
    return out[:n]


# name, IOS transforms, scapy crypt_algo, cipher key length (with salt), scapy auth_algo, auth key length,
# peer, inside prefix (second octet), inbound SPI, outbound SPI, tshark encryption, tshark authentication
SAS = [
    dict(name="esp-gcm-128", transforms="esp-gcm 128", crypt="AES-GCM", crypt_len=20, auth="NULL", auth_len=0,
         peer="198.51.100.7", site=2, spi_in=4096, spi_out=8192,
         tshark_encryption="AES-GCM with 16 octet ICV [RFC4106]", tshark_authentication="NULL"),
    dict(name="esp-aes-256-sha1", transforms="esp-aes 256 esp-sha-hmac", crypt="AES-CBC", crypt_len=32,
         auth="HMAC-SHA1-96", auth_len=20, peer="198.51.100.9", site=3, spi_in=4097, spi_out=8193,
         tshark_encryption="AES-CBC [RFC3602]", tshark_authentication="HMAC-SHA-1-96 [RFC2404]"),
    dict(name="esp-aes-128-sha256", transforms="esp-aes esp-sha256-hmac", crypt="AES-CBC", crypt_len=16,
         auth="SHA2-256-128", auth_len=32, peer="198.51.100.11", site=4, spi_in=4098, spi_out=8194,
         tshark_encryption="AES-CBC [RFC3602]", tshark_authentication="HMAC-SHA-256-128 [RFC4868]"),
]
for sa in SAS:
    for direction in ("inbound", "outbound"):
        sa[f"{direction}_cipher"] = key(f"{sa['name']} {direction} cipher", sa["crypt_len"]).hex()
        sa[f"{direction}_authenticator"] = key(f"{sa['name']} {direction} auth", sa["auth_len"]).hex() if sa["auth_len"] else None


def session_key(sa, direction, spi):
    text = f" set session-key {direction} esp {spi} cipher {sa[direction + '_cipher']}"
    if sa[direction + "_authenticator"]:
        text += f" authenticator {sa[direction + '_authenticator']}"
    return text


def configuration():
    lines = ["hostname qfp-interop", "!"]
    for sa in SAS:
        lines += [f"crypto ipsec transform-set TS-{sa['name'].upper()} {sa['transforms']}", " mode tunnel"]
    lines.append("!")
    for i, sa in enumerate(SAS):
        lines += [f"crypto map INTEROP {10 * (i + 1)} ipsec-manual", f" set peer {sa['peer']}",
                  session_key(sa, "inbound", sa["spi_in"]), session_key(sa, "outbound", sa["spi_out"]),
                  f" set transform-set TS-{sa['name'].upper()}", f" match address SITE-{i + 1}"]
    lines += ["!", "interface GigabitEthernet1", " description outside", " ip address 192.0.2.1 255.255.255.0",
              " crypto map INTEROP", "!", "interface GigabitEthernet2", " description inside",
              " ip address 10.1.0.1 255.255.0.0", "!", "ip route 0.0.0.0 0.0.0.0 192.0.2.254", "!"]
    for i, sa in enumerate(SAS):
        lines += [f"ip access-list extended SITE-{i + 1}",
                  f" 10 permit ip 10.1.0.0 0.0.255.255 10.{sa['site']}.0.0 0.0.255.255"]
    lines.append("end")
    return "\n".join(lines) + "\n"


def scapy_sa(sa):
    return SecurityAssociation(ESP, spi=sa["spi_in"], crypt_algo=sa["crypt"], crypt_key=bytes.fromhex(sa["inbound_cipher"]),
                               auth_algo=sa["auth"],
                               auth_key=bytes.fromhex(sa["inbound_authenticator"]) if sa["auth_len"] else None,
                               tunnel_header=IP(src=sa["peer"], dst=ROUTER))


def inner(sa, seq):
    """The clear packet a host behind the peer sends to a host behind the router."""
    return IP(src=f"10.{sa['site']}.0.10", dst="10.1.0.10", id=seq, ttl=63) / UDP(sport=5001, dport=5001) / \
        Raw(bytes((seq * 7 + i) & 0xFF for i in range(16 + seq * 5 % 41)))


def encrypted(sa, seq):
    iv_len = 8 if sa["crypt"] == "AES-GCM" else 16
    iv = hashlib.sha256(f"iv {sa['spi_in']} {seq}".encode()).digest()[:iv_len]
    return IP(bytes(scapy_sa(sa).encrypt(inner(sa, seq), seq_num=seq, iv=iv)))


def flipped(ip, offset_from_end):
    """`ip` with one byte flipped, counted from the end (1 = the last ICV byte)."""
    b = bytearray(bytes(ip))
    b[-offset_from_end] ^= 0x01
    return IP(bytes(b))


def packets(sa):
    """(what, outcome, ESP packet, inner clear packet or None) in capture order."""
    s = sa["spi_in"]
    out = []
    for seq in range(1, 9):
        out.append((f"spi {s} seq {seq}", "forwarded", encrypted(sa, seq), inner(sa, seq)))
    out.append((f"spi {s} seq 9, last ICV byte flipped", "drop 62", flipped(encrypted(sa, 9), 1), None))
    out.append((f"spi {s} seq 9 (the bad ICV did not consume it)", "forwarded", encrypted(sa, 9), inner(sa, 9)))
    out.append((f"spi {s} seq 4 replayed", "drop 19", encrypted(sa, 4), None))
    icv = 16 if sa["auth"] in ("NULL", "SHA2-256-128") else 12
    out.append((f"spi {s} seq 10, a ciphertext byte flipped", "drop 62", flipped(encrypted(sa, 10), icv + 3), None))
    for seq in range(10, 13):
        out.append((f"spi {s} seq {seq}", "forwarded", encrypted(sa, seq), inner(sa, seq)))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    conf.verb = 0
    with open(os.path.join(OUT, "crypto-router.cfg"), "w") as f:
        f.write(configuration())
    captures = []
    for sa in SAS:
        items = packets(sa)
        # scapy decrypts its own packets back: the ground truth is consistent.
        check = scapy_sa(sa)
        for what, outcome, ip, clear in items:
            if clear is not None:
                assert bytes(check.decrypt(IP(bytes(ip)))) == bytes(clear), what  # decrypt changes its argument
        name = f"crypto-{sa['name']}.pcap"
        w = PcapWriter(os.path.join(OUT, name), linktype=1, sync=True)
        for i, (_, _, ip, _) in enumerate(items):
            frame = Ether(src=PEER_MAC, dst=ROUTER_MAC) / ip
            frame.time = START + i * 0.001
            w.write(frame)
        w.close()
        drops = {}
        for _, o, _, _ in items:
            if o.startswith("drop "):
                drops[o.split()[1]] = drops.get(o.split()[1], 0) + 1
        captures.append({
            "file": name, "transforms": sa["transforms"], "peer": sa["peer"], "spi": sa["spi_in"],
            "scapy": {"crypt_algo": sa["crypt"], "auth_algo": sa["auth"]},
            "packets": [{"index": i, "what": w_, "expected": o, "ip_length": len(ip), "seq": ip[ESP].seq}
                        for i, (w_, o, ip, _) in enumerate(items)],
            "expected": {"records": len(items), "injected": len(items),
                         "decapsulated": sum(1 for _, o, _, _ in items if o == "forwarded"),
                         "forwarded": sum(1 for _, o, _, _ in items if o == "forwarded"),
                         "IpsecInput": sum(drops.values()), "ipsec_datapath_drops": drops},
            "decrypted": [bytes(c).hex() for _, o, _, c in items if c is not None],
        })
    outbound = [{"peer": sa["peer"], "spi": sa["spi_out"], "inside": f"10.{sa['site']}.0.0/16",
                 "transforms": sa["transforms"], "cipher": sa["outbound_cipher"],
                 "authenticator": sa["outbound_authenticator"], "tshark_encryption": sa["tshark_encryption"],
                 "tshark_authentication": sa["tshark_authentication"]} for sa in SAS]
    ground = {"generator": f"scapy {SCAPY.split('==')[1]} SecurityAssociation with cryptography {CRYPTOGRAPHY.split('==')[1]}",
              "router": "crypto-router.cfg", "captures": captures, "outbound": outbound}
    with open(os.path.join(OUT, "crypto-ground-truth.json"), "w") as f:
        json.dump(ground, f, indent=1)
        f.write("\n")


main()
