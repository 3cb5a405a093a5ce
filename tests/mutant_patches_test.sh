#!/usr/bin/env bash
# Every planted bug in mutants/ still applies to the runtime as it is: a patch whose context
# moved would drop out of mutants/run.sh's verdicts unnoticed.
set -euo pipefail
cd "$1"
status=0
for patch in mutants/*.patch; do
  git apply --check "$patch" 2>/dev/null || { echo "mutants: $patch no longer applies (rebase it on the runtime)"; status=1; }
done
exit $status
