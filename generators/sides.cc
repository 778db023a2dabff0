// The valid side of each rule, at its boundary (cases.h).
#include <algorithm>

#include "generators/cases.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::RuleKind;

}  // namespace

bool present(const Draft& d, const std::string& path) {
  return std::any_of(d.entries.begin(), d.entries.end(), [&](const Entry& e) {
    return e.slot.path == path || e.slot.path.rfind(path + ".", 0) == 0;
  });
}

// Makes `path` present: its top-level parameter (with required members) first,
// then the slot itself.
Slot ensure(const Env& env, Draft& d, Rng& rng, const std::string& path) {
  const spec::Param* top = top_param(env, path);
  if (top && top->name != path && !d.has(top->name)) {
    bool any = false;
    for (const Entry& e : d.entries) any = any || e.slot.path.rfind(top->name + ".", 0) == 0;
    if (!any) add(env, d, rng, top->name, Slot{}, false);
  }
  Slot s = slot_for(env, d, rng, path);
  if (!d.get(s.path, s.index, s.key)) {
    const spec::Param* p = find_param(env, path);
    if (p && !p->members.empty()) {
      add(env, d, rng, path, Slot{"", s.index, s.key}, false);
    } else {
      fill(env, d, s, rng);
    }
  }
  return s;
}

std::string family_member(const Env& env, const std::string& family) {
  std::string fallback;
  for (const spec::Param& p : env.spec.params) {
    if (p.name.rfind(family + ".", 0) != 0) continue;
    if (ref_type(env, p.name).empty()) return p.name;
    if (fallback.empty()) fallback = p.name;
  }
  return fallback;
}

std::optional<long long> quota_limit(const Env& env, const spec::Rule& r) {
  return env.fixtures.quota(env.spec.service, r.quota);
}

// Sets a count-like quota parameter to `n`: map entries, or the number itself.
bool set_quota_count(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, long long n, Slot& target) {
  const spec::Param* p = find_param(env, r.params[0]);
  if (!p) return false;
  if (p->members.size() == 1 && p->members[0].name == "{key}") {
    d.erase(r.params[0]);
    for (long long i = 0; i < n; ++i) {
      add(env, d, rng, r.params[0] + ".{key}", Slot{"", "", map_key(rng, 4) + std::to_string(i)}, false);
    }
    target = Slot{r.params[0], "", ""};
    return true;
  }
  target = ensure(env, d, rng, r.params[0]);
  json v = is_text_slot(env, r.params[0]) ? json(std::to_string(n)) : json(n);
  if (!satisfies(constraints(env, target, d), v)) return false;
  d.set(target, v);
  return true;
}

