#!/usr/bin/env bash
# Measures the harness alone against planted bugs (mutants/<name>.patch), one at a time,
# in one scratch copy of HEAD built whole once; a mutant touches runtime files only, so
# each mutant's build is incremental, and only of what the suite below runs:
#   1. the property suite, the corpus replays and the model checks (ctest -L
#      'property|corpus|model_check'; the 16-bit
#      build is left out: it is expected to fail whatever the mutant). Killed or survived,
#      by which tests, and how long the suite took.
#      The minimal failing inputs the properties wrote (property-failures/*.bin) are kept
#      under $work/<name>.failures/, ready for vt_replay and corpus/regressions/.
#   2. for each mutant the suite did not kill, every fuzz target on the shipped corpus
#      (fuzz preset) for up to --fuzz-seconds (default 60; 0 skips), reporting the time to
#      the first crash.
#
#   mutants/run.sh [--fuzz-seconds N] [--quick] [name...]     (default: every mutant)
#
# --quick stops each suite at its first failing test (ctest --stop-on-failure): a verdict
# for every mutant in about half the time, naming the test that killed it first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() { echo "usage: mutants/run.sh [--fuzz-seconds N] [--quick] [name...]" >&2; exit 2; }
fuzz_seconds=60
suite_options=()
names=()
while (($# > 0)); do
  case $1 in
    --fuzz-seconds)
      [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "mutants/run.sh: --fuzz-seconds takes a whole number of seconds" >&2; exit 2; }
      fuzz_seconds=$2
      shift 2 ;;
    --quick)
      suite_options=(--stop-on-failure)
      shift ;;
    -*) usage ;;
    *)
      [[ -f mutants/$1.patch ]] || { echo "mutants/run.sh: no mutant named $1 (mutants/$1.patch)" >&2; exit 2; }
      names+=("$1")
      shift ;;
  esac
done
if ((${#names[@]} == 0)); then
  for patch in mutants/*.patch; do names+=("$(basename "$patch" .patch)"); done
fi

scripts/bootstrap.sh

# Everything the default preset builds: the suite's executables are whatever its ctest
# runs (a property file need not give its name to its executable).
fuzz_targets=(fuzz_source_protocol fuzz_pool_recycling fuzz_programs)

work=${VTLAB_MUTANT_DIR:-/tmp/vtlab-mutants}
tree=$work/tree
rm -rf "$tree"
mkdir -p "$tree"
git archive HEAD | tar -x -C "$tree"  # the committed tree: edits in progress cannot leak in
(cd "$tree" && cmake --preset default >/dev/null)
if ((fuzz_seconds > 0)); then (cd "$tree" && cmake --preset fuzz >/dev/null); fi

# The suite: its labels, and the executables its tests run. The unpatched tree is built
# whole once; after that a mutant rebuilds only those executables (and what they link),
# not the unit tests or the 16-bit build the suite leaves out.
suite_labels='property|corpus|model_check'
(cd "$tree" && cmake --build --preset default >"$work/baseline.build.log" 2>&1) ||
  { echo "mutants/run.sh: HEAD does not build: see $work/baseline.build.log" >&2; exit 1; }
suite_outputs=()
while read -r word; do
  word=${word//\"/}
  [[ $word == "$tree/build/default/"* && -f $word && -x $word ]] && suite_outputs+=("${word#"$tree/build/default/"}")
done < <(cd "$tree/build/default" && ctest -N -V -L "$suite_labels" -E token16 | sed -n 's/^.*Test command: //p' | tr ' ' '\n' | sort -u)
((${#suite_outputs[@]} > 0)) || { echo "mutants/run.sh: found no executable the suite runs" >&2; exit 1; }

# Seconds to the first crash of one fuzz target, or "-" when it found none in time.
fuzz_until_crash() {
  local target=$1 log=$2 corpus_copy
  corpus_copy=$(mktemp -d)
  cp -r "$tree/corpus/$target/." "$corpus_copy/"
  local start end
  start=$(date +%s%N)
  if "$tree/build/fuzz/fuzz/$target" -max_total_time="$fuzz_seconds" -dict="$tree/corpus/$target.dict" \
       -artifact_prefix="$work/" "$corpus_copy" >"$log" 2>&1; then
    echo "-"
  else
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000000 ))s"
  fi
  rm -rf "$corpus_copy"
}

results=()
survivors=0
for name in "${names[@]}"; do
  patch -s -d "$tree" -p1 <"mutants/$name.patch"
  echo "== $name: $(head -1 "mutants/$name.patch" | sed 's/^Planted bug: //')"
  log=$work/$name
  if ! (cd "$tree" && cmake --build --preset default --target "${suite_outputs[@]}" >"$log.build.log" 2>&1); then
    results+=("$(printf '%-34s %-9s %s' "$name" "BUILD" "see $log.build.log")")
    survivors=$((survivors + 1))
    patch -s -R -d "$tree" -p1 <"mutants/$name.patch"
    continue
  fi
  start=$(date +%s)
  fuzz=""
  rm -rf "$tree/build/default/property-failures" "$log.failures"
  if (cd "$tree" && ctest --preset default -L "$suite_labels" -E token16 --timeout 300 "${suite_options[@]}" >"$log.ctest.log" 2>&1); then
    verdict=SURVIVED
    failed="-"
    if ((fuzz_seconds > 0)) && (cd "$tree" && cmake --build --preset fuzz --target "${fuzz_targets[@]}" >"$log.fuzz-build.log" 2>&1); then
      for target in "${fuzz_targets[@]}"; do
        crashed=$(fuzz_until_crash "$target" "$log.$target.log")
        fuzz+=" $target:$crashed"
        [[ $crashed != "-" ]] && verdict="KILLED(fuzz)"
      done
    fi
    [[ $verdict == SURVIVED ]] && survivors=$((survivors + 1))
  else
    verdict=KILLED
    if [[ -d $tree/build/default/property-failures ]]; then cp -r "$tree/build/default/property-failures" "$log.failures"; fi
    failed=$(sed -n '/The following tests FAILED/,$p' "$log.ctest.log" | grep -oE '[0-9]+ - [^ ]+' | sed 's/^[0-9]* - //' | paste -sd, -)
  fi
  seconds=$(($(date +%s) - start))
  results+=("$(printf '%-34s %-12s %4ss  %s%s' "$name" "$verdict" "$seconds" "$failed" "$fuzz")")
  patch -s -R -d "$tree" -p1 <"mutants/$name.patch"
done

echo
printf '%-34s %-12s %5s  %s\n' mutant verdict time "failing tests (or, for survivors, fuzz target: time to first crash)"
printf '%s\n' "${results[@]}"
echo "$((${#names[@]} - survivors)) of ${#names[@]} mutants killed by the harness alone"
((survivors == 0))
