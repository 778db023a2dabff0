#include "generators/cases.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;
using spec::RuleKind;

const spec::Rule* key_length_rule(const Env& env, const std::string& map_path) {
  for (const spec::Rule& r : env.spec.rules) {
    if (r.kind == RuleKind::length && r.attr == "key" && !r.params.empty() && r.params[0] == map_path) return &r;
  }
  return nullptr;
}

std::string max_index(const Env& env, const std::string& family) {
  for (const spec::Rule& r : env.spec.rules) {
    if (r.kind == RuleKind::index_max && !r.params.empty() && r.params[0] == family && r.max) {
      return std::to_string(static_cast<long long>(*r.max));
    }
  }
  return "2";
}

// "The parameter is valid only when InstanceChargeType is set to PrePaid"
// (spec::Param::valid_when): a violation of a rule on such a parameter is sent with
// the condition holding, and with the condition's own parameter in force in turn
// (AutoRenewPeriod: AutoRenew=true, then PrePaid), where every reading of the doc
// refuses it; under PostPaid a service may ignore the value. The parameter of the
// rule's own condition is followed too (a rule on X when SpotStrategy is ...: SpotStrategy
// in force, under PostPaid). Rules of the missing and value phases (required_if,
// requires, pair and the single-parameter rules) only: a cross or state rule's
// violation is about the combination. A condition on a parameter that the violation
// itself sets (one of the rule's, or its condition's) is left alone: making it hold
// could undo the violation. Returns the slots set, for settle() to keep.
std::vector<Slot> put_in_force(const Env& env, Draft& d, Rng& rng, const spec::Rule& r) {
  std::vector<Slot> set;
  if (r.params.empty() || spec::phase_of(r.kind).first > 3) return set;
  std::vector<std::string_view> todo{r.params[0]};
  if (r.when && r.when->attr.empty()) todo.push_back(r.when->param);
  auto own = [&](const std::string& name) {
    return std::find(r.params.begin(), r.params.end(), name) != r.params.end() || (r.when && r.when->param == name);
  };
  // Each parameter enters `todo` once, so a chain ends (spec/validate.cc refuses cycles too).
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const spec::Param* p = find_param(env, todo[i]);
    if (!p || !p->valid_when || own(p->valid_when->param)) continue;
    if (std::find(todo.begin(), todo.end(), p->valid_when->param) != todo.end()) continue;
    spec::Rule in_force;
    in_force.kind = RuleKind::required_if;
    in_force.params = {p->name};
    in_force.when = p->valid_when;
    if (!make_condition(env, d, rng, in_force, Slot{}, true)) continue;
    set.push_back(Slot{p->valid_when->param, "", ""});
    todo.push_back(p->valid_when->param);
  }
  return set;
}

}  // namespace

bool is_required(const Env& env, const std::string& path, const spec::Param& p) {
  if (p.required) return true;
  return std::any_of(env.spec.rules.begin(), env.spec.rules.end(), [&](const spec::Rule& r) {
    return r.kind == RuleKind::required && !r.params.empty() && r.params[0] == path;
  });
}

std::string map_key(Rng& rng, std::size_t length) {
  std::string k;
  for (std::size_t i = 0; i < length; ++i) k += static_cast<char>((i == 0 ? 'g' : 'a') + rng.below(i == 0 ? 20 : 26));
  return k;
}

bool stateful_only(const spec::Rule& r) {
  return r.kind == RuleKind::idempotency || r.kind == RuleKind::unique || (r.kind == RuleKind::quota && r.params.empty());
}

bool attr_ok(const spec::Rule& r, const Resource& res) {
  const std::string* a = res.attr(r.attr);
  if (!a) return true;
  if (!r.values.empty() && std::find(r.values.begin(), r.values.end(), *a) == r.values.end()) return false;
  if (r.min || r.max) {
    std::string digits;  // "2013-07-15" -> 20130715, as the rule's bound is written
    for (char c : *a) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    double n = digits.empty() ? 0 : std::stod(digits.substr(0, std::min<std::size_t>(digits.size(), 8)));
    if ((r.min && n < *r.min) || (r.max && n > *r.max)) return false;
  }
  return true;
}

