// The two halves tied together: every generated valid case is predicted to
// succeed, every single-rule violation is predicted to fail with that rule.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "generators/cases.h"
#include "generators/plan.h"
#include "oracles/predict.h"
#include "spec/index.h"
#include "spec/loader.h"

namespace conform::gen {
namespace {

struct World {
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  std::unique_ptr<oracle::Model> model;
};

const World& world() {
  static const World w = [] {
    World out;
    auto specs = spec::load_specs(CONFORM_SOURCE_DIR + "/specs");
    auto fixtures = load_fixtures(CONFORM_SOURCE_DIR + "/fixtures/default.json");
    if (!specs || !fixtures) std::abort();
    out.specs = *specs;
    out.fixtures = *fixtures;
    out.model = std::make_unique<oracle::Model>(*specs, *fixtures);
    return out;
  }();
  return w;
}

std::string show(const Case& c) {
  nlohmann::json j;
  to_json(j, c);
  return j.dump();
}

Env env_for(const spec::Spec& s) {
  const spec::Param* region = s.find_param("RegionId");
  return Env{s, world().fixtures, region && region->example ? *region->example : ""};
}

TEST(Properties, ValidCasesArePredictedToSucceed) {
  int failures = 0, made = 0;
  for (const spec::Spec& s : world().specs) {
    Env env = env_for(s);
    for (const spec::Rule& r : s.rules) {
      for (std::size_t variant = 0; variant < 6; ++variant) {
        Rng rng(variant * 7919 + std::hash<std::string>{}(r.id));
        auto c = valid_case(env, rng, &r, variant % 3 != 0, variant);
        if (!c) continue;
        ++made;
        oracle::Expectation e = oracle::predict(*c, *world().model);
        if (!e.success() && failures++ < 30) {
          ADD_FAILURE() << s.op << " valid side of " << r.id << " predicted " << e.status << " " << e.rule << " "
                        << e.error << "\n  " << show(*c);
        }
      }
    }
  }
  EXPECT_EQ(failures, 0) << "of " << made;
}

TEST(Properties, ViolationsArePredictedToFailWithTheirRule) {
  int failures = 0, made = 0;
  for (const spec::Spec& s : world().specs) {
    Env env = env_for(s);
    for (const spec::Rule& r : s.rules) {
      for (std::size_t variant = 0; variant < 6; ++variant) {
        Rng rng(variant * 104729 + std::hash<std::string>{}(r.id));
        auto c = violating_case(env, rng, r, variant);
        if (!c) continue;
        ++made;
        oracle::Expectation e = oracle::predict(*c, *world().model);
        if (e.rule != r.id && failures++ < 40) {
          ADD_FAILURE() << s.op << " violation of " << r.id << " predicted " << e.status << " " << e.rule << " "
                        << e.error << "\n  " << show(*c);
        }
      }
    }
  }
  EXPECT_EQ(failures, 0) << "of " << made;
}

// "The parameter is valid only when InstanceChargeType is set to PrePaid"
// (spec::Param::valid_when): a violation of such a parameter's rules, or of a rule
// whose condition is on such a parameter, is sent with the condition holding, and
// along the chain (AutoRenewPeriod: AutoRenew=true, then PrePaid), where every
// reading of the doc refuses it.
TEST(Properties, ViolationsOfAParameterValidOnlyUnderAConditionAreSentUnderIt) {
  int checked = 0;
  for (const spec::Spec& s : world().specs) {
    if (s.dialect != "aliyun-rpc") continue;  // the overlays that use it: query parameters
    Env env = env_for(s);
    for (const spec::Rule& r : s.rules) {
      if (r.params.empty() || spec::phase_of(r.kind).first > 3) continue;
      std::vector<const spec::Param*> chain;
      for (const std::string* name = &r.params[0]; const spec::Param* p = s.find_param(*name);) {
        if (!p->valid_when || chain.size() > 4) break;
        chain.push_back(p);
        name = &p->valid_when->param;
      }
      if (chain.empty()) continue;
      for (std::size_t variant = 0; variant < 6; ++variant) {
        Rng rng(variant * 104729 + std::hash<std::string>{}(r.id));
        auto c = violating_case(env, rng, r, variant);
        if (!c) continue;
        for (const spec::Param* p : chain) {
          const std::string* v = c->query_value(p->valid_when->param);
          const auto& eq = p->valid_when->equals;
          ++checked;
          EXPECT_TRUE(v && std::find(eq.begin(), eq.end(), *v) != eq.end())
              << s.op << " violation of " << r.id << ": " << p->name << " is valid only when " << p->valid_when->param
              << " is " << eq[0] << "\n  " << show(*c);
          // "if you specify DedicatedHostId, the values of SpotStrategy and SpotPriceLimit will be ignored"
          const std::string& unless = p->valid_when->unless;
          EXPECT_TRUE(unless.empty() || !c->query_value(unless))
              << s.op << " violation of " << r.id << ": " << p->name << " is ignored beside " << unless << "\n  " << show(*c);
        }
      }
    }
  }
  EXPECT_GT(checked, 50) << "Period, AutoRenew, AutoRenewPeriod, SpotPriceLimit, SpotStrategy of ecs.CreateInstance";
}

// settle() skips a cross rule whose last run changed nothing while nothing it
// reads was edited since (Draft::touched, idle_rules), and a value that satisfied
// its constraints while nothing their conditions read was edited (edit_at,
// Entry::satisfied). A skipped run must be one that would change neither the
// draft nor the Rng: with the skipping off, every draft and case comes out the
// same, and the Rng ends in the same state. (Such a re-run never draws: a rule
// whose last run drew is never skipped, and over conform gen's 500 cases per
// operation for the seeds 20261202, 7 and 1 no would-be-skipped re-run drew or
// edited anything.)
TEST(Properties, SettleSkippingChangesNoDraft) {
  struct Restore {
    ~Restore() { set_settle_skipping(true); }
  } restore;
  auto same_entries = [](const Draft& a, const Draft& b) {
    if (a.entries.size() != b.entries.size()) return false;
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
      const Slot &x = a.entries[i].slot, &y = b.entries[i].slot;
      if (x.path != y.path || x.index != y.index || x.key != y.key || a.entries[i].value != b.entries[i].value) return false;
    }
    return true;
  };
  int drafts = 0, cases = 0;
  for (const spec::Spec& s : world().specs) {
    Env env = env_for(s);
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      const bool rich = seed % 2 == 0;
      Rng with(seed * 0x9E3779B97F4A7C15ull), without(seed * 0x9E3779B97F4A7C15ull);
      set_settle_skipping(true);
      Draft a = base_draft(env, with, rich);
      set_settle_skipping(false);
      Draft b = base_draft(env, without, rich);
      ++drafts;
      EXPECT_TRUE(same_entries(a, b)) << s.op << " base draft, seed " << seed << ", rich " << rich;
      EXPECT_EQ(with.state(), without.state()) << s.op << " base draft, seed " << seed;
    }
    Plan plan(env, world().specs);
    for (std::size_t i = 0; i < 150; ++i) {
      set_settle_skipping(true);
      const std::string on = to_json_line(plan.case_at(i, kDefaultSeed));
      set_settle_skipping(false);
      const std::string off = to_json_line(plan.case_at(i, kDefaultSeed));
      ++cases;
      EXPECT_EQ(on, off) << s.op << " case " << i;
    }
  }
  EXPECT_GT(drafts, 0);
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace conform::gen
