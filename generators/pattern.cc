// Strings that match a regular expression of the simple kind docs give
// ("GMT[+-](0[0-9]|1[0-2]):00", ".*[^0-9].*"): literals, classes, groups with
// alternatives, and the quantifiers ? * + {m} {m,n}.
#include <string>

#include "generators/values.h"

namespace conform::gen {
namespace {

struct Sampler {
  const std::string& s;
  Rng& rng;
  int depth = 0;

  std::string alternatives(std::size_t& i) {
    std::vector<std::string> options{sequence(i)};
    while (i < s.size() && s[i] == '|') options.push_back(sequence(++i));
    return rng.pick(options);
  }

  std::string sequence(std::size_t& i) {
    std::string out;
    while (i < s.size() && s[i] != '|' && s[i] != ')') {
      std::size_t start = i;
      std::string piece = atom(i);
      std::size_t after = i;
      auto [lo, hi] = quantifier(i);
      long long n = rng.between(lo, hi);
      for (long long k = 0; k < n; ++k) {
        std::size_t again = start;
        out += k == 0 ? piece : atom(again);
      }
      if (n == 0) (void)after;
    }
    return out;
  }

  std::pair<long long, long long> quantifier(std::size_t& i) {
    if (i >= s.size()) return {1, 1};
    if (s[i] == '?') return ++i, std::pair<long long, long long>{0, 1};
    if (s[i] == '*') return ++i, std::pair<long long, long long>{0, 3};
    if (s[i] == '+') return ++i, std::pair<long long, long long>{1, 3};
    if (s[i] == '{') {
      std::size_t close = s.find('}', i);
      if (close == std::string::npos) return {1, 1};
      std::string body = s.substr(i + 1, close - i - 1);
      i = close + 1;
      std::size_t comma = body.find(',');
      long long lo = std::atoll(body.substr(0, comma).c_str());
      long long hi = comma == std::string::npos ? lo : (comma + 1 < body.size() ? std::atoll(body.substr(comma + 1).c_str()) : lo + 3);
      return {lo, hi};
    }
    return {1, 1};
  }

  std::string atom(std::size_t& i) {
    char c = s[i++];
    if (c == '(') {
      if (s.compare(i, 2, "?:") == 0) i += 2;
      std::string inner = ++depth < 20 ? alternatives(i) : "";
      --depth;
      if (i < s.size() && s[i] == ')') ++i;
      return inner;
    }
    if (c == '[') {
      std::size_t close = i;
      if (close < s.size() && s[close] == '^') ++close;
      if (close < s.size() && s[close] == ']') ++close;
      while (close < s.size() && s[close] != ']') close += s[close] == '\\' ? 2 : 1;
      std::string body = s.substr(i, close - i);
      i = std::min(close + 1, s.size());
      const auto& members = members_of(body);
      return members.empty() ? "" : rng.pick(members);
    }
    if (c == '.') return std::string(1, static_cast<char>('a' + rng.below(26)));
    if (c == '^' || c == '$') return "";
    if (c == '\\' && i < s.size()) {
      char e = s[i++];
      if (e == 'd') return std::string(1, static_cast<char>('0' + rng.below(10)));
      if (e == 'w') return std::string(1, static_cast<char>('a' + rng.below(26)));
      if (e == 's') return " ";
      return std::string(1, e);
    }
    return std::string(1, c);
  }
};

}  // namespace

std::string sample_pattern(const std::string& pattern, Rng& rng) {
  Sampler sampler{pattern, rng};
  std::size_t i = 0;
  return sampler.alternatives(i);
}

}  // namespace conform::gen
