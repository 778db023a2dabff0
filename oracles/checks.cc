#include "oracles/checks.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <set>
#include <string>

#include "core/text.h"

namespace conform::oracle {
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<json> parse_json_text(std::string_view s) {
  json j = parse_json_value(s);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool json_integer_in(const json& j, long long lo, long long hi) {
  if (j.is_number_unsigned()) return j.get<unsigned long long>() <= static_cast<unsigned long long>(hi);
  if (j.is_number_integer()) {
    long long v = j.get<long long>();
    return v >= lo && v <= hi;
  }
  return false;
}

bool json_of_type(const json& j, ParamType t, const spec::Param* p, bool list);

bool items_of_type(const json& j, const spec::Param& p) {
  if (!j.is_array()) return false;
  if (!p.item_type) return true;
  for (const json& e : j) {
    if (!json_of_type(e, *p.item_type, nullptr, false)) return false;
  }
  return true;
}

// `list`: p carries a list of strings (PathRef::top_list, decisions.md section 2).
bool json_of_type(const json& j, ParamType t, const spec::Param* p, bool list) {
  constexpr long long i32min = std::numeric_limits<int>::min(), i32max = std::numeric_limits<int>::max();
  constexpr long long i64min = std::numeric_limits<long long>::min(),
                      i64max = std::numeric_limits<long long>::max();
  switch (t) {
    case ParamType::String: return j.is_string();
    case ParamType::Integer: return json_integer_in(j, i32min, i32max);
    case ParamType::Long: return json_integer_in(j, i64min, i64max);
    case ParamType::Float:
    case ParamType::Double: return j.is_number();
    case ParamType::Boolean: return j.is_boolean();
    case ParamType::Array: return p ? items_of_type(j, *p) : j.is_array();
    case ParamType::Object: return j.is_object();
    case ParamType::Json:
      if (p && !p->members.empty()) return j.is_object();
      if (p && list) {
        if (!j.is_array()) return false;
        for (const json& e : j) {
          if (!e.is_string()) return false;
        }
      }
      return true;
  }
  return false;
}

bool text_of_type(std::string_view s, const spec::Param& p, bool list) {
  switch (p.type) {
    case ParamType::String: return true;
    case ParamType::Integer: {
      auto n = parse_number(s, true);
      return n && *n >= std::numeric_limits<int>::min() && *n <= std::numeric_limits<int>::max();
    }
    case ParamType::Long: {
      long long v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      return parse_number(s, true) && ec == std::errc() && end == s.data() + s.size();
    }
    case ParamType::Float:
    case ParamType::Double: return parse_number(s, false).has_value();
    case ParamType::Boolean: return text::equals_ci(s, "true") || text::equals_ci(s, "false");
    case ParamType::Json:
    case ParamType::Array:
    case ParamType::Object: {
      auto j = parse_json_text(s);
      return j && json_of_type(*j, p.type, &p, list);
    }
  }
  return false;
}

bool format_ok(const std::string& format, std::string_view s) {
  auto two = [&](std::size_t at, int max) {
    return at + 2 <= s.size() && digits(s.substr(at, 2)) && std::stoi(std::string(s.substr(at, 2))) <= max;
  };
  if (format == "ipv4") return valid_ipv4(s);
  if (format == "cidr") {
    std::size_t slash = s.find('/');
    if (slash == std::string_view::npos || !valid_ipv4(s.substr(0, slash))) return false;
    std::string_view bits = s.substr(slash + 1);
    return digits(bits) && bits.size() <= 2 && std::stoi(std::string(bits)) <= 32 && (bits.size() == 1 || bits[0] != '0');
  }
  if (format == "base64") {
    // Alphabet characters, then at most two '=' (UserData is kilobytes: one
    // table load per character).
    static constexpr std::array<bool, 256> kAlphabet = [] {
      std::array<bool, 256> t{};
      for (int c = 0; c < 256; ++c) {
        t[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                         c == '+' || c == '/';
      }
      return t;
    }();
    if (s.size() % 4 != 0) return false;
    const std::size_t body = std::min(s.find('='), s.size());
    for (std::size_t i = 0; i < body; ++i) {
      if (!kAlphabet[static_cast<unsigned char>(s[i])]) return false;
    }
    for (std::size_t i = body; i < s.size(); ++i) {
      if (s[i] != '=') return false;
    }
    return s.size() - body <= 2;
  }
  if (format == "HH:mm:ss") return s.size() == 8 && two(0, 23) && s[2] == ':' && two(3, 59) && s[5] == ':' && two(6, 59);
  if (format == "HH:mm-HH:mm") {
    return s.size() == 11 && two(0, 23) && s[2] == ':' && two(3, 59) && s[5] == '-' && two(6, 23) && s[8] == ':' &&
           two(9, 59);
  }
  if (format == "json") return parse_json_text(s).has_value();
  return true;  // a format this oracle does not know constrains nothing it can check
}

bool starts(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }
bool ends(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::optional<std::size_t> count_items(const Value& v) {
  if (!v.text) {
    if (v.j->is_array() || v.j->is_object()) return v.j->size();
    return std::nullopt;
  }
  auto j = parse_json_text(v.s);
  if (j && (j->is_array() || j->is_object())) return j->size();
  return std::nullopt;
}

template <class Ok>  // a lambda, called directly (no std::function per value rule)
bool each_element(const Value& v, const Ok& ok) {
  if (!v.text && v.j->is_array()) {
    for (const json& e : *v.j) {
      if (!ok(Value{false, {}, &e})) return false;
    }
    return true;
  }
  return ok(v);
}

// RE2's view of a string_view (this RE2's StringPiece takes no string_view).
re2::StringPiece piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

bool text_rule_ok(const CompiledRule& cr, std::string_view s) {
  const spec::Rule& r = *cr.rule;
  switch (r.kind) {
    case RuleKind::length: {
      double n = r.unit == spec::LengthUnit::bytes ? s.size() : text::utf8_length(s);
      return in_range(n, r);
    }
    case RuleKind::charset: return RE2::FullMatch(piece(s), *cr.re);
    case RuleKind::first_char: return s.empty() || RE2::PartialMatch(piece(s), *cr.re);
    case RuleKind::pattern: return RE2::FullMatch(piece(s), *cr.re);
    case RuleKind::forbidden_prefix:
      for (const auto& p : r.values) {
        if (starts(s, p)) return false;
      }
      return true;
    case RuleKind::forbidden_suffix:
      for (const auto& p : r.values) {
        if (ends(s, p)) return false;
      }
      return true;
    case RuleKind::forbidden_substring:
      for (const auto& p : r.values) {
        if (!p.empty() && s.find(p) != std::string_view::npos) return false;
      }
      return true;
    case RuleKind::char_classes: {
      double hit = 0;
      for (const auto& re : cr.classes) hit += RE2::PartialMatch(piece(s), *re) ? 1 : 0;
      return !r.min || hit >= *r.min;
    }
    case RuleKind::format: return format_ok(r.format, s);
    default: return true;
  }
}

}  // namespace

std::optional<double> parse_number(std::string_view s, bool integer_only) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_start) return std::nullopt;
  if (i == s.size() && i - int_start <= 15) {
    // Digits alone, at most 15: below 2^53, so the integer is exactly the double
    // strtod would return ("-0" too: -0.0), without a copy and a strtod.
    std::uint64_t n = 0;
    for (std::size_t k = int_start; k < i; ++k) n = n * 10 + static_cast<std::uint64_t>(s[k] - '0');
    const double v = static_cast<double>(n);
    return int_start == 1 ? -v : v;
  }
  if (!integer_only) {
    if (i < s.size() && s[i] == '.') {
      std::size_t f = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == f) return std::nullopt;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      std::size_t e = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == e) return std::nullopt;
    }
  }
  if (i != s.size()) return std::nullopt;
  double v = std::strtod(std::string(s).c_str(), nullptr);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    // decisions.md: no leading zeros ("010" would be read as octal by some stacks).
    if (!digits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0') || std::stoi(std::string(part)) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr) {
  auto to_u32 = [](std::string_view a) {
    unsigned long v = 0;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      std::size_t dot = a.find('.', start);
      v = (v << 8) | std::stoul(std::string(a.substr(start, dot - start)));
      start = dot + 1;
    }
    return v;
  };
  std::size_t slash = cidr.find('/');
  if (!valid_ipv4(ip) || slash == std::string_view::npos || !format_ok("cidr", cidr)) return false;
  int bits = std::stoi(std::string(cidr.substr(slash + 1)));
  unsigned long mask = bits == 0 ? 0 : (0xFFFFFFFFul << (32 - bits)) & 0xFFFFFFFFul;
  return (to_u32(ip) & mask) == (to_u32(cidr.substr(0, slash)) & mask);
}

