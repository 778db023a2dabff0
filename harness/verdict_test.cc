// Each verdict check on its own, with hand-made replies.
#include "harness/verdict.h"

#include <gtest/gtest.h>

namespace conform::verdict {
namespace {

using report::Outcome;
using report::Prediction;
using transport::Dialect;
using transport::HttpResponse;

spec::Spec ecs() {
  spec::Spec s;
  s.op = "ecs.CreateInstance";
  s.response = {{"InstanceId", spec::ParamType::String, {}}, {"RequestId", spec::ParamType::String, {}}};
  return s;
}

transport::Reply reply(int status, std::string body, std::string ct = "application/json",
                       Dialect d = Dialect::aliyun_rpc) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (!ct.empty()) r.headers.emplace_back("Content-Type", ct);
  return transport::read_reply(d, r);
}

struct Fixture {
  Case sent;
  spec::Spec spec = ecs();
  Prediction expected{400, {"MissingParameter"}, spec::Confidence::documented, "ImageId.required", "", ""};
};

const report::Finding* find(const std::vector<report::Finding>& fs, const std::string& check) {
  for (const auto& f : fs) {
    if (f.check == check) return &f;
  }
  return nullptr;
}

std::vector<report::Finding> run(Fixture& fx, const transport::Reply& r, bool strict = false,
                                 Dialect d = Dialect::aliyun_rpc, const std::string* replay = nullptr) {
  return judge(Input{fx.sent, fx.spec, d, fx.expected, r, strict, replay});
}

TEST(Verdict, DocumentedErrorPasses) {
  Fixture fx;
  auto fs = run(fx, reply(400, R"({"RequestId":"R","Code":"MissingParameter","Message":"m"})"));
  EXPECT_EQ(outcome_of(fs), Outcome::pass);
  for (const char* c : {"status", "code", "request_id", "body_format"}) EXPECT_NE(find(fs, c), nullptr) << c;
  EXPECT_EQ(find(fs, "response_fields"), nullptr) << "not a success";
}

TEST(Verdict, AcceptingAForbiddenRequestFailsWhateverTheConfidence) {
  Fixture fx;
  fx.expected.confidence = spec::Confidence::unknown;
  fx.expected.codes.clear();
  auto fs = run(fx, reply(200, R"({"RequestId":"R","InstanceId":"i"})"));
  const report::Finding* s = find(fs, "status");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->outcome, Outcome::fail);
  EXPECT_EQ(s->expected_status, 400);
  EXPECT_EQ(s->observed_status, 200);
  EXPECT_NE(s->message.find("expected status 400, got 200"), std::string::npos) << s->message;
}

TEST(Verdict, OtherErrorStatusOnInferredWarnsUnlessStrict) {
  Fixture fx;
  fx.expected.confidence = spec::Confidence::inferred;
  auto r = reply(403, R"({"RequestId":"R","Code":"MissingParameter"})");
  EXPECT_EQ(find(run(fx, r), "status")->outcome, Outcome::warning);
  EXPECT_EQ(find(run(fx, r, true), "status")->outcome, Outcome::fail);
  fx.expected.confidence = spec::Confidence::documented;
  EXPECT_EQ(find(run(fx, r), "status")->outcome, Outcome::fail);
}

TEST(Verdict, WrongCodeFailsAndNamesBoth) {
  Fixture fx;
  fx.expected.codes = {"InvalidParameter", "MissingParameter"};
  auto fs = run(fx, reply(400, R"({"RequestId":"R","Code":"MisingParameter"})"));
  const report::Finding* c = find(fs, "code");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->outcome, Outcome::fail);
  EXPECT_EQ(c->observed_code, "MisingParameter");
  EXPECT_NE(c->message.find("400 InvalidParameter|MissingParameter"), std::string::npos) << c->message;
  fx.expected.confidence = spec::Confidence::inferred;
  EXPECT_EQ(find(run(fx, reply(400, R"({"RequestId":"R","Code":"X"})")), "code")->outcome, Outcome::warning);
}

TEST(Verdict, MissingRequestIdFailsWhereTheDialectHasOne) {
  Fixture fx;
  auto r = reply(400, R"({"Code":"MissingParameter"})");
  EXPECT_EQ(find(run(fx, r), "request_id")->outcome, Outcome::fail);
  auto h = reply(400, R"({"error_code":"DCS.4000","error_msg":"x"})", "application/json", Dialect::huawei_rest);
  EXPECT_EQ(find(run(fx, h, false, Dialect::huawei_rest), "request_id"), nullptr);
}

