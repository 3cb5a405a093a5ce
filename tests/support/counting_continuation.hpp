#pragma once
// A raw continuation that counts its runs (the state is the counter itself).
namespace vt_test {

struct counter {
  int runs = 0;
  static void bump(void* self) { ++static_cast<counter*>(self)->runs; }
};

}  // namespace vt_test