bool acceptable(const Env& env, const std::string& path, const Resource& res) {
  for (const spec::Rule* rp : env.index->rules_of(path)) {
    const spec::Rule& r = *rp;
    // A conditional one (the 32-bit image rule) depends on another parameter's
    // choice: settle() works it out (fix_conditional_attr), not the choice of one resource.
    if (r.kind != RuleKind::ref_attr || r.when) continue;
    if (!attr_ok(r, res)) return false;
  }
  return true;
}

namespace {

// choose_resource()'s candidates, worked out once per Env (under its lock).
const std::vector<const Resource*>& candidates(const Env& env, const std::string& path, const std::string& type,
                                               bool want_acceptable) {
  const Derived& dv = *env.derived;
  std::lock_guard<std::mutex> lock(dv.gathered_mutex);
  auto it = dv.choices.find(std::tuple<std::string_view, std::string_view, bool>{path, type, want_acceptable});
  const bool added = it == dv.choices.end();
  if (added) it = dv.choices.try_emplace(Derived::ChoiceKey{path, type, want_acceptable}).first;
  std::vector<const Resource*>& ok = it->second;
  if (added) {
    for (const Resource* res : resources(env, type)) {
      if (acceptable(env, path, *res) == want_acceptable) ok.push_back(res);
    }
  }
  return ok;
}

const Resource* pick(const std::vector<const Resource*>& ok, Rng& rng) {
  return ok.empty() ? nullptr : ok[rng.below(ok.size())];
}

// choose_resource(env, path, known->ref_type, rng) for the path of index entry
// `known`: the candidates found through a thread-local front (per Env, by its
// Derived id), which takes no lock.
const Resource* choose_known(const Env& env, const std::string& path, const spec::Index::Entry* known, Rng& rng) {
  struct Front {
    std::uint64_t env = 0;
    std::unordered_map<const spec::Index::Entry*, const std::vector<const Resource*>*> found;
  };
  thread_local Front front;
  if (front.env != env.derived->id) {
    front.found.clear();
    front.env = env.derived->id;
  }
  auto [it, added] = front.found.try_emplace(known, nullptr);
  if (added) {
    try {
      it->second = &candidates(env, path, known->ref_type, true);
    } catch (...) {
      front.found.erase(it);
      throw;
    }
  }
  return pick(*it->second, rng);
}

}  // namespace

const Resource* choose_resource(const Env& env, const std::string& path, const std::string& type, Rng& rng,
                                bool want_acceptable) {
  return pick(candidates(env, path, type, want_acceptable), rng);
}

bool fill(const Env& env, Draft& d, const Slot& slot, Rng& rng) {
  return fill_known(env, d, slot, rng, env.index->find(slot.path));
}

