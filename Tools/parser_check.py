#!/usr/bin/env python3
"""Parses qfp's show outputs with the public parsers network engineers use and compares the
numbers they extract with qfp's own data for the same counters.

Input: a directory written by the ParserSampleTests test (QFP_PARSER_SAMPLES=DIR): index.json
lists each command with its text output and its `| json` data (built from the counters, not
from the text). Parsers: Cisco pyATS/Genie `iosxe` (genie.libs.parser) and ntc-templates
`cisco_ios` where a template for the command exists.

Every check prints one line; the exit status is 1 if any comparison fails or a parser fails on
an output it should read. Known parser limitations (the same on a real router) are listed in
KNOWN and reported as such, not as failures.
"""
import json
import os
import sys

from genie.conf.base import Device
from genie.libs.parser.utils import get_parser
from ntc_templates.parse import parse_output

# Parser behaviour that is not qfp's doing: the same output from a real router fails the same way.
KNOWN = {
    ("genie", "show crypto isakmp sa"):
        "Genie's schema requires at least one ISAKMP SA; an empty table (no IKE SAs) fails on any router",
    ("ntc", "show crypto ipsec sa detail"):
        "ntc's template reads one flow per `interface:` block; a crypto map with several entries prints "
        "several (checked instead on the one-flow `peer ... detail` output)",
}

# ntc selects templates by command; these outputs have the layout of another command's.
NTC_COMMAND = {"show crypto ipsec sa peer 198.51.100.7 detail": "show crypto ipsec sa detail"}

failures = 0


def report(parser, command, ok, detail=""):
    global failures
    status = "ok" if ok else "FAIL"
    if not ok:
        failures += 1
    print(f"{status:5} {parser:6} {command}{(' — ' + detail) if detail else ''}")


def expect_equal(parser, command, label, got, want):
    if got == want:
        return True
    report(parser, command, False, f"{label}: parser read {got!r}, counters say {want!r}")
    return False


def spi_number(text):
    """'0x1000(4096)' -> 4096"""
    return int(text.split("(")[1].rstrip(")"))


# ---------------------------------------------------------------------------------------------
# Genie checks: one function per command, (parsed, data) -> list of (label, got, want)

def genie_global_drops(p, d):
    got = {k: (v["packets"], v["octets"]) for k, v in p.get("global_drop_stats", {}).items()}
    want = {k: (v["packets"], v["octets"]) for k, v in d["global_drop_stats"].items()}
    return [("global drop stats", got, want)]


def genie_drop_history(p, d):
    got = {k: (v["1m"]["packets"], v["5m"]["packets"], v["30m"]["packets"], v["all"]["packets"])
           for k, v in p.get("drop_history", {}).items()}
    want = {r["name"]: (r["1_min"], r["5_min"], r["30_min"], r["all"]) for r in d["rows"]}
    return [("drop history", got, want)]


def genie_datapath_drops_all(p, d):
    got = {str(v["drop_type"]): (k, v["packets"]) for k, v in p["drops"].items()}
    want = {k: (v["name"], v["packets"]) for k, v in d["ipsec_datapath_drops"].items()}
    return [("ipsec datapath drops", got, want)]


def genie_qfp_sa(p, d):
    s = p["qfp_ipsec_sa_information"]
    return [
        ("qfp sa id", s["qfp_sa_id"], d["qfp_sa_id"]),
        ("spi", spi_number(s["qfp_spi"]), d["qfp_spi"]),
        ("mode", s["flags_parsed"]["mode"], d["mode"]),
        ("direction", s["flags_parsed"]["direction"], d["direction"]),
        ("window", s["ext_ar_window_size"], d["ext_ar_window_size"]),
        ("endpoints", (s["local_endpoint"], s["remote_endpoint"]), (d["local_endpoint"], d["remote_endpoint"])),
    ]


