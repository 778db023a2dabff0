// `conform run` and `replay` end to end, the real binary, against the embedded
// emulator (and a closed port): exit codes, the reports on every exit, a planted
// fault caught and named in the JUnit, the corpus round trip, no secret in any
// output.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/test_paths.h"
#include "reports/listeners.h"
#include "transport/hostile_server.h"

namespace conform {
namespace {

namespace fs = std::filesystem;

const std::string kSpecs = std::string(CONFORM_SOURCE_DIR) + "/specs";

struct Outcome {
  int code;
  std::string out, err;
};

std::string slurp(const fs::path& p);

// The real binary in its own process, as CI runs it (and so that each run starts
// from a fresh process, like a user's).
Outcome conform_cli(std::vector<std::string> args) {
  static int n = 0;
  fs::path base = fs::path(::testing::TempDir()) / ("conform_cli_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  std::string cmd = report::shell_quote(CONFORM_BINARY);
  for (const std::string& a : args) cmd += " " + report::shell_quote(a);
  cmd += " >" + report::shell_quote(base.string() + ".out") + " 2>" + report::shell_quote(base.string() + ".err");
  int status = std::system(cmd.c_str());
  Outcome o{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base.string() + ".out"), slurp(base.string() + ".err")};
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return o;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class RunCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("conform_run_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const char* name) const { return (dir_ / name).string(); }
  std::vector<std::string> run_args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"run", "--specs", kSpecs, "--junit", at("junit.xml"), "--html", at("report.html"),
                                  "--log", at("log.ndjson")};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  std::ptrdiff_t lines_logged() const {
    const std::string log = slurp(at("log.ndjson"));
    return std::count(log.begin(), log.end(), '\n');
  }
  // SIGTERM to the child once its log has `lines` exchanges; it must exit 128 + 15.
  void terminate_once_logged(pid_t pid, std::ptrdiff_t lines) const {
    for (int i = 0; i < 400 && lines_logged() < lines; ++i) ::usleep(50'000);
    ::kill(pid, SIGTERM);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  }
  fs::path dir_;
};

TEST_F(RunCli, FaultlessEmulatorPasses) {
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "40"}));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(at("junit.xml").c_str()));
  EXPECT_STREQ(doc.child("testsuites").child("testsuite").attribute("name").value(),
               "emulator.ecs.CreateDeploymentSet");
  EXPECT_EQ(doc.child("testsuites").attribute("failures").as_int(), 0);
}

TEST_F(RunCli, PlantedFaultFailsAndTheJUnitNamesTheRule) {
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "40", "--fault",
                                    "ecs-ds-description-max-off-by-one"}));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  std::string junit = slurp(at("junit.xml"));
  EXPECT_NE(junit.find("Description.length"), std::string::npos);
  EXPECT_NE(junit.find("<failure"), std::string::npos);
  EXPECT_NE(junit.find("--fault ecs-ds-description-max-off-by-one"), std::string::npos) << "regenerating command";
}

TEST_F(RunCli, UnreachableTargetExitsThreeAndStillWritesTheReports) {
  std::string url = "http://127.0.0.1:" + std::to_string(testing::HostileServer::closed_port());
  Outcome r = conform_cli(run_args({"--ops", "ecs.*", "--cases", "10", "--target", url}));
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_file(at("junit.xml").c_str()));
  EXPECT_NE(slurp(at("junit.xml")).find("<error"), std::string::npos);
  EXPECT_TRUE(fs::exists(at("report.html")));
}

// A target that takes each connection and sends nothing back, however few the
// requests: `run` and `fuzz` both exit 3 and say so, with their reports written.
TEST_F(RunCli, ATargetThatNeverAnswersExitsThreeFromRunAndFuzz) {
  testing::HostileServer server(testing::Behaviour::close_silently);
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "3", "--target", server.url()}));
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("the target never answered"), std::string::npos) << r.out;
  EXPECT_NE(slurp(at("junit.xml")).find("<error"), std::string::npos);
  Outcome f = conform_cli({"fuzz", "--specs", kSpecs, "--ops", "ecs.CreateDeploymentSet", "--cases", "3", "--target",
                           server.url(), "--junit", at("fuzz.xml")});
  EXPECT_EQ(f.code, 3) << f.out << f.err;
  EXPECT_NE(f.out.find("the target never answered: 3 request(s)"), std::string::npos) << f.out;
}

