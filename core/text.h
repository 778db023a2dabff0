// Small text helpers shared by the importers, the loader and the checks.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conform::text {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split_lines(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool equals_ci(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s);
// Number of code points in well-formed UTF-8; invalid bytes count one each.
std::size_t utf8_length(std::string_view s);

// Collapses runs of white space to one space and trims the ends.
std::string squash_spaces(std::string_view s);

// Parses a decimal integer that may carry thousands separators ("2,000", "32,768").
std::optional<long long> parse_integer(std::string_view s);

// Escapes a string for a JSON-free, single-line diagnostic (control bytes as \xNN).
std::string printable(std::string_view s, std::size_t max_len = 120);

}  // namespace conform::text
