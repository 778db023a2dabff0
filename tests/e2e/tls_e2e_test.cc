// `conform run --targets` end to end over HTTPS (issue 8): the real binary
// against a local TLS server on 127.0.0.1 whose certificate this test makes at
// run time. The server checks every request's Alibaba Cloud RPC signature with
// its own small verifier (RFC 3986 canonical query, HMAC-SHA1, base64; not the
// signing unit), refuses reused nonces, and then answers like the service (the
// emulator's handler). Also: a wrong CA, --insecure, a missing credential
// variable, a non-loopback target reached through a CONNECT proxy (the safety
// rule), throttling, and a planted secret grepped for in every output.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/test_paths.h"
#include "tests/e2e/signed_service.h"
#include "transport/tls_server.h"

namespace conform {
namespace {

namespace fs = std::filesystem;
using testing::ConnectProxy;
using testing::TestCert;
using testing::TlsServer;

const std::string kSpecs = std::string(CONFORM_SOURCE_DIR) + "/specs";
using e2e::kKeyId;
using e2e::kSecret;
using e2e::kToken;
using e2e::Service;

// ---- the real binary

struct Outcome {
  int code;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class TlsRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("conform_tls_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    cert_ = TestCert::make({"localhost", "api.conform.test"}, {"127.0.0.1"});
    ASSERT_TRUE(cert_.write_cert(path("ca.pem")));
    ::setenv("CONFORM_TEST_AK_ID", kKeyId.c_str(), 1);
    ::setenv("CONFORM_TEST_AK_SECRET", kSecret.c_str(), 1);
    ::setenv("CONFORM_TEST_STS_TOKEN", kToken.c_str(), 1);
    for (const char* v : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"}) {
      ::unsetenv(v);
    }
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // A targets file with one target; `extra` is spliced into its object.
  std::string targets(const std::string& url, const std::string& extra) {
    std::string file = path("targets.json");
    std::ofstream(file) << R"({"targets": [{"name": "local", "url": ")" << url
                        << R"(", "ops": ["ecs.*"], "dialect": "aliyun-rpc", "region": "cn-hangzhou",
      "credentials": {"access_key_id_env": "CONFORM_TEST_AK_ID", "access_key_secret_env": "CONFORM_TEST_AK_SECRET",
                      "security_token_env": "CONFORM_TEST_STS_TOKEN"},
      "timeout_ms": 5000)" << extra << "}]}";
    return file;
  }

  Outcome conform(std::vector<std::string> args) {
    std::string cmd = quote(CONFORM_BINARY);
    for (const std::string& a : args) cmd += " " + quote(a);
    cmd += " >" + quote(path("stdout")) + " 2>" + quote(path("stderr"));
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(path("stdout")), slurp(path("stderr"))};
  }

  std::vector<std::string> reports(const std::string& tag) {
    return {"--junit", path(tag + ".xml"), "--html", path(tag + ".html"), "--log", path(tag + ".ndjson")};
  }

  // Every file under the folder (reports, logs, saved cases, stdout, stderr).
  std::vector<std::pair<std::string, std::string>> every_output() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      if (e.is_regular_file() && e.path().filename() != "targets.json") out.emplace_back(e.path(), slurp(e.path()));
    }
    return out;
  }

  fs::path dir_;
  TestCert cert_;
};

std::vector<std::string> run_args(std::vector<std::string> more) {
  std::vector<std::string> a = {"run", "--specs", kSpecs, "--cases", "24"};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

TEST_F(TlsRun, SignedRunOverTlsWithTheTargetsCaFilePasses) {
  Service service(cert_, {}, 7);
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  auto args = run_args({"--targets", targets(url, R"(, "ca_file": ")" + path("ca.pem") + "\"")});
  for (auto& r : reports("run")) args.push_back(r);
  Outcome o = conform(args);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_GT(service.requests(), 40);
  EXPECT_EQ(service.bad_signatures(), 0) << "every request signed right, with a fresh nonce";
  EXPECT_GT(service.throttled(), 0);
  EXPECT_NE(o.out.find("throttled " + std::to_string(service.throttled()) + " times"), std::string::npos) << o.out;
  std::string junit = slurp(path("run.xml"));
  EXPECT_NE(junit.find("<testsuite name=\"local.ecs.CreateInstance\""), std::string::npos);
  EXPECT_NE(junit.find("<property name=\"throttled\""), std::string::npos);
  EXPECT_EQ(junit.find("<failure"), std::string::npos);
}

