// Values from a `pattern` rule: samples that match it, its extremes, and the
// near-misses a violating case sends first (generators/violate.cc).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <re2/re2.h>

#include <nlohmann/json.hpp>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/test_paths.h"
#include "generators/cases.h"
#include "generators/plan.h"
#include "generators/values.h"
#include "spec/loader.h"

namespace conform::gen {
namespace {

const char* const kTimezone = "GMT[+-]((0[0-9]|1[01]):[0-5][0-9]|12:00)";

const std::vector<std::string>& patterns() {
  static const std::vector<std::string> p = {
      kTimezone, "[a-z]{2,5}", "\\d{4}-\\d{2}", "(ab|cd)+x?", "[A-Z][a-z0-9_-]{0,8}", "v(1|2|10)\\.[0-9]"};
  return p;
}

// The project's specs and default fixtures, loaded once.
struct Project {
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  const spec::Spec* find(const std::string& op) const {
    for (const spec::Spec& s : specs) {
      if (s.op == op) return &s;
    }
    return nullptr;
  }
};

const Project& project() {
  static const Project p = [] {
    auto specs = spec::load_specs(CONFORM_SOURCE_DIR + "/specs");
    auto fixtures = load_fixtures(CONFORM_SOURCE_DIR + "/fixtures/default.json");
    if (!specs || !fixtures) std::abort();
    return Project{std::move(*specs), std::move(*fixtures)};
  }();
  return p;
}

RC_GTEST_PROP(Pattern, SamplesMatchTheirPattern, (std::uint64_t seed)) {
  Rng rng(seed);
  for (const std::string& p : patterns()) {
    const std::string v = sample_pattern(p, rng);
    RC_ASSERT(RE2::FullMatch(v, RE2(p)));
  }
}

TEST(Pattern, ExtremesTakeTheLastOrTheFirstOfEveryChoice) {
  EXPECT_EQ(extreme_pattern(kTimezone, true), "GMT-12:00");
  EXPECT_EQ(extreme_pattern(kTimezone, false), "GMT+00:00");
  EXPECT_EQ(extreme_pattern("\\d{4}-\\d{2}", true), "9999-99");
  EXPECT_EQ(extreme_pattern("[a-z]{2,5}", false), "aa");
  for (const std::string& p : patterns()) {
    EXPECT_TRUE(RE2::FullMatch(extreme_pattern(p, true), RE2(p))) << p;
    EXPECT_TRUE(RE2::FullMatch(extreme_pattern(p, false), RE2(p))) << p;
  }
}

// DCS timezone_offset, "Value range: GMT–12:00 to GMT+12:00": a service that lets
// the minutes run past 12:00 (GMT+12:30) accepts none of the generic breakers
// ("x", "11111"), so the first violating case is the one just past the edge.
TEST(Pattern, FirstViolationIsJustPastTheHighestValue) {
  const Project& p = project();
  const spec::Spec* dcs = p.find("dcs.CreateInstance");
  ASSERT_NE(dcs, nullptr);
  const std::string rule = "instance_backup_policy.periodical_backup_plan.timezone_offset.pattern";
  Env env{*dcs, p.fixtures, default_region(*dcs, p.fixtures)};
  Plan plan(env, p.specs);
  std::vector<std::string> sent;
  for (std::size_t i = 0; i < static_cast<std::size_t>(kDefaultCases); ++i) {
    Scenario s = plan.case_at(i, kDefaultSeed);
    const Case& c = s.steps.at(0);
    if (!c.target || c.target->rule != rule || c.target->side != Side::violating || !c.body) continue;
    const nlohmann::json* v = &*c.body;
    for (const char* k : {"instance_backup_policy", "periodical_backup_plan", "timezone_offset"}) {
      ASSERT_TRUE(v->is_object() && v->contains(k)) << c.body->dump();
      v = &(*v)[k];
    }
    ASSERT_TRUE(v->is_string());
    EXPECT_FALSE(RE2::FullMatch(v->get<std::string>(), RE2(kTimezone))) << *v;
    sent.push_back(v->get<std::string>());
  }
  ASSERT_GE(sent.size(), 3u);
  const std::set<std::string> got(sent.begin(), sent.end());
  EXPECT_TRUE(got.count("GMT-12:01")) << ::testing::PrintToString(sent);
  // and a matching value with a character after it (a search, not a whole match)
  EXPECT_TRUE(std::any_of(sent.begin(), sent.end(), [](const std::string& v) {
    return !v.empty() && RE2::FullMatch(v.substr(0, v.size() - 1), RE2(kTimezone));
  })) << ::testing::PrintToString(sent);
}

// ecs HostName ".*[^0-9].*" ("It cannot ... contain only digits", line 215), with
// HostName.length (2 to 15 or 64 characters) checked first: on every seed each case
// planned to break the pattern breaks it with a value the length rule takes (a
// near-miss of the pattern alone can be "1", which breaks the length rule too).
TEST(Pattern, HostNameViolationsKeepTheLengthOnEverySeed) {
  const Project& p = project();
  const spec::Spec* ecs = p.find("ecs.CreateInstance");
  ASSERT_NE(ecs, nullptr);
  Env env{*ecs, p.fixtures, default_region(*ecs, p.fixtures)};
  Plan plan(env, p.specs);
  const RE2 not_digits(".*[^0-9].*");
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    int planned = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(kDefaultCases); ++i) {
      Scenario s = plan.case_at(i, seed);
      const Case& c = s.steps.at(0);
      if (!c.target || c.target->rule != "HostName.pattern" || c.target->side != Side::violating) continue;
      ++planned;
      const std::string* v = c.query_value("HostName");
      ASSERT_NE(v, nullptr) << "seed " << seed << " case " << i;
      EXPECT_FALSE(RE2::FullMatch(*v, not_digits)) << *v;
      EXPECT_GE(v->size(), 2u) << *v;
      EXPECT_LE(v->size(), 64u) << *v;
    }
    EXPECT_GE(planned, 1) << "seed " << seed;
  }
}

}  // namespace
}  // namespace conform::gen
