// Single-rule violations (cases.h): each rule broken one way at a time, with
// the near misses the docs invite (min-1 and max+1 in the rule's unit, wrong
// case and trailing space, a bad character at each position, ...).
#include <algorithm>
#include <map>
#include <tuple>

#include "core/text.h"
#include "generators/cases.h"
#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

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

// The rules a candidate must keep: every other rule of the slot, or failing
// that, the ones the oracle would check before this one (type, earlier in spec order).
bool keeps_others(const Env& env, const spec::Rule& r, const Constraints& others, const json& v, bool strict) {
  for (const spec::Rule* o : others.rules) {
    bool earlier = o->kind == RuleKind::type || o < &r;
    if ((strict || earlier) && !rule_ok(*o, others, v)) return false;
  }
  (void)env;
  return true;
}

// An empty value of a required parameter is missing, not malformed.
bool required_here(const Env& env, const std::string& path) {
  const spec::Param* p = find_param(env, path);
  if (p && p->required && top_param(env, path) == p) return true;
  return std::any_of(env.spec.rules.begin(), env.spec.rules.end(), [&](const spec::Rule& r) {
    return (r.kind == RuleKind::required || r.kind == RuleKind::required_if) && !r.params.empty() && r.params[0] == path;
  });
}

// After removing a member, its parent stays (empty) so the member is what is missing.
void keep_parent(const Env& env, Draft& d, const Slot& s) {
  std::size_t dot = s.path.rfind('.');
  if (dot == std::string::npos || top_param(env, s.path) == find_param(env, s.path)) return;
  std::string parent = s.path.substr(0, dot);
  for (const Entry& e : d.entries) {
    if (e.slot.path.rfind(parent + ".", 0) == 0 && (s.key.empty() || e.slot.key == s.key)) return;
  }
  d.set(Slot{parent, s.index, s.key}, json::object());
}

// break_value()'s candidates and, for strict and then loose, the positions of
// those that break the rule alone: worked out once per (rule, constraints, path)
// where making the candidates draws nothing from the Rng (enum, range and type
// breakers), since then they and the choice are the same every time.
struct Breakers {
  bool fixed = false;  // no Rng draw: `cands` and `fit` are kept
  std::vector<json> cands;
  std::vector<std::size_t> fit[2];
};

void find_fit(const Env& env, const spec::Rule& r, const Constraints& others, const Constraints& all,
              const std::string& path, Breakers& b) {
  for (int pass = 0; pass < 2; ++pass) {
    const bool strict = pass == 0;
    for (std::size_t i = 0; i < b.cands.size(); ++i) {
      const json& v = b.cands[i];
      if (v.is_string() && v.get_ref<const std::string&>().empty() && required_here(env, path)) continue;
      if (!rule_ok(r, all, v) && (r.kind == RuleKind::type || keeps_others(env, r, others, v, strict))) b.fit[pass].push_back(i);
    }
    if (!b.fit[pass].empty()) return;  // loose is asked only when strict finds none
  }
}

