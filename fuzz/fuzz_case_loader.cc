// libFuzzer target: the case JSON/JSONL loader (core/case.h, read_cases) on
// arbitrary text, as `conform predict` and `conform replay` read case files and
// corpus/regressions. Besides not crashing: every entry names a line of the
// input, and a case that loads survives to_json_line -> parse ->
// scenario_from_json -> to_json_line unchanged (the regression corpus is written
// by one and read by the other).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "fuzz/fuzz_check.h"

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
    nlohmann::json j = nlohmann::json::parse(first, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(!j.is_discarded(), first);
    auto again = conform::scenario_from_json(std::move(j), "again");
    FUZZ_CHECK(again.has_value(), again ? std::string() : again.error().message() + "\n" + first);
    const std::string second = conform::to_json_line(*again);
    FUZZ_CHECK(first == second, first, second);
  }
  return 0;
}
