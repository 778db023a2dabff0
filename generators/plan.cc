#include "generators/plan.h"

#include <charconv>

#include "generators/cases.h"
#include "generators/sequences.h"

namespace conform::gen {
namespace {

bool has_creator(const Env& env, const std::vector<spec::Spec>& all, const spec::Rule& r) {
  if (r.kind != spec::RuleKind::reference) return false;
  for (const spec::Spec& other : all) {
    if (other.service != env.spec.service || !other.name.starts_with("Create")) continue;
    for (const spec::ResponseField& f : other.response) {
      if (f.name == r.resource + "Id") return true;
    }
  }
  return false;
}

// A one-step scenario. Not Scenario{id, {c}, false}: an initializer list is
// copied from, and a Case copy was ~3k instructions of every generated case.
Scenario one_step(std::string id, Case c) {
  c.id = id;
  Scenario s{std::move(id), {}, false};
  s.steps.push_back(std::move(c));
  return s;
}

}  // namespace

std::string default_region(const spec::Spec& s, const Fixtures& f) {
  if (!s.find_param("RegionId")) return "";
  for (const Resource& r : f.resources) {
    if (r.service == s.service && !r.region.empty()) return r.region;
  }
  const spec::Param* p = s.find_param("RegionId");
  return p->example.value_or("cn-hangzhou");
}

// A quota on the request itself (BatchCompute MaxClusterGroupCount: the groups
// of one cluster; MaxClusterGroupDesiredVMCount) can only be seen while the
// account quota on the same creations (MaxClusterCount) has room: a create on a
// full account is refused for that first. A run's valid cases fill the account
// within its first hundred or so creates, so these rules' cases come first.
namespace {
bool request_quota(const spec::Rule& r) { return r.kind == spec::RuleKind::quota && !r.params.empty(); }
}  // namespace

std::vector<Target> targets(const Env& env, const std::vector<spec::Spec>& all) {
  std::vector<Target> out;
  for (int pass = 0; pass < 2; ++pass) {
    for (const spec::Rule& r : env.spec.rules) {
      if (request_quota(r) != (pass == 0)) continue;
      bool seq = stateful_only(r);
      out.push_back({&r, Side::valid, seq});
      out.push_back({&r, Side::violating, seq});
    }
  }
  for (const spec::Rule& r : env.spec.rules) {
    if (!has_creator(env, all, r)) continue;
    out.push_back({&r, Side::valid, true});
    out.push_back({&r, Side::violating, true});
  }
  return out;
}

Plan::Plan(const Env& env, const std::vector<spec::Spec>& all) : env_(env), all_(all), targets_(targets(env, all)) {}

Scenario generate_one(const Env& env, const std::vector<spec::Spec>& all, std::size_t i, std::uint64_t seed) {
  return Plan(env, all).case_at(i, seed);
}

Scenario Plan::case_at(std::size_t i, std::uint64_t seed) const {
  const Env& env = env_;
  const std::vector<spec::Spec>& all = all_;
  const std::vector<Target>& ts = targets_;
  Rng rng(seed ^ (std::hash<std::string>{}(env.spec.op) * 0x9E3779B97F4A7C15ull) ^ (i * 0xBF58476D1CE4E5B9ull));
  std::string id;  // "<op>#<i>", sized once
  char digits[24];
  const auto [digits_end, ec] = std::to_chars(digits, digits + sizeof digits, i);
  (void)ec;  // 24 characters hold any std::size_t
  id.reserve(env.spec.op.size() + 1 + static_cast<std::size_t>(digits_end - digits));
  id.append(env.spec.op).append(1, '#').append(digits, digits_end);
  if (!ts.empty()) {
    const Target& t = ts[i % ts.size()];
    std::size_t variant = i / ts.size();
    if (t.sequence) {
      if (auto s = sequence(env, all, rng, *t.rule, t.side)) {
        s->id = id;
        for (std::size_t k = 0; k < s->steps.size(); ++k) s->steps[k].id = id + "/" + std::to_string(k);
        return std::move(*s);
      }
    } else {
      auto c = t.side == Side::valid ? valid_case(env, rng, t.rule, variant % 3 != 0, variant)
                                     : violating_case(env, rng, *t.rule, variant);
      if (c) return one_step(std::move(id), std::move(*c));
    }
  }
  return one_step(std::move(id), std::move(*valid_case(env, rng, nullptr, i % 2 == 0, i)));
}

std::vector<Scenario> generate_op(const Env& env, const std::vector<spec::Spec>& all, int cases, std::uint64_t seed) {
  std::vector<Scenario> out;
  Plan plan(env, all);
  for (int i = 0; i < cases; ++i) out.push_back(plan.case_at(static_cast<std::size_t>(i), seed));
  return out;
}

}  // namespace conform::gen
