#!/usr/bin/env bash
# Builds the libFuzzer target and runs it: ./Fuzz/run.sh [RUNS] (default 1,000,000 inputs).
# Needs libnuma-dev (Tools/setup installs it). Crashes are written to Fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-1000000}
swift build -c release --product MakeCorpus >/dev/null
.build/release/MakeCorpus corpus >/dev/null
swift build -c release --product PacketFuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
exec .build/release/PacketFuzzer -runs="$runs" -max_len=2048 -print_final_stats=1 corpus
