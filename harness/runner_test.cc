// The run loop against local servers with a stand-in oracle: verdicts flow to the
// listeners, the exit codes follow DESIGN.md, bad targets end the run cleanly.
#include "harness/runner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "transport/hostile_server.h"

namespace conform {
namespace {

using testing::Behaviour;
using testing::HostileServer;

struct Recorder : report::Listener {
  std::vector<report::ExchangeDone>* seen;
  explicit Recorder(std::vector<report::ExchangeDone>* s) : seen(s) {}
  void exchange_done(const report::ExchangeDone& e) override { seen->push_back(e); }
};

std::vector<spec::Spec> specs() {
  spec::Spec s;
  s.op = "ecs.CreateInstance";
  s.name = "CreateInstance";
  s.version = "2014-05-26";
  s.dialect = "aliyun-rpc";
  s.path = "/";
  s.response = {{"InstanceId", spec::ParamType::String, {}}, {"RequestId", spec::ParamType::String, {}}};
  return {s};
}

Scenario single(int i, std::vector<std::pair<std::string, std::string>> q = {}) {
  Case c;
  c.id = "c" + std::to_string(i);
  c.op = "ecs.CreateInstance";
  c.query = std::move(q);
  return Scenario{c.id, {c}, false};
}

struct RunResult {
  std::vector<report::ExchangeDone> seen;
  RunOutcome outcome;
  int steps = 0;
};

RunResult run(const std::string& url, std::vector<Scenario> scenarios, int status, RunConfig cfg = {}) {
  static const std::vector<spec::Spec> kSpecs = specs();
  RunResult r;
  RunInput in;
  in.specs = &kSpecs;
  in.scenarios = std::move(scenarios);
  auto predict = [status](const Case&) {
    return report::Prediction{status, status == 200 ? std::vector<std::string>{} : std::vector<std::string>{"X"},
                              spec::Confidence::documented, status == 200 ? "" : "R.required", "", ""};
  };
  in.oracle.peek = predict;
  in.oracle.step = [&r, predict](const Case& c) {
    ++r.steps;
    return predict(c);
  };
  in.oracle.steps = [&r] { return r.steps; };
  in.reproduce = [](const Scenario& s) { return "conform replay " + s.id; };
  report::Listeners ls{report::Redactor()};
  ls.add(std::make_unique<Recorder>(&r.seen));
  cfg.endpoint = *transport::parse_url(url);
  if (cfg.timeout_ms == 10000) cfg.timeout_ms = 500;
  auto out = run_scenarios(std::move(in), cfg, ls);
  EXPECT_TRUE(out.has_value()) << out.error().message();
  if (out) r.outcome = *out;
  return r;
}

TEST(Runner, ConformantAnswersPass) {
  HostileServer server(Behaviour::ok);
  std::vector<Scenario> s;
  for (int i = 0; i < 20; ++i) s.push_back(single(i));
  RunResult r = run(server.url(), s, 200);
  EXPECT_EQ(r.outcome.summary.exchanges, 20);
  EXPECT_EQ(r.outcome.summary.pass, 20);
  EXPECT_EQ(exit_code(r.outcome), kExitOk);
  ASSERT_FALSE(r.seen.empty());
  EXPECT_NE(r.seen[0].request.target.find("Action=CreateInstance"), std::string::npos) << "common parameters";
  EXPECT_EQ(r.seen[0].rule, "success");
  EXPECT_EQ(r.seen[0].reproduce, "conform replay c0");
}

TEST(Runner, WrongAnswersFailWithExpectedAndObserved) {
  HostileServer server(Behaviour::ok);
  RunResult r = run(server.url(), {single(1), single(2)}, 400);
  EXPECT_EQ(r.outcome.summary.fail, 2);
  EXPECT_EQ(exit_code(r.outcome), kExitFindings);
  const report::Finding& f = r.seen[0].findings[0];
  EXPECT_EQ(f.check, "status");
  EXPECT_EQ(f.expected_status, 400);
  EXPECT_EQ(f.observed_status, 200);
}

TEST(Runner, BaselinedDeviationDoesNotFail) {
  HostileServer server(Behaviour::ok);
  Baseline recorded;
  {
    RunResult first = run(server.url(), {single(1)}, 400);
    recorded.record(first.seen[0]);
  }
  EXPECT_EQ(recorded.size(), 1u);
  // Through the file format, as --write-baseline then --baseline would.
  std::string path = ::testing::TempDir() + "/baseline.json";
  ASSERT_TRUE(recorded.write(path).has_value());
  auto loaded = Baseline::load(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  report::ExchangeDone e = run(server.url(), {single(1)}, 400).seen[0];
  loaded->apply(e);
  for (const auto& f : e.findings) {
    if (f.outcome != report::Outcome::pass) {
      EXPECT_TRUE(f.baselined);
    }
  }
}

TEST(Runner, RefusedFirstConnectionExitsThreeAfterOneRequest) {
  std::vector<Scenario> s;
  for (int i = 0; i < 50; ++i) s.push_back(single(i));
  RunConfig cfg;
  cfg.jobs = 8;
  RunResult r = run("http://127.0.0.1:" + std::to_string(HostileServer::closed_port()), s, 200, cfg);
  EXPECT_EQ(r.outcome.summary.exchanges, 1);
  EXPECT_TRUE(r.outcome.unreachable);
  EXPECT_EQ(exit_code(r.outcome), kExitUnreachable);
  EXPECT_NE(r.outcome.summary.stop_reason.find("could not be reached"), std::string::npos);
}

TEST(Runner, ConsecutiveTransportErrorsStopTheRun) {
  HostileServer server(Behaviour::garbage);
  std::vector<Scenario> s;
  for (int i = 0; i < 100; ++i) s.push_back(single(i));
  RunConfig cfg;
  cfg.jobs = 4;
  cfg.max_transport_errors = 5;
  RunResult r = run(server.url(), s, 200, cfg);
  EXPECT_TRUE(r.outcome.unreachable);
  EXPECT_LE(r.outcome.summary.exchanges, 5);
  EXPECT_EQ(r.outcome.summary.error, r.outcome.summary.exchanges);
  EXPECT_EQ(r.seen[0].findings[0].check, "transport");
  EXPECT_NE(r.seen[0].findings[0].message.find("malformed"), std::string::npos);
}

TEST(Runner, HostileAnswersAreErrorsWithinTheTimeout) {
  for (Behaviour b : {Behaviour::status_then_silence, Behaviour::truncated_body, Behaviour::megabyte_header,
                      Behaviour::huge_body}) {
    HostileServer server(b);
    auto start = std::chrono::steady_clock::now();
    RunResult r = run(server.url(), {single(1), single(2)}, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    EXPECT_EQ(r.outcome.summary.error, 2) << static_cast<int>(b);
    EXPECT_EQ(exit_code(r.outcome), kExitFindings) << static_cast<int>(b);
  }
}

// A target that takes the connection and then sends not one byte (it resets,
// closes, or says nothing) could not be reached, also when the run has fewer
// cases than --max-transport-errors: exit 3, each exchange an error finding.
TEST(Runner, ATargetThatNeverSendsAByteIsUnreachable) {
  for (Behaviour b : {Behaviour::reset, Behaviour::close_silently}) {
    HostileServer server(b);
    RunResult r = run(server.url(), {single(1), single(2)}, 200);
    EXPECT_EQ(r.outcome.summary.exchanges, 2) << static_cast<int>(b);
    EXPECT_EQ(r.outcome.summary.error, 2) << static_cast<int>(b);
    EXPECT_EQ(exit_code(r.outcome), kExitUnreachable) << static_cast<int>(b);
    EXPECT_NE(r.outcome.summary.stop_reason.find("never answered: 2 request(s)"), std::string::npos)
        << r.outcome.summary.stop_reason;
  }
}

TEST(Runner, MalformedJsonBodyFailsTheBodyCheck) {
  HostileServer server(Behaviour::malformed_json);
  RunResult r = run(server.url(), {single(1)}, 400);
  bool body = false;
  for (const auto& f : r.seen.at(0).findings) body = body || (f.check == "body_format" && f.outcome == report::Outcome::fail);
  EXPECT_TRUE(body);
}

// A target that answers one request twice breaks HTTP's framing: an error
// finding on the exchange whose answer came with the extra bytes in hand. (A
// second answer that comes late, after the next request went out, cannot be told
// from that request's own answer: HTTP/1.1 has no request ids.)
TEST(Runner, ASecondAnswerIsAFramingError) {
  HostileServer server(Behaviour::double_answer);
  std::vector<Scenario> s;
  for (int i = 0; i < 6; ++i) s.push_back(single(i));
  RunConfig cfg;
  cfg.jobs = 1;
  RunResult r = run(server.url(), s, 200, cfg);
  int framing = 0;
  for (const auto& e : r.seen) {
    for (const auto& f : e.findings) framing += f.check == "framing" && f.outcome == report::Outcome::error;
    ASSERT_TRUE(e.response) << e.case_id;
  }
  EXPECT_GE(framing, 1);
}

TEST(Runner, SequencesFillPlaceholdersFromEarlierAnswers) {
  HostileServer server(Behaviour::ok);
  Scenario seq = single(1);
  seq.stateful = true;
  Case second = seq.steps[0];
  second.query = {{"DeploymentSetId", "${0.InstanceId}"}};
  seq.steps.push_back(second);
  RunResult r = run(server.url(), {single(0), seq}, 200);
  ASSERT_EQ(r.seen.size(), 3u);
  EXPECT_NE(r.seen[2].request.target.find("DeploymentSetId=i-1"), std::string::npos) << r.seen[2].request.target;
  EXPECT_EQ(r.seen[2].case_id, "c1/1");
}

}  // namespace
}  // namespace conform
