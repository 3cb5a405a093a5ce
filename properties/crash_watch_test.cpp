// A run that ends the process leaves its trace and its bytes (vth/crash_watch.hpp). Death
// tests: each case runs in a child that dies; the parent reads what it left.
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <vt/source_pool.hpp>
#include <vth/codec.hpp>
#include <vth/crash_watch.hpp>
#include <vth/program.hpp>
#include <vth/scenario_runner.hpp>
#include <vth/targets.hpp>

namespace {

// A user's pool whose second rent ends the process, as a noexcept function that throws
// does.
template <class T>
class pool_ending_on_second_rent {
public:
  pool_ending_on_second_rent(std::size_t capacity, vt::token_t first_version) : inner_(capacity, first_version) {}
  vt::pooled_source<T>& rent() {
    if (++rents_ == 2) std::terminate();
    return inner_.rent();
  }
  vt::pool_statistics statistics() const { return inner_.statistics(); }

private:
  vt::source_pool<T> inner_;
  int rents_ = 0;
};

struct sources_ending_on_second_rent {
  template <class T>
  using source = vt::pooled_source<T>;
  template <class T>
  using pool = pool_ending_on_second_rent<T>;
  static constexpr bool consumption_moves_the_value = true;
};

const vth::scenario ends_in_step_3{{{vth::op_code::rent, {0, 0, 0}},
                                    {vth::op_code::set_result, {0, 5, 0}},
                                    {vth::op_code::rent, {1, 0, 0}},
                                    {vth::op_code::status, {0, 0, 0}}},
                                   {}};

std::string fresh_path(const std::string& name) {
  const std::string path = ::testing::TempDir() + "crash_watch_test_" + name + ".bin";
  std::filesystem::remove(path);
  return path;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class crash_watch_test : public ::testing::Test {
protected:
  // Runs start the default executor's workers: each dying child re-executes the binary.
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(crash_watch_test, a_run_that_ends_the_process_shows_its_steps_and_leaves_its_bytes) {
  const std::string path = fresh_path("terminate");
  EXPECT_DEATH(
      {
        vth::crash_watch watch("the test", path);
        (void)vth::run_scenario_on<sources_ending_on_second_rent>(ends_in_step_3, &watch);
      },
      "vtlab: the test: the process is ending \\(std::terminate or a sanitizer report\\) in step 3\\."
      ".*   1\\. rent.*expect.*   2\\. set_result.*expect.*   3\\. rent[^\n]*<-- the process ended in this step"
      ".*\\(1 later steps not run\\).*Scenario bytes: " +
          path);
  EXPECT_EQ(read_bytes(path), vth::encode(ends_in_step_3));
}

TEST_F(crash_watch_test, the_same_run_without_its_end_is_not_reported) {
  // The watched scenario itself is sound on vtlab's pools: the report above is the end's.
  vth::crash_watch watch("the test", fresh_path("sound"));
  EXPECT_TRUE(vth::run_scenario_on<vth::vtlab_pools>(ends_in_step_3, &watch).ok());
  EXPECT_FALSE(std::filesystem::exists(fresh_path("sound")));
}

TEST_F(crash_watch_test, an_end_after_the_watch_is_gone_writes_nothing) {
  const std::string path = fresh_path("after");
  EXPECT_DEATH(
      {
        { vth::crash_watch watch("the test", path); }
        std::terminate();
      },
      "terminate called");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(crash_watch_test, an_end_before_the_first_step_says_so) {
  EXPECT_DEATH(
      {
        vth::crash_watch watch("the test");
        std::terminate();
      },
      "the test: the process is ending .*, before the scenario's first step");
}

// `text` as a death test's regular expression matches it literally.
std::string quoted(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

vth::program program_of_a_source_and_a_value() {
  vth::program p;
  p.root.kind = vth::node_kind::all;
  vth::node source, value;
  source.kind = vth::node_kind::source;
  source.value = 6;
  value.kind = vth::node_kind::value;
  value.value = 7;
  p.root.children = {source, value};
  return vth::decode_program(vth::encode_program(p));  // canonical, as a decoded input is
}

TEST_F(crash_watch_test, a_program_that_ends_the_process_names_the_program_and_its_run) {
  const std::string path = fresh_path("program");
  const vth::program p = program_of_a_source_and_a_value();
  EXPECT_DEATH(
      {
        vth::crash_watch watch("the test", path);
        watch.before_program_run(p, "value_task");
        std::terminate();
      },
      "the test: the process is ending .* while the program ran under value_task\\.\nprogram: " +
          quoted(vth::describe(p.root)) + ".*Program bytes: " + path);
  EXPECT_EQ(read_bytes(path), vth::encode(p));
}

// What the watch above is shown: each of a program's two runs, before it starts, whether
// the program comes through check_program or through run_input's bytes.
struct recording_watcher final : vth::step_watcher {
  std::vector<std::string> runs;
  void before_step(const vth::scenario&, const vth::report&, const vth::op&) noexcept override { runs.push_back("step"); }
  void before_program_run(const vth::program&, const char* under) noexcept override { runs.push_back(under); }
};

TEST(program_watch, check_program_and_run_input_show_each_run_before_it_starts) {
  const vth::program p = program_of_a_source_and_a_value();
  recording_watcher direct, from_bytes;
  EXPECT_EQ(vth::check_program(p, &direct), "");
  EXPECT_EQ(direct.runs, (std::vector<std::string>{"task", "value_task"}));
  const std::vector<std::uint8_t> bytes = vth::encode(p);
  EXPECT_TRUE(vth::run_input(bytes, &from_bytes).held());
  EXPECT_EQ(from_bytes.runs, (std::vector<std::string>{"task", "value_task"}));
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VTH_TEST_UNDER_ASAN 1
#endif
#endif

#ifdef VTH_TEST_UNDER_ASAN
TEST_F(crash_watch_test, a_sanitizer_report_in_a_step_shows_the_step) {
  const std::string path = fresh_path("asan");
  EXPECT_DEATH(
      {
        vth::crash_watch watch("the test", path);
        const vth::report none_yet;
        watch.before_step(ends_in_step_3, none_yet, ends_in_step_3.ops[0]);
        int* freed = new int(1);
        delete freed;
        volatile int read = *freed;
        (void)read;
      },
      "heap-use-after-free.*in step 1\\..*   1\\. rent[^\n]*<-- the process ended in this step.*Scenario bytes: " + path);
  EXPECT_EQ(read_bytes(path), vth::encode(ends_in_step_3));
}
#endif

}  // namespace
