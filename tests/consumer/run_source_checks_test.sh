#!/usr/bin/env bash
# The checks kit as a user gets it: installs vtlab (the runtime and the kit) from this
# checkout, builds examples/own_source against the installed package (find_package), and
# expects
#  - the fixed receive box to pass every property and the replay of the shipped corpus, from
#    a pool that reuses the last box returned and from one that reuses the first, and the
#    sources written on a mutex (locked_source.hpp) and lock-free (atomic_source.hpp, with its
#    model check) to pass them too;
#  - the lock-free source's flawed twins to be caught: a registration stored plainly by the
#    race on two threads and the model check, a completion published without release by the
#    model check;
#  - the box recycled in a finally to fail its stale-token property (a stale copy's read);
#  - its fuzz target to find the bug from an empty corpus, its campaign script to minimize
#    the crash and report it with a regression test, and the fixed box's campaign to find
#    nothing.
set -euo pipefail
source_dir=$1 work_dir=$2 cxx=$3
rm -rf "$work_dir"
mkdir -p "$work_dir"
log=$work_dir/log.txt
fail() { echo "source checks: $*" >&2; tail -40 "$log" >&2; exit 1; }

cmake -S "$source_dir" -B "$work_dir/vtlab" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DVTLAB_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$work_dir/prefix" >"$log" 2>&1 || fail "vtlab does not configure"
cmake --build "$work_dir/vtlab" --target vt_runtime >>"$log" 2>&1 || fail "the runtime does not build"
cmake --install "$work_dir/vtlab" >>"$log" 2>&1 || fail "vtlab does not install"

example=$work_dir/example
cmake -S "$source_dir/examples/own_source" -B "$example" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work_dir/prefix" >>"$log" 2>&1 || fail "the example does not configure"
build_start=$SECONDS
cmake --build "$example" >>"$log" 2>&1 || fail "the example does not build"
build_seconds=$((SECONDS - build_start))

ctest --test-dir "$example" -j2 -R '^boxes_recycled_after_validation\.' >>"$log" 2>&1 ||
  fail "the fixed box fails a check"
# The same box from a pool that reuses its oldest idle box (the contract leaves the order to
# the pool), declared so with a namer for its own message only, and undeclared.
ctest --test-dir "$example" -j2 -R '^boxes_oldest_first\.' >>"$log" 2>&1 ||
  fail "the fixed box from a first-returned-first pool (declared) fails a check"
ctest --test-dir "$example" -j2 -R '^boxes_oldest_first_undeclared\.' >>"$log" 2>&1 ||
  fail "the fixed box from a first-returned-first pool (undeclared) fails a check"
# A source from scratch on a mutex, calling its continuations directly.
ctest --test-dir "$example" -j2 -R '^locked_sources\.' >>"$log" 2>&1 || fail "the source on a mutex fails a check"
# A lock-free source from scratch, model-checked; its two flawed twins each caught by the
# races on two threads or the model check, in seconds.
ctest --test-dir "$example" -j2 -R '^lockfree_sources\.' >>"$log" 2>&1 || fail "the lock-free source fails a check"
# The race is timing-bound (its model check, below, is not): on a machine whose cores are
# all taken, one 10-second budget may not sweep the window, so it gets three tries.
race_start=$SECONDS
race_found=false
for attempt in 1 2 3; do
  if ! "$example/lockfree_continuation_stored_plainly_properties" --gtest_filter='source_races.a_completion_racing*' \
    >"$work_dir/plainly_races.txt" 2>&1; then
    race_found=true
    break
  fi
done
$race_found || fail "a registration stored plainly passed the race of a completion against a registration, three times"
grep -q "never run (a lost wakeup)" "$work_dir/plainly_races.txt" || fail "the plain registration failed its race otherwise"
race_seconds=$((SECONDS - race_start))
if "$example/lockfree_continuation_stored_plainly_model_check" completion_vs_registration >"$work_dir/plainly_model.txt" 2>&1; then
  fail "a registration stored plainly passed the model check"
