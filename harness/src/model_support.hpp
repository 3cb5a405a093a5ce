#pragma once
// The model's shorthands for outcomes and results, shared by its files and the ops' model
// steps (harness/ops/, compiled in model.cpp).
#include <cstdint>

#include <vth/misuse.hpp>
#include <vth/outcome.hpp>

namespace vth::model_support {

inline outcome done(long detail = 0) { return outcomes::done{detail}; }
inline outcome skipped() { return outcomes::skipped{}; }
// A misuse the contract rejects with invalid_operation, naming it (docs/semantics.md section 1).
inline outcome invalid(named_misuse named) { return outcomes::invalid_operation{{named, 0, 0}}; }
inline outcome fault(long code) { return outcomes::error{code}; }
inline bool is_fault(const outcome& o) {
  return is<outcomes::error>(o) || is<outcomes::invalid_operation>(o) || is<outcomes::out_of_memory>(o) ||
         is<outcomes::aggregate>(o);
}
// A model result that is a fault: an error, or an operation_canceled held as one.
template <class Result>
bool faulted(const Result& r) {
  return is_fault(r.shown) || r.cancellation_as_fault;
}
inline long status_of(const outcome& o) {
  if (is<outcomes::value>(o)) return 1;     // succeeded
  if (is<outcomes::canceled>(o)) return 3;  // canceled
  return 2;                                 // faulted
}
// A completed source's status() as a snapshot holds it (0 while pending).
template <class Source>
std::uint8_t completed_status(const Source& src) {
  return src.completed ? static_cast<std::uint8_t>(status_of(src.result.shown)) : 0;
}

}  // namespace vth::model_support
