// task vs value_task, side by side: the cache-first repository of the seeds
// (GetProductAsync), the miss path through pooled sources, nested chains, when_all and
// mixed hit rates. Every benchmark reports allocs_per_op from a counting operator new.
#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <unordered_map>
#include <string>
#include <vector>

#include <vt/vt.hpp>

#include "allocation_count.hpp"

namespace {

// Reports heap allocations per iteration over the benchmark's timed loop.
class allocation_report {
public:
  explicit allocation_report(benchmark::State& state) : state_(state) {}
  ~allocation_report() {
    const auto made = vt_bench::allocations_on_this_thread() - start_;
    state_.counters["allocs_per_op"] = benchmark::Counter(static_cast<double>(made), benchmark::Counter::kAvgIterations);
  }

private:
  benchmark::State& state_;
  std::size_t start_ = vt_bench::allocations_on_this_thread();
};

// The seeds' repository: a cache in front of a "database" that completes through the
// scheduler. Hits return synchronously; misses suspend on a pooled source.
class product_repository {
public:
  explicit product_repository(vt::manual_scheduler& database) : database_(database) {
    for (int id = 0; id < 64; ++id) cache_.emplace(id, id * 10);
  }

  int get_product_plain(int id) const { return cache_.at(id); }

  vt::task<int> get_product_task(int id) {
    if (auto it = cache_.find(id); it != cache_.end()) co_return it->second;
    co_return co_await load(id);
  }

  vt::value_task<int> get_product(int id) {
    if (auto it = cache_.find(id); it != cache_.end()) co_return it->second;
    co_return co_await load(id);
  }

  vt::value_task<int> get_product_no_coroutine(int id) {
    if (auto it = cache_.find(id); it != cache_.end()) return vt::value_task<int>::from_result(it->second);
    return load(id);
  }

  // A miss: the database completes a pooled source from the scheduler; not cached, so
  // every miss takes this path.
  vt::value_task<int> load(int id) {
    auto& source = sources_.rent();
    pending_.push_back({&source, id});
    database_.post(&complete_one, this);
    return vt::value_task<int>(source, source.version());
  }

private:
  struct pending_load {
    vt::pooled_source<int>* source;
    int id;
  };
  static void complete_one(void* self) {
    auto* repository = static_cast<product_repository*>(self);
    const pending_load load = repository->pending_.back();
    repository->pending_.pop_back();
    load.source->set_result(load.id * 10);
  }

