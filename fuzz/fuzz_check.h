// Shared by the fuzz targets: a property check that fails loudly. abort() is what
// libFuzzer reports as a crash (and saves the input for), and what fails the
// replay test in the ordinary build, so a broken property is a finding either way.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond, ...)                                                   \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                      \
      ::conform::fuzz::report_detail(__VA_ARGS__);                              \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

// For a target's own property checks: they carry no coverage instrumentation,
// since their loops and branches only mirror what the code under test did (its
// own counters guide the fuzzer) while each counter adds features that libFuzzer
// keeps frequencies of on every run. ASan and UBSan still check them.
#if defined(__clang__)
#define FUZZ_CHECK_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_CHECK_NO_COVERAGE
#endif

namespace conform::fuzz {

inline void report_detail() {}
// Extra context (e.g. the two dumps that should have been equal), shortened so a
// 40 KB spec does not drown the stack trace.
inline void report_detail(std::string_view what) {
  constexpr std::size_t kMax = 2000;
  std::fprintf(stderr, "  %.*s%s\n", static_cast<int>(std::min(what.size(), kMax)), what.data(),
               what.size() > kMax ? " [...]" : "");
}
inline void report_detail(std::string_view a, std::string_view b) {
  // Where the two texts first differ, with some context on each side.
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t from = i > 200 ? i - 200 : 0;
  std::fprintf(stderr, "  first difference at byte %zu\n", i);
  report_detail(a.substr(std::min(from, a.size()), 600));
  std::fprintf(stderr, "  ---- vs ----\n");
  report_detail(b.substr(std::min(from, b.size()), 600));
}

}  // namespace conform::fuzz