def genie_ipsec_state(p, d):
    got = sorted((v["type"], v["request"], v["reply_ok"], v["reply_error"]) for v in p["message_counter"].values())
    want = sorted((m["type"], m["request"], m["reply_ok"], m["reply_error"]) for m in d["message_counter"])
    return [("message counters", got, want)]


def genie_utilization(p, d):
    out = []
    for sub in d["subdevices"]:
        g = p["cpp"][str(sub["cpp"])]["subdev"][str(sub["subdev"])]
        for direction in ("input", "output"):
            for kind, key in (("priority", "priority"), ("non_priority", "non_priority")):
                for unit in ("pps", "bps"):
                    out.append((f"subdev {sub['subdev']} {direction} {kind} {unit}",
                                g[direction][kind][unit], sub[direction][f"{key}_{unit}"]))
        out.append((f"subdev {sub['subdev']} load", g["processing"]["load_pct"], sub["processing_load_pct"]))
    return out


def genie_ipsec_sa(p, d):
    out = []
    for iface in d["interfaces"]:
        g = p["interface"][iface["name"]]
        out.append((f"{iface['name']} map tag", g["crypto_map_tag"], iface["crypto_map_tag"]))
        idents = list(g["ident"].values())
        out.append((f"{iface['name']} flows", len(idents), len(iface["flows"])))
        for gi, flow in zip(idents, iface["flows"]):
            c = flow["counters"]
            tag = f"{iface['name']} peer {flow['current_peer']}"
            out.append((f"{tag} peer", gi["peer_ip"], flow["current_peer"]))
            # The plain form has send/recv error totals; detail has the individual counters.
            for k in ("pkts_encaps", "pkts_encrypt", "pkts_digest", "pkts_decaps", "pkts_decrypt", "pkts_verify",
                      "send_errors", "recv_errors", "pkts_no_sa_send", "pkts_invalid_sa_rcv", "pkts_invalid_prot_recv",
                      "pkts_verify_failed", "pkts_replay_rollover_send", "pkts_replay_rollover_rcv"):
                if k in gi:
                    out.append((f"{tag} {k}", gi[k], c.get(k)))
            if "pkts_replay_failed_rcv" in gi:
                out.append((f"{tag} pkts_replay_failed_rcv", gi["pkts_replay_failed_rcv"], c["pkts_replay_failed_rcv"]))
            out.append((f"{tag} outbound spi", spi_number(gi["current_outbound_spi"]), flow["current_outbound_spi"]))
            for direction in ("inbound_esp_sas", "outbound_esp_sas"):
                got = sorted((spi_number(k), v["conn_id"]) for k, v in gi.get(direction, {}).get("spi", {}).items())
                want = sorted((s["spi"], s["conn_id"]) for s in flow[direction])
                out.append((f"{tag} {direction}", got, want))
    return out


def genie_ikev2(p, d):
    return [("IKEv2 SAs", len(p.get("ipv4", {})) + len(p.get("ipv6", {})), len(d["sas"]))]


def genie_sessions(p, d):
    # Genie keys sessions by interface, so a later session on the same interface replaces an
    # earlier one: compare each interface's last session, which is what the parser keeps.
    last = {}
    for s in d["sessions"]:
        last[s["interface"]] = s
    got = {k: v["session_status"] for k, v in p["interface"].items()}
    want = {k: v["session_status"] for k, v in last.items()}
    return [("session status per interface (last session)", got, want)]


def genie_logging(p, d):
    entries = d["log_buffer"]["entries"]
    return [
        ("buffer messages logged", p["logging"]["buffer"]["messages_logged"], d["buffer_logging"]["messages_logged"]),
        ("trap lines", p["logging"]["trap"]["message_lines_logged"], d["trap_message_lines_logged"]),
        ("log lines", len(p.get("logs", [])), len(entries)),
        ("messages", [l.split(": ", 1)[1] for l in p.get("logs", [])], [e["message"] for e in entries]),
    ]


