// The two halves tied together: every generated valid case is predicted to
// succeed, every single-rule violation is predicted to fail with that rule.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "generators/cases.h"
#include "oracles/predict.h"
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
    auto specs = spec::load_specs(CONFORM_SOURCE_DIR "/specs");
    auto fixtures = load_fixtures(CONFORM_SOURCE_DIR "/fixtures/default.json");
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

}  // namespace
}  // namespace conform::gen
