#include "generators/values.h"

#include <string_view>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <map>
#include <set>

#include <re2/re2.h>

#include "core/text.h"
#include "generators/value_syntax.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

const std::string* str_of(const json& v) { return v.is_string() ? &v.get_ref<const std::string&>() : nullptr; }

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::optional<double> num_of(const json& v, const Constraints& c) {
  ParamType t = c.param ? c.param->type : ParamType::Float;
  if (t == ParamType::Array && c.param->item_type) t = *c.param->item_type;
  bool integer = t == ParamType::Integer || t == ParamType::Long;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!(integer ? integer_text(s) : decimal_text(s))) return std::nullopt;
    return text_number(s);
  }
  if (!v.is_number() || (integer && v.is_number_float())) return std::nullopt;
  return v.get<double>();
}

bool json_list(const spec::Param& p) {
  return p.example && !text::trim(*p.example).empty() && text::trim(*p.example)[0] == '[';
}

bool type_ok(const Constraints& c, const json& v) {
  const spec::Param& p = *c.param;
  if (c.text) {
    if (!v.is_string()) return true;  // numbers rendered as text are fine
    const std::string& s = v.get_ref<const std::string&>();
    switch (p.type) {
      case ParamType::Integer: return integer_text(s, 9);
      case ParamType::Long: return integer_text(s, 18);
      case ParamType::Float:
      case ParamType::Double: return num_of(v, c).has_value();
      case ParamType::Boolean: return text::equals_ci(s, "true") || text::equals_ci(s, "false");
      case ParamType::Json: {
        json j = json::parse(s, nullptr, false);
        if (j.is_discarded()) return false;
        if (!p.members.empty()) return j.is_object();
        if (json_list(p)) return j.is_array() && std::all_of(j.begin(), j.end(), [](const json& e) { return e.is_string(); });
        return true;
      }
      default: return true;
    }
  }
  switch (p.type) {
    case ParamType::String: return v.is_string();
    case ParamType::Integer: return v.is_number_integer() && std::abs(v.get<double>()) < 2147483647.0;
    case ParamType::Long: return v.is_number_integer();
    case ParamType::Float:
    case ParamType::Double: return v.is_number();
    case ParamType::Boolean: return v.is_boolean();
    case ParamType::Array: return v.is_array();
    case ParamType::Object: return v.is_object();
    case ParamType::Json: return p.members.empty() || v.is_object();
  }
  return true;
}

template <typename F>
bool each(const json& v, const F& f) {
  if (v.is_array()) return std::all_of(v.begin(), v.end(), f);
  return f(v);
}

double length_of(const std::string& s, const spec::Rule& r) {
  return r.unit == spec::LengthUnit::bytes ? s.size() : text::utf8_length(s);
}

bool within(double x, std::optional<double> lo, std::optional<double> hi) { return !(lo && x < *lo) && !(hi && x > *hi); }