def genie_version(p, d):
    v = p["version"]
    return [
        ("hostname", v["hostname"], d["hostname"]),
        ("xe version", v["xe_version"], d["xe_version"]),
        ("chassis", v["chassis"], d["chassis"]),
        ("serial", v["chassis_sn"], d["processor_board_id"]),
        ("image id", v["image_id"], d["image_id"]),
        ("label", v["label"], "RELEASE SOFTWARE (fc3)"),
    ]


def clock_fields(d):
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    time = f"{d['hour']:02}:{d['minute']:02}:{d['second']:02}.{d['millisecond']:03}"
    return time, months[d["month"] - 1], str(d["day"]), str(d["year"])


def genie_clock(p, d):
    return [("time, month, day, year", (p["time"], p["month"], p["day"], p["year"]), clock_fields(d))]


def genie_interface_brief(p, d):
    got = {k: (v["ip_address"], v["interface_is_ok"], v["method"], v["status"], v["protocol"]) for k, v in p["interface"].items()}
    want = {r["interface"]: (r["ip_address"], r["ok"], r["method"], r["status"], r["protocol"]) for r in d["interfaces"]}
    return [("(address, ok, method, status, protocol) per interface", got, want)]


def route_target(r):
    return r.get("next_hop") or r.get("interface")


def genie_ip_route(p, d):
    routes = p["vrf"]["default"]["address_family"]["ipv4"]["routes"]
    got = {}
    for prefix, v in routes.items():
        hops = v.get("next_hop", {})
        target = [h["next_hop"] for h in hops.get("next_hop_list", {}).values()] or list(hops.get("outgoing_interface", {}))
        got[prefix] = (v["source_protocol_codes"], target[0] if target else None, v.get("route_preference", 0))
    # IOS prints `[distance/metric]` only for routes by next hop.
    want = {r["prefix"]: (r["code"] + ("*" if r["candidate_default"] else ""), route_target(r),
                          r["distance"] if r.get("next_hop") else 0) for r in d["routes"]}
    # Genie does not read the `Gateway of last resort` line; the default route's `S*` is compared.
    return [("(code, next hop or interface, distance) per prefix", got, want)]


def genie_access_lists(p, d):
    got = {name: (v["acl_type"], {seq: a["actions"]["forwarding"] for seq, a in v.get("aces", {}).items()}) for name, v in p.items()}
    want = {l["name"]: ("standard" if l["standard"] else "extended", {str(e["sequence"]): e["action"] for e in l["entries"]})
            for l in d["access_lists"]}
    return [("(type, action per sequence) per list", got, want)]


def genie_crypto_map(p, d):
    # Genie keeps one record per map tag (lower-cased): the last entry's sequence number and
    # current peer, every entry's peers and transform sets, the interfaces.
    got, want = {}, {}
    for tag, v in p["ipv4"]["crypto_map_tag"].items():
        got[tag] = (v["sequence_number"], v["peer"], v.get("current_peer"), sorted(v["transform_sets"]),
                    v["interfaces_crypto_map"].get("interfaces", []))
    for e in d["crypto_maps"]:
        tag = e["name"].lower()
        seq, peers, current, sets, interfaces = want.get(tag, (0, [], None, [], []))
        want[tag] = (e["sequence"], peers + e["peers"], e.get("current_peer"),
                     sorted(set(sets) | {t["name"].lower() for t in e["transform_sets"]}), e["interfaces"])
    return [("(last sequence, peers, current peer, transform sets, interfaces) per map", got, want)]


def genie_ipsec_profile(p, d):
    got = {k: (v["security_association_lifetime"], sorted(v.get("tranform_sets", {}))) for k, v in p["ipsec_profile_name"].items()}
    want = {x["name"]: (f"{x['lifetime_kilobytes']} kilobytes/{x['lifetime_seconds']} seconds",
                        sorted(t["name"] for t in x["transform_sets"])) for x in d["profiles"]}
    return [("(lifetime, transform sets) per profile", got, want)]


