// The five real docs: the committed specs are what a fresh import gives, and hold
// what the issue asks of them.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/test_paths.h"
#include "spec/import/analyze.h"
#include "spec/import/importer.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace conform::import {
namespace {

const std::string kRoot = CONFORM_SOURCE_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Golden, CommittedSpecsAreWhatImportGives) {
  ImportOptions o{kRoot + "/apidocs", kRoot + "/specs", /*check=*/true};
  auto sum = run_import(o);
  ASSERT_TRUE(sum) << sum.error().message();
  for (const auto& f : sum->stale) ADD_FAILURE() << "stale: " << f << " (run: conform import)";
  EXPECT_EQ(sum->ops.size(), 5u);
}

TEST(Golden, ImportTwiceIsByteIdentical) {
  const auto dir = std::filesystem::temp_directory_path() / ("conform_golden_" + std::to_string(::getpid()));
  ImportOptions o{kRoot + "/apidocs", dir.string(), false};
  ASSERT_TRUE(run_import(o));
  const std::string first = slurp((dir / "ecs/CreateInstance.json").string());
  const std::string report = slurp((dir / "ecs/CreateInstance.import.md").string());
  ASSERT_TRUE(run_import(o));
  EXPECT_EQ(first, slurp((dir / "ecs/CreateInstance.json").string()));
  EXPECT_EQ(report, slurp((dir / "ecs/CreateInstance.import.md").string()));
  std::filesystem::remove_all(dir);
}

class Specs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = spec::load_specs(kRoot + "/specs");
    ASSERT_TRUE(s) << s.error().message();
    specs_ = new std::vector<spec::Spec>(std::move(*s));
  }
  static void TearDownTestSuite() { delete specs_; }
  static const spec::Spec& op(const std::string& id) {
    for (const auto& s : *specs_)
      if (s.op == id) return s;
    throw std::runtime_error("no spec " + id);
  }
  static std::vector<spec::Spec>* specs_;
};
std::vector<spec::Spec>* Specs::specs_ = nullptr;

// Every row of every doc's parameter table is a parameter of its spec.
TEST_F(Specs, EveryDocumentedParameterIsInItsSpec) {
  for (const auto& s : *specs_) {
    auto raw = extract(s.doc, slurp(kRoot + "/" + s.doc));
    ASSERT_TRUE(raw) << raw.error().message();
    for (const auto& p : raw->request) {
      std::string path;
      for (const auto& seg : p.path) path += seg + ".";
      EXPECT_NE(s.find_param(path + p.name), nullptr) << s.op << ": " << path + p.name;
    }
  }
}

TEST_F(Specs, CreateInstanceHasItsParametersAndErrors) {
  const auto& s = op("ecs.CreateInstance");
  EXPECT_GE(s.params.size(), 60u);
  EXPECT_GE(s.errors.size(), 100u);
  for (const char* name : {"ImageId", "InstanceType", "DataDisk.N.Size", "Tag.N.Key", "SystemDisk.Category", "Password", "UserData"})
    EXPECT_NE(s.find_param(name), nullptr) << name;
  EXPECT_TRUE(s.find_param("Password")->secret);
  const auto* size = s.find_rule("SystemDisk.Size.range");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->min, 20);
  EXPECT_EQ(size->max, 500);
}

TEST_F(Specs, EveryErrorRowIsLinkedOrSaysWhyNot) {
  for (const auto& s : *specs_)
    for (const auto& e : s.errors)
      EXPECT_TRUE(!e.rules.empty() || !e.unlinked_reason.empty()) << s.op << " " << e.code;
}

TEST_F(Specs, RangesAreOrdered) {
  for (const auto& s : *specs_)
    for (const auto& r : s.rules)
      if (r.min && r.max) {
        EXPECT_LE(*r.min, *r.max) << s.op << " " << r.id;
      }
}

TEST_F(Specs, DocumentedRulesCarryACode) {
  for (const auto& s : *specs_)
    for (const auto& r : s.rules)
      if (r.expect.confidence == spec::Confidence::documented) {
        EXPECT_FALSE(r.expect.codes.empty()) << r.id;
      }
}

// Hostile docs: whatever bytes an importer is fed, it answers with a spec or an error.
RC_GTEST_PROP(GoldenProp, ImporterNeverCrashesOnMutatedDocs, ()) {
  static const std::vector<std::string> docs = {
      "aliyun-ecs-CreateDeploymentSet.md", "aliyun-ros-CreateStackInstances.md",
      "aliyun-batchcompute-CreateCluster.txt", "huawei-dcs-CreateInstance.md", "aliyun-ecs-CreateInstance.md"};
  const std::string file = *rc::gen::elementOf(docs);
  std::string text = slurp(kRoot + "/apidocs/" + file);
  const int edits = *rc::gen::inRange(1, 20);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0: text.erase(at, *rc::gen::inRange<std::size_t>(1, 400)); break;
      case 1: text.insert(at, *rc::gen::elementOf(std::vector<std::string>{"|", "\n", "<table>", "</td>", "- ", "Valid values:", "\xff", "```"})); break;
      case 2: text.resize(at); break;
      default: text[at] = static_cast<char>(*rc::gen::arbitrary<unsigned char>()); break;
    }
  }
  auto raw = extract("apidocs/" + file, text);
  if (!raw) {
    RC_ASSERT(!raw.error().message().empty());
    return;
  }
  auto a = analyze(*raw, OperationInfo{file, "svc.Op", file.ends_with(".txt") ? "aliyun-roa" : "aliyun-rpc", ""});
  RC_ASSERT(a.has_value());
  // Whatever the doc says, the spec the importer makes is a valid one: every range
  // ordered, every rule naming a parameter, every error row linked or explained.
  auto valid = spec::validate(a->spec, "mutated.json");
  if (!valid) RC_FAIL(valid.error().message());
}

}  // namespace
}  // namespace conform::import
