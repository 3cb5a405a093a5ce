#!/usr/bin/env bash
# Builds the consumer project both ways (add_subdirectory, then find_package after
# install) with the compiler and flags of the enclosing build, and runs it.
set -euo pipefail
source_dir=$1 work_dir=$2 cxx=$3 flags=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work_dir"
mkdir -p "$work_dir"

cmake -S "$here" -B "$work_dir/subdirectory" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DVTLAB_RUNTIME_DIR="$source_dir/runtime" >/dev/null
cmake --build "$work_dir/subdirectory" >/dev/null
"$work_dir/subdirectory/cache_example"

cmake -S "$source_dir/runtime" -B "$work_dir/runtime" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_INSTALL_PREFIX="$work_dir/prefix" >/dev/null
cmake --build "$work_dir/runtime" >/dev/null
cmake --install "$work_dir/runtime" >/dev/null
cmake -S "$here" -B "$work_dir/package" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_PREFIX_PATH="$work_dir/prefix" >/dev/null
cmake --build "$work_dir/package" >/dev/null
"$work_dir/package/cache_example"
echo "consumer: add_subdirectory and find_package both build and run"
