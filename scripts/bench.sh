#!/usr/bin/env bash
# The benchmark command: installs what is missing, builds the `release` preset (-O2, no
# sanitizers) and prints the table. Extra arguments go to Google Benchmark, e.g.
#   scripts/bench.sh --benchmark_filter=cache_hit --benchmark_repetitions=5
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vt_bench
exec build/release/bench/vt_bench --benchmark_min_time=0.3 "$@"
