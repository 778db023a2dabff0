// End-to-end: the real `conform emulate` on loopback, real HTTP. Every documented
// example request succeeds; the state rules hold across requests; reset and health;
// malformed, oversized, slow and truncated requests get a clean answer or a close,
// and the server keeps serving.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "core/test_paths.h"
#include "spec/loader.h"
#include "tests/e2e/emulator_client.h"

namespace conform::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  return s;
}

// "https://ecs.aliyuncs.com/?Action=X\n&K=V\n&<Common request parameters>" -> a query
// string with the spec's Version added (a common parameter the doc elides).
std::string rpc_example_query(const spec::Spec& s, const std::string& text) {
  std::string q = "Version=" + s.version;
  std::string rest = text.substr(text.find('?') + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t amp = rest.find('&', start);
    std::string piece = trim(rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start));
    start = amp == std::string::npos ? rest.size() + 1 : amp + 1;
    if (piece.empty() || piece.front() == '<') continue;
    auto eq = piece.find('=');
    q += "&" + url_encode(trim(piece.substr(0, eq))) + "=" + url_encode(trim(piece.substr(eq + 1)));
  }
  return q;
}

// The doc masks some values as "XXXXXX" (DCS password, product_id): the test fills
// them with values their rules allow.
void unmask(json& body) {
  const std::map<std::string, std::string> fill = {{"password", "Example#2024"}, {"product_id", "OTC_DCS_SINGLE"}};
  for (auto& [k, v] : body.items())
    if (v == "XXXXXX" && fill.contains(k)) v = fill.at(k);
}

Reply send_example(int port, const spec::Spec& s) {
  std::string line, body_text;
  for (const auto& ex : s.examples) {
    if (ex.kind != "request") continue;
    if (s.dialect == "aliyun-rpc") return request(port, "GET", "/?" + rpc_example_query(s, ex.text));
    auto brace = ex.text.find('{');
    auto first_line = trim(ex.text.substr(0, ex.text.find('\n')));
    if (first_line.starts_with(s.method + " ")) line = first_line;
    auto nl_brace = ex.text.find("\n{");
    if (brace == 0) body_text = ex.text;
    else if (nl_brace != std::string::npos) body_text = ex.text.substr(nl_brace + 1);
  }
  std::string target = line.substr(line.find(' ') + 1);
  if (auto scheme = target.find("://"); scheme != std::string::npos) target = target.substr(target.find('/', scheme + 3));
  for (auto [from, to] : {std::pair{"{project_id}", "p1"}, std::pair{"{IdempotentToken}", "example_token"}})
    if (auto pos = target.find(from); pos != std::string::npos) target.replace(pos, std::strlen(from), to);
  json body = json::parse(body_text);
  unmask(body);
  return request(port, s.method, target, body.dump(), "application/json");
}

class EmulatorE2e : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GT(emu.port(), 0) << "conform emulate did not print its port"; }
  int port() const { return emu.port(); }
  EmulatorProcess emu{{}};
};

TEST_F(EmulatorE2e, EveryDocumentedExampleRequestSucceeds) {
  auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
  ASSERT_TRUE(specs) << specs.error().message();
  ASSERT_EQ(specs->size(), 5u);
  for (const auto& s : *specs) {
    Reply r = send_example(port(), s);
    EXPECT_EQ(r.status, s.success_status) << s.op << ": " << r.body;
    auto j = json::parse(r.body, nullptr, false);
    for (const auto& f : s.response) EXPECT_TRUE(j.contains(f.name)) << s.op << " lacks " << f.name << ": " << r.body;
  }
}

TEST_F(EmulatorE2e, StateAcrossRequests) {
  const std::string ecs = "/?Version=2014-05-26&RegionId=cn-hangzhou&Action=";
  Reply ds = request(port(), "GET", ecs + "CreateDeploymentSet");
  ASSERT_EQ(ds.status, 200) << ds.body;
  const std::string id = json::parse(ds.body)["DeploymentSetId"];
  const std::string ci = ecs + "CreateInstance&ImageId=ubuntu_18_04_64_20G_alibase_20190624.vhd&InstanceType=ecs.g5.large";
  EXPECT_EQ(request(port(), "GET", ci + "&DeploymentSetId=" + id).status, 200);
  EXPECT_EQ(request(port(), "GET", ci + "&DeploymentSetId=ds-unknown").status, 404);
  Reply a = request(port(), "GET", ci + "&ClientToken=tok");
  Reply b = request(port(), "GET", ci + "&ClientToken=tok");
  EXPECT_EQ(json::parse(a.body)["InstanceId"], json::parse(b.body)["InstanceId"]);
  EXPECT_EQ(request(port(), "GET", ci + "&ClientToken=tok&HostName=other").status, 400);
  EXPECT_EQ(request(port(), "GET", ci + "&DryRun=true").status, 400);
  const std::string ros = "/?Version=2019-09-10&Action=CreateStackInstances&RegionId=cn-hangzhou&StackGroupName=G&"
                          "AccountIds=%5B%221%22%5D&RegionIds=%5B%22cn-hangzhou%22%5D";
  EXPECT_EQ(request(port(), "GET", ros).status, 200);
  EXPECT_EQ(request(port(), "GET", ros).status, 409);
  EXPECT_EQ(request(port(), "POST", "/_conform/reset").status, 200);
  EXPECT_EQ(request(port(), "GET", ros).status, 200);
  EXPECT_EQ(request(port(), "GET", ci + "&DeploymentSetId=" + id).status, 404);
  EXPECT_EQ(request(port(), "GET", "/_conform/health").status, 200);
}

