// Private to the HTML and flattened-text extractors: the checks every doc passes
// before any table is looked for, so that both report bad input the same way.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/text.h"

namespace conform::import::detail {

inline std::string where(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

// The doc's lines (1-based line n is lines[n-1]) once it is known to be text:
// not empty, no NUL byte, well-formed UTF-8. The error names the line of the
// first bad byte; UTF-8 is checked a line at a time, which is exact because a
// multi-byte sequence never contains '\n'.
inline Result<std::vector<std::string_view>> checked_lines(std::string_view file,
                                                           std::string_view content) {
  if (text::trim(content).empty()) return fail(where(file, 1), "empty document");
  std::vector<std::string_view> lines = text::split_lines(content);
  // The whole doc at once (memchr, eight ASCII bytes a step); line by line only
  // to name the line of an error.
  if (content.find('\0') == std::string_view::npos && text::valid_utf8(content)) return lines;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (lines[i].find('\0') != std::string_view::npos)
      return fail(where(file, line), "NUL byte: this is not a text document");
    if (!text::valid_utf8(lines[i]))
      return fail(where(file, line), "invalid UTF-8: expected a UTF-8 text document");
  }
  return lines;
}

// A byte that no text document holds: a control byte other than white space, or DEL.
inline bool is_control_byte(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f;
}

// Whether s holds a control byte other than white space and '\n'. Eight bytes a
// step: a word with no byte below 0x20 and no 0x7f is skipped whole.
inline bool has_control_byte(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  std::size_t i = 0;
  for (; s.size() - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;  // some byte < 0x20
    const std::uint64_t x = w ^ (kOnes * 0x7f);
    const std::uint64_t del = (x - kOnes) & ~x & kHighs;  // some byte == 0x7f
    if ((below_space | del) == 0) continue;
    for (std::size_t k = i; k < i + 8; ++k)
      if (s[k] != '\n' && is_control_byte(static_cast<unsigned char>(s[k]))) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] != '\n' && is_control_byte(static_cast<unsigned char>(s[i]))) return true;
  return false;
}

inline bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alpha(char c) { return is_ascii_upper(c) || is_ascii_lower(c); }

}  // namespace conform::import::detail
