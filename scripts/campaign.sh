#!/usr/bin/env bash
# The main job: a fuzzing campaign over every target, starting from the shipped corpus.
#
#   scripts/campaign.sh                      # a short demonstration: about a minute per target
#   scripts/campaign.sh --minutes 20         # per target
#   scripts/campaign.sh --hours 8            # overnight (per target)
#   scripts/campaign.sh --targets "fuzz_programs fuzz_source_protocol"
#   scripts/campaign.sh --minutes .5 --dry-run  # prints what it would run (each target once)
#
# Each target runs with -fork over the cores and -ignore_crashes=1, keeping everything in
# build/campaigns/<time>/<target>/. At the end, new coverage is merged back into
# corpus/<target>/ (-merge=1), crashes are deduplicated (by violated property, else by
# sanitizer report), and a summary table is printed. The morning report,
# build/campaigns/<time>/report.html (scripts/campaign_report.py), plots each target's
# coverage, features and corpus over time, lists each unique crash with its trace and the
# command that replays it, and links the runtime's llvm-cov report over the merged corpora
# (--no-coverage skips that build). Exit status 1 if any target found a crash;
# fuzz_pool_recycling_token16 is expected to crash (the 16-bit ABA hazard) and is
# reported, not counted. The targets are fuzz/targets.txt's. Where a .NET SDK is on the
# machine, the grown scenario corpora are then run on .NET (oracle/dotnet), and a
# difference no documented departure explains fails the campaign too.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
mapfile -t known_targets < <(awk '!/^#/ && NF { print $1 }' fuzz/targets.txt)  # the registry
targets=("${known_targets[@]}")
with_coverage=1
dry_run=0
usage() {
  echo "usage: scripts/campaign.sh [--seconds N | --minutes N | --hours N] [--targets \"T...\"] [--no-coverage] [--dry-run]" >&2
  exit 2
}
# A duration: a positive number (hours and minutes may have a fraction), in whole seconds.
duration() {
  local value=$1 unit=$2 flag=$3
  if [[ ! $value =~ ^([0-9]+([.][0-9]*)?|[.][0-9]+)$ ]] || [[ $unit == 1 && ! $value =~ ^[0-9]+$ ]]; then
    echo "campaign: $flag takes a positive $([[ $unit == 1 ]] && echo "whole ")number, not '$value'" >&2
    exit 2
  fi
  local total
  total=$(awk -v v="$value" -v u="$unit" 'BEGIN { printf "%d", v * u }')
  ((total > 0)) || { echo "campaign: $flag $value is no time at all" >&2; exit 2; }
  echo "$total"
}
while (($# > 0)); do
  case $1 in
    --seconds | --minutes | --hours)
      (($# >= 2)) || usage
      case $1 in --seconds) unit=1 ;; --minutes) unit=60 ;; *) unit=3600 ;; esac
      seconds=$(duration "$2" "$unit" "$1") || exit 2
      shift 2 ;;
    --targets)
      (($# >= 2)) || usage
      read -r -a named <<<"$2"
      ((${#named[@]} > 0)) || { echo "campaign: --targets names no target" >&2; exit 2; }
      targets=()
      for target in "${named[@]}"; do
        if [[ " ${known_targets[*]} " != *" $target "* ]]; then
          echo "campaign: unknown target '$target' (known: ${known_targets[*]})" >&2
          exit 2
        fi
        [[ " ${targets[*]} " == *" $target "* ]] || targets+=("$target")  # each target once
      done
      shift 2 ;;
    --no-coverage) with_coverage=0; shift ;;
    --dry-run) dry_run=1; shift ;;
    *) usage ;;
  esac
done
if ((dry_run)); then  # what it would run, and nothing else
  echo "campaign: would fuzz ${targets[*]} for ${seconds}s each"
  exit 0
fi

# One campaign at a time per checkout: two would collide in the build and the corpus merge.
mkdir -p build
exec 9>build/campaign.lock
if ! flock -n 9; then
  echo "campaign: another campaign is running in this checkout (build/campaign.lock)" >&2
  exit 1
fi

scripts/bootstrap.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

jobs=$(nproc)
mkdir -p build/campaigns
campaign=$(mktemp -d "build/campaigns/$(date +%Y%m%d-%H%M%S)-XXXX")
echo "campaign: $campaign, ${seconds}s per target, $jobs jobs"

count_files() { find "$@" -type f ! -name '.*' 2>/dev/null | wc -l; }

# The signature of a crash: the violated property, else the sanitizer's summary and top frame.
signature() {
  local binary=$1 input=$2 output
  output=$("$binary" "$input" 2>&1 || true)
  if grep -q '^VTLAB-VIOLATION:' <<<"$output"; then
    grep -m1 '^VTLAB-VIOLATION:' <<<"$output" | sed 's/^VTLAB-VIOLATION: //'
  else
    local summary frame
    summary=$(grep -m1 '^SUMMARY:' <<<"$output" | sed 's/^SUMMARY: //' | cut -c1-80)
    frame=$(grep -m1 -E '^ *#[0-9]+ .* in (vt|vth)::' <<<"$output" | sed -E 's/.* in ([^ ]+).*/\1/')
    echo "${summary:-unknown crash} @ ${frame:-?}"
  fi
}

rows=()
failed=0
for target in "${targets[@]}"; do
  binary=build/fuzz/fuzz/$target
  dir=$campaign/$target
  mkdir -p "$dir/new" "$dir/artifacts"
  before=$(count_files "corpus/$target")
  max_len=$(sed -n 's/^max_len = //p' "corpus/$target.options")
  echo
  echo "== $target"
  # Live progress: libFuzzer's periodic lines, prefixed with the target. The fuzzer's own
  # wall time (start-up and merges included, not the progress display's polling) is what
  # exec/s divides by.
  : >"$dir/fuzz.log"  # exists before the progress display follows it
  (
    date +%s%N >"$dir/started"
    "$binary" -fork="$jobs" -ignore_crashes=1 -max_total_time="$seconds" -dict="corpus/$target.dict" \
      -max_len="$max_len" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
      "$dir/new" "corpus/$target" "corpus/regressions/$target" >"$dir/fuzz.log" 2>&1 || true
    date +%s%N >"$dir/finished"
  ) &
  fuzzer=$!
  tail -n +1 -f "$dir/fuzz.log" --pid=$fuzzer 2>/dev/null |
    grep --line-buffered -E '^#[0-9]+' | sed -u "s/^/  [$target] /" || true
  wait $fuzzer || true
  elapsed_ms=$((($(cat "$dir/finished") - $(cat "$dir/started")) / 1000000))

  "$binary" -merge=1 "corpus/$target" "$dir/new" >"$dir/merge.log" 2>&1 || true
  # What a fuzzer writes has skipped bytes and out-of-range arguments: keep each input in its
  # canonical form (named by content, as libFuzzer names them), so an added op cannot
  # change its meaning.
  build/fuzz/fuzz/vt_upgrade_inputs --canonical "corpus/$target" >>"$dir/merge.log" 2>&1
  for input in "corpus/$target"/*; do
    [[ $(basename "$input") == seed-* ]] && continue
    named="corpus/$target/$(sha1sum "$input" | cut -c1-40)"
    [[ $input == "$named" ]] || mv -f "$input" "$named"
  done
  after=$(count_files "corpus/$target")

  # libFuzzer's last status line: "#<execs>: cov: C ft: F corp: N exec/s: E ..."
  last=$(grep -E '^#[0-9]+' "$dir/fuzz.log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | tail -1 | cut -d' ' -f2)
  rate=$((${execs:-0} * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1)))

  signatures=()
  replay=build/fuzz/fuzz/vt_replay
  [[ $target == *_token16 ]] && replay=build/fuzz/fuzz/vt_replay_token16
  : >"$dir/crashes.txt"  # the first artifact of each signature, with its trace beside it
  while IFS= read -r -d '' crash; do
    crash_signature=$(signature "$binary" "$crash")
    if ! cut -f2 "$dir/crashes.txt" | grep -qxF -- "$crash_signature"; then
      printf '%s\t%s\n' "$crash" "$crash_signature" >>"$dir/crashes.txt"
      "$replay" "$crash" >"$crash.trace" 2>&1 || true
    fi
    signatures+=("$crash_signature")
  done < <(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \) -print0 | sort -z)
  unique=$(printf '%s\n' "${signatures[@]}" | sed '/^$/d' | sort -u)
  crashes=$(sed '/^$/d' <<<"$unique" | wc -l)
  note=""
  # Only a stale token accepted after a whole number of 16-bit token cycles is the hazard
  # the 16-bit target must find; the harness says so in the signature, and anything else
  # it finds there is a real bug.
  expected=$(grep -c '(token wraparound, expected)$' <<<"$unique" || true)
  unexpected=$((crashes - expected))
  if [[ $target == *_token16 ]]; then
    note=$( ((expected > 0)) && echo "expected: the ABA hazard was found" || echo "MISSED the expected ABA hazard")
    ((expected > 0 && unexpected == 0)) || failed=1
  elif ((crashes > 0)); then
    failed=1
  fi
  if [[ -n $unique ]]; then
    echo "  unique crashes:"
    sed 's/^/    /' <<<"$unique"
    echo "  replay one with: scripts/replay.sh $(find "$dir/artifacts" -type f | head -1)"
  fi
  rows+=("$(printf '%-30s %12s %8s %7s %8s %9s %8s  %s' "$target" "${execs:-0}" "$rate" "${cov:-?}" "${ft:-?}" \
    "$before->$after" "$crashes" "$note")")
  printf 'executions=%s\nexec_per_s=%s\nseconds=%s\ncorpus_before=%s\ncorpus_after=%s\nnote=%s\n' "${execs:-0}" "$rate" \
    "$((elapsed_ms / 1000))" "$before" "$after" "$note" >"$dir/summary.txt"
done

# The grown scenario corpora on .NET itself (oracle/dotnet): every difference from vtlab's
# model and runtime must be a documented departure; a finding fails the campaign.
oracle_inputs=()
for target in "${targets[@]}"; do
  [[ $target == fuzz_source_protocol || $target == fuzz_pool_recycling ]] && oracle_inputs+=("corpus/$target")
done
if ((${#oracle_inputs[@]} > 0)); then
  echo
  if command -v dotnet >/dev/null; then
    echo "== the .NET oracle over ${oracle_inputs[*]}"
    mkdir -p "$campaign/dotnet"
    oracle/dotnet/run_oracle.sh "$(command -v dotnet)" build/fuzz/fuzz/vt_replay "$campaign/dotnet" "${oracle_inputs[@]}" \
      >"$campaign/dotnet/report.txt" || failed=1
    grep -A3 '^dotnet oracle:' "$campaign/dotnet/report.txt" | cut -c1-200 | sed 's/^/  /'
    grep -q '^==' "$campaign/dotnet/report.txt" && echo "  findings, both sides printed: $campaign/dotnet/report.txt"
  else
    echo "campaign: no .NET SDK on this machine: the .NET oracle is left out"
  fi
fi

# The runtime's coverage over the merged corpora (llvm-cov HTML), for the report.
if ((with_coverage)); then
  echo
  echo "== coverage of the runtime over the merged corpora"
  cmake --preset coverage >/dev/null
  cmake --build --preset coverage --target vt_replay vt_replay_token16 >/dev/null
  rm -rf "$campaign/profiles" && mkdir -p "$campaign/profiles"
  for target in "${targets[@]}"; do
    replay=build/coverage/fuzz/vt_replay
    [[ $target == *_token16 ]] && replay=build/coverage/fuzz/vt_replay_token16
    LLVM_PROFILE_FILE="$PWD/$campaign/profiles/$target-%m.profraw" "$replay" --quiet "corpus/$target" >/dev/null 2>&1 || true
  done
  llvm-profdata-19 merge -sparse "$campaign"/profiles/*.profraw -o "$campaign/corpus.profdata"
  filter=(-ignore-filename-regex='^(/usr|.*/(harness|properties|fuzz|tests|bench|cmake)/)')
  llvm-cov-19 show build/coverage/fuzz/vt_replay -object build/coverage/fuzz/vt_replay_token16 \
    -instr-profile="$campaign/corpus.profdata" "${filter[@]}" -format=html -output-dir="$campaign/coverage" >/dev/null
  lines=$(llvm-cov-19 report build/coverage/fuzz/vt_replay -object build/coverage/fuzz/vt_replay_token16 \
    -instr-profile="$campaign/corpus.profdata" "${filter[@]}" | awk '/^TOTAL/ { print $10 }')
  echo "lines=$lines" >"$campaign/coverage.txt"
  echo "runtime line coverage over the corpora: $lines"
fi
python3 scripts/campaign_report.py "$campaign"

echo
printf '%-30s %12s %8s %7s %8s %9s %8s\n' target executions exec/s cov features corpus crashes
printf '%s\n' "${rows[@]}"
echo "artifacts and logs: $campaign"
exit $failed
