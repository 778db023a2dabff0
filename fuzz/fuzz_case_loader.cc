// libFuzzer target: the case JSON/JSONL loader (core/case.h, read_cases) on
// arbitrary text, as `conform predict` and `conform replay` read case files and
// corpus/regressions. Besides not crashing: every entry names a line of the
// input, and a case that loads survives to_json_line -> scenario_from_text ->
// to_json_line unchanged (the regression corpus is written
// by one and read by the other).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/case.h"
#include "fuzz/fuzz_check.h"

// The line is read back as read_cases reads one (scenario_from_text): the target
// touches no nlohmann itself, and its own functions carry no coverage counters
// (fuzz/fuzz_case_loader.ignorelist).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int line_count = 1 + static_cast<int>(std::count(data, data + size, '\n'));
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));  // the text moved in, not copied
  const auto lines = conform::read_cases(in, "fuzz.jsonl");
  int previous = 0;
  for (const auto& entry : lines) {
    FUZZ_CHECK(entry.line > previous && entry.line <= line_count, std::to_string(entry.line));
    previous = entry.line;
    if (!entry.scenario) {
      FUZZ_CHECK(entry.scenario.error().where.starts_with("fuzz.jsonl:"), entry.scenario.error().message());
      continue;
    }
    const std::string first = conform::to_json_line(*entry.scenario);
    FUZZ_CHECK(first.find('\n') == std::string::npos, first);
    auto again = conform::scenario_from_text(first, "again");
    FUZZ_CHECK(again.has_value(), again ? std::string() : again.error().message() + "\n" + first);
    const std::string second = conform::to_json_line(*again);
    FUZZ_CHECK(first == second, first, second);
  }
  return 0;
}
