// `conform fuzz`: the properties (pure) and the mutations (deterministic).
#include "harness/fuzz.h"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/fuzz_mutate.h"

namespace conform::fuzz {
namespace {

using report::Outcome;

transport::Exchange answered(int status, std::string body, Pairs headers = {{"Content-Type", "application/json"}}) {
  transport::Exchange x;
  transport::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  x.response = std::move(r);
  return x;
}

Outcome worst(const std::vector<report::Finding>& fs, std::string* check = nullptr) {
  Outcome o = Outcome::pass;
  for (const report::Finding& f : fs) {
    if (f.outcome != Outcome::pass && check) *check = f.check;
    o = report::worst(o, f.outcome);
  }
  return o;
}

TEST(FuzzCheck, AWellFormedDialectErrorPasses) {
  auto rpc = check_answer("aliyun-rpc", "GET", answered(400, R"({"RequestId":"r1","Code":"InvalidParameter","Message":"m"})"));
  EXPECT_EQ(worst(rpc), Outcome::pass);
  auto hw = check_answer("huawei-rest", "POST", answered(400, R"({"error_code":"DCS.4000","error_msg":"m"})"));
  EXPECT_EQ(worst(hw), Outcome::pass);
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", answered(200, R"({"RequestId":"r"})"))), Outcome::pass);
}

TEST(FuzzCheck, FiveHundredFails) {
  std::string check;
  auto f = check_answer("aliyun-rpc", "GET", answered(500, R"({"RequestId":"r1","Code":"InternalError"})"));
  EXPECT_EQ(worst(f, &check), Outcome::fail);
  EXPECT_EQ(check, "no_5xx");
}

TEST(FuzzCheck, BytesAfterTheAnswerAreAFramingError) {
  transport::Exchange x = answered(400, R"({"RequestId":"r1","Code":"InvalidParameter"})");
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", x), nullptr), Outcome::pass);
  x.response->unsolicited_bytes = 90;
  std::string check;
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", x), &check), Outcome::error);
  EXPECT_EQ(check, "framing");
}

TEST(FuzzCheck, AnErrorBodyWithoutCodeOrRequestIdOrNotJsonFails) {
  std::string check;
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", answered(400, R"({"RequestId":"r1"})")), &check), Outcome::fail);
  EXPECT_EQ(check, "error_body");
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", answered(400, R"({"Code":"X"})"))), Outcome::fail);
  EXPECT_EQ(worst(check_answer("huawei-rest", "GET", answered(400, "Bad Request", {{"Content-Type", "text/plain"}}))),
            Outcome::fail);
  EXPECT_EQ(worst(check_answer("huawei-rest", "GET", answered(400, "{\"error_code\":"))), Outcome::fail);
}

// docs/decisions.md section 3, "HTTP level": the gateway answers its limits in
// the dialect's error body, so a plain-text 413 or 431 is a finding like any 4xx.
TEST(FuzzCheck, HttpLayerLimitsOweTheDialectBody) {
  Pairs text{{"Content-Type", "text/plain"}};
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", answered(431, "Request Header Fields Too Large", text))), Outcome::fail);
  EXPECT_EQ(worst(check_answer("huawei-rest", "POST", answered(413, "Payload Too Large", text))), Outcome::fail);
  EXPECT_EQ(worst(check_answer("huawei-rest", "POST", answered(400, "Bad Request", text))), Outcome::fail);
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET",
                               answered(414, R"({"RequestId":"r1","Code":"URITooLong","Message":"m"})"))),
            Outcome::pass);
  EXPECT_EQ(worst(check_answer("huawei-rest", "POST", answered(413, R"({"error_code":"APIGW.0201","error_msg":"m"})"))),
            Outcome::pass);
}

// RFC 9110 section 15.6.2: 501 answers a method the server does not implement.
// Only for a method the operation does not use, and only as a warning.
TEST(FuzzCheck, FiveOhOneToAForeignMethodWarns) {
  Pairs html{{"Content-Type", "text/html;charset=utf-8"}};
  std::string check;
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "OPTIONS", answered(501, "<html>Unsupported method</html>", html), true),
                  &check),
            Outcome::warning);
  EXPECT_EQ(check, "no_5xx");
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "POST", answered(501, "<html>Unsupported method</html>", html), false)),
            Outcome::fail);
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "PUT", answered(500, R"({"Code":"InternalError"})"), true)), Outcome::fail);
}

// A web server's HTML error page is not broken XML: the finding names its type.
TEST(FuzzCheck, AnHtmlErrorPageIsNamedAsSuch) {
  auto f = check_answer("aliyun-rpc", "GET",
                        answered(414, "<!DOCTYPE HTML>\n<html><head><meta charset=\"utf-8\"></head><body></body></html>",
                                 {{"Content-Type", "text/html;charset=utf-8"}}));
  std::string check;
  EXPECT_EQ(worst(f, &check), Outcome::fail);
  EXPECT_EQ(check, "error_body");
  bool named = false;
  for (const auto& x : f) named = named || (x.check == "error_body" && x.message.find("text/html") != std::string::npos &&
                                            x.message.find("XML:") == std::string::npos);
  EXPECT_TRUE(named);
}

TEST(FuzzCheck, ADroppedConnectionOrTimeoutIsAnError) {
  transport::Exchange x;
  x.error = transport::TransportError{transport::FailureKind::reset, "reset by peer"};
  std::string check;
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", x), &check), Outcome::error);
  EXPECT_EQ(check, "connection");
  x.error = transport::TransportError{transport::FailureKind::timeout, "no answer"};
  EXPECT_EQ(worst(check_answer("aliyun-rpc", "GET", x), &check), Outcome::error);
  EXPECT_EQ(check, "timely_answer");
}

Case base() {
  Case c;
  c.op = "ecs.CreateDeploymentSet";
  c.query = {{"Action", "CreateDeploymentSet"}, {"Version", "2014-05-26"}, {"RegionId", "cn-hangzhou"},
             {"Description", "d"}};
  return c;
}

std::string text(const Case& c) { return to_json_line(Scenario{"x", {c}, false}); }

TEST(FuzzMutate, TheSameSeedGivesTheSameMutationAndSeedsDiffer) {
  std::set<std::string> kinds;
  std::set<std::string> distinct;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    Mutation a = mutate(base(), seed);
    Mutation b = mutate(base(), seed);
    ASSERT_EQ(text(a.mutated), text(b.mutated)) << seed;
    ASSERT_EQ(a.detail, b.detail);
    EXPECT_NE(text(a.mutated), text(base())) << a.kind << ": " << a.detail;
    kinds.insert(a.kind.substr(0, a.kind.find('+')));
    distinct.insert(text(a.mutated));
  }
  // Every family of the brief comes up within a few hundred seeds.
  for (const char* k : {"limit", "type", "encoding", "unicode", "duplicate", "unknown", "huge", "many", "body", "method", "index"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
  EXPECT_GT(distinct.size(), 200u);
}

TEST(FuzzMutate, JsonBodiesGetBodyMutations) {
  Case c;
  c.op = "dcs.CreateInstance";
  c.method = "POST";
  c.path = "/v1.0/p/instances";
  c.set_body(nlohmann::json{{"name", "n"}, {"capacity", 2}});
  int raw = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) raw += mutate(c, seed).mutated.raw_body.has_value();
  EXPECT_GT(raw, 10);
}

}  // namespace
}  // namespace conform::fuzz
