#pragma once
// Where the model's prediction depends on an answer the contract leaves to the source, and
// that answer shows only in rare scenarios, the source is asked directly, so that a wrong
// declaration fails at once, in words, instead of as a rare property failure:
//
//   inline depth  a chain of completions, each continuation completing the next source
//                 inline: a source that calls its continuations directly nests them all;
//                 one built on vt's core defers those past vt's inline depth to the outermost
//                 call. The adapter's `dispatch` (source_choices.hpp) must say which.
//
// (Which idle source a pool hands out needs no probe: undeclared, the model takes the pool's
// answer; declared, every scenario that rents checks it.)
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <vt/inline_resumption.hpp>
#include <vth/source_under_test.hpp>

namespace vth {

// The check of the source under test: vtlab's own pools, unless a binary installed others
// (scenario_runner.hpp: checked_sources). "" when the source does as declared.
std::string check_declared_dispatch();
using choice_check = std::string (*)();
void use_declared_dispatch_check(choice_check check) noexcept;

template <source_under_test Sources>
std::string declared_dispatch_holds() {
  constexpr int length = vt::max_inline_resumption_depth + 4;
  using source_type = typename Sources::template source<int>;
  struct link {
    source_type* source = nullptr;
    vt::token_t token = 0;
    link* next = nullptr;
    bool ran = false;
    bool next_ran_inside = false;  // the next link's continuation ran inside this one's call
    static void run(void* self) {
      auto* l = static_cast<link*>(self);
      l->ran = true;
      if (l->next == nullptr) return;
      l->next->source->set_result(0);
      l->next_ran_inside = l->next->ran;
    }
  };
  typename Sources::template pool<int> pool(length, 0);
  std::vector<link> chain(length);
  for (int i = 0; i < length; ++i) {
    chain[i].source = &pool.rent();
    chain[i].token = chain[i].source->version();
    if (i + 1 < length) chain[i].next = &chain[i + 1];
  }
  for (link& l : chain) l.source->on_completed(&link::run, &l, l.token, vt::on_completed_flags::none);
  chain[0].source->set_result(0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!chain.back().ran && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  int nested = 0;  // links whose successor ran inside them
  for (const link& l : chain) nested += l.next_ran_inside ? 1 : 0;
  for (link& l : chain) (void)l.source->get_result(l.token);
  if (!chain.back().ran) {
    return "a chain of " + std::to_string(length) + " inline continuations did not finish within 2 s (each one " +
           "registered while pending, without a context, must run inside the completing call)";
  }
  const bool all_nested = nested == length - 1;
  const bool declared_direct = choices_of<Sources>().dispatch == inline_dispatch::direct_call;
  if (all_nested && !declared_direct) {
    return "the source runs continuations inline at any depth (" + std::to_string(length) +
           " nested), not through vt's inline resumer (which defers past depth " +
           std::to_string(vt::max_inline_resumption_depth) +
           "): declare `static constexpr vth::inline_dispatch dispatch = vth::inline_dispatch::direct_call;` in the adapter";
  }
  if (!all_nested && declared_direct) {
    return "the adapter declares dispatch = direct_call, but only " + std::to_string(nested) + " of " +
           std::to_string(length - 1) + " continuations ran nested inside the completion before them: the source " +
           "defers past some depth (as vt's inline resumer does); leave `dispatch` undeclared or through_vt_resumer";
  }
  return {};
}

}  // namespace vth
