#!/usr/bin/env python3
"""Drives a running `qfp run --ssh` with netmiko's cisco_xe driver, as a network team's script
would, and prints what it saw as one JSON object; with --qfp, each command also runs through
`qfp cli` just before and just after netmiko's (Tests/qfpTests/SSHDaemonTests.swift compares
them: netmiko's output must equal one of the two). Runs in a virtual environment at .build/netmiko-venv with a pinned netmiko,
made on first use.

    Tools/netmiko_check.py --port 2222 --user ops --password PW --secret ENABLE \
        --commands commands.txt --config-lines config.txt [--genie]

Steps: a login with a wrong password (must be refused); a login as --user; `enable` with
--secret; `send_command` for each line of --commands; `send_config_set` of --config-lines;
`show running-config`; disconnect. With --genie, also `send_command(..., use_genie=True)`
for the commands Genie has parsers for (needs `pyats[library]`, installed only then).
"""
import argparse
import json
import os
import subprocess
import sys

NETMIKO = "netmiko==4.8.0"
GENIE = "pyats[library]==26.9"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_venv(genie):
    venv = os.path.join(ROOT, ".build", "netmiko-genie-venv" if genie else "netmiko-venv")
    python = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv], stdout=sys.stderr)
        packages = [NETMIKO] + ([GENIE] if genie else [])
        subprocess.check_call([python, "-m", "pip", "install", "--quiet"] + packages, stdout=sys.stderr)
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--commands", required=True)
    p.add_argument("--config-lines", required=True)
    p.add_argument("--qfp", help="the qfp binary: each command also runs through `qfp cli` just before and after netmiko's")
    p.add_argument("--socket", help="the daemon's control socket (with --qfp)")
    p.add_argument("--genie", action="store_true")
    a = p.parse_args()
    ensure_venv(a.genie)

    from netmiko import ConnectHandler
    from netmiko.exceptions import NetmikoAuthenticationException

    device = dict(device_type="cisco_xe", host=a.host, port=a.port, username=a.user,
                  password=a.password, secret=a.secret, use_keys=False, allow_agent=False,
                  fast_cli=False, conn_timeout=20, auth_timeout=20)
    result = {}

    try:
        ConnectHandler(**dict(device, password=a.password + "-wrong")).disconnect()
        result["wrong_password"] = "accepted"
    except NetmikoAuthenticationException as e:
        result["wrong_password"] = "refused"

    conn = ConnectHandler(**device)
    result["prompt_before_enable"] = conn.find_prompt()
    conn.enable()
    result["prompt"] = conn.find_prompt()
    with open(a.commands) as f:
        commands = [line.rstrip("\n") for line in f if line.strip()]
    def cli(command):
        if not a.qfp:
            return None
        run = subprocess.run([a.qfp, "cli", "--socket", a.socket, command], capture_output=True, text=True)
        return run.stdout

    result["outputs"] = {}
    result["cli"] = {}
    for c in commands:
        before = cli(c)
        result["outputs"][c] = conn.send_command(c)
        result["cli"][c] = [before, cli(c)]
    with open(a.config_lines) as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    result["config_output"] = conn.send_config_set(lines)
    result["running_config"] = conn.send_command("show running-config")
    if a.genie:
        parsed = {}
        for c in ["show version", "show clock", "show crypto session", "show crypto isakmp sa",
                  "show platform hardware qfp active statistics drop",
                  "show platform hardware qfp active feature ipsec datapath drops"]:
            try:
                parsed[c] = conn.send_command(c, use_genie=True)
            except Exception as e:  # a parser that fails says so in the result
                parsed[c] = "error: %r" % (e,)
        result["genie"] = parsed
    conn.disconnect()
    json.dump(result, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()
