#include "emulator/values.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/text.h"

namespace conform::emulator {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view s) {
  std::uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    auto dot = s.find('.');
    std::string_view p = part < 3 ? s.substr(0, dot) : s;
    if ((part < 3 && dot == std::string_view::npos) || !all_digits(p) || p.size() > 3) return std::nullopt;
    if (p.size() > 1 && p[0] == '0') return std::nullopt;  // "01" is not a dotted-quad part
    int v = 0;
    std::from_chars(p.data(), p.data() + p.size(), v);
    if (v > 255) return std::nullopt;
    out = (out << 8) | static_cast<std::uint32_t>(v);
    if (part < 3) s.remove_prefix(dot + 1);
  }
  return out;
}

bool two_digits(std::string_view s, int max) {
  return s.size() == 2 && all_digits(s) && (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

bool hh_mm(std::string_view s) { return s.size() == 5 && s[2] == ':' && two_digits(s.substr(0, 2), 23) && two_digits(s.substr(3), 59); }

bool base64_ok(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      ++pad;
      continue;
    }
    if (!alpha || pad > 0) return false;
  }
  return pad <= 2;
}

bool json_integer_ok(const nlohmann::json& j, bool wide) {
  if (j.is_number_unsigned())
    return j.get<unsigned long long>() <= static_cast<unsigned long long>(wide ? std::numeric_limits<long long>::max()
                                                                               : std::numeric_limits<int>::max());
  if (!j.is_number_integer()) return false;
  long long v = j.get<long long>();
  return wide || (v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max());
}

bool json_type_ok(const nlohmann::json& j, spec::ParamType type, std::optional<spec::ParamType> item,
                  bool has_members) {
  using T = spec::ParamType;
  switch (type) {
    case T::String: return j.is_string();
    case T::Integer: return json_integer_ok(j, false);
    case T::Long: return json_integer_ok(j, true);
    case T::Float:
    case T::Double: return j.is_number();
    case T::Boolean: return j.is_boolean();
    case T::Object: return j.is_object();
    case T::Json: return !has_members || j.is_object();
    case T::Array:
      if (!j.is_array()) return false;
      if (item)
        for (const auto& e : j)
          if (!json_type_ok(e, *item, std::nullopt, false)) return false;
      return true;
  }
  return true;
}

}  // namespace

std::optional<long long> parse_query_integer(std::string_view s, bool wide) {
  std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
  if (!all_digits(digits)) return std::nullopt;
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  if (!wide && (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())) return std::nullopt;
  return v;
}

namespace {

// A decimal number as JSON writes one (decisions.md section 2): an optional '-',
// digits, then optionally '.' and digits and an exponent; "9.", ".5", "+1", "1,5"
// and "inf" are no numbers.
bool json_number_syntax(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

std::optional<double> parse_query_float(std::string_view s) {
  if (!json_number_syntax(s)) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> parse_query_bool(std::string_view s) {
  if (text::equals_ci(s, "true")) return true;
  if (text::equals_ci(s, "false")) return false;
  return std::nullopt;
}

bool type_ok(const Value& v, spec::ParamType type, std::optional<spec::ParamType> item, bool list,
             bool has_members) {
  using T = spec::ParamType;
  if (!v.present) return true;
  if (v.from_json) return json_type_ok(*v.json, type, item, has_members);
  switch (type) {
    case T::Integer: return parse_query_integer(v.text, false).has_value();
    case T::Long: return parse_query_integer(v.text, true).has_value();
    case T::Float:
    case T::Double: return parse_query_float(v.text).has_value();
    case T::Boolean: return parse_query_bool(v.text).has_value();
    case T::Json: {
      if (!v.json) return false;  // did not parse
      if (list) {
        if (!v.json->is_array()) return false;
        for (const auto& e : *v.json)
          if (!e.is_string()) return false;
        return true;
      }
      return !has_members || v.json->is_object();
    }
    default: return true;
  }
}

std::optional<double> number_of(const Value& v) {
  if (!v.present) return std::nullopt;
  if (v.from_json) return v.json->is_number() ? std::optional<double>(v.json->get<double>()) : std::nullopt;
  return parse_query_float(v.text);
}

const nlohmann::json* array_of(const Value& v) {
  if (!v.present || !v.json || !v.json->is_array()) return nullptr;
  return v.json;
}

std::optional<std::size_t> item_count(const Value& v) {
  if (!v.present || !v.json) return std::nullopt;
  if (v.json->is_array() || v.json->is_object()) return v.json->size();
  return std::nullopt;
}

std::size_t length_of(std::string_view s, spec::LengthUnit unit) {
  return unit == spec::LengthUnit::bytes ? s.size() : text::utf8_length(s);
}

bool format_ok(std::string_view format, std::string_view s) {
  if (format == "ipv4") return parse_ipv4(s).has_value();
  if (format == "cidr") {
    auto slash = s.find('/');
    if (slash == std::string_view::npos) return false;
    auto bits = s.substr(slash + 1);
    if (!all_digits(bits) || bits.size() > 2 || (bits.size() == 2 && bits[0] == '0')) return false;
    return parse_ipv4(s.substr(0, slash)) && std::stoi(std::string(bits)) <= 32;
  }
  if (format == "base64") return base64_ok(s);
  if (format == "HH:mm:ss")
    return s.size() == 8 && s[5] == ':' && hh_mm(s.substr(0, 5)) && two_digits(s.substr(6), 59);
  if (format == "HH:mm-HH:mm") return s.size() == 11 && s[5] == '-' && hh_mm(s.substr(0, 5)) && hh_mm(s.substr(6));
  return true;
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr) {
  auto addr = parse_ipv4(ip);
  auto slash = cidr.find('/');
  if (!addr || slash == std::string_view::npos || !format_ok("cidr", cidr)) return false;
  auto net = parse_ipv4(cidr.substr(0, slash));
  int bits = std::stoi(std::string(cidr.substr(slash + 1)));
  std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (*addr & mask) == (*net & mask);
}

}  // namespace conform::emulator
