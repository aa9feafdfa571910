#!/usr/bin/env python3
"""Pairs qfp bench rounds with DPDK peer rounds measured in the same sitting.

Usage: summarize-comparison.py DIR   (DIR holds qfp_rN.json and peers_rN/ from Tools/compare-peers)

For each round the ratios are computed from that round's own numbers (paired), then the median
and range over rounds are printed, as ../shared/build-notes.md recommends for a noisy VM.
"""
import glob
import json
import os
import re
import statistics
import sys

D = sys.argv[1]


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def peer_figures(p):
    fig = {}
    m = re.search(r"TSC frequency is ~(\d+) KHz", read(os.path.join(p, "eal_tsc.log")))
    ghz = int(m.group(1)) / 1e6 if m else None
    fig["ghz"] = ghz
    m = re.search(r"XCORE SP/SC burst=32 .*?median_chunk_ns/elem=([\d.]+)", read(os.path.join(p, "ring_xcore_r1.log")))
    if m:
        fig["ring_ns"] = float(m.group(1))
    for n in (1000, 100000, 1000000):
        for mix, key in (("0-0-100", "sad_full"), ("100-0-0", "sad_spi"), ("90-9-1", "sad_mix")):
            m = re.search(r"Average lookup cycles ([\d.]+)", read(os.path.join(p, f"sad_n{n}_v4_d{mix}_r1.log")))
            if m:
                fig[f"{key}_{n}"] = float(m.group(1))
    summary = read(os.path.join(p, "summary.md"))
    m = re.search(r"\| macswap, 1 fwd core: total Rx Mpps[^|]*\| Mpps \| [\d.]+ \| \*\*([\d.]+)\*\*", summary)
    if m:
        fig["macswap_mpps"] = float(m.group(1))
    return fig


rows = {}
def add(name, value):
    rows.setdefault(name, []).append(value)

rounds = sorted(glob.glob(os.path.join(D, "qfp_r*.json")), key=lambda s: int(re.search(r"_r(\d+)", s).group(1)))
for q in rounds:
    r = re.search(r"_r(\d+)", q).group(1)
    ours = json.load(open(q))
    peers = peer_figures(os.path.join(D, f"peers_r{r}"))
    ghz = peers.get("ghz") or 2.6
    one = next((x for x in ours["runs"] if x["direction"] == "inbound" and x["workers"] == 1), None)
    two = next((x for x in ours["runs"] if x["direction"] == "inbound" and x["workers"] == ours["workers"] and x["generation"] == "rss"), None)
    add("qfp ring ns/element (4-byte handles)", ours.get("ring_ns_per_element"))
    add("qfp ring ns/element (8-byte words)", ours.get("ring_ns_per_element_8_byte"))
    if "ring_ns" in peers:
        add("rte_ring SP/SC burst 32 core to core ns/element", peers["ring_ns"])
        add("ratio ring qfp(8-byte)/rte_ring (target <= 1)", ours["ring_ns_per_element_8_byte"] / peers["ring_ns"])
        add("ratio ring qfp(handles)/rte_ring (target <= 1)", ours["ring_ns_per_element"] / peers["ring_ns"])
    for n in ("1000", "100000", "1000000"):
        if n not in ours["lookup_ns"]:
            continue
        cycles = ours["lookup_ns"][n] * ghz
        add(f"qfp lookup cycles, {n} SAs", cycles)
        for key, label in (("sad_full", "SPI+DIP+SIP"), ("sad_mix", "mix 90/9/1"), ("sad_spi", "SPI only")):
            if f"{key}_{n}" in peers:
                add(f"rte_ipsec_sad cycles, {n} rules, {label}", peers[f"{key}_{n}"])
                add(f"ratio lookup qfp/sad {label}, {n} (target <= 0.5)", cycles / peers[f"{key}_{n}"])
    if one:
        add("qfp inbound Mpps/worker, 1 worker", one["mpps_total"])
    if two and one:
        add(f"qfp inbound Mpps/worker, {ours['workers']} workers", two["mpps_total"] / two["workers"])
        add(f"scaling {ours['workers']} workers / 1 (target >= 1.8)", two["mpps_total"] / one["mpps_total"])
    if "macswap_mpps" in peers and one:
        add("testpmd macswap Mpps/core", peers["macswap_mpps"])
        add("ratio inbound Mpps/worker / testpmd macswap (target >= 0.5)", one["mpps_total"] / peers["macswap_mpps"])
    for g in ours.get("generator", []):
        add(f"qfp generator fill Mpps, one core, {g['size']}", g["fill_mpps_one_core"])
        add(f"qfp whole loop rx Mpps (generator + 1 worker), {g['size']}", g["loop"]["rxMpps"])
        if "macswap_mpps" in peers:
            add(f"ratio generator fill {g['size']} / testpmd macswap", g["fill_mpps_one_core"] / peers["macswap_mpps"])
            add(f"ratio whole loop {g['size']} / testpmd macswap", g["loop"]["rxMpps"] / peers["macswap_mpps"])
    out = next((x for x in ours["runs"] if x["direction"] == "outbound" and x["workers"] == 1), None)
    if out:
        add("qfp outbound Mpps/worker, 1 worker", out["mpps_total"])

print(f"{len(rounds)} round(s) in {D}; median [min-max] over rounds, ratios paired per round\n")
width = max(len(k) for k in rows) if rows else 10
for k, vs in rows.items():
    vs = [v for v in vs if v is not None]
    if not vs:
        continue
    print(f"{k:<{width}}  {statistics.median(vs):10.3f}  [{min(vs):.3f}-{max(vs):.3f}]")