std::optional<std::size_t> items_of(const json& v) {
  if (v.is_array() || v.is_object()) return v.size();
  if (v.is_string()) {
    json j = json::parse(v.get<std::string>(), nullptr, false);
    if (j.is_array() || j.is_object()) return j.size();
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& universe() {
  static const std::vector<std::string> u = [] {
    std::vector<std::string> out;
    for (int ch = 0x20; ch < 0x7F; ++ch) out.emplace_back(1, static_cast<char>(ch));
    for (const char* mb : {"\xC3\xA9", "\xE4\xB8\xAD", "\xE2\x80\xB2", "\xF0\x9F\x98\x80"}) out.emplace_back(mb);
    return out;
  }();
  return u;
}

const std::vector<std::string>& members_of(const std::string& cls) { return chars_of(cls)->all; }

CharsRef make_chars(std::vector<std::string> chars) {
  auto out = std::make_shared<Chars>();
  for (const std::string& ch : chars) {
    if (ch.size() == 1) out->ascii.push_back(ch);
  }
  out->all = std::move(chars);
  return out;
}

namespace {

// An RE2 class body, and which ASCII characters it holds, so that the common
// checks (ASCII values) look at a table instead of running RE2.
struct CharClass {
  const RE2* star = nullptr;  // [cls]*
  const RE2* first = nullptr;  // ^[cls]
  const RE2* any = nullptr;  // [cls]
  bool ok = false;  // RE2 accepts the class
  std::array<bool, 128> ascii{};
};

const CharClass& char_class_of(const std::string& cls) {
  thread_local std::unordered_map<std::string, CharClass> cache;
  // The classes asked for lately, by the address of the caller's string (a
  // rule's charset, asked for at every check), confirmed by its text: hashing
  // the text for the map cost more than the check.
  struct Recent {
    const std::string* at = nullptr;
    const std::pair<const std::string, CharClass>* found = nullptr;
  };
  thread_local std::array<Recent, 16> recent{};
  Recent& r = recent[(reinterpret_cast<std::uintptr_t>(&cls) >> 4) % recent.size()];
  if (r.at == &cls && r.found->first == cls) return r.found->second;
  auto it = cache.find(cls);
  if (it != cache.end()) {
    r = {&cls, &*it};
    return it->second;
  }
  CharClass k;
  k.star = &regex("[" + cls + "]*");
  k.first = &regex("^[" + cls + "]");
  k.any = &regex("[" + cls + "]");
  k.ok = k.star->ok() && k.first->ok() && k.any->ok();
  for (int ch = 0; ch < 128; ++ch) k.ascii[static_cast<std::size_t>(ch)] = k.ok && RE2::FullMatch(std::string(1, static_cast<char>(ch)), *k.star);
  return cache.emplace(cls, k).first->second;
}

bool all_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

bool first_in_class(const std::string& cls, const std::string& s) {
  const CharClass& k = char_class_of(cls);
  if (!k.ok) return false;
  unsigned char c0 = static_cast<unsigned char>(s[0]);
  return c0 < 0x80 ? k.ascii[c0] : RE2::PartialMatch(s, *k.first);
}

bool any_in_class(const std::string& cls, const std::string& s) {
  const CharClass& k = char_class_of(cls);
  if (!k.ok) return false;
  if (!all_ascii(s)) return RE2::PartialMatch(s, *k.any);
  return std::any_of(s.begin(), s.end(), [&](char ch) { return k.ascii[static_cast<unsigned char>(ch)]; });
}

}  // namespace

const CharsRef& chars_of(const std::string& cls) {
  thread_local std::unordered_map<std::string, CharsRef> cache;
  auto it = cache.find(cls);
  if (it != cache.end()) return it->second;
  std::vector<std::string> out;
  for (const std::string& ch : universe()) {
    if (in_class(cls, ch)) out.push_back(ch);
  }
  return cache.emplace(cls, make_chars(std::move(out))).first->second;
}

bool in_class(const std::string& cls, const std::string& s) {
  const CharClass& k = char_class_of(cls);
  if (!k.ok) return false;
  if (!all_ascii(s)) return RE2::FullMatch(s, *k.star);
  return std::all_of(s.begin(), s.end(), [&](char ch) { return k.ascii[static_cast<unsigned char>(ch)]; });
}

bool is_text_slot(const Env& env, std::string_view path) {
  const spec::Param* top = top_param(env, path);
  return top && top->in != spec::Location::body && top->name == path;
}

bool rule_ok(const spec::Rule& r, const Constraints& c, const json& v) {
  const std::string* s = str_of(v);
  switch (r.kind) {
    case RuleKind::type: return type_ok(c, v);
    case RuleKind::length: return s && within(length_of(*s, r), r.min, r.max);
    case RuleKind::range:
    case RuleKind::range_if:
      return each(v, [&](const json& e) {
        auto n = num_of(e, c);
        return n && within(*n, r.min, r.max);
      });
    case RuleKind::enumeration:
    case RuleKind::enum_if:
      return each(v, [&](const json& e) {
        std::string t = text_of(e);
        return std::any_of(r.values.begin(), r.values.end(),
                           [&](const std::string& a) { return t == a || (r.case_insensitive && text::equals_ci(t, a)); });
      });
    case RuleKind::charset: return s && in_class(r.charset, *s);
    case RuleKind::first_char: return s && (s->empty() || first_in_class(r.charset, *s));
    case RuleKind::forbidden_prefix:
      return s && std::none_of(r.values.begin(), r.values.end(), [&](const std::string& p) { return s->rfind(p, 0) == 0; });
    case RuleKind::forbidden_suffix:
      return s && std::none_of(r.values.begin(), r.values.end(), [&](const std::string& p) {
               return s->size() >= p.size() && s->compare(s->size() - p.size(), p.size(), p) == 0;
             });
    case RuleKind::forbidden_substring:
      return s && std::none_of(r.values.begin(), r.values.end(),
                               [&](const std::string& p) { return !p.empty() && s->find(p) != std::string::npos; });
    case RuleKind::char_classes: {
      if (!s) return false;
      double n = 0;
      for (const std::string& cls : r.values) n += any_in_class(cls, *s) ? 1 : 0;
      return !r.min || n >= *r.min;
    }
    case RuleKind::pattern: return s && RE2::FullMatch(*s, regex(r.pattern));
    case RuleKind::format: return s && format_ok(r.format, *s);
    case RuleKind::items: {
      auto n = items_of(v);
      return !n || within(static_cast<double>(*n), r.min, r.max);
    }
    default: return true;
  }
}

bool satisfies(const Constraints& c, const json& v) {
  return std::all_of(c.rules.begin(), c.rules.end(), [&](const spec::Rule* r) { return rule_ok(*r, c, v); });
}


bool is_value_kind(RuleKind k) {
  switch (k) {
    case RuleKind::type: case RuleKind::length: case RuleKind::range: case RuleKind::enumeration:
    case RuleKind::charset: case RuleKind::first_char: case RuleKind::forbidden_prefix:
    case RuleKind::forbidden_suffix: case RuleKind::forbidden_substring: case RuleKind::char_classes:
    case RuleKind::pattern: case RuleKind::format: case RuleKind::items: case RuleKind::range_if:
    case RuleKind::enum_if: return true;
    default: return false;
  }
}

}  // namespace conform::gen
