#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "spec/model.h"
#include "spec/model_json.h"

namespace conform::spec {
namespace {

TEST(Model, NamesRoundTrip) {
  for (auto k : {RuleKind::required, RuleKind::length, RuleKind::enumeration, RuleKind::char_classes,
                 RuleKind::ref_match, RuleKind::at_least_ref, RuleKind::quota, RuleKind::sum}) {
    EXPECT_EQ(parse_rule_kind(to_string(k)), k);
  }
  EXPECT_EQ(parse_param_type("string"), ParamType::String);
  EXPECT_EQ(parse_param_type("JSON"), ParamType::Json);
  EXPECT_EQ(parse_param_type("object"), ParamType::Object);
  EXPECT_FALSE(parse_param_type("Widget"));
  EXPECT_EQ(parse_confidence("inferred"), Confidence::inferred);
}

TEST(Model, FindParamFollowsMembers) {
  Spec s;
  Param outer;
  outer.name = "instance_backup_policy";
  outer.type = ParamType::Object;
  Param inner;
  inner.name = "save_days";
  inner.type = ParamType::Integer;
  outer.members.push_back(inner);
  s.params.push_back(outer);
  ASSERT_NE(s.find_param("instance_backup_policy.save_days"), nullptr);
  EXPECT_EQ(s.find_param("instance_backup_policy.save_days")->type, ParamType::Integer);
  EXPECT_EQ(s.find_param("save_days"), nullptr);
}

// dump_spec writes the text itself; it is to_json's tree, dumped.
std::string tree_dump(const Spec& s) {
  return to_json(s).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

TEST(Model, DumpIsTheTreesDumpForEveryProjectSpec) {
  int seen = 0;
  for (const auto& dir : std::filesystem::directory_iterator(std::string(CONFORM_SOURCE_DIR) + "/specs")) {
    if (!dir.is_directory()) continue;
    for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
      const std::string name = f.path().filename().string();
      if (!name.ends_with(".json") || name.ends_with(".overlay.json")) continue;
      std::ifstream in(f.path());
      std::stringstream text;
      text << in.rdbuf();
      auto s = spec_from_json(nlohmann::json::parse(text.str()), name);
      ASSERT_TRUE(s) << s.error().message();
      EXPECT_EQ(dump_spec(*s), tree_dump(*s)) << name;
      ++seen;
    }
  }
  EXPECT_GE(seen, 5);
}

TEST(Model, DumpIsTheTreesDumpForOddText) {
  Spec s;
  s.op = "a\x01\"\\\u00e9";
  s.doc = "d\xff\xc3";
  Param p;
  p.name = "p";
  p.members.push_back(p);
  p.members[0].source = Source{"other", 3, "q\tq", true};
  s.params.push_back(p);
  Rule r;
  r.id = "r";
  r.kind = RuleKind::length;
  r.min = 0.5;
  r.max = 1e21;
  r.when = Condition{"p", {"x"}, "attr", ""};
  s.rules.push_back(r);
  s.errors.push_back(ErrorRow{});
  s.response.push_back(ResponseField{"f", ParamType::Object, {ResponseField{"g", ParamType::String, {}}}});
  s.examples.push_back(Example{});
  s.unparsed.push_back(Spec::Remark{Source{}, "why"});
  EXPECT_EQ(dump_spec(s), tree_dump(s));
  EXPECT_EQ(dump_spec(Spec{}), tree_dump(Spec{}));
}

// Random specs of the shapes the importer writes.
Rule random_rule(int i) {
  namespace gen = rc::gen;
  Rule r;
  r.kind = static_cast<RuleKind>(*gen::inRange(0, static_cast<int>(RuleKind::ref_match) + 1));
  const std::string param = *gen::string<std::string>();
  r.id = "r" + std::to_string(i);
  r.params = {param.empty() ? "p" : param};
  if (*gen::arbitrary<bool>()) {
    r.min = *gen::inRange(-1000, 1000);
    r.max = *r.min + *gen::inRange(0, 100);
  }
  r.values = *gen::container<std::vector<std::string>>(gen::string<std::string>());
  r.charset = *gen::string<std::string>();
  r.unit = *gen::element(LengthUnit::chars, LengthUnit::bytes);
  if (*gen::arbitrary<bool>()) r.when = Condition{*gen::string<std::string>(), {*gen::string<std::string>()}, "", ""};
  r.expect.confidence = static_cast<Confidence>(*gen::inRange(0, 3));
  r.expect.status = *gen::inRange(400, 500);
  r.expect.codes = {"Invalid" + param};
  r.source = Source{"apidocs/x.md", *gen::inRange(1, 1000), *gen::string<std::string>(), false};
  return r;
}

RC_GTEST_PROP(ModelProp, SpecJsonRoundTrips, ()) {
  namespace gen = rc::gen;
  Spec s;
  s.op = "svc.Op";
  s.service = "svc";
  s.name = "Op";
  s.doc = "apidocs/x.md";
  s.dialect = "aliyun-rpc";
  s.method = "GET";
  s.path = "/";
  Param p;
  p.name = *gen::nonEmpty(gen::string<std::string>());
  if (*gen::arbitrary<bool>()) p.example = *gen::string<std::string>();
  p.description = *gen::string<std::string>();
  s.params.push_back(p);
  const int n = *gen::inRange(0, 8);
  for (int i = 0; i < n; ++i) s.rules.push_back(random_rule(i));
  const std::string first = dump_spec(s);
  RC_ASSERT(first == tree_dump(s));
  auto parsed = spec_from_json(nlohmann::json::parse(first), "x.json");
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(dump_spec(*parsed) == first);
}

}  // namespace
}  // namespace conform::spec
