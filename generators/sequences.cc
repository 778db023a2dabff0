#include "generators/sequences.h"

#include <nlohmann/json.hpp>

#include "generators/cases.h"

namespace conform::gen {
namespace {

using spec::RuleKind;

// A valid case with `token` as its idempotency token (or none when empty).
Draft with_token(const Env& env, Rng& rng, const std::string& param, const std::string& token, bool rich) {
  Draft d = base_draft(env, rng, rich);
  d.erase(param);
  if (!token.empty()) d.set(Slot{param, "", ""}, token);
  return d;
}

std::string fresh_token(Rng& rng) {
  std::string t = "conform";
  for (int i = 0; i < 16; ++i) t += static_cast<char>('a' + rng.below(26));
  return t;
}

// Other idempotency tokens of the op (a duplicate must not be a replay).
void drop_tokens(const Env& env, Draft& d) {
  for (const spec::Rule& r : env.spec.rules) {
    if (r.kind == RuleKind::idempotency && !r.params.empty()) d.erase(r.params[0]);
  }
}

Scenario make(const std::string& id, std::vector<Case> steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) steps[i].id = id + "/" + std::to_string(i);
  return Scenario{id, std::move(steps), true};
}

std::optional<Scenario> idempotency(const Env& env, Rng& rng, const spec::Rule& r, Side side) {
  const std::string& param = r.params[0];
  std::string token = fresh_token(rng);
  Case first = render(env, with_token(env, rng, param, token, true));
  Case second = first;
  if (side == Side::violating) {
    for (int attempt = 0; attempt < 10; ++attempt) {
      second = render(env, with_token(env, rng, param, token, attempt % 2 == 0));
      nlohmann::json a, b;
      to_json(a, first), to_json(b, second);
      if (a != b) break;
    }
  }
  second.target = TargetRule{r.id, side};
  return make(r.id + (side == Side::valid ? ".same" : ".different"), {first, second});
}

std::optional<Scenario> duplicate(const Env& env, Rng& rng, const spec::Rule& r, Side side) {
  Draft a = base_draft(env, rng, false);
  drop_tokens(env, a);
  Draft b = base_draft(env, rng, true);
  drop_tokens(env, b);
  if (side == Side::violating) {
    for (const std::string& p : r.params) {
      b.erase(p);
      for (const Entry& e : a.entries) {
        if (e.slot.path == p) b.set(e.slot, e.value);
      }
    }
  }
  Case second = render(env, b);
  second.target = TargetRule{r.id, side};
  return make(r.id + (side == Side::valid ? ".first" : ".duplicate"), {render(env, a), second});
}

std::optional<Scenario> quota(const Env& env, Rng& rng, const spec::Rule& r, Side side) {
  auto limit = env.fixtures.quota(env.spec.service, r.quota);
  if (!limit || *limit > 1000) return std::nullopt;
  std::vector<Case> steps;
  long long n = side == Side::valid ? *limit : *limit + 1;
  for (long long i = 0; i < n; ++i) {
    Draft d = base_draft(env, rng, false);
    drop_tokens(env, d);  // each create is a new one
    steps.push_back(render(env, d));
  }
  steps.back().target = TargetRule{r.id, side};
  return make(r.id + (side == Side::valid ? ".to_limit" : ".past_limit"), std::move(steps));
}

// A reference to a resource that an earlier step of another operation creates.
std::optional<Scenario> created_reference(const Env& env, const std::vector<spec::Spec>& all, Rng& rng,
                                          const spec::Rule& r, Side side) {
  const std::string field = r.resource + "Id";
  for (const spec::Spec& other : all) {
    if (other.service != env.spec.service) continue;
    bool creates = std::any_of(other.response.begin(), other.response.end(),
                               [&](const spec::ResponseField& f) { return f.name == field; });
    if (!creates || !other.name.starts_with("Create")) continue;
    Env creator{other, env.fixtures, env.region};
    Draft c = base_draft(creator, rng, false);
    drop_tokens(creator, c);
    Draft d = base_draft(env, rng, false);
    Slot at = ensure(env, d, rng, r.params[0]);
    // Step 0 created it; step 7 does not exist, so nothing it names exists.
    d.set(at, step_ref(side == Side::valid ? 0 : 7, field));
    settle(env, d, rng, nullptr, {at});
    Case use = render(env, d);
    use.target = TargetRule{r.id, side};
    return make(r.id + (side == Side::valid ? ".created" : ".never_created"), {render(creator, c), use});
  }
  return std::nullopt;
}

}  // namespace

std::string step_ref(std::size_t step, const std::string& field) {
  return "${" + std::to_string(step) + "." + field + "}";
}

std::optional<Scenario> sequence(const Env& env, const std::vector<spec::Spec>& all, Rng& rng, const spec::Rule& rule,
                                 Side side) {
  switch (rule.kind) {
    case RuleKind::idempotency: return rule.params.empty() ? std::nullopt : idempotency(env, rng, rule, side);
    case RuleKind::unique: return duplicate(env, rng, rule, side);
    case RuleKind::quota: return rule.params.empty() ? quota(env, rng, rule, side) : std::nullopt;
    case RuleKind::reference: return rule.params.empty() ? std::nullopt : created_reference(env, all, rng, rule, side);
    default: return std::nullopt;
  }
}

}  // namespace conform::gen
