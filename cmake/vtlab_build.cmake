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

include(GoogleTest)

# Sanitizer defaults compiled into every vtlab executable (reports are fatal, leaks
# checked), so a binary run by hand behaves as under ctest.
add_library(vtlab_sanitizer_defaults OBJECT ${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cpp)
add_library(vtlab_fuzz_sanitizer_defaults OBJECT ${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cpp)
target_compile_definitions(vtlab_fuzz_sanitizer_defaults PRIVATE VTLAB_FUZZING_BUILD)

# vtlab_add_gtest(<target> LABEL <label> SOURCES <file>... [LIBRARIES <lib>...])
function(vtlab_add_gtest target)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} vtlab_sanitizer_defaults GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${ARG_LABEL} TIMEOUT 300)
endfunction()
