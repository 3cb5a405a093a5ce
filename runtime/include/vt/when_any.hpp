#pragma once
// vt::when_any: a task<std::size_t> that completes with the index of the first input to
// complete (whatever its outcome); the losers keep running. Empty input: invalid_argument.
#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

#include <vt/detail/manual_task_state.hpp>
#include <vt/task.hpp>

namespace vt {

namespace detail {

class when_any_state final : public manual_task_state<std::size_t> {
public:
  explicit when_any_state(std::vector<task_state_base*> inputs);
  ~when_any_state() override;
  void start();

private:
  struct registration {
    waiter node;
    when_any_state* owner;
    std::size_t index;
  };
  static void on_input_completed(void* registration);

  std::vector<task_state_base*> inputs_;  // one reference each
  std::vector<registration> registrations_;
  detail::atomic<bool> decided_{false};
};


}  // namespace detail

template <class T>
task<std::size_t> when_any(const std::vector<task<T>>& inputs) {
  if (inputs.empty()) throw std::invalid_argument("when_any: no tasks");
  std::vector<detail::task_state_base*> states;
  states.reserve(inputs.size());
  for (const auto& input : inputs) {
    if (!input.valid()) throw std::invalid_argument("when_any: empty task");
    states.push_back(input.state());
  }
  auto* state = new detail::when_any_state(std::move(states));
  task<std::size_t> result = task<std::size_t>::adopt(state);
  state->start();
  return result;
}

template <class... Ts>
  requires(sizeof...(Ts) > 0)
task<std::size_t> when_any(const task<Ts>&... inputs) {
  if (!(inputs.valid() && ...)) throw std::invalid_argument("when_any: empty task");
  auto* state = new detail::when_any_state(std::vector<detail::task_state_base*>{inputs.state()...});
  task<std::size_t> result = task<std::size_t>::adopt(state);
  state->start();
  return result;
}

}  // namespace vt
