#include "generators/values.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <re2/re2.h>

#include "core/text.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

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

std::optional<std::string> str_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::optional<double> num_of(const json& v, const Constraints& c) {
  ParamType t = c.param ? c.param->type : ParamType::Float;
  if (t == ParamType::Array && c.param->item_type) t = *c.param->item_type;
  bool integer = t == ParamType::Integer || t == ParamType::Long;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!RE2::FullMatch(s, regex(integer ? "-?[0-9]+" : "-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))) return std::nullopt;
    return std::stod(s);
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
      case ParamType::Integer: return RE2::FullMatch(s, regex("-?[0-9]{1,9}"));
      case ParamType::Long: return RE2::FullMatch(s, regex("-?[0-9]{1,18}"));
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

bool each(const json& v, const std::function<bool(const json&)>& f) {
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

void derive(Constraints& c) {
  std::vector<std::string> chars;
  bool charset_seen = false;
  for (const spec::Rule* r : c.rules) {
    switch (r->kind) {
      case RuleKind::length:
        if (r->min && (!c.len_lo || *r->min > *c.len_lo)) c.len_lo = r->min;
        if (r->max && (!c.len_hi || *r->max < *c.len_hi)) c.len_hi = r->max;
        c.bytes = c.bytes || r->unit == spec::LengthUnit::bytes;
        break;
      case RuleKind::range:
      case RuleKind::range_if:
        if (r->min && (!c.lo || *r->min > *c.lo)) c.lo = r->min;
        if (r->max && (!c.hi || *r->max < *c.hi)) c.hi = r->max;
        break;
      case RuleKind::items:
        if (r->min && (!c.items_lo || *r->min > *c.items_lo)) c.items_lo = r->min;
        if (r->max && (!c.items_hi || *r->max < *c.items_hi)) c.items_hi = r->max;
        break;
      case RuleKind::enumeration:
      case RuleKind::enum_if:
        if (!c.allowed) {
          c.allowed = r->values;
        } else {
          std::vector<std::string> both;
          for (const auto& v : *c.allowed) {
            if (std::find(r->values.begin(), r->values.end(), v) != r->values.end()) both.push_back(v);
          }
          c.allowed = both;
        }
        break;
      case RuleKind::format: c.format = r->format; break;
      case RuleKind::charset: {
        const auto& m = members_of(r->charset);
        if (!charset_seen) {
          chars = m;
        } else {
          std::vector<std::string> both;
          for (const auto& ch : chars) {
            if (std::find(m.begin(), m.end(), ch) != m.end()) both.push_back(ch);
          }
          chars = both;
        }
        charset_seen = true;
        break;
      }
      default: break;
    }
  }
  if (!charset_seen) {
    // No charset: letters and digits, and multi-byte characters the doc does not forbid.
    static const auto pool = [](bool bytes) {
      std::vector<std::string> out;
      for (const std::string& ch : universe()) {
        bool alnum = ch.size() == 1 && std::isalnum(static_cast<unsigned char>(ch[0]));
        if (alnum || ch == "-" || ch == "_" || (ch.size() > 1 && !bytes)) out.push_back(ch);
      }
      return out;
    };
    static const std::vector<std::string> with_multibyte = pool(false), ascii = pool(true);
    chars = c.bytes ? ascii : with_multibyte;
  }
  bool first_rules = std::any_of(c.rules.begin(), c.rules.end(), [](const spec::Rule* r) { return r->kind == RuleKind::first_char; });
  if (!first_rules) {
    c.first = chars;
    c.chars = std::move(chars);
    return;
  }
  c.chars = chars;
  for (const std::string& ch : chars) {
    bool ok = true;
    for (const spec::Rule* r : c.rules) {
      if (r->kind == RuleKind::first_char && !in_class(r->charset, ch)) ok = false;
    }
    if (ok) c.first.push_back(ch);
  }
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

const std::vector<std::string>& members_of(const std::string& cls) {
  thread_local std::map<std::string, std::vector<std::string>> cache;
  auto it = cache.find(cls);
  if (it != cache.end()) return it->second;
  std::vector<std::string> out;
  for (const std::string& ch : universe()) {
    if (in_class(cls, ch)) out.push_back(ch);
  }
  return cache.emplace(cls, std::move(out)).first->second;
}

bool in_class(const std::string& cls, const std::string& s) {
  thread_local std::map<std::string, const RE2*, std::less<>> by_class;
  auto it = by_class.find(cls);
  if (it == by_class.end()) it = by_class.emplace(cls, &regex("[" + cls + "]*")).first;
  return RE2::FullMatch(s, *it->second);
}

bool is_text_slot(const spec::Spec& spec, const std::string& path) {
  const spec::Param* top = top_param(spec, path);
  return top && top->in != spec::Location::body && top->name == path;
}

bool rule_ok(const spec::Rule& r, const Constraints& c, const json& v) {
  auto s = str_of(v);
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
    case RuleKind::first_char: return s && (s->empty() || RE2::PartialMatch(*s, regex("^[" + r.charset + "]")));
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
      for (const std::string& cls : r.values) n += RE2::PartialMatch(*s, regex("[" + cls + "]")) ? 1 : 0;
      return !r.min || n >= *r.min;
    }
    case RuleKind::pattern: return s && RE2::FullMatch(*s, regex(r.pattern));
    case RuleKind::format: return s && RE2::FullMatch(*s, regex(format_regex(r.format)));
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

Constraints gather(const Env& env, const Slot& slot, const Draft& d, const spec::Rule* except) {
  Constraints c;
  c.param = find_param(env.spec, slot.path);
  c.text = is_text_slot(env.spec, slot.path);
  static const std::set<RuleKind> kValueKinds = {
      RuleKind::type,          RuleKind::length,           RuleKind::range,       RuleKind::enumeration,
      RuleKind::charset,       RuleKind::first_char,       RuleKind::forbidden_prefix, RuleKind::forbidden_suffix,
      RuleKind::forbidden_substring, RuleKind::char_classes, RuleKind::pattern,   RuleKind::format,
      RuleKind::items,         RuleKind::range_if,         RuleKind::enum_if};
  const auto& by_param = index_of(env.spec).by_param;
  auto mine = by_param.find(slot.path);
  static const std::vector<const spec::Rule*> kNone;
  for (const spec::Rule* rp : mine == by_param.end() ? kNone : mine->second) {
    const spec::Rule& r = *rp;
    if (&r == except || !kValueKinds.count(r.kind)) continue;
    if (r.kind == RuleKind::length && r.attr == "key") continue;  // about the map key, not the value
    if (!holds(env, r, slot, d)) continue;
    c.rules.push_back(&r);
  }
  derive(c);
  // A per-request quota on a number (MaxClusterGroupDesiredVMCount) bounds valid values too.
  for (const spec::Rule* rp : mine == by_param.end() ? kNone : mine->second) {
    const spec::Rule& r = *rp;
    if (r.kind != RuleKind::quota || &r == except) continue;
    if (auto limit = env.fixtures.quota(env.spec.service, r.quota)) {
      if (!c.hi || *c.hi > static_cast<double>(*limit)) c.hi = static_cast<double>(*limit);
    }
  }
  return c;
}

}  // namespace conform::gen