bool break_value(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target) {
  target = ensure(env, d, rng, r.params[0]);
  if (r.when && !make_condition(env, d, rng, r, target, true)) return false;
  const Constraints& others = constraints(env, target, d, &r);
  if (!others.param) return false;
  const Constraints& all = constraints(env, target, d);
  using Key = std::tuple<const spec::Rule*, const Constraints*, const Constraints*, std::string>;
  struct Known {
    std::uint64_t env = 0;  // Derived::id
    std::map<Key, Breakers> found;
  };
  thread_local Known known;
  if (known.env != env.derived->id) {
    known.found.clear();
    known.env = env.derived->id;
  }
  Key key{&r, &others, &all, target.path};
  auto it = known.found.find(key);
  Breakers made;
  Breakers* b = &made;
  if (it != known.found.end() && it->second.fixed) {
    b = &it->second;
  } else {
    const std::uint64_t before = rng.state();
    made.cands = r.kind == RuleKind::type ? type_breakers(*others.param, others.text) : value_breakers(env, r, others, rng);
    find_fit(env, r, others, all, target.path, made);
    if (it == known.found.end()) {
      Breakers& kept = known.found[key];
      if (rng.state() == before) kept = made;  // the same next time: kept with its choice
      kept.fixed = rng.state() == before;
    }
  }
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<std::size_t>& fit = b->fit[pass];
    if (fit.empty()) continue;
    if (others.param && !others.param->members.empty()) d.erase(target.path, target.index, target.key);
    const std::size_t at = fit[variant % fit.size()];
    d.set(target, b == &made ? std::move(made.cands[at]) : b->cands[at]);
    return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> shadowed_by(const Env& env, const spec::Rule& r) {
  if (r.params.empty() || r.kind == RuleKind::type) return std::nullopt;
  Rng rng(1);
  Draft d = base_draft(env, rng, false);
  Slot target = ensure(env, d, rng, r.params[0]);
  if (r.when && !make_condition(env, d, rng, r, target, true)) return std::nullopt;
  const Constraints& others = constraints(env, target, d, &r);
  if (!others.param) return std::nullopt;
  const Constraints& all = constraints(env, target, d);
  std::optional<std::string> first;
  for (const json& v : value_breakers(env, r, others, rng)) {
    if (rule_ok(r, all, v)) continue;
    const spec::Rule* blocker = nullptr;
    for (const spec::Rule* o : others.rules) {
      if ((o->kind == RuleKind::type || o < &r) && !rule_ok(*o, others, v)) blocker = blocker ? blocker : o;
    }
    if (!blocker) return std::nullopt;
    if (!first) first = blocker->id;
  }
  return first;
}

bool break_state(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target);

namespace {

// After a `requires` violation removed params[1..] of `r`: another requires rule's
// params[0] that needs one of them (and whose condition holds) is removed too, else
// settle() would put the removed one back and the case would break nothing
// (ecs.CreateInstance: PrivateIpAddress and a security group in a VPC both require
// VSwitchId). Only an optional parameter goes.
void drop_other_requirers(const Env& env, Draft& d, const spec::Rule& r) {
  for (const spec::Rule& o : env.spec.rules) {
    if (&o == &r || o.kind != RuleKind::requires_param || o.params.empty() || o.params[0] == r.params[0]) continue;
    const bool needs = std::any_of(o.params.begin() + 1, o.params.end(), [&](const std::string& p) {
      return std::find(r.params.begin() + 1, r.params.end(), p) != r.params.end();
    });
    if (!needs || !d.has(o.params[0]) || required_here(env, o.params[0])) continue;
    if (r.when && r.when->param == o.params[0]) continue;  // r's own condition stays
    if (o.when && !holds(env, o, Slot{o.params[0], "", ""}, d)) continue;
    d.erase(o.params[0]);
  }
}

}  // namespace

bool apply_violation(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target) {
  if (r.params.empty()) return false;
  const std::string& p0 = r.params[0];
  switch (r.kind) {
    case RuleKind::required:
    case RuleKind::required_if: {
      target = ensure(env, d, rng, p0);
      if (r.when && !make_condition(env, d, rng, r, target, true)) return false;
      if (variant % 2 && is_text_slot(env, p0)) {
        d.set(target, "");  // an empty value counts as missing
      } else {
        d.erase(target.path, target.index, target.key);
        keep_parent(env, d, target);
      }
      return true;
    }
    case RuleKind::length:
      if (r.attr == "key") {
        std::string map = p0.substr(0, p0.rfind(".{key}"));
        ensure(env, d, rng, map);
        std::size_t n = variant % 2 || !r.min || *r.min < 1 ? static_cast<std::size_t>(r.max.value_or(64)) + 1
                                                            : static_cast<std::size_t>(*r.min) - 1;
        target = Slot{p0, "", map_key(rng, n)};
        add(env, d, rng, p0, target, false);
        return true;
      }
      return break_value(env, d, rng, r, variant, target);
    case RuleKind::index_max: {
      std::string member = family_member(env, p0);
      if (member.empty()) return false;
      // Past the top on even variants, below the bottom on odd ones; a rule with one
      // bound (DataDisk.N's two, decisions.md) only past that one.
      std::string idx = r.max && (!r.min || variant % 2 == 0) ? std::to_string(static_cast<long long>(*r.max) + 1)
                                                               : std::to_string(static_cast<long long>(r.min.value_or(1)) - 1);
      target = Slot{member, idx, ""};
      add(env, d, rng, member, target, false);
      return d.get(member, idx) != nullptr;
    }
    case RuleKind::pair: {
      const std::string& keep = r.params[variant % r.params.size()];
      target = ensure(env, d, rng, keep);
      for (const std::string& p : r.params) {
        if (p != keep) d.erase(p, is_indexed(p) ? target.index : "");
      }
      return true;
    }
    case RuleKind::requires_param:
      target = ensure(env, d, rng, p0);
      if (r.when && !make_condition(env, d, rng, r, target, true)) return false;
      for (std::size_t k = 1; k < r.params.size(); ++k) d.erase(r.params[k]);
      drop_other_requirers(env, d, r);
      return true;
    case RuleKind::exclusive:
      for (const std::string& p : r.params) target = ensure(env, d, rng, p);
      return true;
    case RuleKind::forbidden_with:
      target = ensure(env, d, rng, p0);
      if (r.when) return make_condition(env, d, rng, r, target, true);
      for (std::size_t k = 1; k < r.params.size(); ++k) ensure(env, d, rng, r.params[k]);
      return true;
    case RuleKind::reference:
    case RuleKind::ref_attr:
    case RuleKind::at_least_ref:
    case RuleKind::ref_match:
    case RuleKind::quota: return break_state(env, d, rng, r, variant, target);
    case RuleKind::idempotency:
    case RuleKind::unique: return false;
    default: return break_value(env, d, rng, r, variant, target);
  }
}

}  // namespace conform::gen
