#!/usr/bin/env bash
# Builds a libFuzzer target and runs it:
#   ./Fuzz/run.sh [RUNS]             packets through the data-plane stages (PacketFuzzer)
#   ./Fuzz/run.sh commands [RUNS]    the IOS configuration parser and a console session (CommandFuzzer)
#   ./Fuzz/run.sh captures [RUNS]    the pcap/pcapng readers and link-layer decapsulation (CaptureFuzzer);
#                                    seeds are the scapy captures of Tests/QFPCaptureTests/Captures
#   ./Fuzz/run.sh profiles [RUNS]    the YAML traffic-profile parser (ProfileFuzzer); seeds are the
#                                    embedded default profile and Fuzz/profile-seeds/*.yaml
# RUNS defaults to 1,000,000 inputs. Needs libnuma-dev (Tools/setup installs it). Crashes are
# written to Fuzz/crash-*; replay one with `.build/release/<Fuzzer> crash-...`.
set -euo pipefail
cd "$(dirname "$0")"
# Swift's backtracer and ASan trip over each other on a crash; libFuzzer prints the stack.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
target=packets
if [[ "${1:-}" == "commands" || "${1:-}" == "packets" || "${1:-}" == "captures" || "${1:-}" == "profiles" ]]; then target=$1; shift; fi
runs=${1:-1000000}
if [[ $target == captures ]]; then
    # QFPCapture alone: no MakeCorpus, no libnuma.
    mkdir -p capture-corpus
    cp ../Tests/QFPCaptureTests/Captures/*.pcap ../Tests/QFPCaptureTests/Captures/*.pcapng capture-corpus/
    swift build -c release --product CaptureFuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
    exec .build/release/CaptureFuzzer -runs="$runs" -max_len=4096 -print_final_stats=1 capture-corpus
fi
if [[ $target == profiles ]]; then
    # QFPGenerator links QFPDataplane: needs libnuma. Seeds: profile-seeds/ and the embedded profile.
    mkdir -p profile-corpus
    cp profile-seeds/*.yaml profile-corpus/
    swift build -c release --product MakeCorpus >/dev/null
    .build/release/MakeCorpus --default-profile profile-corpus/00-default-profile.yaml
    swift build -c release --product ProfileFuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
    exec .build/release/ProfileFuzzer -runs="$runs" -max_len=4096 -dict=profile.dict -print_final_stats=1 profile-corpus
fi
swift build -c release --product MakeCorpus >/dev/null
if [[ $target == packets ]]; then
    .build/release/MakeCorpus corpus >/dev/null
    swift build -c release --product PacketFuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
    exec .build/release/PacketFuzzer -runs="$runs" -max_len=2048 -print_final_stats=1 corpus
else
    # The session keeps state between inputs on purpose (leak checks would flag it, slowly).
    .build/release/MakeCorpus --commands command-corpus >/dev/null
    swift build -c release --product CommandFuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
    exec .build/release/CommandFuzzer -runs="$runs" -max_len=4096 -detect_leaks=0 -dict=command-corpus.dict -print_final_stats=1 command-corpus
fi
