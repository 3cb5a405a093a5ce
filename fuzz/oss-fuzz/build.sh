#!/bin/bash -eu
# Builds every fuzz target under OSS-Fuzz / ClusterFuzzLite conventions: the compiler and
# flags come from $CC $CXX $CFLAGS $CXXFLAGS, the engine from $LIB_FUZZING_ENGINE, and
# everything lands in $OUT: the targets, <target>_seed_corpus.zip, <target>.dict and
# <target>.options. Try it here by setting those variables by hand (docs/fuzzing.md).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${WORK:-/tmp}/vtlab-oss-fuzz-build
generator=$(command -v ninja >/dev/null && echo Ninja || echo "Unix Makefiles")

cmake -S "$root" -B "$build" -G "$generator" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_C_FLAGS_RELEASE="" -DCMAKE_CXX_FLAGS_RELEASE="" \
  -DVTLAB_TESTS=OFF -DVTLAB_FUZZ=ON -DVTLAB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"

# Every registered target but those that crash by design (fuzz_pool_recycling_token16 finds
# the 16-bit ABA hazard on purpose): a continuous-fuzzing service would file that as a bug
# on every run.
mapfile -t targets < <(awk '!/^#/ && NF && $3 == "no" { print $1 }' "$root/fuzz/targets.txt")
cmake --build "$build" --target "${targets[@]}" -j "$(nproc)"

zip_dir() {  # zip_dir <archive> <dir>...: the files (not the folders), flat
  local archive=$1
  shift
  if command -v zip >/dev/null; then
    find "$@" -type f ! -name '.*' ! -name '*.trace' -exec zip -q -j "$archive" {} +
  else
    python3 - "$archive" "$@" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for d in sys.argv[2:]:
        for base, _, files in os.walk(d):
            for f in files:
                if not f.startswith(".") and not f.endswith(".trace"):
                    z.write(os.path.join(base, f), f)
PY
  fi
}

mkdir -p "$OUT"
for target in "${targets[@]}"; do
  cp "$build/fuzz/$target" "$OUT/"
  cp "$root/corpus/$target.dict" "$root/corpus/$target.options" "$OUT/"
  rm -f "$OUT/${target}_seed_corpus.zip"
  zip_dir "$OUT/${target}_seed_corpus.zip" "$root/corpus/$target" "$root/corpus/regressions/$target"
done
