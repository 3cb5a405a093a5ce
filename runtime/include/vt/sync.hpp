#pragma once
// The synchronization vt's own sources are built from, for yours: std::atomic, std::mutex
// and plain fields in every normal build, and Relacy's model of them in a model-checking
// build (VT_MODEL_CHECK), where every atomic operation and lock is a scheduling point whose
// interleavings and allowed reads are explored, and a plain field touched by two threads
// without ordering is a data race. A source written with these is model-checked by
// vtlab_add_source_checks(... MODEL_CHECK) exactly as vt's core is; one written with the
// std types directly is invisible to the model (the races on real threads still run).
//
//   vt::sync::atomic<T>        load, store, exchange, fetch_add / sub / or / and,
//                              compare_exchange_weak / strong
//   vt::sync::mutex            lock, unlock (std::lock_guard and std::unique_lock work)
//   vt::sync::access_marker    write() / read(): marks each access of data the atomics
//                              order (a stored value, an exception), for the race detector
//   vt::sync::spin_pause()     in a loop that waits for another thread's next step
#include <vt/detail/sync.hpp>

namespace vt::sync {

template <class T>
using atomic = detail::atomic<T>;
using mutex = detail::mutex;
using access_marker = detail::access_marker;
using detail::spin_pause;

}  // namespace vt::sync
