#include <condition_variable>
#include <mutex>
#include <thread>

#include <vth/detail/bare_thread.hpp>

namespace vth::detail {

namespace {

class bare_thread {
public:
  bare_thread() : thread_([this] { loop(); }) {}
  bare_thread(const bare_thread&) = delete;
  bare_thread& operator=(const bare_thread&) = delete;
  ~bare_thread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  void run(const std::function<void()>& job) {
    std::lock_guard one_caller(callers_);  // runners on several threads take turns
    std::unique_lock lock(mutex_);
    job_ = &job;
    changed_.notify_all();
    changed_.wait(lock, [this] { return job_ == nullptr; });
  }

private:
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return stopping_ || job_ != nullptr; });
      if (job_ == nullptr) return;
      const std::function<void()>* const job = job_;
      lock.unlock();
      (*job)();
      lock.lock();
      job_ = nullptr;
      changed_.notify_all();
    }
  }

  std::mutex callers_;
  std::mutex mutex_;
  std::condition_variable changed_;
  const std::function<void()>* job_ = nullptr;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest stands
};

}  // namespace

void run_on_bare_thread(const std::function<void()>& job) {
  static bare_thread thread;
  thread.run(job);
}

}  // namespace vth::detail
