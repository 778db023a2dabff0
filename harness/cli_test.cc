// The conform command line run on argv vectors: exit codes, help, usage errors, and
// import's --check on a scratch folder.
#include "harness/cli.h"

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/test_paths.h"

namespace conform::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::Not;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "conform");
  std::ostringstream out;
  std::ostringstream err;
  int code = run(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, VersionPrintsProjectVersion) {
  Outcome r = run_cli({"--version"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out, "conform " CONFORM_VERSION "\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, HelpListsEverySubcommandAndTheExitCodes) {
  Outcome r = run_cli({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* cmd : {"import", "gen", "predict", "emulate", "run", "replay", "fuzz"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("\n  ") + cmd + " ")) << cmd;
  }
  EXPECT_THAT(r.out, HasSubstr("Exit codes: 0"));
  EXPECT_THAT(r.out, Not(HasSubstr("[not implemented yet]")));  // every subcommand works
}

// Value-parametrized tests would put their parameters into the ctest names, so the
// tables below are looped over with a trace instead.
std::string joined(const std::vector<std::string>& args) {
  std::string line = "conform";
  for (const std::string& a : args) line += " " + a;
  return line;
}

TEST(Cli, SubcommandHelpShowsTheDocumentedOptions) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> table = {
      {"import", {"--docs", "--out", "--check", "apidocs", "specs"}},
      {"gen", {"--specs", "--fixtures", "--ops", "--cases", "--seed", "--coverage"}},
      {"predict", {"--specs", "--fixtures", "FILE|-"}},
      {"emulate", {"--specs", "--port", "8080", "--fixtures", "--fault", "--list-faults",
                   "--max-header-bytes"}},
      {"run", {"--specs", "--target", "--targets", "--ops", "--fixtures", "--cases", "--seed",
               "--jobs", "--rate", "--timeout", "--shard", "--baseline", "--junit", "--html",
               "--log", "--save-failures", "--max-response-bytes", "8388608",
               "--max-transport-errors", "--strict", "--allow-create"}},
      {"replay", {"--specs", "--target", "corpus/regressions", "--junit"}},
      {"fuzz", {"--specs", "--target", "--time"}},
  };
  for (const auto& [command, options] : table) {
    SCOPED_TRACE(command);
    Outcome r = run_cli({command, "--help"});
    EXPECT_EQ(r.code, kExitOk);
    EXPECT_THAT(r.out, HasSubstr("Usage: conform " + command + " [OPTIONS]"));
    for (const std::string& option : options) EXPECT_THAT(r.out, HasSubstr(option)) << option;
  }
}

TEST(Cli, NoSubcommandIsAUsageError) {
  Outcome r = run_cli({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("conform: error: "));
}

TEST(Cli, UnknownFlagIsAUsageError) {
  Outcome r = run_cli({"--bogus"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("conform: error: "));
  EXPECT_THAT(r.err, HasSubstr("--bogus"));
  EXPECT_EQ(r.out, "");
}

TEST(Cli, UnknownSubcommandIsAUsageError) {
  EXPECT_EQ(run_cli({"frobnicate"}).code, kExitUsage);
}

TEST(Cli, UsageErrorInASubcommandPointsAtItsHelp) {
  Outcome r = run_cli({"import", "--bogus"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("conform import --help"));
}

TEST(Cli, MissingOptionValueIsAUsageError) {
  EXPECT_EQ(run_cli({"import", "--docs"}).code, kExitUsage);
}

TEST(Cli, ImportFromAMissingFolderIsAUsageError) {
  Outcome r = run_cli({"import", "--docs", "/nonexistent/conform-docs"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("conform: error: "));
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/conform-docs"));
}

void expect_usage_error(const std::vector<std::string>& args) {
  SCOPED_TRACE(joined(args));
  Outcome r = run_cli(args);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("conform: error: "));
}

TEST(Cli, DocumentedOptionValuesParse) {
  // gen and predict parse these; with no specs folder where the test runs, they
  // then stop with a spec error (exit 2) that names it.
  expect_usage_error({"gen", "--specs", "no-such-dir"});
  expect_usage_error({"gen", "--specs", "no-such-dir", "--ops", "ecs.CreateInstance,dcs.CreateInstance", "--ops",
                      "ros.CreateStackInstances", "--cases", "5", "--seed", "18446744073709551615",
                      "--coverage"});
  expect_usage_error({"predict", "cases.jsonl", "--specs", "no-such-dir", "--fixtures", "f.json"});
  expect_usage_error({"predict", "--specs", "no-such-dir", "-"});
  // emulate is implemented: an unknown fault name is a usage error, named.
  expect_usage_error({"emulate", "--port", "0", "--fault", "a", "--fault", "b"});
  EXPECT_EQ(run_cli({"emulate", "--list-faults"}).code, kExitOk);
  // run and replay are implemented: options that parse reach the command, whose
  // missing specs folder is then a usage error (nothing is sent).
  expect_usage_error({"run", "--specs", "no-such-dir", "--target", "http://127.0.0.1:8080", "--rate", "20/s",
                      "--shard", "0/4", "--timeout", "5000", "--jobs", "4", "--junit", "out/junit.xml", "--log",
                      "out/log.ndjson", "--strict", "--allow-create", "--write-baseline", "b.json"});
  expect_usage_error({"run", "--specs", "no-such-dir", "--targets", "targets.json", "--rate", "2.5"});
  // A rate that is no number, or so small that its interval overflows, is refused
  // (it used to send with no limit at all).
  for (const char* bad : {"nan", "1e-300", "0", "abc"}) {
    Outcome r = run_cli({"run", "--specs", "specs", "--rate", bad});
    EXPECT_EQ(r.code, kExitUsage) << bad;
    EXPECT_NE(r.err.find("--rate"), std::string::npos) << bad << r.err;
  }
  expect_usage_error({"replay", "corpus/regressions", "--specs", "no-such-dir", "--target", "http://x",
                      "--junit", "j.xml"});
  expect_usage_error({"fuzz", "--specs", "no-such-dir", "--time", "60", "--cases", "10", "--seed", "3", "--ops",
                      "ecs.*", "--jobs", "2", "--timeout", "500", "--junit", "j.xml", "--save-failures", "c"});
}

TEST(Cli, BadOptionValuesAreUsageErrors) {
  expect_usage_error({"gen", "--cases", "0"});
  expect_usage_error({"gen", "--seed", "-1"});
  expect_usage_error({"predict", "a.jsonl", "b.jsonl"});
  expect_usage_error({"emulate", "--port", "65536"});
  expect_usage_error({"emulate", "--port", "http"});
  expect_usage_error({"emulate", "--fault", "a", "b"});
  expect_usage_error({"run", "--target", "http://x", "--targets", "targets.json"});
  expect_usage_error({"run", "--shard", "4/4"});
  expect_usage_error({"run", "--shard", "1/0"});
  expect_usage_error({"run", "--shard", "-1/4"});
  expect_usage_error({"run", "--shard", "2"});
  expect_usage_error({"run", "--rate", "0"});
  expect_usage_error({"run", "--timeout", "soon"});
  expect_usage_error({"replay", "a", "b"});
  expect_usage_error({"fuzz", "--time", "0"});
}

// Each numeric option says what it takes and what it got, whatever was wrong:
// not CLI11's 300-digit range, nor its riddle for a number too large to hold.
TEST(Cli, ABadNumberSaysWhatWasExpected) {
  struct Bad {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {{"run", "--cases", "99999999999999999999"},
       "--cases: expected a whole number from 1 to 2147483647 (cases), got 99999999999999999999 (too large)"},
      {{"run", "--jobs", "0"}, "--jobs: expected a whole number from 1 to 1000 (exchanges in flight), got 0 (too small)"},
      {{"run", "--timeout", "-5"}, "--timeout: expected a whole number from 1 to 86400000 (milliseconds), got '-5'"},
      {{"run", "--seed", "18446744073709551616"}, "(seed), got 18446744073709551616 (too large)"},
      {{"gen", "--cases", "1e3"}, "--cases: expected a whole number from 1 to 2147483647 (cases), got '1e3'"},
      {{"run", "--shard", "1/99999999999"}, "--shard: expected K/N with 0 <= K < N <= 100000"},
      {{"emulate", "--threads", "+4"}, "--threads: expected a whole number from 1 to 256 (threads), got '+4'"},
      {{"fuzz", "--cases", " 5"}, "--cases: expected a whole number from 1 to 2147483647 (cases), got ' 5'"},
      {{"gen", "--seed", "010"}, "--seed: expected a whole number from 0 to 18446744073709551615 (seed), got 010 (no leading zeros)"},
      {{"run", "--timeout", "09"}, "(milliseconds), got 09 (no leading zeros)"},
  };
  for (const Bad& b : bad) {
    Outcome o = run_cli(b.args);
    EXPECT_EQ(o.code, 2) << b.args[1];
    EXPECT_THAT(o.err, HasSubstr(b.says));
    EXPECT_THAT(o.err, Not(HasSubstr("179769313486231570814527423731704356798070567525844996598917476803157260780028")));
  }
  EXPECT_EQ(run_cli({"gen", "--ops", "ecs.CreateDeploymentSet", "--cases", "1", "--seed", "18446744073709551615",
                     "--specs", std::string(CONFORM_SOURCE_DIR) + "/specs"}).code,
            0);
}

// A scratch folder, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "conform-cli-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

const std::string kDocs = std::string(CONFORM_SOURCE_DIR) + "/apidocs";

TEST(CliImport, WritesSpecsThatCheckAsCurrent) {
  ScratchDir out;
  Outcome written = run_cli({"import", "--docs", kDocs, "--out", out.path().string()});
  ASSERT_EQ(written.code, kExitOk) << written.err;
  EXPECT_FALSE(written.out.empty());
  EXPECT_FALSE(files_under(out.path()).empty());

  Outcome checked = run_cli({"import", "--check", "--docs", kDocs, "--out", out.path().string()});
  EXPECT_EQ(checked.code, kExitOk) << checked.err;
}

TEST(CliImport, CheckListsAChangedSpecAndExitsOne) {
  ScratchDir out;
  ASSERT_EQ(run_cli({"import", "--docs", kDocs, "--out", out.path().string()}).code, kExitOk);
  fs::path changed;
  for (const fs::path& file : files_under(out.path())) {
    if (file.extension() == ".json") changed = file;
  }
  ASSERT_FALSE(changed.empty()) << "import wrote no .json spec";
  std::ofstream(changed, std::ios::app) << "\n";

  Outcome r = run_cli({"import", "--check", "--docs", kDocs, "--out", out.path().string()});
  EXPECT_EQ(r.code, kExitFindings);
  EXPECT_THAT(r.out + r.err, HasSubstr("stale: " + changed.string()));
  EXPECT_THAT(r.err, HasSubstr("Run `conform import --docs"));
}

TEST(CliImport, CheckAgainstAnEmptyFolderExitsOne) {
  ScratchDir out;
  Outcome r = run_cli({"import", "--check", "--docs", kDocs, "--out", out.path().string()});
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_TRUE(files_under(out.path()).empty()) << "--check must write nothing";
}

}  // namespace
}  // namespace conform::cli
