#!/usr/bin/env bash
# Builds each planted bug (mutants/<name>.patch) alone, in a scratch copy of HEAD,
# and reports whether the property suite kills it, which properties failed, and how long
# the suite took to notice. Usage: mutants/run.sh [name...]   (default: every mutant)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/bootstrap.sh

if (($# > 0)); then
  names=("$@")
else
  names=()
  for patch in mutants/*.patch; do names+=("$(basename "$patch" .patch)"); done
fi

property_targets=()
for source in properties/*_test.cpp; do
  property_targets+=("vth_$(basename "$source" _test.cpp)_properties")
done
work=${VTLAB_MUTANT_DIR:-/tmp/vtlab-mutants}
mkdir -p "$work"
results=()
survivors=0
for name in "${names[@]}"; do
  tree=$work/$name
  rm -rf "$tree"
  mkdir -p "$tree"
  git archive HEAD | tar -x -C "$tree"  # the committed tree: edits in progress cannot leak in
  patch -s -d "$tree" -p1 <"mutants/$name.patch"
  echo "== $name: $(head -1 "mutants/$name.patch" | sed 's/^Planted bug: //')"
  # The 16-bit build is left out: it is expected to fail whatever the mutant.
  if ! (cd "$tree" && cmake --preset default >/dev/null &&
        cmake --build --preset default --target "${property_targets[@]}" >"$tree/build.log" 2>&1); then
    results+=("$(printf '%-34s %-9s %s' "$name" "BUILD" "see $tree/build.log")")
    survivors=$((survivors + 1))
    continue
  fi
  start=$(date +%s)
  if (cd "$tree" && ctest --preset default -L property -E token16 --timeout 300 >"$tree/ctest.log" 2>&1); then
    verdict=SURVIVED
    survivors=$((survivors + 1))
    failed="-"
  else
    verdict=KILLED
    failed=$(sed -n '/The following tests FAILED/,$p' "$tree/ctest.log" | grep -oE '[0-9]+ - [^ ]+' | sed 's/^[0-9]* - //' | paste -sd, -)
  fi
  seconds=$(($(date +%s) - start))
  results+=("$(printf '%-34s %-9s %4ss  %s' "$name" "$verdict" "$seconds" "$failed")")
done

echo
printf '%-34s %-9s %5s  %s\n' mutant verdict time "failing properties"
printf '%s\n' "${results[@]}"
echo "$((${#names[@]} - survivors)) of ${#names[@]} mutants killed"
((survivors == 0))
