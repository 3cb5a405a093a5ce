#pragma once
// The model's shorthands for outcomes and results, shared by its files and the ops' model
// steps (harness/ops/, compiled in model.cpp).
#include <cstdint>

#include <vth/misuse.hpp>
#include <vth/outcome.hpp>

namespace vth::model_support {

inline outcome done(long detail = 0) { return {outcome_kind::done, detail}; }
inline outcome skipped() { return {outcome_kind::skipped, 0}; }
// A misuse the contract rejects with invalid_operation, naming it (docs/semantics.md section 1).
inline outcome invalid(named_misuse named) { return {outcome_kind::invalid_operation, encode({named, 0})}; }
inline outcome fault(long code) { return {outcome_kind::error, code}; }
inline bool is_fault(outcome_kind kind) {
  return kind == outcome_kind::error || kind == outcome_kind::invalid_operation || kind == outcome_kind::out_of_memory ||
         kind == outcome_kind::aggregate;
}
// A model result that is a fault: an error, or an operation_canceled held as one.
template <class Result>
bool faulted(const Result& r) {
  return is_fault(r.kind) || r.cancellation_as_fault;
}
inline long status_of(outcome_kind kind) {
  switch (kind) {
    case outcome_kind::value: return 1;     // succeeded
    case outcome_kind::canceled: return 3;  // canceled
    default: return 2;                      // faulted
  }
}
// A completed source's status() as a snapshot holds it (0 while pending).
template <class Source>
std::uint8_t completed_status(const Source& src) {
  return src.completed ? static_cast<std::uint8_t>(status_of(src.result.kind)) : 0;
}

}  // namespace vth::model_support
