# vtlab_add_source_checks: vtlab's harness pointed at your own pooled value_task source.
#
#   vtlab_add_source_checks(<name>
#     ADAPTER_HEADER <header>     # defines the adapter (vth/source_under_test.hpp)
#     ADAPTER <type>              # e.g. my_namespace::my_sources
#     [CASES <n>]                 # RapidCheck cases per property (default 300)
#     [SANITIZERS <list>]         # -fsanitize= list (default address,undefined)
#     [MODEL_CHECK]               # also <name>_model_check (below); needs Relacy (relacy-dev)
#     [REGRESSIONS <folder>])     # your regressions (default vtlab-regressions/<name> beside
#                                 # the CMakeLists.txt): every .cpp in it (a printed
#                                 # regression test, as it is) is built into <name>_regressions,
#                                 # registered as <name>.regressions.*, and every input in its
#                                 # inputs/ (<name>_replay --keep <folder>/inputs <crash>) is
#                                 # replayed by <name>.corpus
#
# builds, over one file that installs the adapter (vth::checked_sources):
#   <name>_properties  the scenario properties (stale tokens, misuse, exactly once, lost
#                      wakeups, faults in user code) and the source's races on two threads
#                      (vth/source_races.hpp), registered with ctest as <name>.*
#   <name>_replay      the replay driver: traces and ready-to-paste regression tests; ctest
#                      entry <name>.corpus replays vtlab's shipped scenario corpus
#   <name>_fuzz        the libFuzzer target (clang only), and <name>_campaign.sh beside it:
#                      `<name>_campaign.sh [--seconds N]` fuzzes from vtlab's scenario corpus
#                      (copied to <name>-corpus/, which keeps what it finds), then replays
#                      each crash: its violated property, its trace, its regression test
#   <name>_model_check with MODEL_CHECK: Relacy explores every interleaving (up to two
#                      preemptions) of six two-thread races on the source
#                      (harness/model_check/source_checks.hpp) and the C++ memory model's
#                      reads; it sees the synchronization written with vt/sync.hpp (and vt's
#                      core). ctest entry <name>.model_check; run it with --list, a check's
#                      name, --random N, --pct N, or the --replay string a failure prints
# Failing property inputs land in <build>/<name>-failures/ and replay with <name>_replay.
#
# VTLAB_SOURCE_CHECKS_ROOT is vtlab's checkout, or <prefix>/share/vtlab once installed:
# both hold harness/src, harness/model_check, runtime/src, properties, fuzz, corpus and
# cmake/sanitizer_defaults.cpp alike.
if(NOT DEFINED VTLAB_SOURCE_CHECKS_ROOT)
  get_filename_component(VTLAB_SOURCE_CHECKS_ROOT "${CMAKE_CURRENT_LIST_DIR}/../../../share/vtlab" ABSOLUTE)
endif()
set(VTLAB_SOURCE_CHECKS_CORPUS "${VTLAB_SOURCE_CHECKS_ROOT}/corpus/fuzz_source_protocol")

function(_vtlab_source_checks_harness out sanitizers)
  # In vtlab's own build the harness library exists already; elsewhere it is built from
  # its installed sources, with the checks' sanitizers.
  if(TARGET vth::harness)
    set(${out} vth::harness PARENT_SCOPE)
    return()
  endif()
  string(MAKE_C_IDENTIFIER "vtlab_checks_harness_${sanitizers}" name)
  if(NOT TARGET ${name})
    file(GLOB sources "${VTLAB_SOURCE_CHECKS_ROOT}/harness/src/*.cpp")
    list(FILTER sources EXCLUDE REGEX "operator_new_hook\\.cpp$")
    add_library(${name} STATIC ${sources})
    target_link_libraries(${name} PUBLIC vt::runtime)
    target_compile_features(${name} PUBLIC cxx_std_20)
    if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
      target_compile_options(${name} PRIVATE -O1 -g)  # as the checks themselves (below)
    endif()
    if(sanitizers)
      target_compile_options(${name} PUBLIC -fsanitize=${sanitizers} -fno-sanitize-recover=all -fno-omit-frame-pointer)
      target_link_options(${name} PUBLIC -fsanitize=${sanitizers})
    endif()
  endif()
  set(${out} ${name} PARENT_SCOPE)
endfunction()

