// Boundary-valid values for one slot (values.h).
#include <string_view>
#include <algorithm>
#include <cmath>

#include "core/json_text.h"
#include "core/text.h"
#include "generators/values.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

bool is_integer(ParamType t) { return t == ParamType::Integer || t == ParamType::Long; }

// Classes of first characters, so that each allowed one gets its turn.
int char_class(const std::string& ch) {
  if (ch.size() > 1) return 4;
  unsigned char c = static_cast<unsigned char>(ch[0]);
  if (std::isupper(c)) return 0;
  if (std::islower(c)) return 1;
  if (std::isdigit(c)) return 2;
  return 3;
}

json typed(const Constraints& c, const std::string& text) {
  if (c.text || !c.param) return text;
  ParamType t = c.param->type;
  if (is_integer(t)) return std::stoll(text);
  if (t == ParamType::Float || t == ParamType::Double) return std::stod(text);
  if (t == ParamType::Boolean) return text::equals_ci(text, "true");
  return text;
}

std::string number_text(double x, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(x));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string base64(Rng& rng, std::size_t chars) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  chars -= chars % 4;
  std::string out(chars, '\0');
  for (std::size_t i = 0; i < chars; ++i) out[i] = kAlphabet[rng.below(64)];
  if (chars >= 4 && rng.chance(30)) out[chars - 1] = '=';
  return out;
}

std::string two(long long v) {
  std::string s = v < 10 ? "0" : "";
  s += std::to_string(v);  // appended, not prepended: GCC 12 warns (-Wrestrict) on the latter
  return s;
}

std::optional<std::string> format_value(const Constraints& c, Rng& rng, Edge edge) {
  const std::string& f = c.format;
  auto octet = [&] { return std::to_string(rng.between(1, 254)); };
  if (f == "ipv4"sv) return octet() + "." + octet() + "." + octet() + "." + octet();
  if (f == "cidr"sv) return octet() + "." + octet() + ".0.0/" + std::to_string(rng.between(8, 32));
  if (f == "base64"sv) {
    std::size_t hi = c.len_hi ? static_cast<std::size_t>(*c.len_hi) : 64;
    std::size_t n = edge == Edge::high ? hi : (edge == Edge::low ? 4 : 4 * static_cast<std::size_t>(rng.between(1, 8)));
    return base64(rng, std::min(n, hi));
  }
  if (f == "HH:mm:ss"sv) return two(rng.between(0, 23)) + ":" + two(rng.between(0, 59)) + ":" + two(rng.between(0, 59));
  if (f == "HH:mm-HH:mm"sv) {
    long long h = rng.between(0, 22);
    return two(h) + ":00-" + two(h + 1) + ":00";
  }
  return std::nullopt;
}

// The allowed values that satisfy the rest, typed as they are sent.
std::vector<json> enum_candidates(const Constraints& c) {
  std::vector<json> ok;
  for (const std::string& v : *c.allowed) {
    json t = typed(c, v);
    if (satisfies(c, t)) ok.push_back(std::move(t));
  }
  return ok;
}

std::optional<json> enum_value(const Constraints& c, Rng& rng, const Hint& hint) {
  std::vector<json> made;
  if (!c.enum_ok) made = enum_candidates(c);
  const std::vector<json>& ok = c.enum_ok ? *c.enum_ok : made;
  if (ok.empty()) return std::nullopt;
  bool mine = hint.rule && (hint.rule->kind == RuleKind::enumeration || hint.rule->kind == RuleKind::enum_if);
  return mine ? ok[hint.choice % ok.size()] : rng.pick(ok);
}

std::optional<json> number_value(const Constraints& c, Rng& rng, const Hint& hint) {
  bool integer = is_integer(c.param->type == ParamType::Array && c.param->item_type ? *c.param->item_type : c.param->type);
  double lo = c.lo ? *c.lo : 1, hi = c.hi ? *c.hi : std::max(lo, 100.0);
  if (integer) lo = std::ceil(lo), hi = std::floor(hi);
  if (lo > hi) return std::nullopt;
  bool mine = hint.rule && (hint.rule->kind == RuleKind::range || hint.rule->kind == RuleKind::range_if);
  double x = mine && hint.edge == Edge::low ? lo : mine && hint.edge == Edge::high ? hi
           : integer ? static_cast<double>(rng.between(static_cast<long long>(lo), static_cast<long long>(std::min(hi, lo + 1000))))
                     : lo + (std::min(hi, lo + 100) - lo) * static_cast<double>(rng.below(1000)) / 1000.0;
  std::string t = number_text(x, integer);
  if (!integer && std::stod(t) < lo) t = number_text(lo, false);
  return typed(c, t);
}

