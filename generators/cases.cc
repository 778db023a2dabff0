#include "generators/cases.h"

#include <algorithm>
#include <set>

#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::RuleKind;

// Parameters some rule's condition reads get their values first.
bool is_condition_source(const Env& env, const std::string& path) { return env.index->is_condition_source(path); }

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

bool present_under(const Draft& d, const std::string& parent, const Slot& at) {
  for (const Entry& e : d.entries) {
    if ((e.slot.path == parent || e.slot.path.rfind(parent + ".", 0) == 0) &&
        (at.index.empty() || e.slot.index == at.index) && (at.key.empty() || e.slot.key == at.key)) {
      return true;
    }
  }
  return false;
}

std::string parent_of(const std::string& path) {
  std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

// Is `path` a member below a top-level parameter (so its presence depends on the parent's)?
bool is_member(const Env& env, const std::string& path) {
  const spec::Param* top = top_param(env, path);
  return top && top->name != path;
}

void fix_cross(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const std::vector<Slot>& keep);

// The kinds fix_cross (and fix_state) act on.
bool is_cross_kind(RuleKind k) {
  switch (k) {
    case RuleKind::required_if: case RuleKind::pair: case RuleKind::requires_param: case RuleKind::exclusive:
    case RuleKind::forbidden_with: case RuleKind::ref_match: case RuleKind::at_least_ref: return true;
    default: return false;
  }
}

// docs/decisions.md section 1, as far as the generators need it: would rule `a`
// answer before rule `b`?
bool precedes(const spec::Rule& a, const spec::Rule& b) {
  auto pa = spec::phase_of(a.kind), pb = spec::phase_of(b.kind);
  if (pa != pb) return pa < pb;
  return &a < &b;  // spec order: both live in spec.rules
}

// Required by its table row or by a `required` rule (members often only by the latter).
bool is_required(const Env& env, const std::string& path, const spec::Param& p) {
  if (p.required) return true;
  return std::any_of(env.spec.rules.begin(), env.spec.rules.end(), [&](const spec::Rule& r) {
    return r.kind == RuleKind::required && !r.params.empty() && r.params[0] == path;
  });
}

}  // namespace

std::string map_key(Rng& rng, std::size_t length) {
  std::string k;
  for (std::size_t i = 0; i < length; ++i) k += static_cast<char>((i == 0 ? 'g' : 'a') + rng.below(i == 0 ? 20 : 26));
  return k;
}

bool stateful_only(const spec::Rule& r) {
  return r.kind == RuleKind::idempotency || r.kind == RuleKind::unique || (r.kind == RuleKind::quota && r.params.empty());
}

bool acceptable(const Env& env, const std::string& path, const Resource& res) {
  for (const spec::Rule& r : env.spec.rules) {
    if (r.kind != RuleKind::ref_attr || r.params.empty() || r.params[0] != path) continue;
    const std::string* a = res.attr(r.attr);
    if (!a) continue;
    if (!r.values.empty() && std::find(r.values.begin(), r.values.end(), *a) == r.values.end()) return false;
    if (r.min || r.max) {
      std::string digits;  // "2013-07-15" -> 20130715, as the rule's bound is written
      for (char c : *a) {
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      }
      double n = digits.empty() ? 0 : std::stod(digits.substr(0, std::min<std::size_t>(digits.size(), 8)));
      if ((r.min && n < *r.min) || (r.max && n > *r.max)) return false;
    }
  }
  return true;
}

const Resource* choose_resource(const Env& env, const std::string& path, const std::string& type, Rng& rng,
                                bool want_acceptable) {
  std::vector<const Resource*> ok;
  for (const Resource* res : resources(env, type)) {
    if (acceptable(env, path, *res) == want_acceptable) ok.push_back(res);
  }
  return ok.empty() ? nullptr : ok[rng.below(ok.size())];
}

