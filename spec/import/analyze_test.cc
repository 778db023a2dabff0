// Sentence patterns and the analyzer on small hand-made docs.
#include <gtest/gtest.h>

#include "spec/import/analyze.h"
#include "spec/import/sentences.h"

namespace conform::import {
namespace {

using spec::RuleKind;

RawParam param(std::string name, std::string type, std::string required, std::vector<std::string> lines) {
  RawParam p;
  p.name = std::move(name);
  p.type = std::move(type);
  p.required = std::move(required);
  int line = 10;
  for (auto& l : lines) p.description.push_back({std::move(l), line++});
  p.line = 10;
  return p;
}

spec::Spec analyze_one(std::vector<RawParam> params, std::vector<RawError> errors = {}) {
  RawDoc doc;
  doc.file = "apidocs/t.md";
  doc.request = std::move(params);
  doc.errors = std::move(errors);
  auto a = analyze(doc, OperationInfo{"t.md", "ecs.CreateThing", "aliyun-rpc", "2014-05-26"});
  EXPECT_TRUE(a.has_value());
  return a ? a->spec : spec::Spec{};
}

const spec::Rule* rule_of(const spec::Spec& s, const std::string& param, RuleKind kind) {
  for (const auto& r : s.rules)
    if (r.kind == kind && !r.params.empty() && r.params[0] == param) return &r;
  return nullptr;
}

TEST(Sentences, SplitKeepsUrlsAndAbbreviations) {
  auto s = split_sentences("It must be 2 to 128 characters in length. It cannot start with http:// or https://.");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1], "It cannot start with http:// or https://.");
  EXPECT_EQ(split_sentences("Use e.g. this. Then that.").size(), 2u);
}

TEST(Sentences, CharsetFromList) {
  EXPECT_EQ(charset_from_list("letters, digits, colons (:), underscores (_), and hyphens (-)"), "\\-0-:A-Z_a-z");
  EXPECT_EQ(charset_from_list("digits, letters, hyphens (-), and underscores (_)"),
            charset_from_list("letters, digits, underscores (_), and hyphens (-)"));
  EXPECT_EQ(canonical_charset("a-zA-Z0-9_-"), canonical_charset("A-Za-z0-9\\-_"));
}

TEST(Analyze, LengthCharsetFirstCharPrefix) {
  auto s = analyze_one({param("DeploymentSetName", "String", "No",
                              {"It must be 2 to 128 characters in length. It must start with a letter and cannot start "
                               "with http:// or https://. It can contain letters, digits, colons (:), underscores (_), "
                               "and hyphens (-)."})});
  const auto* len = rule_of(s, "DeploymentSetName", RuleKind::length);
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len->min, 2);
  EXPECT_EQ(len->max, 128);
  ASSERT_NE(rule_of(s, "DeploymentSetName", RuleKind::first_char), nullptr);
  EXPECT_EQ(rule_of(s, "DeploymentSetName", RuleKind::first_char)->charset, "A-Za-z");
  const auto* prefix = rule_of(s, "DeploymentSetName", RuleKind::forbidden_prefix);
  ASSERT_NE(prefix, nullptr);
  EXPECT_EQ(prefix->values, (std::vector<std::string>{"http://", "https://"}));
  ASSERT_NE(rule_of(s, "DeploymentSetName", RuleKind::charset), nullptr);
  // The operation creates deployment sets: no reference rule for its own name.
  EXPECT_EQ(rule_of(s, "DeploymentSetName", RuleKind::reference), nullptr);
}

TEST(Analyze, EnumListWithDefault) {
  auto s = analyze_one({param("Mode", "String", "No",
                              {"The mode. Valid values:", "- CancelMembershipAndStart: restarts. This is the default value.",
                               "- KeepStopped: keeps the instances shut down."})});
  const auto* e = rule_of(s, "Mode", RuleKind::enumeration);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->values, (std::vector<std::string>{"CancelMembershipAndStart", "KeepStopped"}));
  EXPECT_EQ(s.find_param("Mode")->default_value, "CancelMembershipAndStart");
}

