#!/usr/bin/env bash
# The tools refuse bad input with one clear line and a non-zero exit.
#   tests/tools_test.sh <vt_replay binary>
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
replay=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0 passed=0

# expect <exit status> <text the one error line contains> <command...>
expect() {
  local want=$1 text=$2
  shift 2
  local err status
  err=$("$@" 2>&1 >/dev/null)
  status=$?
  local lines
  lines=$(grep -c . <<<"$err")
  if [[ $status -ne $want || $err != *"$text"* || $lines -ne 1 ]]; then
    echo "FAILED: $* -> exit $status (want $want), said: ${err:-nothing}"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

campaign=$root/scripts/campaign.sh
expect 2 "positive whole number" bash "$campaign" --seconds -1
expect 2 "positive whole number" bash "$campaign" --seconds abc
expect 2 "positive number" bash "$campaign" --hours 1.5h
expect 2 "no time at all" bash "$campaign" --minutes 0
expect 2 "unknown target 'nosuch'" bash "$campaign" --targets nosuch
expect 2 "usage" bash "$campaign" --bogus
mkdir -p "$root/build"
(flock "$root/build/campaign.lock" sleep 3) &
sleep 0.5
expect 1 "another campaign is running" bash "$campaign" --seconds 1
wait

expect 2 "usage" "$replay"
upgrade=$(dirname "$replay")/vt_upgrade_inputs
expect 2 "usage" "$upgrade"
expect 2 "usage" "$upgrade" --from-unversioned fuzz_programs
expect 2 "no such file or directory" "$upgrade" --canonical "$scratch/missing"
expect 2 "no such file or directory" "$replay" "$scratch/missing"
mkdir "$scratch/empty"
expect 1 "no inputs" "$replay" "$scratch/empty"
printf 'vtS\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$scratch/input"
touch "$scratch/a-file"
expect 2 "--keep $scratch/a-file" "$replay" --keep "$scratch/a-file" "$scratch/input"
expect 2 "usage" bash "$root/scripts/replay.sh"
expect 2 "no such file" bash "$root/scripts/replay.sh" "$scratch/missing"
expect 2 "whole number of seconds" bash "$root/mutants/run.sh" --fuzz-seconds
expect 2 "no mutant named nosuch" bash "$root/mutants/run.sh" nosuch

# expect_out <exit status> <text stdout and stderr contain> <command...>: for what a tool
# reports (not an error line).
expect_out() {
  local want=$1 text=$2
  shift 2
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [[ $status -ne $want || $out != *"$text"* ]]; then
    echo "FAILED: $* -> exit $status (want $want, output with '$text'), said: $(head -c 600 <<<"$out")"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

# A truncated input says so; a kept regression whose golden trace no longer matches fails.
regression=$root/corpus/regressions/fuzz_source_protocol/void-as-task-is-the-one-completed-task
size=$(wc -c <"$regression")
head -c $((size - 1)) "$regression" >"$scratch/cut"
expect_out 0 "truncated: it ends inside op" "$replay" "$scratch/cut"
expect_out 0 "1 input: 1 passed, 0 failed (1 truncated)" "$replay" --quiet "$scratch/cut"
kept_regression=$root/corpus/regressions/fuzz_source_protocol/a-worker-continuation-finishes-before-the-next-scheduler-item
head -c $(($(wc -c <"$kept_regression") / 2)) "$kept_regression" >"$scratch/half"
cp "$kept_regression.trace" "$scratch/half.trace"
expect_out 1 "the trace differs from" "$replay" --quiet "$scratch/half"
# --show N: the first N failures in full, the rest one line each.
mkdir "$scratch/two"
for copy in a b; do cp "$scratch/half" "$scratch/two/$copy" && cp "$scratch/half.trace" "$scratch/two/$copy.trace"; done
out=$("$replay" --quiet --show 1 "$scratch/two" 2>&1)
if [[ $(grep -c -- "--- golden" <<<"$out") -ne 1 || $out != *"2 inputs: 0 passed, 2 failed"*"only the first failure shown in full"* ]]; then
  echo "FAILED: --show 1 printed other than one failure in full: $(head -c 400 <<<"$out")"
  failures=$((failures + 1))
else
  passed=$((passed + 1))
fi
expect 2 "usage" "$replay" --show x "$scratch/two"
# --keep keeps only inputs that break the contract, and says why not otherwise.
printf 'garbage' >"$scratch/garbage"
mkdir "$scratch/kept"
expect_out 1 "not kept: $scratch/garbage is not a readable vtlab input" "$replay" --keep "$scratch/kept" "$scratch/garbage"
expect_out 0 "not kept: $regression breaks no property" "$replay" --keep "$scratch/kept" "$regression"
[[ -z $(ls -A "$scratch/kept") ]] || { echo "FAILED: --keep stored an input that breaks nothing"; failures=$((failures + 1)); }
# An unreadable input's reason is printed once, and an old-format one points to the upgrade.
out=$("$replay" "$scratch/garbage" 2>&1)
if [[ $(grep -o "not a vtlab input" <<<"$out" | wc -l) -ne 1 || $out != *"vt_upgrade_inputs --from-unversioned"* ]]; then
  echo "FAILED: an unreadable input is reported once, with the upgrade tool: $out"
  failures=$((failures + 1))
else
  passed=$((passed + 1))
fi
# replay.sh checks its target against the registry (before anything is built) and takes folders.
expect 2 "unknown target 'nosuch'" bash "$root/scripts/replay.sh" --target nosuch --keep "$scratch/garbage"
expect 2 "unknown target 'nosuch'" bash "$root/scripts/replay.sh" --target nosuch "$scratch/kept"
expect 2 "usage" bash "$root/scripts/replay.sh" --target
expect 2 "takes one file" bash "$root/scripts/replay.sh" --minimize "$scratch/kept"
# campaign.sh runs each target once and takes fractions written as .5.
expect_out 0 "would fuzz fuzz_programs for 30s each" bash "$campaign" --minutes .5 --targets "fuzz_programs fuzz_programs" --dry-run

echo "$passed passed, $failures failed"
((failures == 0))
