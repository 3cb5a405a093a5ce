// harness/ops/cancellation.hpp: the cancellation ops: registrations on sources, cancel, unregistering, checking.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_CANCELLATION_DECLARED
#define VTH_OPS_CANCELLATION_DECLARED
namespace vth::ops {

// K[b] cancellation will set_canceled S[a]'s current generation (if still pending)
template <>
struct declaration<op_code::cancel_on> {
  static constexpr op_info info{"cancel_on", 2, {S, K, 1}, {reads('S'), reads('K')}};
  static constexpr const char* shape = "S{a} K{b}";
};

// K[a].cancel()
template <>
struct declaration<op_code::cancel> {
  static constexpr op_info info{"cancel", 1, {K, 1, 1}, {reads('K')}, {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "K{a}";
};

// K[a].token().throw_if_cancellation_requested()
template <>
struct declaration<op_code::cancel_check> {
  static constexpr op_info info{"cancel_check", 1, {K, 1, 1}, {reads('K')}};
  static constexpr const char* shape = "K{a}";
};

// the a-th most recent cancel_on registration: b 0 unregister() (reports true/false),
// b 1 replaced by an empty registration (move assignment unregisters)
template <>
struct declaration<op_code::unregister> {
  static constexpr op_info info{"unregister", 2, {8, 2, 1}, {number, number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " registration -" + std::to_string(a + 1) + (b == 0 ? " unregister()" : " by move assignment");
  }
};

// as cancel_on S[a] K[b], and then the callback acts: c 0 throws,
// c 1 unregisters the registration made just before this one
template <>
struct declaration<op_code::cancel_on_acting> {
  static constexpr op_info info{"cancel_on_acting", 3, {S, K, 2}, {reads('S'), reads('K'), number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('S', a) + " " + slot('K', b) + (c == 0 ? " then throws" : " then unregisters the one before");
  }
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_CANCELLATION_MODEL_STEPS)
#define VTH_OPS_CANCELLATION_MODEL_STEPS
namespace vth {

outcome model::step_cancel_on(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped();
  registration r{b, {S[si].source, S[si].version}};
  if (o.code == op_code::cancel_on_acting) {
    r.action = c == 0 ? registration::then_throws : registration::then_unregisters_previous;
  }
  registrations_.push_back(r);
  if (canceled_[static_cast<std::size_t>(b)]) {  // the callback runs inside register_callback
    std::vector<inner_error> errors;
    run_callback(registrations_.size() - 1, errors);
    if (!errors.empty()) return fault(errors.front().code);
  }
  return done();
}

// the same cancel, its callbacks run on a worker the runner waits for
outcome model::step_cancel(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  if (canceled_[si]) return callbacks_of({});
  canceled_[si] = true;
  std::vector<long> ran;
  std::vector<inner_error> errors;
  for (std::size_t i = registrations_.size(); i-- > 0;) {  // latest registration first
    if (registrations_[i].cancellation != a || registrations_[i].state != registration::pending) continue;
    ran.push_back(static_cast<long>(i));
    run_callback(i, errors);
  }
  if (!errors.empty()) {  // every callback ran; then one aggregate_error, in the order they ran
    return aggregate_of(errors);
  }
  return callbacks_of(ran);
}

outcome model::step_cancel_check(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  return canceled_[si] ? outcome{outcomes::canceled{a}} : done();
}

outcome model::step_unregister(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  if (registrations_.empty()) return skipped();
  registration& r = registrations_[registrations_.size() - 1 - static_cast<std::size_t>(a) % registrations_.size()];
  const bool prevented = r.state == registration::pending;
  if (prevented) r.state = registration::unregistered;
  return b == 0 ? outcome{outcomes::value{prevented ? 1 : 0}} : done();
}

outcome model::step_cancel_on_acting(const op& o) { return step_cancel_on(o); }

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_CANCELLATION_RUNTIME_STEPS)
#define VTH_OPS_CANCELLATION_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_cancel_on(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  pooled* source = S[si].source;
  const vt::token_t version = S[si].version;
  const vt::cancellation_token token = cancellations_[static_cast<std::size_t>(b)].token();
  const auto number = cancel_registrations_.size();
  const int action = o.code == op_code::cancel_on ? -1 : c;  // cancel_on_acting: 0 throws, 1 unregisters
  auto callback = [this, number, source, version, token, action] {
    callbacks_ran_.push_back(static_cast<long>(number));
    if (source->version() == version) {
      try {
        source->set_canceled(token);
        settle_default_executor();  // what it posted to a worker settles before the next callback
      } catch (const vt::invalid_operation&) {
        // already completed: cancellation lost the race, as a producer expects
      }
    }
    if (action == 0) throw harness_error(callback_fault_code);
    if (action == 1 && number > 0) cancel_registrations_[number - 1].unregister();
  };
  const outcome registered = capture([&] {
    cancel_registrations_.push_back(token.register_callback(callback));
    return done;
  });
  if (cancel_registrations_.size() == number) cancel_registrations_.emplace_back();  // it ran and threw
  return registered;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_cancel(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  callbacks_ran_.clear();
  try {
    cancellations_[si].cancel();
  } catch (...) {
    return classify(std::current_exception());  // every callback ran: one aggregate_error of their throws
  }
  return callbacks_of(callbacks_ran_);
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_cancel_check(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] {
    const vt::cancellation_token token = cancellations_[si].token();
    if (token.is_cancellation_requested() != cancellations_[si].is_cancellation_requested() || !token.can_be_canceled()) {
      note(property::model_agreement, "K" + std::to_string(a) + "'s token and source disagree");
    }
    check_default_token();
    token.throw_if_cancellation_requested();
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_unregister(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  if (cancel_registrations_.empty()) return skipped;
  const std::size_t count = cancel_registrations_.size();
  vt::cancellation_registration& r = cancel_registrations_[count - 1 - static_cast<std::size_t>(a) % count];
  if (b == 0) return outcomes::value{r.unregister() ? 1 : 0};
  r = vt::cancellation_registration{};  // the move assignment unregisters what it replaces
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_cancel_on_acting(const op& o) { return step_cancel_on(o); }

}  // namespace vth::detail
#endif
