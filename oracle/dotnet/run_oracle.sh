#!/usr/bin/env bash
# Builds the .NET oracle and diffs the scenario inputs under PATH... with it:
#   run_oracle.sh DOTNET VT_REPLAY BUILD_DIR PATH...
# Exit status: the oracle's (0: every difference a documented departure; 1: a difference
# nothing explains, printed with both sides; 2: a malformed stream).
set -euo pipefail
dotnet=$1 replay=$2 build=$3
shift 3
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
here=$(cd "$(dirname "$0")" && pwd)
"$dotnet" build "$here/Oracle.csproj" -c Release --artifacts-path "$build/artifacts" -v quiet -nologo >"$build/build.log" 2>&1 ||
  { cat "$build/build.log"; echo "run_oracle.sh: the oracle did not build" >&2; exit 2; }
"$replay" --observations "$@" >"$build/observations.txt"
# A call that blocks on .NET (a pending task's result) must never be made; the timeout
# turns one that slipped through into a failure instead of a hang.
timeout 300 "$dotnet" "$build/artifacts/bin/Oracle/release/Oracle.dll" <"$build/observations.txt"