// The fixtures' resources a list of ids names, by the list's name: RegionIds,
// the account's Region resources (ros.CreateStackInstances). None: no such kind.
const std::vector<const Resource*>& element_pool(const Env& env, const spec::Param& p) {
  static const std::vector<const Resource*> none;
  std::string_view name = p.name;
  name = name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
  if (name.size() <= 3 || !name.ends_with("Ids")) return none;
  return resources(env, name.substr(0, name.size() - 3));
}

std::optional<json> list_value(const Env& env, const Constraints& c, Rng& rng, const Hint& hint) {
  double lo = c.items_lo ? std::max(*c.items_lo, 1.0) : 1, hi = c.items_hi ? *c.items_hi : 3;
  bool mine = hint.rule && hint.rule->kind == RuleKind::items;
  std::size_t n = mine && hint.edge == Edge::high ? static_cast<std::size_t>(hi)
                : mine && hint.edge == Edge::low  ? static_cast<std::size_t>(lo)
                                                  : static_cast<std::size_t>(rng.between(static_cast<long long>(lo), static_cast<long long>(std::min(hi, lo + 2))));
  json example = c.param->example ? parse_json_bounded(*c.param->example) : json();
  // Elements past the example's: ids of the fixtures' resources of the list's kind
  // (a region list of made-up numbers names no region), each once, while there are
  // any; then numbers, as the examples' account ids are.
  std::vector<const Resource*> left = element_pool(env, *c.param);
  json out = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    bool from_example = example.is_array() && i < example.size() && example[i].is_string();
    if (from_example) {
      out.push_back(example[i].get<std::string>());
    } else if (!left.empty()) {
      std::size_t k = rng.below(left.size());
      out.push_back(left[k]->id);
      left.erase(left.begin() + static_cast<std::ptrdiff_t>(k));
    } else {
      out.push_back(std::to_string(100000 + rng.below(900000)));
    }
    if (from_example && !left.empty()) {  // the example's id is not taken twice
      std::erase_if(left, [&](const Resource* r) { return r->id == out.back().get_ref<const std::string&>(); });
    }
  }
  if (c.text) return out.dump();
  return out;
}

std::optional<json> array_value(const Constraints& c, Rng& rng, const Hint& hint) {
  ParamType item = c.param->item_type.value_or(ParamType::String);
  std::size_t n = static_cast<std::size_t>(rng.between(1, 3));
  if (hint.rule && hint.rule->kind == RuleKind::items) n = static_cast<std::size_t>(hint.edge == Edge::high ? *hint.rule->max : hint.rule->min.value_or(1));
  json out = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    if (c.lo || c.hi || is_integer(item)) {
      Constraints scalar = c;
      scalar.text = true;
      scalar.enum_ok.reset();
      auto v = number_value(scalar, rng, hint);
      if (!v) return std::nullopt;
      out.push_back(std::stoll(v->get<std::string>()));
    } else if (item == ParamType::Object) {
      out.push_back(json::object());
    } else {
      out.push_back(std::string("item").append(std::to_string(rng.below(1000))));
    }
  }
  return out;
}

}  // namespace

void resolve_enum(Constraints& c) {
  c.enum_ok.reset();
  if (!c.allowed || !c.param) return;
  try {
    c.enum_ok = std::make_shared<const std::vector<json>>(enum_candidates(c));
  } catch (const std::exception&) {  // a value typed() cannot read: enum_value() meets it as before
  }
}

std::optional<std::string> build_string(const Constraints& c, Rng& rng, std::size_t n, bool multibyte) {
  if (n == 0) return std::string();
  if (!c.chars || !c.first) return std::nullopt;
  bool wide = multibyte && !c.bytes;
  const std::vector<std::string>& pool = wide ? c.chars->all : c.chars->ascii;
  const std::vector<std::string>& first = wide ? c.first->all : c.first->ascii;
  if (pool.empty() || first.empty()) return std::nullopt;
  std::string s = rng.pick(first);
  if (!wide) {  // one byte each
    const std::size_t at = s.size();
    s.resize(at + n - 1);  // stored in place: push_back checked the capacity per byte
    for (std::size_t i = 1; i < n; ++i) s[at + i - 1] = rng.pick(pool)[0];
    return s;
  }
  for (std::size_t i = 1; i < n; ++i) s += rng.pick(pool);
  return s;
}