  vt::manual_scheduler& database_;
  std::unordered_map<int, int> cache_;
  vt::source_pool<int> sources_;
  std::vector<pending_load> pending_;
};

constexpr int hit_key = 42;
constexpr int miss_key = 1000;

// The key is opaque to the optimizer, so no loop can hoist a lookup out of itself.
int opaque(int key) {
  benchmark::DoNotOptimize(key);
  return key;
}

void BM_plain_function(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  allocation_report report(state);
  for (auto _ : state) benchmark::DoNotOptimize(repository.get_product_plain(opaque(hit_key)));
}
BENCHMARK(BM_plain_function);

// One locked read-modify-write (what publishing across threads costs here): the floor under
// every path that must publish a completion, a registration or a reference count.
void BM_atomic_increment(benchmark::State& state) {
  std::atomic<long> counter{0};
  for (auto _ : state) benchmark::DoNotOptimize(counter.fetch_add(1, std::memory_order_acq_rel));
}
BENCHMARK(BM_atomic_increment);

// One malloc and free of a task frame's size through the global operator new (counted): the
// part of every task call the contract fixes (a task frame is heap-allocated, never pooled).
void BM_task_frame_sized_allocation(benchmark::State& state) {
  allocation_report report(state);
  for (auto _ : state) {
    void* frame = ::operator new(120);
    benchmark::DoNotOptimize(frame);
    ::operator delete(frame, 120);
  }
}
BENCHMARK(BM_task_frame_sized_allocation);

// Each driver is one coroutine awaiting the repository in the benchmark loop.
vt::task<void> drive_task_hits(benchmark::State& state, product_repository& repository) {
  allocation_report report(state);
  for (auto _ : state) benchmark::DoNotOptimize(co_await repository.get_product_task(opaque(hit_key)));
}

vt::value_task<void> drive_value_task_hits(benchmark::State& state, product_repository& repository) {
  allocation_report report(state);
  for (auto _ : state) benchmark::DoNotOptimize(co_await repository.get_product(opaque(hit_key)));
}

// The floor under the coroutine rows: the plain function in the same driver, around an
// await the optimizer cannot see through (always ready at run time). Everything live across
// an await sits in the frame, the loop's own state included, where the plain loop keeps
// it in registers; this row prices that, so the rows above it can be read net of it.
struct opaque_ready_awaiter {
  bool ready;
  bool await_ready() const noexcept { return ready; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

vt::value_task<void> drive_plain_hits_in_coroutine(benchmark::State& state, product_repository& repository) {
  allocation_report report(state);
  bool ready = true;
  benchmark::DoNotOptimize(ready);
  for (auto _ : state) {
    co_await opaque_ready_awaiter{ready};
    benchmark::DoNotOptimize(repository.get_product_plain(opaque(hit_key)));
  }
}

vt::value_task<void> drive_value_task_hits_no_coroutine(benchmark::State& state, product_repository& repository) {
  allocation_report report(state);
  for (auto _ : state) benchmark::DoNotOptimize(co_await repository.get_product_no_coroutine(opaque(hit_key)));
}

void BM_task_cache_hit(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  vt::sync_wait(drive_task_hits(state, repository));
}
BENCHMARK(BM_task_cache_hit);

void BM_value_task_cache_hit(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  vt::sync_wait(drive_value_task_hits(state, repository));
}
BENCHMARK(BM_value_task_cache_hit);

void BM_plain_function_in_coroutine(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  vt::sync_wait(drive_plain_hits_in_coroutine(state, repository));
}
BENCHMARK(BM_plain_function_in_coroutine);

void BM_value_task_cache_hit_no_coroutine(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  vt::sync_wait(drive_value_task_hits_no_coroutine(state, repository));
}
BENCHMARK(BM_value_task_cache_hit_no_coroutine);

// The miss path: suspend on a pooled source, the scheduler completes it, the
// continuation resumes inline, the caller consumes.
void BM_task_cache_miss(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  auto warm_up = repository.get_product_task(miss_key);
  database.run_one();
  allocation_report report(state);
  for (auto _ : state) {
    auto product = repository.get_product_task(miss_key);
    database.run_one();
    benchmark::DoNotOptimize(product.result());
  }
}
BENCHMARK(BM_task_cache_miss);

void BM_value_task_cache_miss(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  (void)[&] {
    auto warm_up = repository.get_product(miss_key);
    database.run_one();
    return warm_up.result();
  }();
  allocation_report report(state);
  for (auto _ : state) {
    auto product = repository.get_product(miss_key);
    database.run_one();
    benchmark::DoNotOptimize(product.result());
  }
}
BENCHMARK(BM_value_task_cache_miss);

vt::value_task<int> await_once(vt::value_task<int> operation) { co_return co_await operation; }

void BM_pooled_source_round_trip(benchmark::State& state) {
  vt::source_pool<int> pool;
  int i = 0;
  {
    auto& source = pool.rent();
    auto warm_up = await_once(vt::value_task<int>(source, source.version()));
    source.set_result(i);
    (void)warm_up.result();
  }
  allocation_report report(state);
  for (auto _ : state) {
    auto& source = pool.rent();                                          // rent
    auto awaiting = await_once(vt::value_task<int>(source, source.version()));  // await (suspends)
    source.set_result(++i);                                              // complete: resumes inline
    benchmark::DoNotOptimize(awaiting.result());                         // consume: recycles
  }
}
BENCHMARK(BM_pooled_source_round_trip);

// The pattern of cppcoro's single_consumer_event: one long-lived coroutine rents a pooled
// source, awaits it and consumes it (back to its pool), again and again; the benchmark
// loop completes each generation, which resumes the coroutine inline.
struct round_trip {
  vt::source_pool<int> pool;
  vt::pooled_source<int>* awaited = nullptr;
};

vt::task<void> await_forever(round_trip& trip) {
  for (;;) {
    auto& source = trip.pool.rent();
    trip.awaited = &source;
    if (co_await vt::value_task<int>(source, source.version()) < 0) co_return;
  }
}

void BM_source_await_round_trip(benchmark::State& state) {
  round_trip trip;
  vt::task<void> consumer = await_forever(trip);
  int i = 0;
  trip.awaited->set_result(i);  // warm up: the pool holds its one source
  {
    allocation_report report(state);
    for (auto _ : state) trip.awaited->set_result(++i);
  }
  trip.awaited->set_result(-1);
  consumer.result();
}
BENCHMARK(BM_source_await_round_trip);

template <class Task>
Task nested(int depth) {
  if (depth == 0) co_return 0;
  co_return co_await nested<Task>(depth - 1) + 1;
}

template <class Task>
void BM_nested_await_chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  allocation_report report(state);
  for (auto _ : state) benchmark::DoNotOptimize(nested<Task>(depth).result());
  // Seconds per level, printed with its unit (e.g. 8.8ns).
  state.counters["time_per_level"] = benchmark::Counter(static_cast<double>(state.iterations()) * depth,
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_TEMPLATE(BM_nested_await_chain, vt::task<int>)->Arg(1000);
BENCHMARK_TEMPLATE(BM_nested_await_chain, vt::value_task<int>)->Arg(1000);

template <class Task>
Task completes_later(vt::pooled_source<int>& source) {
  co_return co_await vt::value_task<int>(source, source.version());
}

void BM_when_all(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  vt::source_pool<int> pool;
  allocation_report report(state);
  std::vector<vt::pooled_source<int>*> sources(count);
  for (auto _ : state) {
    std::vector<vt::task<int>> inputs;
    inputs.reserve(count);
    for (auto& source : sources) {
      source = &pool.rent();
      inputs.push_back(completes_later<vt::task<int>>(*source));
    }
    auto all = vt::when_all(std::move(inputs));
    for (std::size_t i = 0; i < count; ++i) sources[i]->set_result(static_cast<int>(i));
    benchmark::DoNotOptimize(all.result());
  }
}
BENCHMARK(BM_when_all)->Arg(2)->Arg(16)->Arg(256);

// A fixed, deterministic key sequence with the given percentage of hits.
std::array<int, 100> keys_with_hit_rate(int hit_percent) {
  std::array<int, 100> keys{};
  for (int i = 0; i < 100; ++i) keys[static_cast<std::size_t>(i * 37 % 100)] = i < hit_percent ? i % 64 : miss_key + i;
  return keys;
}

template <class Task>
void BM_mixed_hit_rate(benchmark::State& state) {
  vt::manual_scheduler database;
  product_repository repository(database);
  const auto keys = keys_with_hit_rate(static_cast<int>(state.range(0)));
  allocation_report report(state);
  std::size_t next = 0;
  for (auto _ : state) {
    const int key = keys[next++ % keys.size()];
    Task product = [&] {
      if constexpr (std::is_same_v<Task, vt::task<int>>) {
        return repository.get_product_task(key);
      } else {
        return repository.get_product(key);
      }
    }();
    if (!product.is_completed()) database.run_one();
    benchmark::DoNotOptimize(product.result());
  }
}
BENCHMARK_TEMPLATE(BM_mixed_hit_rate, vt::task<int>)->Arg(50)->Arg(80)->Arg(99);
BENCHMARK_TEMPLATE(BM_mixed_hit_rate, vt::value_task<int>)->Arg(50)->Arg(80)->Arg(99);

}  // namespace

// The size the task rows' frame (the repository's get_product_task) asks of operator new:
// a frame past 128 bytes takes glibc's slower path for every free once a chain's frames
// outgrow its fast bins. 0 if the call did not allocate exactly once.
std::size_t task_frame_bytes() {
  vt::manual_scheduler database;
  product_repository repository(database);
  const std::size_t before = vt_bench::allocations_on_this_thread();
  vt::task<int> hit = repository.get_product_task(0);
  return vt_bench::allocations_on_this_thread() == before + 1 ? vt_bench::last_allocation_size_on_this_thread() : 0;
}

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("task<int> frame bytes", std::to_string(task_frame_bytes()));
  benchmark::AddCustomContext("allocations counted by", "bench/counting_new.cpp (a thread-local increment)");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