namespace {

// fill_known(), the slot copied into a new entry or (an rvalue) moved there.
template <class S>
bool fill_slot(const Env& env, Draft& d, S&& slot, Rng& rng, const spec::Index::Entry* known) {
  if (slot.path == "RegionId"sv && !env.region.empty()) {  // the fixtures' region
    note_lookup(env, d.set(std::forward<S>(slot), env.region), known);
    return true;
  }
  if (slot.path == "Action"sv && env.spec.dialect == "aliyun-rpc"sv) {
    note_lookup(env, d.set(std::forward<S>(slot), env.spec.name), known);
    return true;
  }
  // One lookup for the reference type and the constraints.
  std::string guessed;
  const std::string* type = known ? &known->ref_type : &guessed;  // ref_type(env, slot.path)
  if (type->empty() && slot.path.size() > 2 && slot.path.compare(slot.path.size() - 2, 2, "Id") == 0) {
    // No reference rule, but the fixtures know the kind: use a real one.
    std::string guess = slot.path.substr(slot.path.rfind('.') + 1);
    guess = guess.substr(0, guess.size() - 2);
    if (!resources(env, guess).empty()) {
      guessed = std::move(guess);
      type = &guessed;
    }
  }
  if (!type->empty()) {
    const Resource* res = known && type == &known->ref_type ? choose_known(env, slot.path, known, rng)
                                                            : choose_resource(env, slot.path, *type, rng);
    if (res) {
      note_lookup(env, d.set(std::forward<S>(slot), res->id), known);
      return true;
    }
    d.erase(slot.path, slot.index, slot.key);
    return false;
  }
  const Constraints& c = constraints(env, known, slot, d, nullptr);
  auto v = make_valid(env, c, rng);
  // A valid string of an indexed member differs from the member's value at the other
  // indices: two data disks on one mount point (DataDisk.N.Device) may be refused,
  // row 443 of ecs.CreateInstance (decisions.md), and no doc says a repeat is valid.
  // Free-form strings only: an enum's few values repeat by design (DataDisk.N.Category).
  for (int retry = 0; v && v->is_string() && !slot.index.empty() && !c.allowed && retry < 8; ++retry) {
    bool repeat = false;
    for (const Entry& e : d.entries) repeat |= e.slot.path == slot.path && e.slot.index != slot.index && e.value == *v;
    if (!repeat) break;
    v = make_valid(env, c, rng);
  }
  if (!v) {
    d.erase(slot.path, slot.index, slot.key);
    return false;
  }
  Entry& e = d.set(std::forward<S>(slot), std::move(*v));
  note_lookup(env, e, known);
  // make_valid checked an enum's or a string's value against `c` (satisfies),
  // so settle() need not check it again; other types' values it did not.
  if (c.allowed || (c.param && c.param->type == spec::ParamType::String)) {
    e.satisfied = &c;
    e.checked = d.version - 1;  // `c` was worked out before set()
  }
  return true;
}

}  // namespace

bool fill_known(const Env& env, Draft& d, const Slot& slot, Rng& rng, const spec::Index::Entry* known) {
  return fill_slot(env, d, slot, rng, known);
}

bool fill_known(const Env& env, Draft& d, Slot&& slot, Rng& rng, const spec::Index::Entry* known) {
  return fill_slot(env, d, std::move(slot), rng, known);
}

namespace {

// add() for a path whose index entry is `known` (env.index->find(path)).
void add_known(const Env& env, Draft& d, Rng& rng, const std::string& path, const spec::Index::Entry* known, Slot at,
               bool rich) {
  const spec::Param* p = known ? known->leaf : find_param(env, path);
  if (!p) return;
  if (p->members.empty()) {
    at.path = path;
    if (p->type != spec::ParamType::Object) fill_known(env, d, std::move(at), rng, known);
    return;
  }
  if (p->members.size() == 1 && p->members[0].name == "{key}"sv) {
    const spec::Rule* klen = key_length_rule(env, path + ".{key}");
    std::size_t lo = klen && klen->min ? static_cast<std::size_t>(std::max(*klen->min, 1.0)) : 1;
    std::size_t hi = klen && klen->max ? static_cast<std::size_t>(*klen->max) : 8;
    std::size_t keys = rich ? static_cast<std::size_t>(rng.between(1, 2)) : 1;
    for (std::size_t k = 0; k < keys; ++k) {
      Slot entry = at;
      entry.key = map_key(rng, static_cast<std::size_t>(rng.between(static_cast<long long>(lo), static_cast<long long>(std::min(hi, lo + 7)))));
      add(env, d, rng, path + ".{key}", entry, rich);
    }
    return;
  }
  std::size_t before = d.entries.size();
  for (const spec::Param& m : p->members) {
    if (is_required(env, path + "." + m.name, m) || (rich && rng.chance(50))) add(env, d, rng, path + "." + m.name, at, rich);
  }
  if (d.entries.size() == before) {  // no member chosen: the object itself, empty
    at.path = path;
    d.set(std::move(at), json::object());
  }
}

}  // namespace