// A passing run whose JUnit (or saved case) cannot be written is no green gate.
TEST_F(RunCli, AReportThatCannotBeWrittenIsExitTwo) {
  fs::create_directories(at("a_folder"));
  std::vector<std::string> a = {"run", "--specs", kSpecs, "--ops", "ecs.CreateDeploymentSet", "--cases", "10",
                                "--junit", at("a_folder")};
  Outcome r = conform_cli(a);
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(at("a_folder")), std::string::npos) << r.err;
  std::ofstream(at("a_file")) << "x";
  Outcome s = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "40", "--fault",
                                    "ecs-ds-description-max-off-by-one", "--save-failures", at("a_file")}));
  EXPECT_EQ(s.code, 2) << s.out << s.err;
  EXPECT_NE(s.err.find("--save-failures"), std::string::npos) << s.err;
  EXPECT_TRUE(fs::exists(at("junit.xml"))) << "the other reports are still written";
}

// A target that stops answering after the main phase: shrinking gives up after a
// few timeouts in a row instead of 40 tries per held failure, and says so.
TEST_F(RunCli, ShrinkingStopsWhenTheTargetStopsAnswering) {
  testing::HostileServer server(testing::Behaviour::answers_then_hangs);
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "12", "--target", server.url(),
                                    "--timeout", "200", "--jobs", "1"}));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const std::string junit = slurp(at("junit.xml"));
  EXPECT_NE(junit.find("not shrunk: 3 tries in a row while shrinking got no answer"), std::string::npos) << junit.substr(0, 3000);
  EXPECT_LT(server.requests(), 12 + 3 + 40) << "shrinking went on against a silent target";
}

TEST_F(RunCli, UnknownOpsGlobIsAUsageError) {
  Outcome r = conform_cli(run_args({"--ops", "nope.*"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nope.*"), std::string::npos);
}

TEST_F(RunCli, SavedFailuresReplayWithTheSameVerdict) {
  std::string corpus = at("corpus");
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateDeploymentSet", "--cases", "40", "--fault",
                                    "ecs-ds-region-missing-404", "--save-failures", corpus}));
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  ASSERT_TRUE(fs::exists(corpus));
  Outcome again = conform_cli({"replay", corpus, "--specs", kSpecs, "--fault", "ecs-ds-region-missing-404", "--junit",
                               at("replay.xml")});
  EXPECT_EQ(again.code, 1) << again.out << again.err;
  Outcome fixed = conform_cli({"replay", corpus, "--specs", kSpecs, "--junit", at("fixed.xml")});
  EXPECT_EQ(fixed.code, 0) << "without the fault the saved cases pass: " << fixed.out << fixed.err;
}

// A hand-made case whose path reaches another dialect's gateway (a BatchCompute
// case on DCS's path: decisions.md section 3, "Routing") is judged on the answer
// read in that gateway's dialect: DCS's error_code, no RequestId promised.
TEST_F(RunCli, AnswerIsReadInTheReachedOperationsDialect) {
  std::string corpus = at("cross");
  fs::create_directories(corpus);
  std::ofstream(corpus + "/cross.json") << R"({"id":"cross","op":"batchcompute.CreateCluster","method":"POST",)"
                                        << R"("path":"/v1.0/p1/instances","headers":{"Content-Type":"application/json"},)"
                                        << R"("body":{}})" << "\n";
  Outcome r = conform_cli({"replay", corpus, "--specs", kSpecs, "--junit", at("cross.xml")});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 pass"), std::string::npos) << r.out;
}

