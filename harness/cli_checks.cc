#include "harness/cli_checks.h"

#include <charconv>
#include <system_error>

namespace conform::cli {

bool parse_count(const std::string& s, std::uint64_t& value) {
  if (s.empty() || s.front() < '0' || s.front() > '9') return false;
  if (s.size() > 1 && s.front() == '0') return false;  // CLI11 would read "010" as octal 8
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  return ec == std::errc() && ptr == end;
}

std::function<std::string(const std::string&)> whole_number(std::uint64_t min, std::uint64_t max, std::string what) {
  return [min, max, what = std::move(what)](const std::string& value) -> std::string {
    std::uint64_t v = 0;
    bool digits = parse_count(value, v);
    if (digits && v >= min && v <= max) return "";
    std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max) + " (" + what + ")";
    std::string shown = value.size() > 40 ? value.substr(0, 40) + "..." : value;
    bool all_digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
    if (!digits && !all_digits) return "expected " + range + ", got '" + shown + "'";
    if (value.size() > 1 && value.front() == '0') return "expected " + range + ", got " + shown + " (no leading zeros)";
    return "expected " + range + ", got " + shown + (!digits || v > max ? " (too large)" : " (too small)");
  };
}

}  // namespace conform::cli
