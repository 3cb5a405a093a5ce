#pragma once
// Where continuations run: the executor interface and the thread's scheduling context
// (the .NET SynchronizationContext).
namespace vt {

using continuation_fn = void (*)(void* state);

class executor {
public:
  virtual void post(continuation_fn fn, void* state) = 0;

protected:
  ~executor() = default;
};

// The executor current on this thread, or nullptr.
executor* current_executor() noexcept;

// Makes `ex` current on this thread for the guard's lifetime; restores the previous one.
class scheduling_scope {
public:
  explicit scheduling_scope(executor& ex) noexcept;
  ~scheduling_scope();
  scheduling_scope(const scheduling_scope&) = delete;
  scheduling_scope& operator=(const scheduling_scope&) = delete;

private:
  executor* previous_;
};

// The process-wide thread pool (the .NET ThreadPool), started on first use, never stopped.
executor& default_executor();

}  // namespace vt
