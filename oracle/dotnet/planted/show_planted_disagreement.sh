#!/usr/bin/env bash
# Shows that the .NET oracle finds what vtlab's own checks cannot: a planted disagreement
# made to vtlab's model and runtime alike (a wrong contract), so that the two still agree
# with each other and only .NET can tell. In a scratch copy of HEAD with the patch applied:
#   1. vt_replay replays the shipped corpora: vtlab's model and runtime agree on every input
#      (the golden traces kept from before the change are vtlab's own record, and say
#      which inputs now run differently: reported, not relied on);
#   2. the same inputs' observations go to the oracle: it must report differences no
#      documented departure explains, each printed with both sides;
#   3. the dotnet property, on scenarios it draws, must fail the same way, shrunk.
#
#   oracle/dotnet/planted/show_planted_disagreement.sh [PATCH]
#     (default: cancellation_callbacks_oldest_first.patch: cancel() runs its callbacks
#     oldest registration first, where .NET runs the latest first)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
patch_file=$(realpath "${1:-$root/oracle/dotnet/planted/cancellation_callbacks_oldest_first.patch}")
[[ -f $patch_file ]] || { echo "show_planted_disagreement.sh: no patch at $patch_file" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "show_planted_disagreement.sh: dotnet not found: the .NET oracle needs a .NET SDK" >&2; exit 2; }

scratch=${VTLAB_PLANTED_DIR:-/tmp/vtlab-planted}
rm -rf "$scratch"
mkdir -p "$scratch/tree"
(cd "$root" && git archive HEAD) | tar -x -C "$scratch/tree"
cd "$scratch/tree"
patch -s -p1 <"$patch_file"
cmake --preset release >/dev/null
cmake --build --preset release --target vt_replay >"$scratch/build.log" 2>&1 || { tail -20 "$scratch/build.log"; exit 1; }
dotnet build oracle/dotnet -c Release --artifacts-path "$scratch/oracle" -v quiet -nologo >"$scratch/oracle.log" 2>&1 ||
  { tail -20 "$scratch/oracle.log"; exit 1; }

corpora=(corpus/fuzz_source_protocol corpus/regressions/fuzz_source_protocol corpus/fuzz_pool_recycling)
build/release/fuzz/vt_replay --quiet "${corpora[@]}" >"$scratch/replay.log" 2>&1 || true
inputs=$(grep -oE '^[0-9]+ inputs?' "$scratch/replay.log" | grep -oE '^[0-9]+')
traces=$(grep -c ': the trace differs from ' "$scratch/replay.log" || true)
failed=$(grep -oE '[0-9]+ failed' "$scratch/replay.log" | grep -oE '^[0-9]+')
if ((failed > traces)); then
  echo "vtlab's model and runtime disagree (the patch is not a change of contract):"; tail -5 "$scratch/replay.log"; exit 1
fi
echo "vtlab alone: model and runtime agree on all $inputs shipped inputs; $traces golden traces (vtlab's record of its own earlier runs) differ"
build/release/fuzz/vt_replay --observations "${corpora[@]}" >"$scratch/observations.txt"
if dotnet "$scratch/oracle/bin/Oracle/release/Oracle.dll" <"$scratch/observations.txt" >"$scratch/oracle.txt"; then
  echo "the oracle found nothing: the planted disagreement went unseen"; tail -3 "$scratch/oracle.txt"; exit 1
fi
echo "the oracle: $(grep -c '^== ' "$scratch/oracle.txt") inputs differ from .NET where no departure explains it; the first:"
awk '/^== /{n++} /^dotnet oracle:/{exit} n==1' "$scratch/oracle.txt"

# The dotnet property, on scenarios of its own: the contract's own checks hold (model and
# runtime agree), and it must fail on a difference .NET shows.
cmake --build --preset release --target vth_dotnet_oracle_properties >>"$scratch/build.log" 2>&1 || { tail -20 "$scratch/build.log"; exit 1; }
if VTLAB_DOTNET=$(command -v dotnet) VTLAB_ORACLE_DLL="$scratch/oracle/bin/Oracle/release/Oracle.dll" RC_PARAMS=max_success=1000 \
     build/release/properties/vth_dotnet_oracle_properties >"$scratch/property.log" 2>&1; then
  echo "the dotnet property passed 1,000 scenarios: it did not see the planted disagreement"; exit 1
fi
echo "the dotnet property: $(grep -m1 -o 'Falsifiable after [0-9]* tests[^$]*' "$scratch/property.log"), shrunk to:"
grep -m1 '^differs' "$scratch/property.log" | tr '|' '\n' | sed 's/^ *//'
