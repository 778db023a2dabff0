// Single-rule violations (cases.h): each rule broken one way at a time, with
// the near misses the docs invite (min-1 and max+1 in the rule's unit, wrong
// case and trailing space, a bad character at each position, ...).
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/text.h"
#include "generators/cases.h"
#include "generators/breakers.h"
#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::ParamType;
using spec::RuleKind;

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

// After params[1..] of `r` were removed (a `requires` violation, or a ref_match
// side that cannot match, state_fix.cc): another requires rule's params[0] that
// needs one of them (and whose condition holds) is removed too, else settle()
// would put the removed one back (ecs.CreateInstance: PrivateIpAddress and a
// security group in a VPC both require VSwitchId). Only an optional parameter goes.
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
    case RuleKind::sum:  // one past the max (1,025 GiB: 800 + 225)
      return r.max && make_sum(env, d, rng, r, std::floor(*r.max) + 1, target);
    case RuleKind::idempotency:
    case RuleKind::unique: return false;
    default: return break_value(env, d, rng, r, variant, target);
  }
}

}  // namespace conform::gen