def genie_users(p, d):
    got = {k: (v.get("user"), v.get("location"), v["idle"], v["active"]) for k, v in p["line"].items()}
    want = {f"{l['line']} {l['name']}": (l.get("user"), l.get("location"), l["idle"], l["current"]) for l in d["lines"]}
    return [("(user, location, idle, current) per line", got, want)]


GENIE = {
    "show platform hardware qfp active statistics drop": genie_global_drops,
    "show platform hardware qfp active statistics drop clear": genie_global_drops,
    "show platform hardware qfp active statistics drop history": genie_drop_history,
    "show platform hardware qfp active feature ipsec datapath drops all": genie_datapath_drops_all,
    "show platform hardware qfp active feature ipsec state": genie_ipsec_state,
    "show platform hardware qfp active datapath utilization": genie_utilization,
    "show crypto ipsec sa": genie_ipsec_sa,
    "show crypto ipsec sa detail": genie_ipsec_sa,
    "show crypto ipsec sa peer 198.51.100.7": genie_ipsec_sa,
    "show crypto ipsec sa peer 198.51.100.7 detail": genie_ipsec_sa,
    "show crypto isakmp sa": lambda p, d: [("ISAKMP SAs", 0, len(d["sas"]))],
    "show crypto ikev2 sa": genie_ikev2,
    "show crypto session": genie_sessions,
    "show crypto session detail": genie_sessions,
    "show logging": genie_logging,
    "show version": genie_version,
    "show clock": genie_clock,
    "show ip interface brief": genie_interface_brief,
    "show ip route": genie_ip_route,
    "show access-lists": genie_access_lists,
    "show crypto map": genie_crypto_map,
    "show crypto ipsec profile": genie_ipsec_profile,
    "show users": genie_users,
}

# ---------------------------------------------------------------------------------------------
# ntc-templates checks (cisco_ios)

def ntc_ipsec_sa_detail(rows, d):
    got = sorted((r["CURRENT_PEER"] if "CURRENT_PEER" in r else r["current_peer"],
                  int(r.get("SA_SPI_DEC") or r.get("sa_spi_dec")),
                  int(r.get("PKTS_ENCAPS") or r.get("pkts_encaps")),
                  int(r.get("PKTS_DECAPS") or r.get("pkts_decaps")),
                  int(r.get("PKTS_REPLAY_FAILED") or r.get("pkts_replay_failed")),
                  int(r.get("SA_REPLAY_WINDOW_SIZE") or r.get("sa_replay_window_size") or 0)) for r in rows)
    want = []
    for iface in d["interfaces"]:
        for flow in iface["flows"]:
            c = flow["counters"]
            for s in flow["inbound_esp_sas"] + flow["outbound_esp_sas"]:
                want.append((flow["current_peer"], s["spi"], c["pkts_encaps"], c["pkts_decaps"],
                             c["pkts_replay_failed_rcv"], s.get("replay_window_size") or 0))
    return [("(peer, spi, encaps, decaps, replay failed, window) per SA", got, sorted(want))]


def ntc_session_detail(rows, d):
    got = [(r["interface"], r["peer"], r["session_status"], int(r["session_id"]), int(r["active_sa"])) for r in rows]
    want = [(s["interface"], s["peer"], s["session_status"], s["session_id"], f["active_sas"])
            for s in d["sessions"] for f in s["ipsec_flow"]]
    return [("(interface, peer, status, session id, active SAs)", got, want)]


def ntc_logging(rows, d):
    got = [(r["facility"], r["severity"], r["mnemonic"], " ".join(r["message"])) for r in rows]
    want = []
    for e in d["log_buffer"]["entries"]:
        tag, text = e["message"].split(": ", 1)
        facility, severity, mnemonic = tag.lstrip("%").split("-", 2)
        want.append((facility, severity, mnemonic, text))
    return [("log messages", got, want)]


