#!/usr/bin/env bash
# The test command: installs what is missing, builds the `default` preset (ASan + UBSan)
# and runs every test, then builds the `tsan` preset and runs the threaded tests again
# under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default

cmake --preset tsan >/dev/null
cmake --build --preset tsan --target vt_thread_tests vth_threads_properties vth_source_races_properties
ctest --preset tsan -L threads
