// The README's cache-hit example, compiled and run by the consumer test.
#include <cstdio>
#include <string>
#include <unordered_map>

#include <vt/vt.hpp>

class product_repository {
public:
  // task form: every call allocates a frame, hit or miss.
  vt::task<std::string> get_product_task(int id) {
    if (auto it = cache_.find(id); it != cache_.end()) co_return it->second;
    co_return co_await load(id);
  }

  // value_task form: a hit completes synchronously, with no allocation at all.
  vt::value_task<std::string> get_product(int id) {
    if (auto it = cache_.find(id); it != cache_.end()) co_return it->second;
    co_return co_await load(id);
  }

  // The miss path: a pooled source completed later by "the database".
  vt::value_task<std::string> load(int id) {
    auto& source = pool_.rent();
    pending_.emplace(id, &source);
    co_return cache_[id] = co_await vt::value_task<std::string>(source, source.version());
  }

  void complete_pending() {
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, source] : pending) source->set_result("product-" + std::to_string(id));
  }

private:
  std::unordered_map<int, std::string> cache_;
  std::unordered_map<int, vt::pooled_source<std::string>*> pending_;
  vt::source_pool<std::string> pool_;
};

int main() {
  product_repository repository;
  auto miss = repository.get_product(7);  // suspends: source-backed
  repository.complete_pending();
  std::string first = vt::sync_wait(miss);
  auto hit = repository.get_product(7);  // completes synchronously: result-backed
  bool hit_is_result = hit.kind() == vt::value_task<std::string>::representation::result;
  std::string second = hit.result();
  std::string third = vt::sync_wait(repository.get_product_task(7));
  std::printf("%s %s %s %s\n", first.c_str(), second.c_str(), third.c_str(), hit_is_result ? "sync" : "async");
  return first == "product-7" && second == first && third == first && hit_is_result ? 0 : 1;
}