TEST(Analyze, ConditionalRangesBySiblingCategory) {
  auto s = analyze_one({param("DataDisk.N.Category", "String", "No", {"Valid values:", "- cloud: basic disk.", "- cloud_ssd: SSD."}),
                        param("DataDisk.N.Size", "Integer", "No",
                              {"n ranges from 1 to 16. Valid values:", "- cloud: 5 to 2,000.", "- cloud_ssd: 20 to 32,768."})});
  int n = 0;
  for (const auto& r : s.rules) {
    if (r.kind != RuleKind::range_if) continue;
    ++n;
    ASSERT_TRUE(r.when);
    EXPECT_EQ(r.when->param, "DataDisk.N.Category");
    if (r.when->equals[0] == "cloud") {
      EXPECT_EQ(r.max, 2000);
    }
    if (r.when->equals[0] == "cloud_ssd") {
      EXPECT_EQ(r.max, 32768);
    }
  }
  EXPECT_EQ(n, 2);
  const auto* idx = rule_of(s, "DataDisk.N", RuleKind::index_max);
  ASSERT_NE(idx, nullptr);
  EXPECT_EQ(idx->max, 16);
}

TEST(Analyze, CrossParameterRules) {
  auto s = analyze_one({param("AutoRenew", "Boolean", "No", {}),
                        param("AutoRenewPeriod", "Integer", "No", {"This parameter is required when AutoRenew is set to true."}),
                        param("VSwitchId", "String", "No", {}),
                        param("PrivateIpAddress", "String", "No", {"PrivateIpAddress depends on VSwitchId and cannot be specified separately."}),
                        param("Password", "String", "No", {}),
                        param("PasswordInherit", "Boolean", "No", {"If PasswordInherit is specified, Password must be null."})});
  const auto* req = rule_of(s, "AutoRenewPeriod", RuleKind::required_if);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->when->param, "AutoRenew");
  EXPECT_EQ(req->when->equals, std::vector<std::string>{"true"});
  const auto* dep = rule_of(s, "PrivateIpAddress", RuleKind::requires_param);
  ASSERT_NE(dep, nullptr);
  EXPECT_EQ(dep->params[1], "VSwitchId");
  ASSERT_NE(rule_of(s, "Password", RuleKind::forbidden_with), nullptr);
  EXPECT_TRUE(s.find_param("Password")->secret);
  // A name-promised format, with inferred confidence.
  const auto* ip = rule_of(s, "PrivateIpAddress", RuleKind::format);
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(ip->format, "ipv4");
}

TEST(Analyze, ErrorRowsLinkAndPinTheCode) {
  RawError missing{"400", "MissingParameter", "The input parameter RegionId that is mandatory for processing this request is not supplied.", "", 50};
  RawError malformed{"400", "InvalidDescription.Malformed", "The specified parameter Description is not valid.",
                     "The value must be 2 to 256 characters in length.", 51};
  RawError state{"400", "Account.Arrearage", "Your account has an outstanding payment.", "", 52};
  auto s = analyze_one({param("RegionId", "String", "Yes", {}),
                        param("Description", "String", "No", {"It must be 2 to 256 characters in length."})},
                       {missing, malformed, state});
  ASSERT_EQ(s.errors.size(), 3u);
  EXPECT_EQ(s.errors[0].rules, std::vector<std::string>{"RegionId.required"});
  EXPECT_EQ(s.errors[1].rules, std::vector<std::string>{"Description.length"});
  EXPECT_TRUE(s.errors[2].rules.empty());
  EXPECT_NE(s.errors[2].unlinked_reason.find("account"), std::string::npos);
  const auto* len = s.find_rule("Description.length");
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len->expect.confidence, spec::Confidence::documented);
  EXPECT_EQ(len->expect.codes, std::vector<std::string>{"InvalidDescription.Malformed"});
  EXPECT_EQ(s.find_rule("RegionId.required")->expect.codes, std::vector<std::string>{"MissingParameter"});
}

TEST(Analyze, ContradictionIsRecordedNotPapered) {
  auto s = analyze_one({param("ParameterOverrides.N.ParameterKey", "String", "Yes",
                              {"- The ParameterOverrides parameter is optional."})});
  EXPECT_FALSE(s.find_param("ParameterOverrides.N.ParameterKey")->required);
  ASSERT_EQ(s.ambiguous.size(), 1u);
  EXPECT_NE(s.ambiguous[0].reason.find("Required: Yes"), std::string::npos);
}

TEST(Analyze, ExampleBreakingItsOwnRuleIsAmbiguous) {
  auto p = param("Category", "String", "No", {"Valid values:", "- cloud: basic disk.", "- cloud_ssd: SSD."});
  p.example = "cloud-ssd";
  auto s = analyze_one({p});
  ASSERT_EQ(s.ambiguous.size(), 1u);
  EXPECT_NE(s.ambiguous[0].reason.find("cloud-ssd"), std::string::npos);
}

}  // namespace
}  // namespace conform::import
