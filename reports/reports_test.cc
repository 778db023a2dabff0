// Each report format on a small synthetic run: well-formed, carrying expected vs
// observed, the curl and conform commands; and a planted secret in none of them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "reports/listeners.h"
#include "reports/reports.h"
#include "transport/url.h"

namespace conform::report {
namespace {

const std::string kSecret = "Planted-S3cret!";

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

ExchangeDone failing_exchange() {
  ExchangeDone e;
  e.target = "emulator";
  e.origin = "http://127.0.0.1:9";
  e.case_id = "c-1";
  e.op = "ecs.CreateInstance";
  e.rule = "Password.length";
  e.side = "violating";
  e.request.method = "GET";
  e.request.target = "/?Action=CreateInstance&Password=" + transport::percent_encode(kSecret);
  e.request.headers = {{"Authorization", "acs AK:" + kSecret}};
  transport::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"RequestId":"R1","InstanceId":"i-1","Echo":")" + kSecret + R"("})";
  e.response = r;
  e.elapsed_ms = 3;
  e.expected = {400, {"InvalidPassword.Malformed"}, spec::Confidence::documented, "Password.length", "doc:1", ""};
  e.findings.push_back({"status", Outcome::fail, "expected 400, got 200", 400, {"InvalidPassword.Malformed"}, 200, "", false});
  e.outcome = Outcome::fail;
  e.case_json = R"({"op":"ecs.CreateInstance","query":{"Password":")" + kSecret + R"("}})";
  e.reproduce = "conform run --ops ecs.CreateInstance --seed 42 --cases 10";
  return e;
}

ExchangeDone passing_exchange() {
  ExchangeDone e = failing_exchange();
  e.case_id = "c-2";
  e.rule = "success";
  e.side = "valid";
  e.findings = {{"status", Outcome::pass, "", 200, {}, 200, "", false}};
  e.outcome = Outcome::pass;
  e.request.target = "/?Action=CreateInstance";
  e.request.headers.clear();
  e.response->body = R"({"RequestId":"R2"})";
  e.case_json.clear();
  return e;
}