# <name>_model_check: the driver, one generated file that registers the adapter's checks,
# and the runtime compiled again on Relacy's atomics (VT_MODEL_CHECK). Relacy runs threads as
# fibers and replaces operator new: no sanitizer can sit underneath.
function(_vtlab_source_model_check name header adapter kit_flags)
  find_path(VTLAB_RELACY_INCLUDE relacy/relacy.hpp)
  if(NOT VTLAB_RELACY_INCLUDE)
    message(FATAL_ERROR "vtlab_add_source_checks(${name}): MODEL_CHECK needs Relacy's headers "
            "(<relacy/relacy.hpp>: Debian's relacy-dev, which vtlab's scripts/bootstrap.sh installs)")
  endif()
  set(root "${VTLAB_SOURCE_CHECKS_ROOT}")
  set(registry "${CMAKE_CURRENT_BINARY_DIR}/${name}_model_checks.cpp")
  file(CONFIGURE OUTPUT "${registry}" CONTENT
"// Written by vtlab_add_source_checks(${name} ... MODEL_CHECK): the model checks of ${adapter}.
#include \"check.hpp\"  // first: Relacy, then the runtime on top of it
#include \"source_checks.hpp\"

#include \"${header}\"

namespace vt_model_check {
std::vector<check> registered_checks() { return sources::source_checks<${adapter}>(\"\"); }
}  // namespace vt_model_check
")
  # The driver and the runtime, compiled once for every adapter.
  if(NOT TARGET vtlab_model_check_base)
    file(GLOB runtime_sources "${root}/runtime/src/*.cpp")
    add_library(vtlab_model_check_base INTERFACE)
    target_compile_definitions(vtlab_model_check_base INTERFACE VT_MODEL_CHECK
      $<TARGET_PROPERTY:vt::runtime,INTERFACE_COMPILE_DEFINITIONS>)
    target_include_directories(vtlab_model_check_base INTERFACE "${root}/harness/model_check" "${root}/harness/include"
      $<TARGET_PROPERTY:vt::runtime,INTERFACE_INCLUDE_DIRECTORIES>)
    target_include_directories(vtlab_model_check_base SYSTEM INTERFACE "${VTLAB_RELACY_INCLUDE}")
    target_compile_features(vtlab_model_check_base INTERFACE cxx_std_20)
    target_compile_options(vtlab_model_check_base INTERFACE ${kit_flags} -fno-sanitize=all -Wno-deprecated-declarations
                           -Wno-unused-parameter)
    target_link_options(vtlab_model_check_base INTERFACE -fno-sanitize=all)
    find_package(Threads REQUIRED)
    target_link_libraries(vtlab_model_check_base INTERFACE Threads::Threads)
    add_library(vtlab_model_check_runtime OBJECT "${root}/harness/model_check/main.cpp" ${runtime_sources})
    target_link_libraries(vtlab_model_check_runtime PRIVATE vtlab_model_check_base)
  endif()
  add_executable(${name}_model_check "${registry}")
  target_link_libraries(${name}_model_check PRIVATE vtlab_model_check_runtime vtlab_model_check_base)
  add_test(NAME ${name}.model_check COMMAND ${name}_model_check)
  set_tests_properties(${name}.model_check PROPERTIES LABELS source_checks TIMEOUT 600)
endfunction()

function(vtlab_add_source_checks name)
  cmake_parse_arguments(ARG "MODEL_CHECK" "ADAPTER_HEADER;ADAPTER;CASES;SANITIZERS;REGRESSIONS" "" ${ARGN})
  foreach(required ADAPTER_HEADER ADAPTER)
    if(NOT ARG_${required})
      message(FATAL_ERROR "vtlab_add_source_checks(${name}): ${required} is required")
    endif()
  endforeach()
  if(NOT DEFINED ARG_CASES)
    set(ARG_CASES 300)
  endif()
  if(NOT DEFINED ARG_SANITIZERS)
    set(ARG_SANITIZERS address,undefined)
  endif()
  if(NOT DEFINED ARG_REGRESSIONS)
    set(ARG_REGRESSIONS "${CMAKE_CURRENT_SOURCE_DIR}/vtlab-regressions/${name}")
  endif()
  get_filename_component(regressions "${ARG_REGRESSIONS}" ABSOLUTE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(WARNING "vtlab_add_source_checks(${name}): ${CMAKE_CXX_COMPILER_ID} builds the properties and the "
            "replay driver, but not the fuzz target and its campaign script (libFuzzer is clang's): configure "
            "with -DCMAKE_CXX_COMPILER=clang++-19 for all of them")
  endif()
  # Without a build type the checks build as vtlab's test preset does: optimized enough to
  # fuzz at speed, with the debug info a sanitizer report needs for its lines.
  if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(kit_flags -O1 -g)
  endif()
  get_filename_component(header "${ARG_ADAPTER_HEADER}" ABSOLUTE)
  if(NOT EXISTS "${header}")
    message(FATAL_ERROR "vtlab_add_source_checks(${name}): no adapter header ${header}")
  endif()
  find_package(GTest REQUIRED)
  find_package(rapidcheck REQUIRED)
  include(GoogleTest)
  set(root "${VTLAB_SOURCE_CHECKS_ROOT}")
  _vtlab_source_checks_harness(harness "${ARG_SANITIZERS}")

  # The one file that differs from vtlab's own binaries: it installs the adapter.
  set(installer "${CMAKE_CURRENT_BINARY_DIR}/${name}_sources.cpp")
  file(CONFIGURE OUTPUT "${installer}" CONTENT
"// Written by vtlab_add_source_checks(${name}): run_scenario checks ${ARG_ADAPTER}.
#include <vth/scenario_runner.hpp>

#include \"${header}\"

namespace {
const vth::checked_sources<${ARG_ADAPTER}> installed;
}  // namespace
")
  # The adapter's one file, shared by the properties and the replay driver (the fuzz target
  # compiles it again, for coverage of the source).
  add_library(${name}_installer OBJECT "${installer}")
  target_link_libraries(${name}_installer PRIVATE ${harness})
  target_compile_options(${name}_installer PRIVATE ${kit_flags})

  # What no adapter changes is compiled once per sanitizer set, whatever the number of
  # adapters: the properties (they reach the source through run_scenario and run_race), the
  # replay driver, and the harness's operator new hook (allocation_fails ops; not under
  # ThreadSanitizer, whose runtime defines the allocation functions itself) with vtlab's
  # sanitizer defaults.
  string(MAKE_C_IDENTIFIER "${harness}_kit" shared)
  set(runtime_support "${root}/cmake/sanitizer_defaults.cpp")
  if(NOT ARG_SANITIZERS MATCHES "thread")
    list(APPEND runtime_support "${root}/harness/src/operator_new_hook.cpp")
  endif()
  if(NOT TARGET ${shared}_properties)
    set(properties stale_token_test misuse_test exactly_once_test lost_wakeup_test faults_test source_races_test
        declared_choices_test)
    list(TRANSFORM properties PREPEND "${root}/properties/")
    list(TRANSFORM properties APPEND ".cpp")
    add_library(${shared}_properties OBJECT ${properties})
    target_include_directories(${shared}_properties PRIVATE "${root}/properties")
    target_link_libraries(${shared}_properties PRIVATE ${harness} rapidcheck rapidcheck_gtest GTest::gtest)
    target_compile_options(${shared}_properties PRIVATE ${kit_flags})
    add_library(${shared}_replay OBJECT "${root}/fuzz/replay_main.cpp")
    target_link_libraries(${shared}_replay PRIVATE ${harness})
    target_compile_options(${shared}_replay PRIVATE ${kit_flags})
    add_library(${shared}_support OBJECT ${runtime_support})
    target_link_libraries(${shared}_support PRIVATE ${harness})
  endif()

  # The generators name the folder failing inputs land in: one small file per adapter.
  add_executable(${name}_properties "${root}/properties/support/scenario_generators.cpp")
  target_include_directories(${name}_properties PRIVATE "${root}/properties")
  target_compile_definitions(${name}_properties PRIVATE VTH_FAILURE_DIR="${CMAKE_CURRENT_BINARY_DIR}/${name}-failures")
  target_link_libraries(${name}_properties PRIVATE ${name}_installer ${shared}_properties ${shared}_support ${harness}
                        rapidcheck rapidcheck_gtest GTest::gtest GTest::gtest_main)
  target_compile_options(${name}_properties PRIVATE ${kit_flags})
  gtest_discover_tests(${name}_properties TEST_PREFIX "${name}." DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS source_checks TIMEOUT 600 ENVIRONMENT "RC_PARAMS=max_success=${ARG_CASES}")

  add_executable(${name}_replay)
  target_link_libraries(${name}_replay PRIVATE ${name}_installer ${shared}_replay ${shared}_support ${harness})
  # A failing source fails many inputs alike: the first few in full, the rest one line each.
  # The kept regressions' inputs replay with vtlab's corpus.
  set(replayed "${VTLAB_SOURCE_CHECKS_CORPUS}")
  if(IS_DIRECTORY "${regressions}/inputs")
    list(APPEND replayed "${regressions}/inputs")
  endif()
  add_test(NAME ${name}.corpus COMMAND ${name}_replay --quiet --canonical --show 3 ${replayed})
  set_tests_properties(${name}.corpus PROPERTIES LABELS source_checks TIMEOUT 600)

  # The regression tests kept as they were printed, one .cpp each.
  file(GLOB regression_tests CONFIGURE_DEPENDS "${regressions}/*.cpp")
  if(regression_tests)
    add_executable(${name}_regressions ${regression_tests})
    target_link_libraries(${name}_regressions PRIVATE ${name}_installer ${shared}_support ${harness} GTest::gtest
                          GTest::gtest_main)
    target_compile_options(${name}_regressions PRIVATE ${kit_flags})
    gtest_discover_tests(${name}_regressions TEST_PREFIX "${name}.regressions." DISCOVERY_TIMEOUT 60
      PROPERTIES LABELS source_checks TIMEOUT 600)
  endif()

  if(ARG_MODEL_CHECK)
    _vtlab_source_model_check(${name} "${header}" "${ARG_ADAPTER}" "${kit_flags}")
  endif()

  # The fuzz target's own: the adapter and the defaults again, with coverage and the fuzzing
  # build's settings.
  set(common "${installer}" ${runtime_support})

  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # As vtlab's own targets: coverage from the source under test and the runtime, not
    # from the standard library or the harness's internals; comparisons not traced; a
    # small quarantine (cmake/sanitizer_defaults.cpp).
    add_executable(${name}_fuzz "${root}/fuzz/fuzz_target_main.cpp" ${common})
    target_compile_definitions(${name}_fuzz PRIVATE VTLAB_FUZZ_TARGET_NAME="${name}_fuzz" VTLAB_FUZZING_BUILD)
    target_compile_options(${name}_fuzz PRIVATE -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp
                           "-fsanitize-coverage-ignorelist=${root}/fuzz/coverage_ignorelist.txt")
    target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name}_fuzz PRIVATE ${harness})
    target_compile_options(${name}_fuzz PRIVATE ${kit_flags})
    set(dir "${CMAKE_CURRENT_BINARY_DIR}")
    file(CONFIGURE OUTPUT "${dir}/${name}_campaign.sh" @ONLY CONTENT [=[
#!/usr/bin/env bash
# Written by vtlab_add_source_checks(@name@): a fuzzing campaign on @name@_fuzz.
#   @name@_campaign.sh [--seconds N]    (default 60) fuzz; a crash is minimized and replayed
#   @name@_campaign.sh --minimize FILE  minimize one crashing input (FILE.min), and replay it
set -euo pipefail
usage() { echo "usage: $0 [--seconds N] | --minimize FILE" >&2; exit 2; }
# Shrinks a crashing input with libFuzzer's -minimize_crash; prints the smaller one's path
# (or the input's, when nothing smaller crashes the same way).
minimize() {
  local input=$1 smaller="$1.min"
  "@dir@/@name@_fuzz" -minimize_crash=1 -runs=20000 -exact_artifact_path="$smaller" "$input" >/dev/null 2>&1 || true
  if [[ -s $smaller ]]; then
    echo "minimized: $input ($(wc -c <"$input") bytes) -> $smaller ($(wc -c <"$smaller") bytes)" >&2
    echo "$smaller"
  else
    echo "$input"
  fi
}
seconds=60
if (($# > 0)); then
  if [[ $1 == --minimize ]]; then
    [[ $# == 2 ]] || usage
    [[ -f $2 ]] || { echo "campaign: no input file $2" >&2; exit 2; }
    smaller=$(minimize "$2")
    echo "replay: @dir@/@name@_replay $smaller"
    exec "@dir@/@name@_replay" "$smaller"
  fi
  [[ $# == 2 && $1 == --seconds ]] || usage
  [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "campaign: --seconds takes a positive whole number, not '$2'" >&2; exit 2; }
  seconds=$2
fi
# One campaign of @name@ at a time: two would share the corpus, the crashes and the log.
exec 9>"@dir@/@name@-campaign.lock"
flock -n 9 || { echo "campaign: another @name@ campaign is running (@dir@/@name@-campaign.lock)" >&2; exit 1; }
corpus="@dir@/@name@-corpus" crashes="@dir@/@name@-crashes"
[[ -d $corpus ]] || { mkdir -p "$corpus" && cp "@VTLAB_SOURCE_CHECKS_CORPUS@"/* "$corpus"/; }
mkdir -p "$crashes"
status=0
"@dir@/@name@_fuzz" -max_total_time="$seconds" -dict="@VTLAB_SOURCE_CHECKS_CORPUS@.dict" -max_len=512   -artifact_prefix="$crashes/" "$corpus" 2>"@dir@/@name@-fuzz.log" || status=$?
grep -E '^#[0-9]+.*DONE|^VTLAB-VIOLATION' "@dir@/@name@-fuzz.log" || true
if ((status != 0)); then
  crash=$(ls -t "$crashes"/crash-* 2>/dev/null | head -1 || true)
  [[ -n $crash ]] || { echo "campaign: the fuzzer failed without a crash input; see @dir@/@name@-fuzz.log" >&2; exit 1; }
  crash=$(minimize "$crash")
  echo "replay: @dir@/@name@_replay $crash"
  "@dir@/@name@_replay" "$crash" || true
  echo "keep it: mkdir -p @regressions@/inputs && @dir@/@name@_replay --keep @regressions@/inputs $crash"
  echo "         and the regression test above as @regressions@/<its name>.cpp"
  exit 1
fi
echo "campaign: no violation in ${seconds} s; the corpus is in $corpus"
]=])
    file(CHMOD "${dir}/${name}_campaign.sh" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
endfunction()