bool fill(const Env& env, Draft& d, const Slot& slot, Rng& rng) {
  if (slot.path == "RegionId" && !env.region.empty()) {  // the fixtures' region
    d.set(slot, env.region);
    return true;
  }
  if (slot.path == "Action" && env.spec.dialect == "aliyun-rpc") {
    d.set(slot, env.spec.name);
    return true;
  }
  std::string type = ref_type(env, slot.path);
  if (type.empty() && slot.path.size() > 2 && slot.path.compare(slot.path.size() - 2, 2, "Id") == 0) {
    // No reference rule, but the fixtures know the kind: use a real one.
    std::string guess = slot.path.substr(slot.path.rfind('.') + 1);
    guess = guess.substr(0, guess.size() - 2);
    if (!resources(env, guess).empty()) type = guess;
  }
  if (!type.empty()) {
    if (const Resource* res = choose_resource(env, slot.path, type, rng)) {
      d.set(slot, res->id);
      return true;
    }
    d.erase(slot.path, slot.index, slot.key);
    return false;
  }
  auto v = make_valid(env, gather(env, slot, d), rng);
  if (!v) {
    d.erase(slot.path, slot.index, slot.key);
    return false;
  }
  d.set(slot, std::move(*v));
  return true;
}

void add(const Env& env, Draft& d, Rng& rng, const std::string& path, Slot at, bool rich) {
  const spec::Param* p = find_param(env, path);
  if (!p) return;
  if (p->members.empty()) {
    at.path = path;
    if (p->type != spec::ParamType::Object) fill(env, d, at, rng);
    return;
  }
  if (p->members.size() == 1 && p->members[0].name == "{key}") {
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
    d.set(at, json::object());
  }
}

Draft base_draft(const Env& env, Rng& rng, bool rich) {
  Draft d;
  std::map<std::string, std::vector<std::string>> family_indices;
  std::vector<const spec::Param*> order;
  for (const spec::Param& p : env.spec.params) order.push_back(&p);
  std::stable_partition(order.begin(), order.end(), [&](const spec::Param* p) { return is_condition_source(env, p->name); });
  for (const spec::Param* p : order) {
    bool take = p->required || p->name == "Action" || (rich && rng.chance(p->deprecated ? 10 : 35));
    if (!take || p->name == "DryRun") continue;
    if (!is_indexed(p->name)) {
      add(env, d, rng, p->name, Slot{}, rich);
      continue;
    }
    std::string family = family_of(p->name);
    auto& idx = family_indices[family];
    if (idx.empty()) {
      idx.push_back("1");
      if (rich && rng.chance(30)) idx.push_back(max_index(env, family));
    }
    for (const std::string& i : idx) add(env, d, rng, p->name, Slot{"", i, ""}, rich);
  }
  settle(env, d, rng, nullptr, {});
  return d;
}

Slot slot_for(const Env& env, Draft& d, Rng& rng, const std::string& path) {
  for (const Entry& e : d.entries) {
    if (e.slot.path == path) return e.slot;
  }
  // Where the path's index or key comes from: a sibling already in the draft.
  Slot s{path, is_indexed(path) ? "1" : "", ""};
  if (path.find("{key}") != std::string::npos) {
    std::string map = path.substr(0, path.find("{key}") - 1);
    for (const Entry& e : d.entries) {
      if (e.slot.path.rfind(map + ".", 0) == 0 && !e.slot.key.empty()) s.key = e.slot.key;
    }
    if (s.key.empty()) {
      s.key = map_key(rng, 3);
      add(env, d, rng, map + ".{key}", Slot{"", s.index, s.key}, false);
    }
  }
  return s;
}

