#!/usr/bin/env bash
# The fuzz target registry (fuzz/targets.txt) and the corpus agree: every target has a
# non-empty corpus folder, a dictionary and options; every corpus folder is a target's.
set -euo pipefail
root=$1
cd "$root"
mapfile -t targets < <(awk '!/^#/ && NF { print $1 }' fuzz/targets.txt)
((${#targets[@]} > 0)) || { echo "registry: fuzz/targets.txt names no target"; exit 1; }
status=0
while read -r name harness crashes; do
  [[ $harness == default || $harness == token16 ]] || { echo "registry: $name: unknown harness '$harness'"; status=1; }
  [[ $crashes == yes || $crashes == no ]] || { echo "registry: $name: 'crashes by design' is '$crashes', not yes or no"; status=1; }
done < <(awk '!/^#/ && NF' fuzz/targets.txt)
for target in "${targets[@]}"; do
  [[ -n $(find "corpus/$target" -type f ! -name '.*' 2>/dev/null | head -1) ]] || { echo "registry: $target has no corpus (corpus/$target/)"; status=1; }
  for extension in dict options; do
    [[ -f corpus/$target.$extension ]] || { echo "registry: $target has no corpus/$target.$extension"; status=1; }
  done
done
for dir in corpus/*/; do
  name=$(basename "$dir")
  [[ $name == regressions ]] && continue
  [[ " ${targets[*]} " == *" $name "* ]] || { echo "registry: corpus/$name/ belongs to no registered target"; status=1; }
done
exit $status
