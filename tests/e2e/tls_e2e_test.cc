// `conform run --targets` end to end over HTTPS (issue 8): the real binary
// against a local TLS server on 127.0.0.1 whose certificate this test makes at
// run time. The server checks every request's Alibaba Cloud RPC signature with
// its own small verifier (RFC 3986 canonical query, HMAC-SHA1, base64; not the
// signing unit), refuses reused nonces, and then answers like the service (the
// emulator's handler). Also: a wrong CA, --insecure, a missing credential
// variable, a non-loopback target reached through a CONNECT proxy (the safety
// rule), throttling, and a planted secret grepped for in every output.
#include <openssl/evp.h>
#include <openssl/hmac.h>
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

#include "emulator/fixtures.h"
#include "emulator/handler.h"
#include "spec/loader.h"
#include "transport/tls_server.h"

namespace conform {
namespace {

namespace fs = std::filesystem;
using testing::ConnectProxy;
using testing::TestCert;
using testing::TlsServer;

const std::string kSpecs = std::string(CONFORM_SOURCE_DIR) + "/specs";
const std::string kKeyId = "LTAI5tTestKeyId0000001";
const std::string kSecret = "PlantedSecret-7f3a9c1e5b2d4a6f8e0c";   // must never appear in any output
const std::string kToken = "PlantedStsToken-CAIS9a8b7c6d5e4f3a2b";  // nor this

// ---- the independent verifier (Alibaba Cloud RPC signature, SignatureVersion 1.0)

std::string rfc3986(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> split_params(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view item = s.substr(0, amp);
    std::size_t eq = item.find('=');
    if (!item.empty()) {
      out.emplace_back(unescape(item.substr(0, eq)), eq == std::string_view::npos ? "" : unescape(item.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

std::string hmac_sha1_base64(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  std::string b64(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(len));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

// The request's parameters (query, and a form body), or why it is not signed right.
struct Verdict {
  std::string error_code;  // empty: signed right
  std::string signature;
  std::string nonce;
  bool dry_run = false;
};

Verdict verify(const transport::HttpRequest& r) {
  std::size_t q = r.target.find('?');
  auto params = split_params(q == std::string::npos ? "" : std::string_view(r.target).substr(q + 1));
  const std::string* ct = r.header("Content-Type");
  if (r.method == "POST" && ct && ct->find("x-www-form-urlencoded") != std::string::npos) {
    for (auto& p : split_params(r.body)) params.push_back(p);
  }
  Verdict v;
  std::map<std::string, std::string> first;
  for (const auto& [k, val] : params) first.emplace(k, val);
  auto get = [&](const char* k) { return first.count(k) ? first[k] : std::string(); };
  v.signature = get("Signature");
  v.nonce = get("SignatureNonce");
  v.dry_run = get("DryRun") == "true";
  if (v.signature.empty()) return v.error_code = "IncompleteSignature", v;
  if (get("AccessKeyId") != kKeyId) return v.error_code = "InvalidAccessKeyId.NotFound", v;
  if (get("SignatureMethod") != "HMAC-SHA1" || get("SignatureVersion") != "1.0" || v.nonce.empty() ||
      get("Timestamp").size() != 20 || get("SecurityToken") != kToken) {
    return v.error_code = "IncompleteSignature", v;
  }
  std::vector<std::pair<std::string, std::string>> signed_params;
  for (const auto& [k, val] : params) {
    if (k != "Signature") signed_params.emplace_back(rfc3986(k), rfc3986(val));
  }
  std::sort(signed_params.begin(), signed_params.end());
  std::string canonical;
  for (const auto& [k, val] : signed_params) canonical += (canonical.empty() ? "" : "&") + k + "=" + val;
  std::string to_sign = r.method + "&" + rfc3986("/") + "&" + rfc3986(canonical);
  if (hmac_sha1_base64(kSecret + "&", to_sign) != v.signature) v.error_code = "SignatureDoesNotMatch";
  return v;
}

transport::HttpResponse error_answer(const std::string& code, int status = 400) {
  transport::HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json;charset=utf-8"}};
  r.body = R"({"RequestId":"6D3B3E1A-0000-4000-8000-000000000000","HostId":"ecs.aliyuncs.com","Code":")" + code +
           R"(","Message":"rejected by the test's verifier","Recommend":""})";
  return r;
}

// A signed-request-checking TLS front of the emulator.
class Service {
 public:
  explicit Service(const TestCert& cert, std::vector<std::string> faults = {}, int throttle_every = 0)
      : throttle_every_(throttle_every) {
    auto specs = spec::load_specs(kSpecs);
    EXPECT_TRUE(specs.has_value());
    emulator::EmulatorOptions eo;
    eo.faults = std::move(faults);
    auto emu = emulator::Emulator::create(std::move(*specs), *emulator::default_fixtures(), eo);
    EXPECT_TRUE(emu.has_value()) << emu.error().message();
    emu_ = std::move(*emu);
    server_ = std::make_unique<TlsServer>(cert, [this](const transport::HttpRequest& r) { return handle(r); });
  }

  std::uint16_t port() const { return server_->port(); }
  int requests() const { return server_->requests(); }
  int bad_signatures() const { return bad_.load(); }
  int successes() const { return successes_.load(); }
  int dry_runs() const { return dry_runs_.load(); }
  int throttled() const { return throttled_.load(); }
  std::vector<std::string> signatures() const {
    std::lock_guard lock(mu_);
    return std::vector<std::string>(signatures_.begin(), signatures_.end());
  }

 private:
  transport::HttpResponse handle(const transport::HttpRequest& r) {
    if (r.target.empty() || r.target[0] != '/') {  // a service answers the origin form only
      ++bad_;
      return error_answer("InvalidAction.NotFound", 404);
    }
    Verdict v = verify(r);
    {
      std::lock_guard lock(mu_);
      if (!v.signature.empty()) signatures_.insert(v.signature);
      if (v.error_code.empty() && !nonces_.insert(v.nonce).second) v.error_code = "SignatureNonceUsed";
    }
    if (!v.error_code.empty()) {
      ++bad_;
      return error_answer(v.error_code);
    }
    if (throttle_every_ > 0 && ++count_ % throttle_every_ == 0) {
      ++throttled_;
      auto t = error_answer("Throttling.User");
      t.headers.emplace_back("Retry-After", "0");
      return t;
    }
    emulator::HttpRequest er{r.method, r.target, r.headers, r.body, true};
    emulator::HttpResponse res = emu_->handle(er);
    if (res.status >= 200 && res.status < 300) ++successes_;
    if (v.dry_run && res.body.find("DryRunOperation") != std::string::npos) ++dry_runs_;
    transport::HttpResponse out;
    out.status = res.status;
    out.headers = res.headers;
    out.headers.emplace_back("X-Echo-Token", kToken);  // a careless service echoing a secret
    out.body = res.body;
    return out;
  }

  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<TlsServer> server_;
  int throttle_every_;
  std::atomic<int> count_{0}, bad_{0}, successes_{0}, dry_runs_{0}, throttled_{0};
  mutable std::mutex mu_;
  std::set<std::string> signatures_, nonces_;
};

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