bool make_condition(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const Slot& at, bool hold) {
  if (!r.when) return hold;
  const spec::Condition& w = *r.when;
  Slot src{w.param, is_indexed(w.param) ? (at.index.empty() ? "1" : at.index) : "", at.key};
  if (!w.attr.empty()) {
    std::string type = ref_type(env, w.param);
    std::vector<const Resource*> fit;
    for (const Resource* res : resources(env, type)) {
      const std::string* a = res->attr(w.attr);
      bool in = a && std::find(w.equals.begin(), w.equals.end(), *a) != w.equals.end();
      if (in == hold && acceptable(env, w.param, *res)) fit.push_back(res);
    }
    if (fit.empty()) return false;
    d.set(src, rng.pick(fit)->id);
    return true;
  }
  if (w.equals.empty()) {
    if (hold) return d.get(w.param, src.index, src.key) || fill(env, d, src, rng);
    d.erase(w.param, src.index, src.key);
    return true;
  }
  if (hold) {
    const spec::Param* p = find_param(env, w.param);
    bool body = !is_text_slot(env, w.param);
    std::string v = rng.pick(w.equals);
    if (body && p && (p->type == spec::ParamType::Integer || p->type == spec::ParamType::Long)) {
      d.set(src, std::stoll(v));
    } else {
      d.set(src, v);
    }
    return true;
  }
  const spec::Param* wp = find_param(env, w.param);
  if (!wp || !is_required(env, w.param, *wp)) {
    d.erase(w.param, src.index, src.key);
    if (!holds(env, r, at, d)) return true;
  }
  // Required, or its default holds: a value outside the condition, from its own enum.
  for (const spec::Rule& e : env.spec.rules) {
    if (e.kind != RuleKind::enumeration || e.params.empty() || e.params[0] != w.param) continue;
    std::vector<std::string> outside;
    for (const std::string& v : e.values) {
      if (std::find(w.equals.begin(), w.equals.end(), v) == w.equals.end()) outside.push_back(v);
    }
    if (!outside.empty()) {
      d.set(src, rng.pick(outside));
      return true;
    }
  }
  const spec::Param* p = find_param(env, w.param);
  if (p && p->type == spec::ParamType::Boolean) d.set(src, w.equals[0] == "true" ? "false" : "true");
  return !holds(env, r, at, d);
}

namespace {

void fix_cross(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const std::vector<Slot>& keep) {
  auto kept = [&](const std::string& path) {
    return std::any_of(keep.begin(), keep.end(), [&](const Slot& k) { return k.path == path; });
  };
  auto present = [&](const std::string& p, const std::string& idx) { return d.get(p, idx) != nullptr; };
  switch (r.kind) {
    case RuleKind::required_if: {
      const std::string& p = r.params[0];
      std::vector<Slot> scopes;
      std::string parent = parent_of(p);
      if (is_member(env, p)) {
        if (present_under(d, parent, Slot{})) scopes.push_back(slot_for(env, d, rng, p));
      } else if (!is_indexed(p)) {
        scopes.push_back(Slot{p, "", ""});
      }
      for (const Slot& s : scopes) {
        if (holds(env, r, s, d) && !d.get(p, s.index, s.key)) fill(env, d, s, rng);
      }
      break;
    }
    case RuleKind::pair:
    case RuleKind::requires_param: {
      std::set<std::string> idx;
      for (const Entry& e : d.entries) {
        if (e.slot.path == r.params[0] || (r.kind == RuleKind::pair && std::find(r.params.begin(), r.params.end(), e.slot.path) != r.params.end())) {
          idx.insert(e.slot.index);
        }
      }
      for (const std::string& i : idx) {
        for (const std::string& p : r.params) {
          if (!present(p, is_indexed(p) ? i : "")) fill(env, d, Slot{p, is_indexed(p) ? i : "", ""}, rng);
        }
      }
      break;
    }
    case RuleKind::exclusive: {
      std::vector<std::string> order = r.params;  // a kept one stays
      std::stable_partition(order.begin(), order.end(), [&](const std::string& p) { return kept(p); });
      bool seen = false;
      for (const std::string& p : order) {
        if (d.has(p) && seen) d.erase(p);
        seen = seen || d.has(p);
      }
      break;
    }
    case RuleKind::forbidden_with: {
      std::vector<Slot> drop;
      for (const Entry& e : d.entries) {
        if (e.slot.path != r.params[0]) continue;
        bool hit = r.when ? holds(env, r, e.slot, d) : (r.params.size() > 1 && d.has(r.params[1]));
        if (hit) drop.push_back(e.slot);
      }
      for (const Slot& s : drop) {
        if (!kept(s.path)) {
          d.erase(s.path, s.index, s.key);
        } else if (r.when) {
          make_condition(env, d, rng, r, s, false);
        } else {
          d.erase(r.params[1]);
        }
      }
      break;
    }
    default:
      if (std::none_of(r.params.begin(), r.params.end(), kept)) fix_state(env, d, rng, r);
      break;
  }
}

}  // namespace