ExchangeDone error_exchange() {
  ExchangeDone e = failing_exchange();
  e.case_id = "c-3";
  e.response.reset();
  e.error = transport::TransportError{transport::FailureKind::timeout, "no complete response within 100 ms"};
  e.findings = {{"transport", Outcome::error, "timeout: no complete response", 400, {}, 0, "", false}};
  e.outcome = Outcome::error;
  return e;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("conform_reports_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    Listeners ls(Redactor({"Password"}));
    ls.add(junit_listener(path("junit.xml")));
    ls.add(html_listener(path("report.html")));
    ls.add(ndjson_listener(path("log.ndjson")));
    ls.add(console_listener(console_, false));
    ls.run_started({"conform run --seed 42", 42, {"emulator"}, {"ecs.CreateInstance"}, "2026-12-02T05:00:00Z", {}, {}, {}});
    ls.exchange_done(failing_exchange());
    ls.exchange_done(passing_exchange());
    ls.exchange_done(error_exchange());
    ls.run_finished({3, 1, 1, 0, 1, 0, 0.5, 1, "", "emulator", 0, 0});
    std::string err;
    ASSERT_TRUE(ls.flush(&err)) << err;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  std::ostringstream console_;
};

TEST_F(ReportsTest, JUnitIsWellFormedWithExpectedObservedAndCommands) {
  std::string xml = slurp(path("junit.xml"));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(suite.attribute("name").value(), "emulator.ecs.CreateInstance");
  EXPECT_EQ(suite.attribute("tests").as_int(), 2);
  EXPECT_EQ(suite.attribute("errors").as_int(), 1) << "the failing and erroring rule is one testcase";
  pugi::xml_node failing = suite.find_child_by_attribute("testcase", "name", "Password.length [violating]");
  ASSERT_TRUE(failing);
  std::string text = failing.child("error").text().get();
  EXPECT_NE(text.find("expected: 400 InvalidPassword.Malformed"), std::string::npos) << text;
  EXPECT_NE(text.find("observed: 200"), std::string::npos);
  EXPECT_NE(text.find("curl -sS -i -X GET"), std::string::npos);
  EXPECT_NE(text.find("conform run --ops ecs.CreateInstance --seed 42"), std::string::npos);
  EXPECT_TRUE(suite.find_child_by_attribute("testcase", "name", "success [valid]"));
  EXPECT_FALSE(suite.find_child_by_attribute("testcase", "name", "success [valid]").child("failure"));
}

TEST_F(ReportsTest, HtmlIsSelfContained) {
  std::string html = slurp(path("report.html"));
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("Password.length [violating]"), std::string::npos);
  EXPECT_NE(html.find("only('fail')"), std::string::npos);
  for (const char* external : {"<link", " src=", "@import", "url("}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST_F(ReportsTest, NdjsonHasOneObjectPerExchange) {
  std::istringstream in(slurp(path("log.ndjson")));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    for (const char* k : {"case", "op", "rule", "request", "response", "elapsed_ms", "verdict"}) {
      EXPECT_TRUE(j.contains(k)) << k;
    }
    ++n;
  }
  EXPECT_EQ(n, 3);
}

TEST_F(ReportsTest, ConsolePrintsFailuresAndSummary) {
  std::string out = console_.str();
  EXPECT_NE(out.find("fail: ecs.CreateInstance Password.length [violating]"), std::string::npos) << out;
  EXPECT_NE(out.find("3 exchanges: 1 pass"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no live redraws when not a terminal";
}

TEST_F(ReportsTest, PlantedSecretIsInNoOutput) {
  for (const char* f : {"junit.xml", "report.html", "log.ndjson"}) {
    std::string content = slurp(path(f));
    EXPECT_EQ(content.find(kSecret), std::string::npos) << f;
    EXPECT_EQ(content.find(transport::percent_encode(kSecret)), std::string::npos) << f;
    EXPECT_NE(content.find("***"), std::string::npos) << f;
  }
  EXPECT_EQ(console_.str().find(kSecret), std::string::npos);
}

TEST(Curl, QuotesForTheShell) {
  transport::HttpRequest r;
  r.method = "POST";
  r.target = "/clusters";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"Name":"it's"})";
  EXPECT_EQ(curl_command("http://h:1", r),
            "curl -sS -i -X POST -H 'Content-Type: application/json' --data-binary '{\"Name\":\"it'\\''s\"}' "
            "'http://h:1/clusters'");
}

// What a listener saw, in order; throws on the case named `boom`.
class Recorder : public Listener {
 public:
  explicit Recorder(std::vector<std::string>& seen) : seen_(seen) {}
  void exchange_done(const ExchangeDone& e) override {
    if (e.case_id == "boom") throw std::runtime_error("boom");
    seen_.push_back(e.case_id + " " + e.request.target + " " + (e.curl.empty() ? "no curl" : "curl"));
  }
  void run_finished(const RunFinished& e) override { seen_.push_back("finished " + std::to_string(e.exchanges)); }

 private:
  std::vector<std::string>& seen_;
};

TEST(ListenersWorker, DeliversRedactedEventsInOrderBeforeRunFinished) {
  std::vector<std::string> seen;
  Listeners ls(Redactor({"Password"}));
  ls.add(std::make_unique<Recorder>(seen));
  ls.start_worker(4);
  for (int i = 0; i < 1000; ++i) {
    ExchangeDone e = passing_exchange();
    e.case_id = "c" + std::to_string(i);
    e.request.target = "/?Password=" + std::string(kSecret);
    ls.exchange_done(std::move(e));
  }
  ls.run_finished({1000, 1000, 0, 0, 0, 0, 0.5, 0, "", "emulator", 0, 0});
  ASSERT_EQ(seen.size(), 1001u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[i], "c" + std::to_string(i) + " /?Password=%2A%2A%2A curl");
  EXPECT_EQ(seen.back(), "finished 1000");
}

TEST(ListenersWorker, RethrowsWhatAListenerThrewOnTheCallersThread) {
  std::vector<std::string> seen;
  Listeners ls{Redactor()};
  ls.add(std::make_unique<Recorder>(seen));
  ls.start_worker();
  ExchangeDone e = passing_exchange();
  e.case_id = "boom";
  ls.exchange_done(std::move(e));
  EXPECT_THROW(ls.run_finished({}), std::runtime_error);
  EXPECT_NO_THROW(ls.run_finished({}));
}

}  // namespace
}  // namespace conform::report
