#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "spec/loader.h"
#include "spec/model_json.h"

namespace conform::spec {
namespace {

namespace fs = std::filesystem;

nlohmann::json good_spec() {
  return nlohmann::json::parse(R"({
    "conform_spec": 1, "op": "ecs.Op", "service": "ecs", "name": "Op", "doc": "apidocs/x.md",
    "dialect": "aliyun-rpc", "http": {"method": "GET", "path": "/", "success_status": 200},
    "params": [{"name": "Name", "in": "query", "type": "String", "required": true}],
    "rules": [
      {"id": "Name.required", "kind": "required", "params": ["Name"],
       "expect": {"status": 400, "codes": ["MissingParameter"], "confidence": "documented"}},
      {"id": "Name.length", "kind": "length", "params": ["Name"], "min": 2, "max": 8,
       "expect": {"status": 400, "codes": ["InvalidName"], "confidence": "inferred"}}],
    "errors": [{"status": 400, "code": "MissingParameter", "rules": ["Name.required"]}]
  })");
}

std::string where_of(const nlohmann::json& j) {
  auto s = spec_from_json(j, "specs/ecs/Op.json");
  if (!s) return s.error().message();
  auto v = validate(*s, "specs/ecs/Op.json");
  return v ? "ok" : v.error().message();
}

TEST(Loader, GoodSpecValidates) { EXPECT_EQ(where_of(good_spec()), "ok"); }

TEST(Loader, WrongTypeNamesPointer) {
  auto j = good_spec();
  j["params"][0]["required"] = "yes";
  EXPECT_NE(where_of(j).find("specs/ecs/Op.json#/params/0/required"), std::string::npos) << where_of(j);
}

TEST(Loader, UnknownRuleKindNamesPointer) {
  auto j = good_spec();
  j["rules"][1]["kind"] = "lenght";
  const auto m = where_of(j);
  EXPECT_NE(m.find("#/rules/1/kind"), std::string::npos) << m;
  EXPECT_NE(m.find("lenght"), std::string::npos) << m;
}

TEST(Loader, UnlessOnlyOnAValueRuleOfTheSameFamily) {
  auto j = good_spec();
  j["params"].push_back({{"name", "Other"}, {"in", "query"}, {"type", "String"}});
  j["rules"][1]["when"] = {{"param", "Other"}, {"equals", {"x"}}, {"unless", "Other2"}};
  EXPECT_NE(where_of(j).find("#/rules/1/when/unless"), std::string::npos) << where_of(j);  // no such parameter
  j["rules"][1]["when"]["unless"] = "Other";
  EXPECT_NE(where_of(j).find("#/rules/1/when/unless"), std::string::npos) << where_of(j);  // its own condition
  j["params"].push_back({{"name", "Snap"}, {"in", "query"}, {"type", "String"}});
  j["rules"][1]["when"]["unless"] = "Snap";
  EXPECT_EQ(where_of(j), "ok");
  auto again = spec_from_json(j, "specs/ecs/Op.json");
  ASSERT_TRUE(again);
  EXPECT_EQ(to_json(*again)["rules"][1]["when"]["unless"], "Snap") << "written back";
  j["rules"][0]["when"] = {{"param", "Other"}, {"unless", "Snap"}};
  j["rules"][0]["kind"] = "required_if";
  EXPECT_NE(where_of(j).find("#/rules/0/when/unless"), std::string::npos) << "not on a missing-phase rule";
}

TEST(Loader, ValidWhenNamesAnotherTopLevelParameterWithoutACycle) {
  auto j = good_spec();
  j["params"].push_back({{"name", "Charge"}, {"in", "query"}, {"type", "String"}});
  j["params"][0]["valid_when"] = {{"param", "Charge"}, {"equals", {"PrePaid"}}};
  EXPECT_EQ(where_of(j), "ok");
  auto again = spec_from_json(j, "specs/ecs/Op.json");
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->params[0].valid_when);
  EXPECT_EQ(again->params[0].valid_when->equals, std::vector<std::string>{"PrePaid"});
  EXPECT_EQ(to_json(*again)["params"][0]["valid_when"]["param"], "Charge") << "written back";
  EXPECT_NE(dump_spec(*again).find("\"valid_when\""), std::string::npos) << "dumped";
  j["params"].push_back({{"name", "Host"}, {"in", "query"}, {"type", "String"}});
  j["params"][0]["valid_when"]["unless"] = "Host";
  EXPECT_EQ(where_of(j), "ok");
  again = spec_from_json(j, "specs/ecs/Op.json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->params[0].valid_when->unless, "Host");
  EXPECT_EQ(to_json(*again)["params"][0]["valid_when"]["unless"], "Host") << "written back";
  EXPECT_NE(dump_spec(*again).find("\"unless\": \"Host\""), std::string::npos) << dump_spec(*again);
  j["params"][0]["valid_when"]["unless"] = "Charge";
  EXPECT_NE(where_of(j).find("#/params/0/valid_when"), std::string::npos) << "not the condition's own parameter";
  j["params"][0]["valid_when"].erase("unless");

  j["params"][1]["valid_when"] = {{"param", "Name"}, {"equals", {"x"}}};
  EXPECT_NE(where_of(j).find("(a cycle)"), std::string::npos) << where_of(j);  // Name -> Charge -> Name
  j["params"][1].erase("valid_when");
  j["params"][0]["valid_when"]["param"] = "Nope";
  EXPECT_NE(where_of(j).find("#/params/0/valid_when"), std::string::npos) << where_of(j);
  j["params"][0]["valid_when"] = {{"param", "Charge"}};
  EXPECT_NE(where_of(j).find("#/params/0/valid_when/equals"), std::string::npos) << where_of(j);
  j["params"][0]["valid_when"] = {{"param", "Charge"}, {"equals", {"PrePaid"}}, {"attr", "os"}};
  EXPECT_NE(where_of(j).find("#/params/0/valid_when"), std::string::npos) << "param and equals only";
}

TEST(Loader, ASumIsOverOneIndexedFamilyWithAMax) {
  auto j = good_spec();
  j["params"].push_back({{"name", "Disk.N.Size"}, {"in", "query"}, {"type", "Integer"}});
  j["params"].push_back({{"name", "Disk.N.Kind"}, {"in", "query"}, {"type", "String"}});
  j["rules"].push_back({{"id", "Disk.N.Size.sum"}, {"kind", "sum"}, {"params", {"Disk.N.Size"}}, {"max", 1024},
                        {"when", {{"param", "Disk.N.Kind"}, {"equals", {"local"}}}},
                        {"expect", {{"status", 400}, {"codes", {"X"}}, {"confidence", "inferred"}}}});
  EXPECT_EQ(where_of(j), "ok");
  j["rules"][2]["when"]["param"] = "Name";
  EXPECT_NE(where_of(j).find("#/rules/2/when"), std::string::npos) << "a condition of another family";
  j["rules"][2]["when"]["param"] = "Disk.N.Kind";
  j["rules"][2].erase("max");
  EXPECT_NE(where_of(j).find("#/rules/2/max"), std::string::npos) << where_of(j);
  j["rules"][2]["max"] = 1024;
  j["rules"][2]["params"] = {"Name"};
  EXPECT_NE(where_of(j).find("sum takes one indexed parameter"), std::string::npos) << where_of(j);
  j["rules"][2]["params"] = {"Disk.N.Size", "Disk.N.Kind"};
  EXPECT_NE(where_of(j).find("#/rules/2/attr"), std::string::npos) << "a second parameter needs its attr";
  j["rules"][2]["attr"] = "size_gib";
  EXPECT_EQ(where_of(j), "ok");
  j["rules"][2]["params"] = {"Disk.N.Size", "Name"};
  EXPECT_NE(where_of(j).find("#/rules/2/params/1"), std::string::npos) << where_of(j);
}

// What load refuses, validate refuses too, so that an imported spec that validates
// loads again (an example key "" became a member without a name: fuzz_import_analyze).
TEST(Loader, AParameterWithoutANameIsRefused) {
  auto j = good_spec();
  j["params"].push_back({{"name", "Obj"}, {"in", "body"}, {"type", "Object"}});
  auto s = spec_from_json(j, "specs/ecs/Op.json");
  ASSERT_TRUE(s.has_value());
  s->params.back().members.push_back(Param{});
  auto v = validate(*s, "specs/ecs/Op.json");
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message().find("#/params/1/members/0/name"), std::string::npos) << v.error().message();
}