Slot condition_slot(const spec::Rule& r, const Slot& at) {
  if (!r.when) return Slot{};
  return Slot{r.when->param, is_indexed(r.when->param) ? (at.index.empty() ? "1" : at.index) : "", at.key};
}

void settle(const Env& env, Draft& d, Rng& rng, const spec::Rule* except, const std::vector<Slot>& keep_in) {
  // A condition turned off for a kept value is kept too, so that a chain of
  // conditions is followed rather than undone (CreateInstance: an ephemeral_ssd data
  // disk needs an ephemeral_ssd system disk, line 55, which IoOptimized=optimized
  // forbids, line 54: IoOptimized gives way, not the system disk).
  std::vector<Slot> keep = keep_in;
  auto kept = [&](const Slot& s) {
    return std::any_of(keep.begin(), keep.end(), [&](const Slot& k) {
      return k.path == s.path && (k.index.empty() || k.index == s.index) && (k.key.empty() || k.key == s.key);
    });
  };
  for (int round = 0; round < 4; ++round) {
    // A round that changes neither the draft nor the Rng would be repeated
    // exactly by the next one: stop after it.
    const std::uint64_t version = d.version, rng_state = rng.state();
    for (const spec::Rule& r : env.spec.rules) {
      if (&r != except && !r.params.empty() && is_cross_kind(r.kind)) fix_cross(env, d, rng, r, keep);
    }
    std::vector<Slot> stale;
    const std::vector<Entry> entries = d.entries;  // make_condition below edits the draft
    for (const Entry& e : entries) {
      if (!ref_type(env, e.slot.path).empty()) continue;  // resource ids: the state rules' business
      if (env.index->rules_of(e.slot.path).empty()) continue;  // nothing to satisfy
      Constraints c = gather(env, e.slot, d, nullptr);
      if (satisfies(c, e.value)) continue;
      if (!kept(e.slot)) {
        stale.push_back(e.slot);
        continue;
      }
      // A value that must stay: turn off the conditions that make it wrong.
      for (const spec::Rule* r : c.rules) {
        if (r == except || !r->when || rule_ok(*r, c, e.value)) continue;
        if (except && !precedes(*r, *except)) continue;  // answers after the violation: harmless
        if (make_condition(env, d, rng, *r, e.slot, false)) keep.push_back(condition_slot(*r, e.slot));
      }
    }
    if (stale.empty() && (round > 0 || (d.version == version && rng.state() == rng_state))) return;
    for (const Slot& s : stale) fill(env, d, s, rng);
  }
}

std::optional<Case> valid_case(const Env& env, Rng& rng, const spec::Rule* focus, bool rich, std::size_t variant) {
  Draft d = base_draft(env, rng, rich);
  Slot target;
  if (focus && !apply_valid_side(env, d, rng, *focus, variant, target)) return std::nullopt;
  if (focus) settle(env, d, rng, nullptr, {condition_slot(*focus, target)});
  Case c = render(env, d);
  if (focus) c.target = TargetRule{focus->id, Side::valid};
  return c;
}

std::optional<Case> violating_case(const Env& env, Rng& rng, const spec::Rule& rule, std::size_t variant) {
  if (stateful_only(rule)) return std::nullopt;
  Draft d = base_draft(env, rng, rng.chance(40));
  Slot target;
  if (!apply_violation(env, d, rng, rule, variant, target)) return std::nullopt;
  settle(env, d, rng, &rule, {target, condition_slot(rule, target)});
  Case c = render(env, d);
  c.target = TargetRule{rule.id, Side::violating};
  return c;
}

}  // namespace conform::gen