TEST_F(RunCli, BaselineAdoptsKnownDeviations) {
  std::vector<std::string> faulty = {"--ops", "ecs.CreateDeploymentSet", "--cases", "40", "--fault",
                                     "ecs-ds-description-max-off-by-one"};
  std::vector<std::string> write = faulty;
  write.insert(write.end(), {"--write-baseline", at("baseline.json")});
  EXPECT_EQ(conform_cli(run_args(write)).code, 1);
  std::vector<std::string> gated = faulty;
  gated.insert(gated.end(), {"--baseline", at("baseline.json")});
  Outcome r = conform_cli(run_args(gated));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(RunCli, ShardsTogetherRunEveryCaseOnce) {
  auto count = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> a = {"--ops", "ecs.CreateDeploymentSet", "--cases", "30"};
    a.insert(a.end(), extra.begin(), extra.end());
    conform_cli(run_args(a));
    std::istringstream in(slurp(at("log.ndjson")));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) ++n;
    return n;
  };
  int whole = count({});
  EXPECT_EQ(count({"--shard", "0/3"}) + count({"--shard", "1/3"}) + count({"--shard", "2/3"}), whole);
}

// Issue 8 item 6 for what exists so far: a run over the operation with a
// Password leaves no generated password in any output (JUnit, HTML, log, console).
TEST_F(RunCli, NoPasswordReachesAnyOutput) {
  Outcome r = conform_cli(run_args({"--ops", "ecs.CreateInstance", "--cases", "300", "--save-failures", at("saved")}));
  std::regex leaked("Password=(?!%2A%2A%2A|\\*\\*\\*|&|$)|\"Password\": ?\"(?!\\*\\*\\*)");
  std::string all = r.out + r.err;
  for (const char* f : {"junit.xml", "report.html", "log.ndjson"}) all += slurp(at(f));
  if (fs::exists(at("saved"))) {
    for (const auto& e : fs::recursive_directory_iterator(at("saved"))) {
      if (e.is_regular_file()) all += slurp(e.path());
    }
  }
  EXPECT_NE(all.find("Password="), std::string::npos) << "the run must have sent passwords at all";
  std::smatch m;
  EXPECT_FALSE(std::regex_search(all, m, leaked)) << m.str() << " ... " << m.suffix().str().substr(0, 80);
}

// A target whose error body nests 100,000 levels deep (well-formed JSON): every
// report is written and names the problem; no parser, redactor or report writer
// recurses that deep (the stack would not hold it). `predict` refuses such a case
// line the same way.
TEST_F(RunCli, DeeplyNestedJsonFromTheTargetIsAFindingNotACrash) {
  testing::HostileServer server(testing::Behaviour::deep_json);
  Outcome r = conform_cli(run_args({"--target", server.url(), "--ops", "ecs.CreateDeploymentSet", "--cases", "5"}));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const std::string junit = slurp(at("junit.xml"));
  EXPECT_NE(junit.find("the body is JSON nested deeper than 128 levels"), std::string::npos) << junit.substr(0, 2000);
  EXPECT_TRUE(fs::exists(at("report.html")));
  EXPECT_GT(fs::file_size(at("log.ndjson")), 0u);

  std::ofstream(at("deep.jsonl")) << R"({"op":"ecs.CreateInstance","method":"POST","path":"/","query":{"RegionId":)"
                                  << std::string(100'000, '[') << std::string(100'000, ']') << "}}\n"
                                  << R"({"op":"ecs.CreateInstance","method":"POST","path":"/","raw_body":")"
                                  << std::string(100'000, '[') << std::string(100'000, ']') << "\"}\n";
  Outcome p = conform_cli({"predict", "--specs", kSpecs, at("deep.jsonl")});
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("\"line\":1"), std::string::npos) << p.out.substr(0, 500);
  EXPECT_NE(p.out.find("nested deeper than 128 levels"), std::string::npos) << p.out.substr(0, 500);
  EXPECT_NE(p.out.find("\"status\""), std::string::npos) << "the second line (a deep raw body) is predicted";
}

// A CI job's timeout sends SIGTERM (a user's Ctrl-C, SIGINT): the run stops
// starting requests, still writes every report with what it has, says why, and
// exits 128 + 15 (the gate fails; the reports are not lost).
// The real binary as a child process (stdout to out_path), for a test that
// signals it.
pid_t spawn(std::vector<std::string> args, const std::string& out_path) {
  args.insert(args.begin(), CONFORM_BINARY);
  pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGTERM, SIG_DFL);  // not inherited as ignored
    std::FILE* o = std::freopen(out_path.c_str(), "w", stdout);
    if (o == nullptr) ::_exit(127);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