bool apply_valid_side(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target) {
  if (r.params.empty()) return r.kind == RuleKind::quota;  // account-wide: a first create is within it
  const std::string& p0 = r.params[0];
  if (r.kind == RuleKind::length && r.attr == "key") {
    std::size_t n = static_cast<std::size_t>(variant % 2 ? r.max.value_or(8) : std::max(r.min.value_or(1), 1.0));
    std::string map = p0.substr(0, p0.rfind(".{key}"));
    ensure(env, d, rng, map);
    target = Slot{p0, "", map_key(rng, n)};
    add(env, d, rng, p0, target, false);
    return true;
  }
  const spec::Param* param = find_param(env, p0);
  if (is_value_kind(r.kind) && param && (!param->members.empty() || param->type == spec::ParamType::Object)) {
    // A container's valid side: present, built member by member; `items` at its bounds.
    target = ensure(env, d, rng, p0);
    if (r.kind == RuleKind::items && param->members.size() == 1 && param->members[0].name == "{key}") {
      long long n = variant % 2 ? static_cast<long long>(r.max.value_or(3)) : static_cast<long long>(std::max(r.min.value_or(1), 1.0));
      d.erase(p0);
      for (long long i = 0; i < n; ++i) add(env, d, rng, p0 + ".{key}", Slot{"", "", map_key(rng, 3) + std::to_string(i)}, false);
    }
    return present(d, p0);
  }
  if (is_value_kind(r.kind)) {
    target = ensure(env, d, rng, p0);
    if (r.when && !make_condition(env, d, rng, r, target, true)) return false;
    const Constraints& c = constraints(env, target, d);
    if (!ref_type(env, p0).empty()) {
      // A parameter that must name an existing resource: a random value would
      // break its reference rule, so the valid side keeps the fixture id when
      // it satisfies the value rules, else takes another resource's id that does.
      const json* cur = d.get(target.path, target.index, target.key);
      if (cur && satisfies(c, *cur)) return true;
      for (const Resource* res : resources(env, ref_type(env, p0))) {
        json v = res->id;
        if (acceptable(env, p0, *res) && satisfies(c, v)) {
          d.set(target, std::move(v));
          return true;
        }
      }
    }
    Hint h{&r, variant % 2 ? Edge::high : Edge::low, variant / 2};
    if (r.kind == RuleKind::enumeration || r.kind == RuleKind::enum_if || r.kind == RuleKind::first_char) h.choice = variant;
    auto v = make_valid(env, c, rng, h);
    if (!v) return false;
    d.set(target, *v);
    return true;
  }
  switch (r.kind) {
    case RuleKind::index_max: {
      std::string member = family_member(env, p0);
      if (member.empty()) return false;
      std::string idx = variant % 2 && r.max ? std::to_string(static_cast<long long>(*r.max))
                                             : std::to_string(static_cast<long long>(r.min.value_or(1)));
      target = Slot{member, idx, ""};
      add(env, d, rng, member, target, false);
      return d.get(member, idx) != nullptr;
    }
    case RuleKind::reference:
      // A value that names nothing and is taken (a batchcompute group's InstanceType
      // ""): every other variant sends it, so that a target sees it.
      if (!r.values.empty() && variant % 2 == 1) {
        target = ensure(env, d, rng, p0);
        d.set(target, r.values[variant / 2 % r.values.size()]);
        return present(d, p0);
      }
      [[fallthrough]];
    case RuleKind::required:
    case RuleKind::ref_attr:
    case RuleKind::idempotency:
    case RuleKind::unique:
      target = ensure(env, d, rng, p0);
      for (const std::string& p : r.params) ensure(env, d, rng, p);
      return present(d, p0);
    case RuleKind::required_if:
      target = ensure(env, d, rng, p0);
      return make_condition(env, d, rng, r, target, true) && (ensure(env, d, rng, p0), true);
    case RuleKind::pair:
    case RuleKind::requires_param:
    case RuleKind::ref_match:
      for (const std::string& p : r.params) target = ensure(env, d, rng, p);
      target = slot_for(env, d, rng, p0);
      // A conditional requires is kept where its condition holds (a security group
      // in a VPC, with a VSwitch), not where it does not apply.
      return !r.when || r.kind != RuleKind::requires_param || make_condition(env, d, rng, r, target, true);
    case RuleKind::exclusive: {
      const std::string& keep = r.params[variant % r.params.size()];
      for (const std::string& p : r.params) {
        if (p != keep) d.erase(p);
      }
      target = ensure(env, d, rng, keep);
      return true;
    }
    case RuleKind::forbidden_with:
      target = ensure(env, d, rng, p0);
      if (r.when) return make_condition(env, d, rng, r, target, false);
      for (std::size_t k = 1; k < r.params.size(); ++k) d.erase(r.params[k]);
      return true;
    case RuleKind::at_least_ref: {
      target = ensure(env, d, rng, p0);
      if (!r.when) return false;
      ensure(env, d, rng, r.when->param);
      fix_state(env, d, rng, r);  // raises the value to the resource's attribute where below
      return d.get(target.path, target.index, target.key) != nullptr;
    }
    case RuleKind::quota: {
      auto limit = quota_limit(env, r);
      if (!limit) return false;
      return set_quota_count(env, d, rng, r, variant % 2 ? *limit : 1, target);
    }
    case RuleKind::sum:  // exactly the max (1,024 GiB: 800 + 224)
      return r.max && make_sum(env, d, rng, r, *r.max, target);
    default: return false;
  }
}

}  // namespace conform::gen
