// Checks of numeric options, for CLI11's check(): each returns "" for a good
// value and otherwise what was expected and what came (CLI11's own validators
// print a 300-digit range for "--jobs 0" and a riddle for a number too large to
// hold).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace conform::cli {

// A whole number from `min` to `max` in plain decimal digits ("1e3", "+5", " 5",
// "0x10", "-1" and "010", which CLI11 would store as octal 8, are refused): `what` names the unit ("cases", "milliseconds")
// or the thing ("seed").
std::function<std::string(const std::string&)> whole_number(std::uint64_t min, std::uint64_t max, std::string what);

// Parses plain decimal digits into `value`; false for anything else or an overflow.
bool parse_count(const std::string& s, std::uint64_t& value);

}  // namespace conform::cli
