#!/usr/bin/env python3
"""Fetches a qfp daemon's /metrics and parses it with the official Prometheus client's text
parser (prometheus_client, pinned; in a virtual environment at .build/metrics-venv, made on
first use). Prints the families as JSON ({name: {"type", "samples": [[name, labels, value]]}});
exits 1 with the parser's message when the text does not parse.

    Tools/metrics_check.py http://127.0.0.1:9464/metrics
"""
import json
import os
import subprocess
import sys
import urllib.request

PROMETHEUS_CLIENT = "prometheus_client==0.26.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build", "metrics-venv")


def ensure_venv():
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV], stdout=sys.stderr)
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", PROMETHEUS_CLIENT], stdout=sys.stderr)
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def main():
    ensure_venv()
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
        content_type = response.headers.get("Content-Type")
        text = response.read().decode("utf-8")
    families = {}
    try:
        for family in text_string_to_metric_families(text):
            if family.name in families:
                raise ValueError("family %s appears twice" % family.name)
            families[family.name] = {"type": family.type, "help": family.documentation,
                                     "samples": [[s.name, s.labels, s.value] for s in family.samples]}
    except Exception as e:
        print("metrics do not parse: %s" % e, file=sys.stderr)
        sys.exit(1)
    json.dump({"content_type": content_type, "families": families}, sys.stdout)


if __name__ == "__main__":
    main()
