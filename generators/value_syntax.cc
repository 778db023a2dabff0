// Which texts a format, a pattern or a number's syntax accepts, for the
// generators' rule checks (generators/value_syntax.h).
#include "generators/value_syntax.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>

#include <re2/re2.h>

namespace conform::gen {

using namespace std::string_view_literals;

const RE2& regex(const std::string& pattern) {
  thread_local std::map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_dot_nl(true);
    it = cache.emplace(pattern, std::make_unique<RE2>(pattern, o)).first;
  }
  return *it->second;
}

namespace {

// Formats as regular expressions: a reading of docs/spec-format.md independent of
// the oracle's hand-written parsers.
const char* kOctet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
std::string format_regex(const std::string& f) {
  std::string ip = std::string("(") + kOctet + "\\.){3}" + kOctet;
  if (f == "ipv4") return ip;
  if (f == "cidr") return ip + "/(3[0-2]|[12]?[0-9])";
  if (f == "base64") return "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?";
  if (f == "HH:mm:ss") return "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]";
  if (f == "HH:mm-HH:mm") return "([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]";
  return "(?s).*";
}

// The languages of format_regex() written out, for the formats it knows (the
// same strings match: checked against RE2 on 15 million near-valid and random
// strings): rule_ok() runs for every value of every draft, and RE2 took ~4k
// instructions a call (a base64 UserData is kilobytes). Other formats: RE2.
bool digit(char c) { return c >= '0' && c <= '9'; }
bool octet_text(std::string_view s) {  // 0-255, no leading zero
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  int v = 0;
  for (char c : s) {
    if (!digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return v <= 255;
}
bool ipv4_text(std::string_view s) {
  for (int i = 0; i < 3; ++i) {
    std::size_t dot = s.find('.');
    if (dot == std::string_view::npos || !octet_text(s.substr(0, dot))) return false;
    s.remove_prefix(dot + 1);
  }
  return octet_text(s);
}
bool prefix_text(std::string_view s) {  // 3[0-2]|[12]?[0-9]
  if (s.size() == 1) return digit(s[0]);
  if (s.size() != 2) return false;
  if (s[0] == '1' || s[0] == '2') return digit(s[1]);
  return s[0] == '3' && s[1] >= '0' && s[1] <= '2';
}
// The base64 alphabet, one table load per character (UserData is kilobytes).
constexpr std::array<bool, 256> kBase64 = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  }
  return t;
}();
bool base64_char(char c) { return kBase64[static_cast<unsigned char>(c)]; }
bool base64_text(std::string_view s) {
  const std::size_t n = s.size();
  if (n % 4 != 0) return false;
  std::size_t body = n;  // the characters before the padding
  if (n >= 4 && s[n - 1] == '=') body = s[n - 2] == '=' ? n - 2 : n - 1;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(body), base64_char);
}
bool hour_text(std::string_view s) {  // [01][0-9]|2[0-3]
  return ((s[0] == '0' || s[0] == '1') && digit(s[1])) || (s[0] == '2' && s[1] >= '0' && s[1] <= '3');
}
bool minute_text(std::string_view s) { return s[0] >= '0' && s[0] <= '5' && digit(s[1]); }
}  // namespace

bool format_ok(const std::string& f, const std::string& text) {
  const std::string_view s = text;
  if (f == "ipv4"sv) return ipv4_text(s);
  if (f == "cidr"sv) {
    std::size_t slash = s.find('/');
    return slash != std::string_view::npos && ipv4_text(s.substr(0, slash)) && prefix_text(s.substr(slash + 1));
  }
  if (f == "base64"sv) return base64_text(s);
  if (f == "HH:mm:ss"sv) {
    return s.size() == 8 && hour_text(s.substr(0, 2)) && s[2] == ':' && minute_text(s.substr(3, 2)) && s[5] == ':' &&
           minute_text(s.substr(6, 2));
  }
  if (f == "HH:mm-HH:mm") {
    return s.size() == 11 && hour_text(s.substr(0, 2)) && s[2] == ':' && minute_text(s.substr(3, 2)) && s[5] == '-' &&
           hour_text(s.substr(6, 2)) && s[8] == ':' && minute_text(s.substr(9, 2));
  }
  return RE2::FullMatch(text, regex(format_regex(f)));
}


namespace {

bool digits(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

}  // namespace

// RE2 full matches of -?[0-9]{1,max_digits} (max_digits 0: no limit) and of
// -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?, written out: they run for every
// numeric value of every draft.
bool integer_text(std::string_view s, std::size_t max_digits) {
  std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  std::size_t start = i;
  return digits(s, i) && i == s.size() && (max_digits == 0 || i - start <= max_digits);
}

bool decimal_text(std::string_view s) {
  std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  if (!digits(s, i)) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(s, i)) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits(s, i)) return false;
  }
  return i == s.size();
}

// std::stod of a number's text; an optional '-' and at most 15 digits are read
// in place (below 2^53: the same double, "-0" too).
double text_number(const std::string& s) {
  const std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  std::size_t i = start;
  if (s.size() - start > 15 || !digits(s, i) || i != s.size()) return std::stod(s);
  std::uint64_t n = 0;
  for (std::size_t k = start; k < i; ++k) n = n * 10 + static_cast<std::uint64_t>(s[k] - '0');
  const double v = static_cast<double>(n);
  return start == 1 ? -v : v;
}

}  // namespace conform::gen
