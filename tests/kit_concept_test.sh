#!/usr/bin/env bash
# An adapter that misses a requirement of vth::source_under_test is told which one, in
# words, when it is installed (vth::checked_sources), before anything deep in the runner.
#   tests/kit_concept_test.sh <source dir> <c++ compiler>
set -uo pipefail
root=$1 cxx=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/adapter.cpp" <<'CPP'
#include <vth/scenario_runner.hpp>

struct adapter {
  template <class T> using source = vt::pooled_source<T>;
  template <class T> using pool = vt::source_pool<T>;
};  // no consumption_moves_the_value
const vth::checked_sources<adapter> installed;
CPP
out=$("$cxx" -std=c++20 -fsyntax-only -I"$root/runtime/include" -I"$root/harness/include" "$scratch/adapter.cpp" 2>&1)
if [[ $? -eq 0 ]]; then echo "FAILED: an adapter without consumption_moves_the_value compiled"; exit 1; fi
if [[ $out != *"vtlab: the adapter needs \`static constexpr bool consumption_moves_the_value\`"* ]]; then
  echo "FAILED: the error does not name the missing member:"; head -20 <<<"$out"; exit 1
fi
echo "passed: $(grep -m1 -o 'vtlab: the adapter needs[^"]*' <<<"$out")"
