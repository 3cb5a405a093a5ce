#pragma once
// vt::exception_cast: looks inside a std::exception_ptr without throwing: the held object as a `const E*`
// when a `catch (const E&)` would take it, else nullptr. Rethrowing to find out costs a
// throw (and, under AddressSanitizer, a system call) on every completion with an error.
#include <exception>
#include <typeinfo>

namespace vt {

template <class E>
const E* exception_cast(const std::exception_ptr& error) noexcept {
  if (!error) return nullptr;
#if defined(__GLIBCXX__)
  // libstdc++: exception_ptr holds just the thrown object's address, and type_info's
  // __do_catch is the check (and base-class adjustment) a catch clause performs.
  const std::type_info* thrown = error.__cxa_exception_type();
  void* object = *reinterpret_cast<void* const*>(&error);
  if (thrown != nullptr && typeid(E).__do_catch(thrown, &object, 1)) return static_cast<const E*>(object);
  return nullptr;
#else
  try {
    std::rethrow_exception(error);
  } catch (const E& e) {
    return &e;  // the exception object lives as long as `error` holds it
  } catch (...) {
    return nullptr;
  }
#endif
}

}  // namespace vt
