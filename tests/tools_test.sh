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

echo "$passed passed, $failures failed"
((failures == 0))
