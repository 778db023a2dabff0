// Cases for the dialect's own answers, which no spec rule names (the wire shape
// is the dialect's business, not the generators'): Format=XML, a form POST and
// an unknown Action for aliyun-rpc; a malformed and a non-object JSON body for
// the JSON dialects; DryRun=true where the operation has it. Built from a generated valid case; the oracle predicts
// each, so nothing here decides an answer.
#include <cstdio>
#include <functional>

#include <nlohmann/json.hpp>

#include "generators/cases.h"
#include "generators/plan.h"
#include "harness/runner_plan.h"

namespace conform::plan {
namespace {

using nlohmann::json;

void set_param(const spec::Spec& s, Case& c, const std::string& name, const std::string& value) {
  const spec::Param* p = s.find_param(name);
  if (p && p->in == spec::Location::body) {
    json b = c.body ? *c.body : json::object();
    if (!b.is_object()) return;
    b[name] = value;
    c.set_body(std::move(b));
    return;
  }
  for (auto& [k, v] : c.query) {
    if (k == name) {
      v = value;
      return;
    }
  }
  c.query.emplace_back(name, value);
}

std::optional<Case> valid(const gen::Env& env, std::uint64_t seed, std::size_t variant) {
  gen::Rng rng(seed);
  auto c = gen::valid_case(env, rng, nullptr, false, variant);
  if (c) c->target.reset();
  return c;
}

// The dialect's own answers (docs/decisions.md section 3).
void dialect_cases(const spec::Spec& s, const gen::Env& env, std::uint64_t seed, std::vector<Scenario>& out) {
  auto c = valid(env, seed ^ std::hash<std::string>{}(s.op + "/dialect"), 0);
  if (!c) return;
  auto add = [&](const std::string& name, Case k) {
    k.id = s.op + "#dialect." + name;
    k.target = TargetRule{"dialect." + name, Side::violating};
    out.push_back(Scenario{k.id, {std::move(k)}, false});
  };
  if (s.dialect == "aliyun-rpc") {
    Case xml = *c;
    set_param(s, xml, "Format", "XML");
    add("xml", xml);
    Case post = *c;
    post.method = "POST";
    add("form_post", post);
    if (s.find_param("DryRun")) {  // the answer issue 8's safety rule relies on
      Case dry = *c;
      set_param(s, dry, "DryRun", "true");
      add("dry_run", dry);
    }
    Case unknown = *c;
    set_param(s, unknown, "Action", s.name + "X");
    add("unknown_action", unknown);
    return;
  }
  Case broken = *c;
  broken.raw_body = "{\"broken\": ";
  add("malformed_json", broken);
  Case array = *c;
  array.raw_body = "[1, 2]";
  add("json_not_object", array);
}

}  // namespace

std::vector<Scenario> extra_scenarios(const std::vector<spec::Spec>& specs, const Fixtures& fixtures,
                                      std::uint64_t seed) {
  std::vector<Scenario> out;
  for (const spec::Spec& s : specs) {
    gen::Env env{s, fixtures, gen::default_region(s, fixtures)};
    dialect_cases(s, env, seed, out);
  }
  return out;
}

}  // namespace conform::plan