std::optional<double> attr_number(std::string_view s) {
  if (s.size() >= 10 && digits(s.substr(0, 4)) && s[4] == '-' && digits(s.substr(5, 2)) && s[7] == '-' &&
      digits(s.substr(8, 2))) {
    return std::stod(std::string(s.substr(0, 4)) + std::string(s.substr(5, 2)) + std::string(s.substr(8, 2)));
  }
  return parse_number(s, false);
}

bool in_range(double x, const spec::Rule& r) { return !(r.min && x < *r.min) && !(r.max && x > *r.max); }

std::optional<double> number_of(const Value& v, ParamType t) {
  bool integer = t == ParamType::Integer || t == ParamType::Long;
  if (v.text) return parse_number(v.s, integer);
  if (!v.j->is_number()) return std::nullopt;
  if (integer && v.j->is_number_float()) return std::nullopt;
  return v.j->get<double>();
}

bool type_ok(const spec::Param& p, bool list, const Value& v) {
  if (v.text) return text_of_type(v.s, p, list);
  return json_of_type(*v.j, p.type, &p, list);
}

bool value_ok(const CompiledRule& cr, const spec::Param* leaf, const Value& v) {
  const spec::Rule& r = *cr.rule;
  if (!cr.regex_ok) return true;  // the validator keeps these out; never a false alarm
  switch (r.kind) {
    case RuleKind::items: {
      auto n = count_items(v);
      return !n || in_range(static_cast<double>(*n), r);  // not a list: the type rule's business
    }
    case RuleKind::range:
    case RuleKind::range_if: {
      ParamType t = leaf ? (leaf->type == ParamType::Array && leaf->item_type ? *leaf->item_type : leaf->type)
                         : ParamType::Float;
      return each_element(v, [&](const Value& e) {
        auto n = number_of(e, t);
        return n && in_range(*n, r);
      });
    }
    case RuleKind::enumeration:
    case RuleKind::enum_if:
      return each_element(v, [&](const Value& e) {
        auto one_of = [&](std::string_view s) {
          for (const std::string& allowed : r.values) {
            if (s == allowed || (r.case_insensitive && text::equals_ci(s, allowed))) return true;
          }
          return false;
        };
        // value_text(e), without its copy where e is text already
        if (e.text) return one_of(e.s);
        if (e.j->is_string()) return one_of(e.j->get_ref<const std::string&>());
        return one_of(value_text(e));
      });
    default: {
      // The string a text rule reads: a JSON non-string by its JSON text
      // (decisions.md section 2); value_text(v), without its copy where v is text.
      if (v.text) return text_rule_ok(cr, v.s);
      if (v.j->is_string()) return text_rule_ok(cr, v.j->get_ref<const std::string&>());
      return text_rule_ok(cr, value_text(v));
    }
  }
}

}  // namespace conform::oracle
