#pragma once
// The pool the example sources share: every source it creates lives as long as the pool, and
// an idle one is handed out again before a new one is made (the one returned last, or the
// one returned first: the contract leaves the order to the pool), counted as
// vth/source_under_test.hpp asks. A source gives itself back once consumed; the pool marks
// it rented as it hands it out:
//
//   Source(source_stack_pool& owner, vt::token_t first_version)   (the pool a friend of it)
//   void mark_rented()
//
// `Mutex` is std::mutex, or vt::sync::mutex for a pool the model checker explores.
//
// Nothing here knows about vtlab's harness.
#include <cstddef>
#include <iterator>
#include <memory>
#include <mutex>
#include <vector>

#include <vt/source_pool.hpp>  // vt::pool_statistics, vt::pool_exhausted

namespace examples {

enum class reuse { last_returned_first, first_returned_first };

template <class Source, reuse Order = reuse::last_returned_first, class Mutex = std::mutex>
class source_stack_pool {
public:
  explicit source_stack_pool(std::size_t capacity, vt::token_t first_version = 0)
      : capacity_(capacity), first_version_(first_version) {}

  Source& rent() {
    std::lock_guard lock(mutex_);
    Source* rented;
    if (!idle_.empty()) {
      const auto next = Order == reuse::last_returned_first ? std::prev(idle_.end()) : idle_.begin();
      rented = *next;
      idle_.erase(next);  // a handful of sources: no reallocation, no allocation
      ++statistics_.reused;
    } else {
      if (sources_.size() == capacity_) throw vt::pool_exhausted("source_stack_pool: every source is rented");
      // Room for every source to come back, taken now: give_back runs in a destructor (the
      // recycle after a read) and must not allocate.
      idle_.reserve(sources_.size() + 1);
      sources_.push_back(std::unique_ptr<Source>(new Source(*this, first_version_)));
      rented = sources_.back().get();
      ++statistics_.created;
    }
    ++statistics_.rented;
    rented->mark_rented();
    return *rented;
  }

  vt::pool_statistics statistics() const {
    std::lock_guard lock(mutex_);
    vt::pool_statistics result = statistics_;
    result.idle = idle_.size();
    return result;
  }

  // The source's, once consumed (and marked idle).
  void give_back(Source& returned) noexcept {
    std::lock_guard lock(mutex_);
    idle_.push_back(&returned);  // never reallocates: rent reserved a place for every source
    ++statistics_.returned;
  }

private:
  const std::size_t capacity_;
  const vt::token_t first_version_;
  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<Source*> idle_;
  vt::pool_statistics statistics_;
};

}  // namespace examples
