# Build-wide settings and helpers for vtlab's own targets.

set(VTLAB_SANITIZERS "" CACHE STRING "Comma-separated -fsanitize= list for every target (e.g. address,undefined)")
option(VTLAB_COVERAGE "Clang source-based coverage" OFF)

if(VTLAB_SANITIZERS)
  # Every report is fatal: the test that produced it fails.
  add_compile_options(-fsanitize=${VTLAB_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${VTLAB_SANITIZERS})
endif()
if(VTLAB_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate)
endif()

add_compile_options(-Wall -Wextra -Wpedantic)

# What every test process runs with: sanitizer reports abort the test.
set(VTLAB_TEST_ENVIRONMENT
  "ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1"
  "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
  "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1"
  "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/cmake/lsan.supp")

include(GoogleTest)

# vtlab_add_gtest(<target> LABELS <label>... SOURCES <file>... [LIBRARIES <lib>...])
function(vtlab_add_gtest target)
  cmake_parse_arguments(ARG "" "" "LABELS;SOURCES;LIBRARIES" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${target}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "${VTLAB_TEST_ENVIRONMENT}" TIMEOUT 300)
endfunction()