void add(const Env& env, Draft& d, Rng& rng, const std::string& path, Slot at, bool rich) {
  // One lookup for the parameter and fill()'s reference type and constraints.
  add_known(env, d, rng, path, env.index->find(path), std::move(at), rich);
}

Draft base_draft(const Env& env, Rng& rng, bool rich) {
  Draft d;
  d.entries.reserve(2 * env.spec.params.size());
  // The indices of each family met so far (few: looked up in place, no tree).
  // (By the family's name in Derived::order_family.)
  std::vector<std::pair<const std::string*, std::vector<std::string>>> family_indices;
  const Derived& dv = *env.derived;
  for (std::size_t k = 0; k < dv.order.size(); ++k) {
    const spec::Param* p = dv.order[k];  // draft_order(env)
    // Required or Action, and DryRun: worked out once per Env (Derived::order_take, order_dry_run).
    bool take = dv.order_take[k] || (rich && rng.chance(p->deprecated ? 10 : 35));
    if (!take || dv.order_dry_run[k]) continue;
    if (!dv.order_indexed[k]) {
      add_known(env, d, rng, p->name, dv.order_known[k], Slot{}, rich);
      continue;
    }
    const std::string& family = dv.order_family[k];
    auto known = std::find_if(family_indices.begin(), family_indices.end(), [&](const auto& f) { return *f.first == family; });
    if (known == family_indices.end()) known = family_indices.emplace(family_indices.end(), &family, std::vector<std::string>());
    auto& idx = known->second;
    if (idx.empty()) {
      idx.push_back("1");
      if (rich && rng.chance(30)) idx.push_back(max_index(env, family));
    }
    for (const std::string& i : idx) add_known(env, d, rng, p->name, dv.order_known[k], Slot{"", i, ""}, rich);
  }
  settle(env, d, rng, nullptr, {});
  return d;
}

std::optional<Case> valid_case(const Env& env, Rng& rng, const spec::Rule* focus, bool rich, std::size_t variant) {
  Draft d = base_draft(env, rng, rich);
  Slot target;
  if (focus && !apply_valid_side(env, d, rng, *focus, variant, target)) return std::nullopt;
  // The value that exercises a value rule's valid side stays, as a violation's does:
  // a cross rule settled after it (UserData.forbidden_with with IoOptimized=none) turns
  // its condition off instead of dropping it, so the case labelled UserData.length's
  // upper edge still sends 16 KB (Derived::keeps_valid).
  if (focus) {
    const bool keep = focus >= env.spec.rules.data() && focus < env.spec.rules.data() + env.spec.rules.size() &&
                      env.derived->keeps_valid[static_cast<std::size_t>(focus - env.spec.rules.data())];
    if (keep) settle(env, d, rng, nullptr, kept_for(*focus, target));
    // A kept value that the parameter's other rules refuse there (available_zones.type's
    // [] against .items; maintain_end.format's time against the enum_if its begin sets):
    // settled again, free to replace it.
    const nlohmann::json* v = keep ? d.get(target.path, target.index, target.key) : nullptr;
    if (!keep || (v && !satisfies(constraints(env, target, d), *v))) settle(env, d, rng, nullptr, {condition_slot(*focus, target)});
  }
  Case c = render(env, std::move(d));
  if (focus) c.target = TargetRule{focus->id, Side::valid};
  return c;
}

std::optional<Case> violating_case(const Env& env, Rng& rng, const spec::Rule& rule, std::size_t variant) {
  if (stateful_only(rule)) return std::nullopt;
  Draft d = base_draft(env, rng, rng.chance(40));
  Slot target;
  if (!apply_violation(env, d, rng, rule, variant, target)) return std::nullopt;
  std::vector<Slot> keep = kept_for(rule, target);
  for (Slot& s : put_in_force(env, d, rng, rule)) keep.push_back(std::move(s));
  settle(env, d, rng, &rule, keep);
  Case c = render(env, std::move(d));
  c.target = TargetRule{rule.id, Side::violating};
  return c;
}

}  // namespace conform::gen