namespace {

// A member of a body object that only the doc's request example shows, with no
// rule on its value but its type (a string, a number, a list of scalars) (BatchCompute's Groups.{key}.ResourceType,
// Configs.Disks.SystemDisk.Type, Mounts.Locale): the doc lists no values, yet its
// error table has a row for an invalid one ("InvalidResourceType ... The value of
// ResourceType is invalid.", and the generic Invalid{Parameter}), so the only
// value known to be valid is the example's. Top-level parameters have their own
// table row, which speaks for them.
bool example_only(const Env& env, const Constraints& c) {
  const spec::Param* p = c.param;
  const auto& top = env.spec.params;
  if (p->in != spec::Location::body || (p >= top.data() && p < top.data() + top.size())) return false;
  if (!c.format.empty() || c.allowed) return false;
  return std::all_of(c.rules.begin(), c.rules.end(), [](const spec::Rule* r) { return r->kind == RuleKind::type; });
}

}  // namespace

std::optional<json> make_valid(const Env& env, const Constraints& c, Rng& rng, const Hint& hint) {
  if (!c.param) return std::nullopt;
  const ParamType t = c.param->type;
  if (c.allowed) return enum_value(c, rng, hint);
  if (t == ParamType::Boolean && c.param->name == "DryRun"sv) {  // true asks for a dry run, not a success
    static const std::vector<std::string> kFalse = {"false", "False", "FALSE"};
    return typed(c, rng.pick(kFalse));
  }
  if (t == ParamType::Boolean) {
    static const std::vector<std::string> kSpellings = {"true", "false", "True", "FALSE"};
    return typed(c, c.text ? rng.pick(kSpellings) : (rng.chance(50) ? "true" : "false"));
  }
  if (t != ParamType::String && c.param->example && example_only(env, c)) {
    json v = parse_json_bounded(*c.param->example);
    if (!v.is_discarded() && satisfies(c, v)) return v;
  }
  if (is_integer(t) || t == ParamType::Float || t == ParamType::Double) return number_value(c, rng, hint);
  if (t == ParamType::Json && c.param->members.empty()) return list_value(env, c, rng, hint);
  if (t == ParamType::Array) return array_value(c, rng, hint);
  if (t != ParamType::String) return std::nullopt;  // objects are built member by member
  if (c.param->example && example_only(env, c)) return json(*c.param->example);
  bool mine = hint.rule && hint.rule->kind == RuleKind::length;
  for (int attempt = 0; attempt < 60; ++attempt) {
    std::optional<std::string> s;
    if (!c.format.empty()) {
      s = format_value(c, rng, mine ? hint.edge : Edge::any);
    } else {
      double lo = std::max(c.len_lo.value_or(1), 1.0);
      double hi = c.len_hi.value_or(lo + 16);
      if (lo > hi) return std::nullopt;
      std::size_t n = mine && hint.edge == Edge::low    ? static_cast<std::size_t>(lo)
                      : mine && hint.edge == Edge::high ? static_cast<std::size_t>(hi)
                      : static_cast<std::size_t>(rng.between(static_cast<long long>(lo), static_cast<long long>(std::min(hi, lo + 12))));
      const Constraints* use = &c;
      Constraints narrowed;
      if (hint.rule && hint.rule->kind == RuleKind::first_char) {
        narrowed = c;
        use = &narrowed;
        // Each allowed first-character class in turn.
        std::vector<int> classes;
        for (const auto& ch : c.first->all) {
          if (std::find(classes.begin(), classes.end(), char_class(ch)) == classes.end()) classes.push_back(char_class(ch));
        }
        if (!classes.empty()) {
          int want = classes[hint.choice % classes.size()];
          std::vector<std::string> first;
          for (const auto& ch : c.first->all) {
            if (char_class(ch) == want) first.push_back(ch);
          }
          narrowed.first = make_chars(std::move(first));
        }
      }
      s = build_string(*use, rng, n, rng.chance(30) || hint.choice % 2 == 1);
    }
    if (!s) continue;
    json v(std::move(*s));  // checked as the JSON string it is sent as (once, not per check and return)
    if (satisfies(c, v)) return v;
  }
  for (const spec::Rule* r : c.rules) {
    if (r->kind != RuleKind::pattern) continue;
    for (int attempt = 0; attempt < 20; ++attempt) {
      json v = sample_pattern(r->pattern, rng);
      if (satisfies(c, v)) return v;
    }
  }
  if (c.param->example && satisfies(c, *c.param->example)) return json(*c.param->example);
  return std::nullopt;
}

}  // namespace conform::gen