fi
grep -q "USER ASSERT FAILED" "$work_dir/plainly_model.txt" || fail "the plain registration failed its model check otherwise"
if "$example/lockfree_completion_published_relaxed_model_check" >"$work_dir/relaxed_model.txt" 2>&1; then
  fail "a completion published without release passed the model check"
fi
grep -q "DATA RACE" "$work_dir/relaxed_model.txt" || fail "the relaxed publication failed its model check otherwise"
grep -q "replay: lockfree_completion_published_relaxed_model_check completion_publishes_the_outcome --replay" \
  "$work_dir/relaxed_model.txt" || fail "the model check's failure printed no replay string"
# A copy used after its box was recycled: the rejected read recycles the box again.
if ctest --test-dir "$example" -R '^boxes_recycled_in_finally\.stale_token\.a_copy_stays_stale' --output-on-failure \
  >"$work_dir/buggy.txt" 2>&1; then
  fail "the box recycled in a finally passed its stale-token property"
fi
grep -q "violated: stale-token-rejection" "$work_dir/buggy.txt" || fail "the buggy box failed, but not by a stale token"
# The kept regression (a printed test compiled as it is, and its input) fails the buggy box.
if ctest --test-dir "$example" -R '^boxes_recycled_in_finally\.regressions\.' >"$work_dir/buggy_regression.txt" 2>&1; then
  fail "the buggy box passed the regression kept from it"
fi
ctest --test-dir "$example" -N -R '^boxes_recycled_after_validation\.regressions\..*a_refused_read' | grep -q "Total Tests: 1" ||
  fail "the kept regression test is not registered for the fixed box"

mkdir -p "$work_dir/found"
dict=$work_dir/prefix/share/vtlab/corpus/fuzz_source_protocol.dict
start=$(date +%s%N)
if (cd "$work_dir/found" && "$example/boxes_recycled_in_finally_fuzz" -seed=1 -max_total_time=120 -dict="$dict" . \
  >"$work_dir/fuzz_buggy.txt" 2>&1); then
  fail "the buggy box's fuzz target found nothing in 120 s"
fi
grep -q "VTLAB-VIOLATION: boxes_recycled_in_finally_fuzz:" "$work_dir/fuzz_buggy.txt" || fail "the buggy fuzz target crashed otherwise"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
"$example/boxes_recycled_after_validation_campaign.sh" --seconds 20 >"$work_dir/campaign_fixed.txt" 2>&1 ||
  fail "the fixed box's campaign found a violation"
if "$example/boxes_recycled_in_finally_campaign.sh" --seconds 60 >"$work_dir/campaign_buggy.txt" 2>&1; then
  fail "the buggy box's campaign found nothing"
fi
grep -q "TEST(scenario_regression" "$work_dir/campaign_buggy.txt" || fail "the buggy box's campaign printed no regression test"
grep -q "^minimized: .* -> .*\.min (" "$work_dir/campaign_buggy.txt" || fail "the buggy box's campaign did not minimize its crash"
crash=$(ls "$example"/boxes_recycled_in_finally-crashes/crash-* | grep -v '\.min$' | head -1)
"$example/boxes_recycled_in_finally_campaign.sh" --minimize "$crash" >"$work_dir/minimize.txt" 2>&1 &&
  fail "a minimized crash replayed as passing"
# The minimized input may break the contract another way through the same bug (a refused
# read too early recycles the box as well): any broken property is the crash replayed.
grep -q "the contract broke: " "$work_dir/minimize.txt" || fail "--minimize did not replay the crash"
if "$example/boxes_recycled_in_finally_campaign.sh" --seconds -1 >/dev/null 2>&1; then fail "a campaign took --seconds -1"; fi
echo "source checks: the example's checked sources built in ${build_seconds} s; fixed box passes; the box" \
  "recycled in a finally fails stale-token-rejection, and its fuzz target found it from an empty corpus in ${elapsed_ms} ms;" \
  "the plain registration's race failed in ${race_seconds} s (attempt $attempt)"