TEST_F(TlsRun, APlantedSecretReachesNoOutput) {
  // Failures (a planted emulator bug) so that curl commands, failure texts and the
  // saved corpus carry requests too.
  Service service(cert_, {"ecs-ci-category-code-misspelt", "rpc-error-missing-request-id"});
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  auto args = run_args({"--targets", targets(url, R"(, "ca_file": ")" + path("ca.pem") + "\""),
                        "--save-failures", path("corpus")});
  for (auto& r : reports("run")) args.push_back(r);
  Outcome o = conform(args);
  ASSERT_EQ(o.code, 1) << o.out << o.err;
  EXPECT_EQ(service.bad_signatures(), 0);
  std::vector<std::string> secrets = {kSecret, kToken};
  for (const std::string& s : service.signatures()) secrets.push_back(s);
  ASSERT_GT(secrets.size(), 30u);
  auto outputs = every_output();
  ASSERT_GE(outputs.size(), 6u) << "junit, html, ndjson, stdout, stderr, saved cases";
  bool saved = false;
  for (const auto& [file, text] : outputs) {
    saved = saved || file.find("/corpus/") != std::string::npos;
    for (const std::string& s : secrets) EXPECT_EQ(text.find(s), std::string::npos) << s << " in " << file;
  }
  EXPECT_TRUE(saved);
  EXPECT_NE(slurp(path("run.ndjson")).find("&Signature=%2A%2A%2A"), std::string::npos);
  EXPECT_NE(slurp(path("run.xml")).find("curl "), std::string::npos);
}

TEST_F(TlsRun, TwoTargetsInOneRunEachGetTheirOwnTestsuites) {
  Service a(cert_), b(cert_);
  auto target = [&](const std::string& name, const Service& s, const std::string& op) {
    return R"({"name": ")" + name + R"(", "url": "https://127.0.0.1:)" + std::to_string(s.port()) +
           R"(", "ops": [")" + op + R"("], "rate": 500, "ca_file": ")" + path("ca.pem") +
           R"(", "credentials": {"access_key_id_env": "CONFORM_TEST_AK_ID", "access_key_secret_env":
           "CONFORM_TEST_AK_SECRET", "security_token_env": "CONFORM_TEST_STS_TOKEN"}})";
  };
  std::string file = path("two.json");
  std::ofstream(file) << R"({"targets": [)" << target("alpha", a, "ecs.CreateDeploymentSet") << ", "
                      << target("beta", b, "ecs.CreateInstance") << "]}";
  Outcome o = conform(run_args({"--targets", file, "--junit", path("two.xml")}));
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_GT(a.requests(), 0);
  EXPECT_GT(b.requests(), 0);
  EXPECT_EQ(a.bad_signatures() + b.bad_signatures(), 0);
  std::string junit = slurp(path("two.xml"));
  EXPECT_NE(junit.find("<testsuite name=\"alpha.ecs.CreateDeploymentSet\""), std::string::npos);
  EXPECT_NE(junit.find("<testsuite name=\"beta.ecs.CreateInstance\""), std::string::npos);
  EXPECT_EQ(junit.find("alpha.ecs.CreateInstance"), std::string::npos);
  EXPECT_NE(o.out.find("alpha: "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("beta: "), std::string::npos) << o.out;
}

TEST_F(TlsRun, TheVerifierCatchesAWrongSecret) {
  Service service(cert_);
  ::setenv("CONFORM_TEST_AK_SECRET", "not-the-secret-the-service-has", 1);
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  Outcome o = conform(run_args({"--targets", targets(url, R"(, "ca_file": ")" + path("ca.pem") + "\"")}));
  EXPECT_EQ(o.code, 1) << o.out << o.err;
  EXPECT_GT(service.bad_signatures(), 0);
  EXPECT_EQ(service.bad_signatures(), service.requests());
  EXPECT_NE(o.out.find("SignatureDoesNotMatch"), std::string::npos) << o.out;
}

