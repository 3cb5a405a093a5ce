#!/usr/bin/env bash
# Replays a crashing input (or a property's bytes file): prints the decoded scenario step by
# step with expected and actual outcomes, marks the step where the contract broke, and
# prints a ready-to-paste regression test.
#
#   scripts/replay.sh [--target NAME] [--minimize] [--keep] FILE|DIRECTORY
#
# An input says what it is (its header); the target (from the path, build/campaigns/.../<target>/...,
# corpus/<target>/..., unless --target names it) picks the build (16-bit or not) and where
# --keep stores it. --minimize shrinks the input first with libFuzzer's
# -minimize_crash (building the fuzz preset if needed); --keep stores an input that breaks
# the contract (and only such an input) in corpus/regressions/<target>/, as its canonical
# encoding, where ctest -L corpus replays it forever. NAME must be one of fuzz/targets.txt's.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/replay.sh [--target NAME] [--minimize] [--keep] FILE|DIRECTORY" >&2
  exit 2
}
mapfile -t known_targets < <(awk '!/^#/ && NF { print $1 }' fuzz/targets.txt)  # the registry
target="" minimize=0 keep=0 input=""
while (($# > 0)); do
  case $1 in
    --target) (($# >= 2)) || usage; target=$2; shift 2 ;;
    --minimize) minimize=1; shift ;;
    --keep) keep=1; shift ;;
    -*) usage ;;
    *) [[ -z $input ]] || usage; input=$1; shift ;;
  esac
done
[[ -n $input ]] || usage
[[ -e $input ]] || { echo "replay: no such file or directory: $input" >&2; exit 2; }
if [[ -n $target && " ${known_targets[*]} " != *" $target "* ]]; then
  echo "replay: unknown target '$target' (known: ${known_targets[*]})" >&2
  exit 2
fi
if ((minimize)) && [[ -d $input ]]; then
  echo "replay: --minimize takes one file, not a directory: $input" >&2
  exit 2
fi
if [[ -z $target ]]; then
  # The registry's names, longest first: fuzz_pool_recycling_token16 before fuzz_pool_recycling.
  for candidate in $(printf '%s\n' "${known_targets[@]}" | awk '{ print length($1), $1 }' | sort -rn | cut -d' ' -f2); do
    if [[ $input == *"/$candidate/"* || $input == "$candidate/"* || $input == *"/$candidate" || $input == "$candidate" ]]; then
      target=$candidate
      break
    fi
  done
fi
target=${target:-fuzz_source_protocol}

scripts/bootstrap.sh
cmake --preset default >/dev/null
replay=vt_replay
[[ $target == *_token16 ]] && replay=vt_replay_token16
cmake --build --preset default --target "$replay" >/dev/null

if ((minimize)); then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target "$target" >/dev/null
  minimized="${input}.min"
  "build/fuzz/fuzz/$target" -minimize_crash=1 -runs=20000 -exact_artifact_path="$minimized" "$input" >/dev/null 2>&1 || true
  if [[ -s $minimized ]]; then
    echo "minimized: $input ($(wc -c <"$input") bytes) -> $minimized ($(wc -c <"$minimized") bytes)"
    input=$minimized
  fi
fi

args=()
((keep)) && args+=(--keep "corpus/regressions/$target")
status=0
"build/default/fuzz/$replay" "${args[@]}" "$input" || status=$?
if ((keep && status != 0)); then
  echo "once the runtime is fixed, write its golden trace: build/default/fuzz/$replay --write-traces corpus/regressions/$target"
fi
exit "$status"
