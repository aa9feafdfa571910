"""The pinned scapy (and cryptography, for its ESP ciphers) that Tools/make-test-captures.py,
Tools/make-replay-captures.py and Tools/make-crypto-captures.py run under: a virtual
environment at .build/capture-venv, made on first use."""
import os
import subprocess
import sys

SCAPY = "scapy==2.6.1"
# scapy's SecurityAssociation encrypts AES-GCM and AES-CBC/HMAC through this package.
CRYPTOGRAPHY = "cryptography==50.0.2"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build", "capture-venv")


def ensure_venv(script):
    """Re-runs `script` inside the venv (creating it and installing scapy) unless already there."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", SCAPY, CRYPTOGRAPHY])
    os.execv(python, [python, os.path.abspath(script)] + sys.argv[1:])
