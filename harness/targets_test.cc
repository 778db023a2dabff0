// The targets file loader (errors name the file and the JSON pointer), the
// credentials read from the environment, and the safety filter.
#include "harness/targets.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "harness/safety.h"

namespace conform {
namespace {

namespace fs = std::filesystem;

std::string write_file(const std::string& text) {
  static int n = 0;
  fs::path p = fs::path(::testing::TempDir()) / ("targets_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".json");
  std::ofstream(p) << text;
  return p.string();
}

const char* kGood = R"({"targets": [
  {"name": "staging", "url": "https://ecs.cn-hangzhou.example.internal",
   "ops": ["ecs.*"], "dialect": "aliyun-rpc", "region": "cn-hangzhou",
   "credentials": {"access_key_id_env": "ALIBABA_CLOUD_ACCESS_KEY_ID",
                   "access_key_secret_env": "ALIBABA_CLOUD_ACCESS_KEY_SECRET"},
   "fixtures": "fixtures/staging.json", "rate": 20, "timeout_ms": 5000,
   "ca_file": null, "allow_create": false},
  {"name": "emulator", "url": "http://127.0.0.1:8080"}]})";

TEST(Targets, TheDesignExampleLoads) {
  auto t = targets::load_targets(write_file(kGood));
  ASSERT_TRUE(t.has_value()) << t.error().message();
  ASSERT_EQ(t->size(), 2u);
  const targets::Target& s = (*t)[0];
  EXPECT_EQ(s.name, "staging");
  EXPECT_EQ(s.endpoint.scheme, "https");
  EXPECT_EQ(s.endpoint.port, 443);
  EXPECT_EQ(s.ops, std::vector<std::string>{"ecs.*"});
  EXPECT_EQ(s.rate, 20);
  EXPECT_EQ(s.timeout_ms, 5000);
  EXPECT_EQ(s.ca_file, "");
  EXPECT_FALSE(s.allow_create);
  ASSERT_TRUE(s.credentials.has_value());
  EXPECT_EQ(s.credentials->access_key_secret_env, "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  EXPECT_FALSE((*t)[1].credentials.has_value());
}

std::string error_of(const std::string& text) {
  std::string file = write_file(text);
  auto t = targets::load_targets(file);
  EXPECT_FALSE(t.has_value());
  if (t) return "";
  std::string m = t.error().message();
  EXPECT_EQ(m.rfind(file, 0), 0u) << m;  // names the file first
  return m.substr(file.size());
}

TEST(Targets, ErrorsNameTheFileAndTheJsonPointer) {
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "ftp://x"}]})").find("#/targets/0/url"), std::string::npos);
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "http://x", "dialect": "soap"}]})").find("#/targets/0/dialect"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "http://x", "rate": "fast"}]})").find("#/targets/0/rate"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "http://x", "timeout_ms": 86400001}]})")
                .find("#/targets/0/timeout_ms"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "http://x", "secret": "s"}]})").find("#/targets/0/secret"),
            std::string::npos);
  // A secret written into the file instead of a variable name is refused by name.
  std::string m = error_of(R"({"targets": [{"name": "a", "url": "http://x",
      "credentials": {"access_key_id": "LTAI", "access_key_secret": "s3cr3t"}}]})");
  EXPECT_NE(m.find("#/targets/0/credentials/access_key_id"), std::string::npos) << m;
  EXPECT_NE(error_of(R"({"targets": [{"name": "a", "url": "http://x"}, {"name": "a", "url": "http://y"}]})")
                .find("#/targets/1/name"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"targets": []})").find("#/targets"), std::string::npos);
  EXPECT_NE(error_of("{\"targets\": [").find(":1:"), std::string::npos);
}

TEST(Targets, CredentialsComeOnlyFromTheNamedVariables) {
  auto t = targets::load_targets(write_file(kGood));
  ASSERT_TRUE(t.has_value());
  std::map<std::string, std::string> env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid"},
                                            {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret-value"}};
  auto getenv = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto c = targets::read_credentials((*t)[0], getenv);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->access_key_id, "LTAIid");
  EXPECT_EQ(c->access_key_secret, "secret-value");
  EXPECT_EQ(targets::secret_values(*c), std::vector<std::string>{"secret-value"});
  env.erase("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  c = targets::read_credentials((*t)[0], getenv);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), std::string::npos);
  EXPECT_NE(c.error().message().find("#/targets/0/credentials"), std::string::npos);
  env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "";
  EXPECT_FALSE(targets::read_credentials((*t)[0], getenv).has_value()) << "an empty variable is not a credential";
}

spec::Spec op(const std::string& id, bool dry_run) {
  spec::Spec s;
  s.op = id;
  s.name = id.substr(id.find('.') + 1);
  s.version = "2014-05-26";
  s.dialect = "aliyun-rpc";
  s.path = "/";
  if (dry_run) {
    spec::Param p;
    p.name = "DryRun";
    p.type = spec::ParamType::Boolean;
    s.params.push_back(p);
  }
  return s;
}

Scenario one(const std::string& op_id, const std::string& id) {
  Case c;
  c.id = id;
  c.op = op_id;
  return Scenario{id, {c}, false};
}

TEST(Safety, SuccessesBecomeDryRunsOrAreHeldBack) {
  std::vector<spec::Spec> specs = {op("ecs.CreateInstance", true), op("ecs.CreateDeploymentSet", false)};
  // Predicted to succeed: cases whose id starts with "ok", unless they carry DryRun.
  auto predict = [](const Case& c) {
    const std::string* dry = c.query_value("DryRun");
    bool ok = c.id.rfind("ok", 0) == 0 && !(dry && *dry == "true");
    return report::Prediction{ok ? 200 : 400, {}, spec::Confidence::documented, "", "", ""};
  };
  Scenario seq{"seq", {one("ecs.CreateDeploymentSet", "bad1").steps[0], one("ecs.CreateInstance", "ok9").steps[0]}, true};
  auto r = safety::filter({one("ecs.CreateInstance", "ok1"), one("ecs.CreateInstance", "bad2"),
                           one("ecs.CreateDeploymentSet", "ok2"), one("ecs.CreateDeploymentSet", "bad3"), seq},
                          specs, predict);
  ASSERT_EQ(r.send.size(), 3u);
  EXPECT_EQ(r.dry_runs, 1);
  EXPECT_EQ(*r.send[0].steps[0].query_value("DryRun"), "true");
  EXPECT_EQ(r.send[1].id, "bad2");
  EXPECT_EQ(r.send[2].id, "bad3");
  int held = 0;
  for (const auto& [reason, n] : r.held) held += n;
  EXPECT_EQ(held, 2);
  EXPECT_EQ(r.held.count("ecs.CreateDeploymentSet: predicted to succeed, so it would create a resource, and the "
                         "operation has no dry run"),
            1u);
}

}  // namespace
}  // namespace conform
