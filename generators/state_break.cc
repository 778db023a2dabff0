// Violations of the rules that read resources (cases.h): a missing resource, one
// whose attribute is out of bounds, a value below a resource's size, two
// resources that disagree, a per-request quota one past its limit.
#include <algorithm>

#include "core/json_text.h"
#include "generators/cases.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::RuleKind;

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool exists(const Env& env, const std::string& type, const std::string& id) { return resource(env, type, id) != nullptr; }

bool missing_reference(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, Slot& target) {
  target = ensure(env, d, rng, r.params[0]);
  const Constraints& c = constraints(env, target, d);
  const json* have = d.get(target.path, target.index, target.key);
  std::vector<std::string> tries = {std::string("conform-missing-").append(std::to_string(rng.below(1000000))),
                                    std::string("conformmissing").append(std::to_string(rng.below(1000000)))};
  if (have) tries.push_back(text_of(*have) + "x");
  for (int i = 0; i < 10; ++i) {
    if (auto s = build_string(c, rng, static_cast<std::size_t>(std::max(c.len_lo.value_or(8), 8.0)), false)) tries.push_back(*s);
  }
  // A list of ids (RegionIds, held as a list or as its JSON text): one element
  // names nothing, the rest stay.
  json list;
  if (have && have->is_array()) list = *have;
  if (have && have->is_string()) list = parse_json_bounded(have->get_ref<const std::string&>());
  const bool as_text = have && have->is_string();
  for (const std::string& id : tries) {
    json v = id;
    if (list.is_array() && !list.empty()) {
      json l = list;
      l[rng.below(l.size())] = id;
      v = as_text ? json(l.dump()) : std::move(l);
    }
    const bool taken = std::find(r.values.begin(), r.values.end(), id) != r.values.end();
    if (!taken && !exists(env, r.resource, id) && satisfies(c, v)) {
      d.set(target, v);
      return true;
    }
  }
  return false;
}

bool bad_attribute(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, Slot& target) {
  std::vector<const Resource*> fit;
  for (const Resource* res : resources(env, r.resource)) {
    const std::string* a = res->attr(r.attr);
    if (!a) continue;
    // Broken for this rule, and for this rule only among the parameter's ref_attr rules.
    bool breaks = false, others_ok = true;
    for (const spec::Rule& o : env.spec.rules) {
      if (o.kind != RuleKind::ref_attr || o.params.empty() || o.params[0] != r.params[0]) continue;
      if (o.when && &o != &r) continue;  // conditional: holds or not by another parameter
      bool ok = true;
      const std::string* oa = res->attr(o.attr);
      if (oa && !o.values.empty() && std::find(o.values.begin(), o.values.end(), *oa) == o.values.end()) ok = false;
      if (oa && (o.min || o.max)) {
        std::string digits;
        for (char ch : *oa) {
          if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
        }
        double n = digits.empty() ? 0 : std::stod(digits.substr(0, 8));
        if ((o.min && n < *o.min) || (o.max && n > *o.max)) ok = false;
      }
      if (&o == &r) breaks = !ok;
      else others_ok = others_ok && ok;
    }
    if (breaks && others_ok) fit.push_back(res);
  }
  if (fit.empty()) return false;
  target = ensure(env, d, rng, r.params[0]);
  d.set(target, rng.pick(fit)->id);
  return make_condition(env, d, rng, r, target, true);
}

bool below_resource(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, Slot& target) {
  if (!r.when) return false;
  target = ensure(env, d, rng, r.params[0]);
  std::string type = ref_type(env, r.when->param);
  std::vector<const Resource*> owners;
  for (const Resource* res : resources(env, type)) {
    if (res->attr(r.attr) && acceptable(env, r.when->param, *res)) owners.push_back(res);
  }
  std::sort(owners.begin(), owners.end(),
            [&](const Resource* a, const Resource* b) { return std::stod(*a->attr(r.attr)) > std::stod(*b->attr(r.attr)); });
  Slot owner{r.when->param, is_indexed(r.when->param) ? target.index : "", target.key};
  for (const Resource* res : owners) {
    d.set(owner, res->id);
    long long below = static_cast<long long>(std::stod(*res->attr(r.attr))) - 1;
    json v = is_text_slot(env, target.path) ? json(std::to_string(below)) : json(below);
    if (satisfies(constraints(env, target, d), v)) {
      d.set(target, v);
      return true;
    }
  }
  return false;
}

bool disagree(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target) {
  if (r.params.size() < 2) return false;
  target = ensure(env, d, rng, r.params[0]);
  Slot other = ensure(env, d, rng, r.params[1]);
  fix_state(env, d, rng, r);  // start from agreement, then break one side
  std::string t0 = ref_type(env, r.params[0]), t1 = ref_type(env, r.params[1]);
  const json* v1 = d.get(other.path, other.index, other.key);
  const json* v0 = d.get(target.path, target.index, target.key);
  if (!v0 || !v1) return false;
  auto attr_of = [&](const std::string& type, const std::string& id) -> std::string {
    for (const Resource* res : resources(env, type)) {
      if (res->id == id && res->attr(r.attr)) return *res->attr(r.attr);
    }
    return id;
  };
  std::string a1 = attr_of(t1, text_of(*v1));
  if (t0.empty()) {  // a plain value (an IP) against the resource's attribute (a CIDR)
    if (a1.find('/') == std::string::npos) return false;
    d.set(target, ip_near(a1, rng, false));
    return true;
  }
  std::vector<std::string> ids0, ids1;
  for (const Resource* res : resources(env, t0)) {
    if (acceptable(env, r.params[0], *res) && !sides_match(attr_of(t0, res->id), a1)) ids0.push_back(res->id);
  }
  std::string a0 = attr_of(t0, text_of(*v0));
  for (const Resource* res : resources(env, t1)) {
    if (acceptable(env, r.params[1], *res) && !sides_match(a0, attr_of(t1, res->id))) ids1.push_back(res->id);
  }
  if (!ids1.empty() && (variant % 2 || ids0.empty())) {
    d.set(other, rng.pick(ids1));
    target = other;
    return true;
  }
  if (ids0.empty()) return false;
  d.set(target, rng.pick(ids0));
  return true;
}

}  // namespace

bool break_state(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target) {
  switch (r.kind) {
    case RuleKind::reference: return missing_reference(env, d, rng, r, target);
    case RuleKind::ref_attr: return bad_attribute(env, d, rng, r, target);
    case RuleKind::at_least_ref: return below_resource(env, d, rng, r, target);
    case RuleKind::ref_match: return disagree(env, d, rng, r, variant, target);
    case RuleKind::quota: {
      auto limit = quota_limit(env, r);
      return limit && set_quota_count(env, d, rng, r, *limit + 1, target);
    }
    default: return false;
  }
}

}  // namespace conform::gen