TEST_F(RunCli, TerminatedRunStillWritesItsReports) {
  const std::string out_path = at("out.txt");
  pid_t pid = spawn(run_args({"--ops", "ecs.*", "--rate", "100/s"}), out_path);
  ASSERT_GE(pid, 0);
  // Wait until the run has answers (at 100 requests/s, well before its end).
  terminate_once_logged(pid, 20);
  const std::string out = slurp(out_path);
  EXPECT_NE(out.find("stopped early: interrupted by SIGTERM"), std::string::npos) << out;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(at("junit.xml").c_str()));
  const int tests = doc.child("testsuites").attribute("tests").as_int();
  EXPECT_GT(tests, 0);
  const auto lines = lines_logged();
  EXPECT_GE(lines, 20);
  EXPECT_LT(lines, 1000) << "the run went on after the signal";
  EXPECT_NE(slurp(at("report.html")).find("interrupted by SIGTERM"), std::string::npos);
  // A CI page must not show the cut-short run as green: an error testcase says so.
  pugi::xml_node stop = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "emulator.run");
  ASSERT_TRUE(stop) << slurp(at("junit.xml")).substr(0, 2000);
  EXPECT_NE(std::string(stop.child("testcase").child("error").attribute("message").value()).find("interrupted by SIGTERM"),
            std::string::npos);
  EXPECT_GE(doc.child("testsuites").attribute("errors").as_int(), 1);
}

// `conform fuzz` the same way: a SIGTERM ends the session with its reports
// written, the stop in the JUnit, no shrinking begun after it, exit 128 + 15.
TEST_F(RunCli, TerminatedFuzzSessionStillWritesItsReports) {
  const std::string out_path = at("out.txt");
  pid_t pid = spawn({"fuzz", "--specs", kSpecs, "--cases", "1000000", "--time", "120", "--junit",
                     at("junit.xml"), "--html", at("report.html"), "--log", at("log.ndjson")},
                    out_path);
  ASSERT_GE(pid, 0);
  terminate_once_logged(pid, 20);
  EXPECT_NE(slurp(out_path).find("stopped early: interrupted by SIGTERM"), std::string::npos) << slurp(out_path);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(at("junit.xml").c_str()));
  pugi::xml_node stop = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "emulator.run");
  ASSERT_TRUE(stop) << slurp(at("junit.xml")).substr(0, 2000);
  EXPECT_NE(std::string(stop.child("testcase").child("error").attribute("message").value()).find("interrupted by SIGTERM"),
            std::string::npos);
  EXPECT_GE(lines_logged(), 20);
  EXPECT_NE(slurp(at("report.html")).find("interrupted by SIGTERM"), std::string::npos);
}

// A target that sends a status line and then nothing: a SIGTERM must not wait for
// the requests' --timeout (a minute here) before the reports are written; those
// in flight get a second, then end as timeouts that say why.
TEST_F(RunCli, SignalDoesNotWaitForASilentTarget) {
  testing::HostileServer server(testing::Behaviour::status_then_silence);
  const std::string out_path = at("out.txt");
  pid_t pid = spawn(run_args({"--target", server.url(), "--ops", "ecs.CreateInstance", "--cases", "20", "--timeout",
                              "60000", "--jobs", "2"}),
                    out_path);
  ASSERT_GE(pid, 0);
  for (int i = 0; i < 400 && server.requests() < 1; ++i) ::usleep(25'000);
  ASSERT_GE(server.requests(), 1) << "the run never reached the server";
  ::usleep(200'000);
  ::kill(pid, SIGTERM);
  const auto signalled = std::chrono::steady_clock::now();
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() - signalled < std::chrono::seconds(20)) {
    ::usleep(20'000);
  }
  if (done == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "the run was still waiting for its silent target 20 s after SIGTERM";
  }
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_LT(waited, 10.0) << "the stop waited for --timeout";
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  const std::string junit = slurp(at("junit.xml"));
  EXPECT_NE(junit.find("after SIGTERM stopped the run"), std::string::npos) << junit.substr(0, 2000);
  EXPECT_NE(slurp(out_path).find("stopped early: interrupted by SIGTERM"), std::string::npos);
}

}  // namespace
}  // namespace conform