TEST(Loader, MinAboveMaxIsAnError) {
  auto j = good_spec();
  j["rules"][1]["min"] = 9;
  const auto m = where_of(j);
  EXPECT_NE(m.find("#/rules/1/min"), std::string::npos) << m;
}

TEST(Loader, DanglingRuleInErrorRow) {
  auto j = good_spec();
  j["errors"][0]["rules"] = {"Name.nothing"};
  const auto m = where_of(j);
  EXPECT_NE(m.find("#/errors/0/rules/0"), std::string::npos) << m;
}

TEST(Loader, RuleNamingUnknownParam) {
  auto j = good_spec();
  j["rules"][1]["params"] = {"Nmae"};
  EXPECT_NE(where_of(j).find("#/rules/1/params/0"), std::string::npos);
}

TEST(Loader, DocumentedWithoutCode) {
  auto j = good_spec();
  j["rules"][0]["expect"]["codes"] = nlohmann::json::array();
  EXPECT_NE(where_of(j).find("#/rules/0/expect/codes"), std::string::npos);
}

TEST(Loader, UnknownFieldIsNamed) {
  auto j = good_spec();
  j["rules"][0]["minn"] = 1;
  EXPECT_NE(where_of(j).find("#/rules/0/minn"), std::string::npos);
}

