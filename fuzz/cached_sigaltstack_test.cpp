// The fuzz targets' sigaltstack (cached_sigaltstack.cpp) must answer every query exactly
// as the kernel does: off and on the alternate stack, after a change, in a new thread, and
// with throws in between (ASan's own queries).
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace {

stack_t ask_kernel() {
  stack_t answer{};
  EXPECT_EQ(0, ::syscall(SYS_sigaltstack, nullptr, &answer));
  return answer;
}

stack_t ask_libc() {
  stack_t answer{};
  EXPECT_EQ(0, ::sigaltstack(nullptr, &answer));
  return answer;
}

void expect_same(const stack_t& kernel, const stack_t& answered) {
  EXPECT_EQ(kernel.ss_sp, answered.ss_sp);
  EXPECT_EQ(kernel.ss_size, answered.ss_size);
  EXPECT_EQ(kernel.ss_flags, answered.ss_flags);
}

void throw_and_catch() {
  try {
    throw std::runtime_error("ASan unpoisons the stacks, asking sigaltstack");
  } catch (const std::runtime_error&) {
  }
}

struct handler_view {
  stack_t kernel{};
  stack_t answered{};
};
handler_view seen_in_handler;

void record_in_handler(int) {
  seen_in_handler.answered = ask_libc();  // first: the answer must not come from a fresh query
  seen_in_handler.kernel = ask_kernel();
}

TEST(cached_sigaltstack, answers_as_the_kernel_off_and_on_the_alternate_stack) {
  (void)ask_libc();  // makes sure a copy is held
  throw_and_catch();
  expect_same(ask_kernel(), ask_libc());

  std::vector<char> own_stack(64 * 1024);
  stack_t ours{};
  ours.ss_sp = own_stack.data();
  ours.ss_size = own_stack.size();
  stack_t previous{};
  ASSERT_EQ(0, ::sigaltstack(&ours, &previous));
  const stack_t after_change = ask_libc();
  expect_same(ask_kernel(), after_change);
  EXPECT_EQ(own_stack.data(), after_change.ss_sp);
  EXPECT_EQ(0, after_change.ss_flags);

  struct sigaction action {};
  action.sa_handler = &record_in_handler;
  action.sa_flags = SA_ONSTACK;
  struct sigaction old_action {};
  ASSERT_EQ(0, ::sigaction(SIGUSR1, &action, &old_action));
  ASSERT_EQ(0, ::raise(SIGUSR1));
  ASSERT_EQ(0, ::sigaction(SIGUSR1, &old_action, nullptr));
  EXPECT_EQ(SS_ONSTACK, seen_in_handler.kernel.ss_flags);
  expect_same(seen_in_handler.kernel, seen_in_handler.answered);
  expect_same(ask_kernel(), ask_libc());  // back off the alternate stack

  ASSERT_EQ(0, ::sigaltstack(&previous, nullptr));
  expect_same(ask_kernel(), ask_libc());
  expect_same(previous, ask_libc());
}

TEST(cached_sigaltstack, a_new_thread_gets_its_own_answer) {
  (void)ask_libc();
  stack_t kernel{}, answered{};
  std::thread([&] {
    throw_and_catch();
    answered = ask_libc();
    kernel = ask_kernel();
  }).join();
  expect_same(kernel, answered);
  expect_same(ask_kernel(), ask_libc());
}

}  // namespace
