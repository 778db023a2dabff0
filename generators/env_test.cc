// An Env indexes its spec when it is made: specs reloaded in the same process
// (same address, same shape, new contents) are read afresh by the next Env.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/test_paths.h"
#include "generators/cases.h"
#include "generators/plan.h"
#include "spec/loader.h"

namespace conform::gen {
namespace {

const spec::Rule* query_enum_rule(const spec::Spec& s) {
  for (const spec::Rule& r : s.rules) {
    if (r.kind != spec::RuleKind::enumeration || r.when || r.params.empty()) continue;
    const spec::Param* p = s.find_param(r.params[0]);
    if (p && p->in == spec::Location::query && p->type == spec::ParamType::String) return &r;
  }
  return nullptr;
}

const std::string* query_value(const Case& c, const std::string& name) {
  for (const auto& [k, v] : c.query) {
    if (k == name) return &v;
  }
  return nullptr;
}

TEST(Env, SpecReloadedInPlaceIsIndexedAfresh) {
  auto specs = spec::load_specs(CONFORM_SOURCE_DIR + "/specs");
  auto fixtures = load_fixtures(CONFORM_SOURCE_DIR + "/fixtures/default.json");
  ASSERT_TRUE(specs && fixtures);
  auto it = std::find_if(specs->begin(), specs->end(), [](const spec::Spec& s) { return query_enum_rule(s); });
  ASSERT_NE(it, specs->end());
  spec::Spec s = *it;
  const std::size_t k = static_cast<std::size_t>(query_enum_rule(s) - s.rules.data());
  const std::string param = s.rules[k].params[0];
  {
    Env env{s, *fixtures, default_region(s, *fixtures)};
    Rng rng(1);
    auto c = valid_case(env, rng, &s.rules[k], false, 0);
    ASSERT_TRUE(c);
    ASSERT_TRUE(query_value(*c, param));
    EXPECT_NE(std::find(s.rules[k].values.begin(), s.rules[k].values.end(), *query_value(*c, param)),
              s.rules[k].values.end());
  }
  // Reloaded: the same Spec object, rules of the same count in new storage.
  spec::Spec reloaded = s;
  reloaded.rules[k].values = {"ConformReloaded"};
  s = std::move(reloaded);
  Env env{s, *fixtures, default_region(s, *fixtures)};
  for (std::size_t variant = 0; variant < 4; ++variant) {
    Rng rng(variant);
    auto c = valid_case(env, rng, &s.rules[k], variant % 2 == 1, variant);
    ASSERT_TRUE(c);
    ASSERT_TRUE(query_value(*c, param)) << param;
    EXPECT_EQ(*query_value(*c, param), "ConformReloaded");
  }
}

}  // namespace
}  // namespace conform::gen