def ntc_version(rows, d):
    r = rows[0]
    return [("hostname", r["hostname"], d["hostname"]), ("hardware", r["hardware"], [d["chassis"]]),
            ("serial", r["serial"], [d["processor_board_id"]]), ("release", r["release"], "fc3")]


def ntc_clock(rows, d):
    r = rows[0]
    return [("time, month, day, year", (r["time"], r["month"], r["day"], r["year"]), clock_fields(d))]


def ntc_interface_brief(rows, d):
    got = [(r["interface"], r["ip_address"], r["status"], r["proto"]) for r in rows]
    want = [(r["interface"], r["ip_address"], r["status"], r["protocol"]) for r in d["interfaces"]]
    return [("(interface, address, status, protocol)", got, want)]


def ntc_ip_route(rows, d):
    got = [(r["protocol"], f"{r['network']}/{r['prefix_length']}", r["nexthop_ip"] or r["nexthop_if"]) for r in rows]
    want = [(r["code"], r["prefix"], route_target(r)) for r in d["routes"]]
    return [("(code, prefix, next hop or interface)", got, want)]


def ntc_access_lists(rows, d):
    got = [(r["name"], r["type"], r["sn"], r["action"]) for r in rows]
    want = [(l["name"], "Standard" if l["standard"] else "Extended", str(e["sequence"]), e["action"])
            for l in d["access_lists"] for e in l["entries"]]
    return [("(list, type, sequence, action)", got, want)]


def ntc_users(rows, d):
    # The template reads a console row's empty User column as the `idle` of Host(s); compare
    # line, idle time and location, which it reads on every row.
    got = [(r["line"].lstrip("* ").split()[0], r["idle"], r["location"]) for r in rows]
    want = [(str(l["line"]), l["idle"], l.get("location") or "") for l in d["lines"]]
    return [("(line, idle, location)", got, want)]


NTC = {
    "show crypto ipsec sa detail": ntc_ipsec_sa_detail,
    "show crypto ipsec sa peer 198.51.100.7 detail": ntc_ipsec_sa_detail,
    "show crypto session detail": ntc_session_detail,
    "show logging": ntc_logging,
    "show version": ntc_version,
    "show clock": ntc_clock,
    "show ip interface brief": ntc_interface_brief,
    "show ip route": ntc_ip_route,
    "show access-lists": ntc_access_lists,
    "show users": ntc_users,
}


def main(directory):
    device = Device("qfp", os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    index = json.load(open(os.path.join(directory, "index.json")))
    compared = 0
    for entry in index:
        command = entry["command"]
        text = open(os.path.join(directory, entry["text"])).read()
        data = json.load(open(os.path.join(directory, entry["json"]))) if entry["json"] else None
        if command.endswith(" clear"):
            # Its data is the plain command's, read just before (the clear resets it).
            data = json.load(open(os.path.join(directory, index[0]["json"])))
        for parser, table in (("genie", GENIE), ("ntc", NTC)):
            check = table.get(command)
            if check is None and command.startswith("show platform hardware qfp active feature ipsec sa "):
                check = genie_qfp_sa if parser == "genie" else None
            if check is None:
                continue
            try:
                if parser == "genie":
                    cls, kwargs = get_parser(command, device)
                    parsed = cls(device=device).parse(output=text, **kwargs)
                else:
                    parsed = parse_output(platform="cisco_ios", command=NTC_COMMAND.get(command, command), data=text)
            except Exception as error:  # noqa: BLE001 - any parser failure is a finding
                known = KNOWN.get((parser, command))
                if known:
                    print(f"known {parser:6} {command} — {known}")
                else:
                    report(parser, command, False, f"{type(error).__name__}: {str(error)[:200]}")
                continue
            results = check(parsed, data)
            if all(expect_equal(parser, command, label, got, want) for label, got, want in results):
                compared += len(results)
                report(parser, command, True, f"{len(results)} comparisons")
    print(f"\n{compared} comparisons passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "samples"))