TEST_F(EmulatorE2e, ClusterQuota) {
  const std::string c = R"({"Name":"c","ImageId":"m-2309yqb5n","InstanceType":"bcs.a2.large",
    "Groups":{"g":{"DesiredVMCount":1,"ResourceType":"OnDemand"}}})";
  for (int i = 0; i < 50; ++i) ASSERT_EQ(request(port(), "POST", "/clusters", c, "application/json").status, 201) << i;
  Reply over = request(port(), "POST", "/clusters", c, "application/json");
  EXPECT_EQ(over.status, 403);
  EXPECT_EQ(json::parse(over.body)["Code"], "QuotaExhausted.MaxClusterCount");
}

TEST_F(EmulatorE2e, KeepAliveServesSeveralRequestsOnOneConnection) {
  Connection c(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send_raw("GET /_conform/health HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(c.read().status, 200);
  }
}

// "Expect: 100-continue" (curl sends it for a body over 1 KiB): a 100 Continue
// before the body is sent, then the answer; without it curl waits a second.
TEST_F(EmulatorE2e, ExpectContinueGetsAHundredContinue) {
  Connection c(port());
  ASSERT_TRUE(c.send_raw("POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_EQ(c.read().status, 100);
  ASSERT_TRUE(c.send_raw("{}"));
  Reply r = c.read();
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_FALSE(json::parse(r.body, nullptr, false).value("Code", "").empty()) << r.body;
}

TEST_F(EmulatorE2e, MalformedOversizedAndTruncatedRequests) {
  {
    Connection c(port());
    c.send_raw("GARBAGE\r\n\r\n");
    Reply r = c.read();
    EXPECT_TRUE(!r.answered || r.status == 400) << r.status;
  }
  {
    // A request line over the limit is 414, in the dialect of its path (decisions.md
    // section 3, "HTTP level").
    Connection c(port());
    c.send_raw("GET /?Format=XML&" + std::string(70 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    Reply r = c.read();
    EXPECT_EQ(r.status, 414);
    EXPECT_NE(r.body.find("<Code>URITooLong</Code>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<RequestId>"), std::string::npos) << r.body;
  }
  {
    // Headers over the limit after a request line that fits: 431.
    Connection c(port());
    c.send_raw("GET /clusters HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
    Reply r = c.read();
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(json::parse(r.body, nullptr, false).value("Code", ""), "RequestHeaderFieldsTooLarge") << r.body;
    EXPECT_FALSE(r.headers["x-acs-request-id"].empty());
  }
  {
    // 60 KiB of query fits the 64 KiB header limit (an RPC GET with 16 KB UserData does).
    Reply r = request(port(), "GET", "/?Action=CreateDeploymentSet&Pad=" + std::string(60 * 1024, 'a'));
    EXPECT_EQ(r.status, 400);
  }
  {
    Connection c(port());
    c.send_raw("POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{");
    Reply r = c.read();
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(json::parse(r.body, nullptr, false).value("Code", ""), "PayloadTooLarge") << r.body;
    EXPECT_EQ(r.headers["connection"], "close");
  }
  {
    Connection c(port());
    c.send_raw("POST /v1.0/p1/instances HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{");
    Reply r = c.read();
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(json::parse(r.body, nullptr, false).value("error_code", ""), "APIGW.0201") << r.body;
  }
  {
    Connection c(port());
    c.send_raw("POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Na");
  }  // truncated body, then closed
  {
    Connection c(port());
    c.send_raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    Reply r = c.read();
    EXPECT_TRUE(!r.answered || r.status == 400);
  }
  {
    Connection c(port());
    c.send_raw(std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    Reply r = c.read();
    EXPECT_TRUE(!r.answered || r.status == 400);
  }
  {
    // Deep nesting inside an object the spec ignores: refused, not a stack overflow.
    std::string deep = "{\"Name\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    EXPECT_EQ(request(port(), "POST", "/clusters", deep, "application/json").status, 400);
  }
  EXPECT_EQ(request(port(), "GET", "/_conform/health").status, 200);
  EXPECT_TRUE(emu.alive());
}

TEST_F(EmulatorE2e, ASlowClientIsClosedAfterTheReadTimeoutAndBlocksNobody) {
  Connection idle(port());
  idle.send_raw("GET /_conform/hea");
  EXPECT_EQ(request(port(), "GET", "/_conform/health").status, 200);
  EXPECT_TRUE(idle.closed_within(15s));
}

TEST_F(EmulatorE2e, StopsGracefullyOnSigterm) { EXPECT_EQ(emu.stop(), 0); }

}  // namespace
}  // namespace conform::e2e
