#!/usr/bin/env bash
# Installs vtlab (the runtime and the checks kit: vtlab_add_source_checks) under PREFIX:
#   scripts/install.sh PREFIX
# then, in a project that checks its own source: find_package(vtlab CONFIG REQUIRED) with
# -DCMAKE_PREFIX_PATH=PREFIX (see README, "Check your own source").
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# != 1)) || [[ -z $1 ]]; then
  echo "usage: scripts/install.sh PREFIX" >&2
  exit 2
fi
prefix=$1
scripts/bootstrap.sh
cmake -S . -B build/install -G Ninja -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVTLAB_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build build/install --target vt_runtime
cmake --install build/install
echo "vtlab installed in $prefix"
