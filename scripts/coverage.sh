#!/usr/bin/env bash
# Runtime coverage reached by the harness alone: builds the `coverage` preset (clang
# source-based coverage), runs only the harness's suites (ctest labels property and corpus,
# not the unit tests), and prints line / function / region coverage of runtime/ with an
# HTML report (llvm-cov) under build/coverage/report/index.html.
#
#   scripts/coverage.sh            # the harness alone
#   scripts/coverage.sh --all      # every ctest label (unit tests included), for comparison
set -euo pipefail
cd "$(dirname "$0")/.."

labels='property|corpus'
case ${1:-} in
  "") ;;
  --all) labels='.' ;;
  *) echo "usage: scripts/coverage.sh [--all]" >&2; exit 2 ;;
esac

scripts/bootstrap.sh
cmake --preset coverage >/dev/null
cmake --build --preset coverage >/dev/null

build=build/coverage
profiles=$build/profiles
rm -rf "$profiles"
mkdir -p "$profiles"
# %p: one profile per process; %m: per binary, merged across its runs.
LLVM_PROFILE_FILE="$PWD/$profiles/%p-%m.profraw" ctest --test-dir "$build" -L "$labels" -j"$(nproc)" --output-on-failure >"$build/ctest.log" 2>&1 ||
  { tail -20 "$build/ctest.log"; echo "coverage: some tests failed (see $build/ctest.log)" >&2; exit 1; }
llvm-profdata-19 merge -sparse "$profiles"/*.profraw -o "$build/harness.profdata"

# Every test binary that ran, as llvm-cov objects; not vt_model_check, which compiles its
# own copy of the runtime against Relacy (and is not part of the harness's suites).
objects=()
while IFS= read -r binary; do
  if [[ ${#objects[@]} -eq 0 ]]; then objects+=("$binary"); else objects+=(-object "$binary"); fi
done < <(find "$build/properties" "$build/fuzz" "$build/tests" -maxdepth 1 -type f -perm -u+x ! -name vt_model_check 2>/dev/null | sort)

filter=(-ignore-filename-regex='^(/usr|.*/(harness|properties|fuzz|tests|bench|cmake)/)')
llvm-cov-19 report "${objects[@]}" -instr-profile="$build/harness.profdata" "${filter[@]}" >"$build/report.txt"
llvm-cov-19 show "${objects[@]}" -instr-profile="$build/harness.profdata" "${filter[@]}" -format=html \
  -output-dir="$build/report" >/dev/null
total=$(grep '^TOTAL' "$build/report.txt")
read -r _ regions missed_regions region_cover functions missed_functions function_cover lines missed_lines line_cover _ <<<"$total"
echo "runtime coverage (ctest -L '$labels'): lines $line_cover, functions $function_cover, regions $region_cover"
echo "per file: $build/report.txt; HTML: $build/report/index.html"
