#!/usr/bin/env bash
# The oracle's own tests (ctest dotnet.the_oracles_own_tests):
#   run_tests.sh DOTNET ARTIFACTS_DIR
# xunit comes from the machine's offline package folder where it has one
# (VTLAB_NUGET_FOLDER, default /opt/nuget/packages), else from the configured NuGet feeds.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: run_tests.sh DOTNET ARTIFACTS_DIR" >&2; exit 2; }
dotnet=$1 artifacts=$2
project=$(cd "$(dirname "$0")" && pwd)/OracleTests.csproj
folder=${VTLAB_NUGET_FOLDER:-/opt/nuget/packages}
sources=()
[[ -d $folder ]] && sources=(--source "$folder")
"$dotnet" restore "$project" "${sources[@]}" --artifacts-path "$artifacts" -v quiet >"$artifacts.restore.log" 2>&1 ||
  { cat "$artifacts.restore.log"; exit 1; }
"$dotnet" test "$project" --no-restore -c Release --artifacts-path "$artifacts" -v quiet -nologo