TEST(Loader, BadRegexIsAnError) {
  auto j = good_spec();
  j["rules"][1] = {{"id", "Name.pattern"}, {"kind", "pattern"}, {"params", {"Name"}}, {"pattern", "(a"},
                   {"expect", {{"status", 400}, {"codes", {"X"}}, {"confidence", "inferred"}}}};
  EXPECT_NE(where_of(j).find("#/rules/1/pattern"), std::string::npos);
}

class LoaderFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("conform_loader_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "ecs");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel) << text;
  }
  fs::path dir_;
};

TEST_F(LoaderFiles, SyntaxErrorNamesLineAndColumn) {
  write("ecs/Op.json", "{\n  \"conform_spec\": 1,\n  oops\n}");
  auto s = load_specs(dir_.string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("Op.json:3:"), std::string::npos) << s.error().message();
}

TEST(Loader, ParseJsonNamesLineAndColumn) {
  EXPECT_EQ(parse_json("{\n  \"conform_spec\": 1,\n  oops\n}", "f.json").error().where, "f.json:3:3");
  EXPECT_EQ(parse_json("{\"a\": [1, 2,, 3]}", "f.json").error().where, "f.json:1:13");
  EXPECT_EQ(parse_json("\n\n", "f.json").error().where, "f.json:3:1");
  EXPECT_EQ(parse_json("", "f.json").error().where, "f.json:1:1");
}

// A number too large for a double is an error, not an exception that ends the
// process (found by fuzz_targets_loader: every JSON file conform reads went
// through this; corpus/fuzz/fuzz_targets_loader/regressions/number-overflow).
TEST_F(LoaderFiles, NumberOverflowIsASyntaxError) {
  write("ecs/Op.json", "{\n  \"conform_spec\": 6E886\n}");
  auto s = load_specs(dir_.string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("Op.json:2:"), std::string::npos) << s.error().message();
  EXPECT_NE(s.error().message().find("number overflow"), std::string::npos) << s.error().message();
}

TEST_F(LoaderFiles, OverlayAddsRulesAndLinks) {
  write("ecs/Op.json", good_spec().dump());
  write("ecs/Op.overlay.json", R"({"conform_overlay": 1,
    "params": {"Name": {"secret": true}},
    "rules": [{"id": "Name.pattern", "kind": "pattern", "params": ["Name"], "pattern": "[a-z]+",
               "expect": {"status": 400, "codes": ["InvalidName"], "confidence": "documented"}}],
    "errors": [{"code": "MissingParameter", "rules": ["Name.required", "Name.pattern"]}]})");
  auto s = load_specs(dir_.string());
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(s->size(), 1u);
  const Spec& spec = s->front();
  ASSERT_NE(spec.find_rule("Name.pattern"), nullptr);
  EXPECT_TRUE(spec.find_rule("Name.pattern")->source.overlay);
  EXPECT_TRUE(spec.find_param("Name")->secret);
  EXPECT_EQ(spec.errors[0].rules.size(), 2u);
}

TEST_F(LoaderFiles, OverlayErrorsNameTheOverlay) {
  write("ecs/Op.json", good_spec().dump());
  write("ecs/Op.overlay.json", R"({"conform_overlay": 1, "params": {"Nope": {"secret": true}}})");
  auto s = load_specs(dir_.string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("Op.overlay.json#/params/Nope"), std::string::npos) << s.error().message();
}

TEST_F(LoaderFiles, OverlayAmbiguityIsAddedAndAMissingLineNamed) {
  write("ecs/Op.json", good_spec().dump());
  write("ecs/Op.overlay.json", R"({"conform_overlay": 1,
    "ambiguous": [{"source": {"line": 7, "quote": "q"}, "reason": "message against meaning"}]})");
  auto s = load_specs(dir_.string());
  ASSERT_TRUE(s) << s.error().message();
  const Spec& spec = s->front();
  ASSERT_FALSE(spec.ambiguous.empty());
  EXPECT_EQ(spec.ambiguous.back().source.line, 7);
  EXPECT_EQ(spec.ambiguous.back().reason, "message against meaning");
  EXPECT_TRUE(spec.ambiguous.back().source.overlay);

  write("ecs/Op.overlay.json", R"({"conform_overlay": 1, "ambiguous": [{"source": {"quote": "q"}, "reason": "r"}]})");
  auto bad = load_specs(dir_.string());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("Op.overlay.json#/ambiguous/0/source"), std::string::npos) << bad.error().message();
}

TEST_F(LoaderFiles, EmptyDirIsAnError) {
  auto s = load_specs((dir_ / "ecs").string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("no spec files"), std::string::npos);
}

}  // namespace
}  // namespace conform::spec