TEST(Verdict, BodyFormatFollowsTheRequestedFormat) {
  Fixture fx;
  fx.sent.query = {{"Format", "XML"}};
  auto json_reply = reply(400, R"({"RequestId":"R","Code":"MissingParameter"})");
  EXPECT_EQ(find(run(fx, json_reply), "body_format")->outcome, Outcome::fail) << "XML was asked for";
  auto xml = reply(400, "<Error><RequestId>R</RequestId><Code>MissingParameter</Code></Error>", "text/xml");
  EXPECT_EQ(outcome_of(run(fx, xml)), Outcome::pass);
  auto wrong_ct = reply(400, "<Error><RequestId>R</RequestId><Code>MissingParameter</Code></Error>", "text/plain");
  EXPECT_EQ(find(run(fx, wrong_ct), "body_format")->outcome, Outcome::fail);
  auto broken = reply(400, R"({"RequestId":"R","Code":)");
  fx.sent.query.clear();
  EXPECT_EQ(find(run(fx, broken), "body_format")->outcome, Outcome::fail);
}

TEST(Verdict, SuccessNeedsEveryDocumentedFieldWithItsType) {
  Fixture fx;
  fx.expected = {200, {}, spec::Confidence::documented, "", "", ""};
  EXPECT_EQ(outcome_of(run(fx, reply(200, R"({"RequestId":"R","InstanceId":"i-1"})"))), Outcome::pass);
  auto missing = run(fx, reply(200, R"({"RequestId":"R"})"));
  EXPECT_EQ(find(missing, "response_fields")->outcome, Outcome::fail);
  EXPECT_NE(find(missing, "response_fields")->message.find("InstanceId is missing"), std::string::npos);
  auto typed = run(fx, reply(200, R"({"RequestId":"R","InstanceId":7})"));
  EXPECT_EQ(find(typed, "response_fields")->outcome, Outcome::fail);
  fx.sent.query = {{"Format", "XML"}};
  auto xml = reply(200, "<R><RequestId>R</RequestId><InstanceId>i</InstanceId></R>", "application/xml");
  EXPECT_EQ(outcome_of(run(fx, xml)), Outcome::pass);
}

TEST(Verdict, IdempotentReplayReturnsTheSameId) {
  Fixture fx;
  fx.expected = {200, {}, spec::Confidence::documented, "", "", ""};
  std::string first = "i-1";
  auto same = reply(200, R"({"RequestId":"R2","InstanceId":"i-1"})");
  auto other = reply(200, R"({"RequestId":"R2","InstanceId":"i-2"})");
  EXPECT_EQ(find(run(fx, same, false, Dialect::aliyun_rpc, &first), "idempotent_replay")->outcome, Outcome::pass);
  EXPECT_EQ(find(run(fx, other, false, Dialect::aliyun_rpc, &first), "idempotent_replay")->outcome, Outcome::fail);
  EXPECT_EQ(find(run(fx, other), "idempotent_replay"), nullptr);
}

TEST(Verdict, TransportFindingIsAnError) {
  report::Prediction p{400, {"X"}, spec::Confidence::documented, "r", "", ""};
  auto f = transport_finding({transport::FailureKind::timeout, "no response within 100 ms"}, p);
  EXPECT_EQ(f.outcome, Outcome::error);
  EXPECT_EQ(f.expected_status, 400);
  EXPECT_EQ(f.observed_status, 0);
  EXPECT_NE(f.message.find("timeout"), std::string::npos);
}

TEST(Verdict, BaselinedFindingsDoNotCount) {
  std::vector<report::Finding> fs(1);
  fs[0].outcome = Outcome::fail;
  fs[0].baselined = true;
  EXPECT_EQ(outcome_of(fs), Outcome::pass);
}

TEST(Verdict, CreatedIdSkipsRequestId) {
  auto r = reply(200, R"({"RequestId":"R","InstanceId":"i-9"})");
  EXPECT_EQ(created_id(ecs(), r), "i-9");
}

}  // namespace
}  // namespace conform::verdict
