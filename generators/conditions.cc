// slot_for() and make_condition(): where a rule's parameter goes in a draft, and
// the draft edits that make a rule's condition hold or not (cases.h).
#include <algorithm>
#include <string>
#include <vector>

#include "generators/cases.h"
#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {

using nlohmann::json;
using spec::RuleKind;

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
  // The parameter that turns the condition off goes (DataDisk.N.SnapshotId for a
  // size rule: the size counts only without a snapshot).
  if (hold && !w.unless.empty()) d.erase(w.unless, is_indexed(w.unless) ? (at.index.empty() ? "1" : at.index) : "", at.key);
  Slot src{w.param, is_indexed(w.param) ? (at.index.empty() ? "1" : at.index) : "", at.key};
  if (!w.attr.empty()) {
    std::string type = ref_type(env, w.param);
    std::vector<const Resource*> fit;
    for (const Resource* res : resources(env, type)) {
      const std::string* a = res->attr(w.attr);
      bool in = a && (w.equals.empty() || std::find(w.equals.begin(), w.equals.end(), *a) != w.equals.end());
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
    auto typed = [&](const std::string& v) {
      return body && p && (p->type == spec::ParamType::Integer || p->type == spec::ParamType::Long) ? json(std::stoll(v))
                                                                                                    : json(v);
    };
    // A value the condition's parameter keeps its own rules with, where there is
    // one: a violation then breaks its one rule, whatever order a target checks in
    // (DataDisk.N.Category.enum_if's system disk: cloud_ssd, not cloud, which
    // line 54 refuses on an optimized instance). decisions.md section 1.
    std::vector<const std::string*> fine;
    const Constraints& c = constraints(env, src, d);
    for (const std::string& v : w.equals) {
      if (satisfies(c, typed(v))) fine.push_back(&v);
    }
    d.set(src, typed(fine.empty() ? rng.pick(w.equals) : *rng.pick(fine)));
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

}  // namespace conform::gen
