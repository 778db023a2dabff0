#include "core/text.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "core/utf8.h"

namespace conform::text {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::size_t count = 1;  // counted first (memchr) so that the vector is allocated once
  for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) ++count;
  std::vector<std::string_view> lines;
  lines.reserve(count);
  std::size_t start = 0;
  for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', start)) {
    std::size_t end = i;
    if (end > start && s[end - 1] == '\r') --end;
    lines.push_back(s.substr(start, end - start));
    start = i + 1;
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_ci(s.substr(0, prefix.size()), prefix);
}

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Eight ASCII bytes at a time: most of a document is ASCII.
    if (s.size() - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  // An all-ASCII start (most values) eight bytes a step: a byte is a code point.
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ull) != 0) break;
  }
  std::size_t count = i;
  for (; i < s.size(); ++count) {
    const std::size_t n = utf8_sequence(s, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

namespace {
// Whether s holds a '\t', '\n', '\v', '\f' or '\r' (bytes 9 to 13): eight bytes a step.
bool has_control_space(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kLows = 0x7f7f7f7f7f7f7f7fu;
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  std::size_t i = 0;
  for (; s.size() - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // "hasbetween(w, 8, 14)": some byte b with 8 < b < 14.
    const std::uint64_t low = w & kLows;
    if (((kOnes * (127 + 14) - low) & ~w & (low + kOnes * (127 - 8)) & kHighs) != 0) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] >= '\t' && s[i] <= '\r') return true;
  return false;
}
}  // namespace

std::string squash_spaces(std::string_view s) {
  s = trim(s);
  // Already squashed (single spaces, no other white space): the common case.
  bool squashed = !has_control_space(s);
  for (std::size_t i = s.find(' '); squashed && i != std::string_view::npos; i = s.find(' ', i + 1))
    squashed = s[i + 1] != ' ';  // s is trimmed: a space is never its last byte
  if (squashed) return std::string(s);
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (char c : trim(s)) {
    if (is_space(c)) {
      pending = true;
      continue;
    }
    if (pending) out.push_back(' ');
    pending = false;
    out.push_back(c);
  }
  return out;
}

std::optional<long long> parse_integer(std::string_view s) {
  s = trim(s);
  std::string digits;
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      continue;
    }
    // A thousands separator follows a digit and is followed by exactly three digits.
    if (c == ',' && !digits.empty() && i + 3 < s.size() + 1) {
      bool three = true;
      for (std::size_t k = 1; k <= 3; ++k) three = three && i + k < s.size() && s[i + k] >= '0' && s[i + k] <= '9';
      const bool ends = i + 4 >= s.size() || s[i + 4] == ',' || s[i + 4] < '0' || s[i + 4] > '9';
      if (three && ends) continue;
    }
    return std::nullopt;
  }
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  long long v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
  return neg ? -v : v;
}

std::string printable(std::string_view s, std::size_t max_len) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    if (out.size() >= max_len) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace conform::text