TEST_F(TlsRun, AnotherCaFailsVerificationClearlyAndSendsNothing) {
  Service service(cert_);
  TestCert other = TestCert::make({"localhost"}, {"127.0.0.1"});
  ASSERT_TRUE(other.write_cert(path("other.pem")));
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  auto args = run_args({"--targets", targets(url, R"(, "ca_file": ")" + path("other.pem") + "\"")});
  for (auto& r : reports("run")) args.push_back(r);
  Outcome o = conform(args);
  EXPECT_EQ(o.code, 3) << o.out << o.err;
  EXPECT_NE(o.out.find("certificate verify failed"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(path("other.pem")), std::string::npos) << o.out;
  EXPECT_EQ(service.requests(), 0);
  EXPECT_TRUE(fs::exists(path("run.xml")));
}

TEST_F(TlsRun, InsecureRunsAndEveryReportWarns) {
  Service service(cert_);
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  auto args = run_args({"--targets", targets(url, ""), "--insecure"});
  for (auto& r : reports("run")) args.push_back(r);
  Outcome o = conform(args);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_GT(service.requests(), 0);
  EXPECT_NE(o.out.find("warning: --insecure"), std::string::npos) << o.out;
  EXPECT_NE(slurp(path("run.xml")).find("<property name=\"warning\" value=\"--insecure"), std::string::npos);
  EXPECT_NE(slurp(path("run.html")).find("<b>Warning:</b> --insecure"), std::string::npos);
}

TEST_F(TlsRun, AMissingCredentialVariableStopsTheRunBeforeAnyRequest) {
  Service service(cert_);
  ::unsetenv("CONFORM_TEST_AK_SECRET");
  std::string url = "https://127.0.0.1:" + std::to_string(service.port());
  Outcome o = conform(run_args({"--targets", targets(url, R"(, "ca_file": ")" + path("ca.pem") + "\"")}));
  EXPECT_EQ(o.code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("CONFORM_TEST_AK_SECRET"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("targets.json#/targets/0/credentials"), std::string::npos) << o.err;
  EXPECT_EQ(service.requests(), 0);
}

TEST_F(TlsRun, ANonLoopbackTargetThroughAProxyGetsDryRunsAndHoldsBackCreates) {
  Service service(cert_);
  ConnectProxy proxy(service.port());
  ::setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
  std::string url = "https://api.conform.test:" + std::to_string(service.port());
  std::string file = targets(url, R"(, "ca_file": ")" + path("ca.pem") + "\"");
  auto args = run_args({"--targets", file});
  for (auto& r : reports("run")) args.push_back(r);
  Outcome o = conform(args);
  ::unsetenv("HTTPS_PROXY");
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  ASSERT_FALSE(proxy.request_lines().empty());
  EXPECT_EQ(proxy.request_lines()[0], "CONNECT api.conform.test:" + std::to_string(service.port()) + " HTTP/1.1");
  EXPECT_EQ(service.bad_signatures(), 0);
  EXPECT_EQ(service.successes(), 0) << "nothing was created on a non-loopback target";
  EXPECT_GT(service.dry_runs(), 0);
  EXPECT_NE(o.out.find("sent as dry runs"), std::string::npos) << o.out;
  // CreateDeploymentSet has no DryRun: its successes are held back and reported.
  EXPECT_NE(o.out.find("held back: local:"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("ecs.CreateDeploymentSet: predicted to succeed"), std::string::npos) << o.out;
  std::string junit = slurp(path("run.xml"));
  EXPECT_NE(junit.find("<skipped message=\""), std::string::npos);
  EXPECT_NE(slurp(path("run.html")).find("Held back for safety"), std::string::npos);
}

}  // namespace
}  // namespace conform
