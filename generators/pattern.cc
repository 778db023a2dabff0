// Strings that match a regular expression of the simple kind docs give
// ("GMT[+-](0[0-9]|1[0-2]):00", ".*[^0-9].*"): literals, classes, groups with
// alternatives, and the quantifiers ? * + {m} {m,n}.
#include <algorithm>
#include <string>

#include "generators/values.h"

namespace conform::gen {
namespace {

// kRandom draws from the Rng; kLow and kHigh take the first or the last of every
// choice (alternative, class member, repeat count) and draw nothing.
enum class Pick { kRandom, kLow, kHigh };

struct Sampler {
  const std::string& s;
  Rng& rng;
  Pick how = Pick::kRandom;
  int depth = 0;

  template <class T>
  const T& choose(const std::vector<T>& v) {
    if (how == Pick::kLow) return v.front();
    if (how == Pick::kHigh) return v.back();
    return rng.pick(v);
  }
  long long count(long long lo, long long hi) {
    if (how == Pick::kLow) return lo;
    if (how == Pick::kHigh) return std::min(hi, lo + 8);  // {1,100000}: not 100,000 characters
    return rng.between(lo, hi);
  }
  char letter() { return how == Pick::kRandom ? static_cast<char>('a' + rng.below(26)) : how == Pick::kLow ? 'a' : 'z'; }
  char digit() { return how == Pick::kRandom ? static_cast<char>('0' + rng.below(10)) : how == Pick::kLow ? '0' : '9'; }

  std::string alternatives(std::size_t& i) {
    std::vector<std::string> options{sequence(i)};
    while (i < s.size() && s[i] == '|') options.push_back(sequence(++i));
    return choose(options);
  }

  std::string sequence(std::size_t& i) {
    std::string out;
    while (i < s.size() && s[i] != '|' && s[i] != ')') {
      std::size_t start = i;
      std::string piece = atom(i);
      std::size_t after = i;
      auto [lo, hi] = quantifier(i);
      long long n = count(lo, hi);
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
      return members.empty() ? "" : choose(members);
    }
    if (c == '.') return std::string(1, letter());
    if (c == '^' || c == '$') return "";
    if (c == '\\' && i < s.size()) {
      char e = s[i++];
      if (e == 'd') return std::string(1, digit());
      if (e == 'w') return std::string(1, letter());
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

std::string extreme_pattern(const std::string& pattern, bool high) {
  Rng unused(0);
  Sampler sampler{pattern, unused, high ? Pick::kHigh : Pick::kLow};
  std::size_t i = 0;
  return sampler.alternatives(i);
}

}  // namespace conform::gen
