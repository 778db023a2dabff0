// The values that break one rule of a value (generators/breakers.h): type
// confusions, the near misses of each rule kind, format and pattern near-misses.
#include "generators/breakers.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"
#include "generators/derived.h"

namespace conform::gen {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

namespace {

std::vector<json> format_breakers(const std::string& f) {
  if (f == "ipv4") return {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d"};
  if (f == "cidr") return {"10.0.0.0/33", "10.0.0.0", "10.0.0.256/8"};
  if (f == "base64") return {"abc", "ab!d", "a==="};
  if (f == "HH:mm:ss") return {"24:00:00", "12:60:00", "1:00:00", "12:00"};
  if (f == "HH:mm-HH:mm") return {"24:00-01:00", "00:00", "00:60-01:00"};
  return {"not-a-" + f};
}

// a + b by appending (GCC 12's -Wrestrict misfires on string + temporary).
std::string cat(const std::string& a, const std::string& b) {
  std::string r = a;
  r += b;
  return r;
}

std::string valid_string(const Constraints& c, Rng& rng, std::size_t n) {
  constexpr int kAttempts = 30;
  if (c.format == "base64" && n % 4 != 0) {
    // Base64 text comes in fours: no attempt can pass. Skip the draws they would
    // make (one per character, none when no character is allowed) instead of
    // building the strings (UserData: 30 x 32,769 characters), same Rng after.
    bool draws = c.chars && c.first && !c.chars->ascii.empty() && !c.first->ascii.empty();
    if (draws) rng.skip(static_cast<std::uint64_t>(kAttempts) * n);
    return std::string(n, 'a');
  }
  for (int i = 0; i < kAttempts; ++i) {
    auto s = build_string(c, rng, n, false);
    if (s && satisfies(c, *s)) return *s;
  }
  return std::string(n, 'a');
}

std::size_t mid_length(const Constraints& c) {
  double lo = std::max(c.len_lo.value_or(1), 1.0), hi = c.len_hi.value_or(lo + 8);
  return static_cast<std::size_t>(std::min(hi, lo + 4));
}

json as_slot(const Constraints& c, const std::string& text, bool number) {
  if (c.text || !number) return text;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

}  // namespace

std::vector<json> type_breakers(const spec::Param& p, bool text) {
  if (text) {
    switch (p.type) {
      case ParamType::Integer: return {"abc", "1.5", "2,000", " 5", "99999999999"};
      case ParamType::Long: return {"abc", "1.5", "99999999999999999999"};
      case ParamType::Float:
      case ParamType::Double: return {"abc", "1,5", "0x10"};
      case ParamType::Boolean: return {"yes", "1", "tru"};
      case ParamType::Json:
        if (!p.members.empty()) return {"[]", "{", "1"};
        return {"{", "\"a\"", "[1,2]"};
      default: return {};
    }
  }
  switch (p.type) {
    case ParamType::String: return {123, true};
    case ParamType::Integer:
    case ParamType::Long: return {"5", 1.5, true};
    case ParamType::Float:
    case ParamType::Double: return {"1.5", true};
    case ParamType::Boolean: return {"true", 1};
    case ParamType::Array: return {"a", json::object()};
    case ParamType::Object: return {"a", json::array({1})};
    case ParamType::Json: return p.members.empty() ? std::vector<json>{} : std::vector<json>{"a", json::array()};
  }
  return {};
}

std::vector<json> value_breakers(const Env& env, const spec::Rule& r, const Constraints& c, Rng& rng) {
  std::vector<json> out;
  const spec::Param& p = *c.param;
  bool number = p.type == ParamType::Integer || p.type == ParamType::Long || p.type == ParamType::Float || p.type == ParamType::Double;
  switch (r.kind) {
    case RuleKind::length: {
      Constraints loose = c;
      loose.len_lo.reset(), loose.len_hi.reset();
      if (r.max && c.format == "base64") out.push_back(std::string(static_cast<std::size_t>(*r.max) + 4, 'A'));
      if (r.max) out.push_back(valid_string(loose, rng, static_cast<std::size_t>(*r.max) + 1));
      if (r.min && *r.min >= 1) out.push_back(valid_string(loose, rng, static_cast<std::size_t>(*r.min) - 1));
      if (r.max && r.unit == spec::LengthUnit::chars) {  // code points, not bytes: max+1 of them, multi-byte
        auto s = build_string(loose, rng, static_cast<std::size_t>(*r.max) + 1, true);
        if (s) out.push_back(*s);
      }
      break;
    }
    case RuleKind::range:
    case RuleKind::range_if: {
      bool integer = p.type != ParamType::Float && p.type != ParamType::Double;
      auto num = [&](double x) {
        std::string t = integer ? std::to_string(static_cast<long long>(x)) : std::to_string(x);
        return p.type == ParamType::Array ? json::array({static_cast<long long>(x)}) : as_slot(c, t, true);
      };
      double step = integer ? 1 : 0.01;
      if (r.max) out.push_back(num(*r.max + step));
      if (r.min) out.push_back(num(*r.min - step));
      break;
    }
    case RuleKind::enumeration:
    case RuleKind::enum_if:
      for (const spec::Rule& other : env.spec.rules) {  // values another rule allows: 128 for a single node
        if (!other.params.empty() && other.params[0] == r.params[0] && &other != &r) {
          for (const auto& v : other.values) out.push_back(as_slot(c, v, number));
        }
      }
      for (const std::string& v : r.values) {
        if (number) {
          out.push_back(as_slot(c, std::to_string(std::atoll(v.c_str()) + 1), true));
          continue;
        }
        std::string lower = text::to_lower(v), upper = v;
        for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        std::string last = v.empty() ? "x" : v.substr(0, v.size() - 1);
        if (!v.empty()) last += v.back() == '1' ? '2' : '1';
        for (const std::string& s : {lower, upper, cat(v, " "), cat(" ", v), cat(v, "x"), last}) out.push_back(s);
      }
      out.push_back(number ? as_slot(c, "1000003", true) : json("x"));
      break;
    case RuleKind::charset: {
      std::string good = valid_string(c, rng, std::max<std::size_t>(mid_length(c), 3));
      for (const std::string& bad : universe()) {
        if (in_class(r.charset, bad)) continue;
        std::size_t cut = good.size() / 2;
        for (const std::string& s : {cat(cat(good.substr(0, cut), bad), good.substr(cut)), cat(good, bad), cat(bad, good.substr(1))}) out.push_back(s);
        if (out.size() > 40) break;
      }
      break;
    }
    case RuleKind::first_char: {
      std::string good = valid_string(c, rng, std::max<std::size_t>(mid_length(c), 2));
      for (const std::string& ch : universe()) {
        if (!in_class(r.charset, ch)) out.push_back(cat(ch, good.substr(1)));
      }
      break;
    }
    case RuleKind::forbidden_prefix:
    case RuleKind::forbidden_suffix:
    case RuleKind::forbidden_substring: {
      std::string good = valid_string(c, rng, mid_length(c));
      for (const std::string& v : r.values) {
        if (r.kind == RuleKind::forbidden_prefix) out.push_back(cat(v, good));
        if (r.kind == RuleKind::forbidden_suffix) out.push_back(good + v);
        if (r.kind == RuleKind::forbidden_substring) out.push_back(cat(cat(good.substr(0, 1), v), good.substr(1)));
      }
      break;
    }
    case RuleKind::char_classes:
      // The edge first: exactly one type short of the minimum ("at least three
      // of" gets values of two types, each window of min - 1 types in turn),
      // which a service that counts one type too few accepts; then one type alone.
      if (r.min && *r.min >= 3 && r.values.size() >= static_cast<std::size_t>(*r.min)) {
        const std::size_t k = static_cast<std::size_t>(*r.min) - 1, n = r.values.size();
        const std::size_t len = static_cast<std::size_t>(c.len_lo.value_or(8)) + 1;
        for (std::size_t i = 0; i < n; ++i) {
          std::string v;
          std::vector<std::string> pool;
          for (std::size_t j = 0; j < k; ++j) {
            const std::vector<std::string>& m = chars_of(r.values[(i + j) % n])->ascii;
            if (m.empty()) continue;
            v += rng.pick(m);
            pool.insert(pool.end(), m.begin(), m.end());
          }
          if (pool.empty()) continue;
          while (v.size() < len) v += rng.pick(pool);
          out.push_back(v);
        }
      }
      for (const std::string& cls : r.values) {
        Constraints one = c;
        one.chars = chars_of(cls), one.first = chars_of(cls);
        out.push_back(valid_string(one, rng, static_cast<std::size_t>(c.len_lo.value_or(8)) + 1));
      }
      break;
    case RuleKind::pattern: {
      // Heuristic near-misses first, as a service that gets a range or an anchor
      // slightly wrong accepts them: the "high" extreme (the last alternative, class
      // member and repeat count: "GMT-12:00") with its last digit one up
      // ("GMT-12:01"); a sample with a character after it (a search, not a whole
      // match); a sample with a digit left out ("GMT+8:35"); the "low" extreme with a
      // digit one down; the high one with its other digits one up ("GMT-12:10",
      // "GMT-13:00"); the extremes with their last character doubled or dropped. Then
      // values nothing like it, of a length the other rules take. Candidates that
      // still match, or that are not UTF-8, are dropped (here and in find_fit).
      const std::string good = sample_pattern(r.pattern, rng);
      const std::string high = extreme_pattern(r.pattern, true), low = extreme_pattern(r.pattern, false);
      auto bumped = [](const std::string& v, int step) {
        std::vector<std::string> o;
        int digits = 0;
        for (std::size_t i = v.size(); i-- > 0 && digits < 6;) {
          const int d = v[i] - '0' + step;
          if (v[i] < '0' || v[i] > '9') continue;
          ++digits;
          if (d < 0 || d > 9) continue;
          o.push_back(v);
          o.back()[i] = static_cast<char>('0' + d);
        }
        return o;
      };
      const std::vector<std::string> up = bumped(high, 1), down = bumped(low, -1);
      std::vector<std::string> near;
      if (!up.empty()) near.push_back(up.front());
      near.push_back(good + "!");
      for (std::size_t i = 0; i + 1 < good.size(); ++i) {
        if (good[i] >= '0' && good[i] <= '9' && good[i + 1] >= '0' && good[i + 1] <= '9') {
          near.push_back(cat(good.substr(0, i), good.substr(i + 1)));
          break;
        }
      }
      near.insert(near.end(), down.begin(), down.end());
      near.insert(near.end(), up.begin() + (up.empty() ? 0 : 1), up.end());
      if (!high.empty()) near.push_back(high + high.back());
      if (!low.empty()) near.push_back(low.substr(0, low.size() - 1));
      if (good.size() > 1) near.push_back(good.substr(1));
      for (std::string& v : near) {
        if (text::valid_utf8(v)) out.push_back(std::move(v));
      }
      const std::string plain = valid_string(c, rng, mid_length(c));
      out.push_back(std::string(plain.size(), '1'));
      out.push_back(plain + "!");
      out.push_back("x");
      break;
    }
    case RuleKind::format: out = format_breakers(r.format); break;
    case RuleKind::items: {
      auto list = [&](double n) {
        json a = json::array();
        bool object = p.type == ParamType::Object;
        json o = json::object();
        for (int i = 0; i < static_cast<int>(n); ++i) {
          if (object) o[cat("k", std::to_string(i))] = "v";
          else a.push_back(std::to_string(100000 + i));
        }
        json v = object ? o : a;
        return c.text ? json(v.dump()) : v;
      };
      if (r.max) out.push_back(list(*r.max + 1));
      if (r.min && *r.min >= 1) out.push_back(list(*r.min - 1));
      break;
    }
    default: break;
  }
  return out;
}

}  // namespace conform::gen
