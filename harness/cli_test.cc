// The conform command line run on argv vectors: exit codes, help, usage errors, and
// import's --check on a scratch folder.
#include "harness/cli.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"

namespace conform::cli {
namespace {

namespace fs = std::filesystem;
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
  EXPECT_THAT(r.out, HasSubstr("[not implemented yet]"));
}

struct HelpCase {
  const char* command;
  std::vector<const char*> options;
};

class SubcommandHelp : public ::testing::TestWithParam<HelpCase> {};

TEST_P(SubcommandHelp, ShowsTheDocumentedOptions) {
  Outcome r = run_cli({GetParam().command, "--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* option : GetParam().options) EXPECT_THAT(r.out, HasSubstr(option)) << option;
}

INSTANTIATE_TEST_SUITE_P(
    Cli, SubcommandHelp,
    ::testing::Values(
        HelpCase{"import", {"--docs", "--out", "--check", "apidocs", "specs"}},
        HelpCase{"gen", {"--specs", "--ops", "--cases", "--seed", "--coverage"}},
        HelpCase{"predict", {"--specs", "--fixtures", "FILE|-"}},
        HelpCase{"emulate", {"--specs", "--port", "8080", "--fixtures", "--fault", "--list-faults",
                             "--max-header-bytes"}},
        HelpCase{"run", {"--specs", "--target", "--targets", "--ops", "--fixtures", "--cases",
                         "--seed", "--jobs", "--rate", "--timeout", "--shard", "--baseline",
                         "--junit", "--html", "--log", "--save-failures", "--max-response-bytes",
                         "8388608", "--max-transport-errors", "--strict", "--allow-create"}},
        HelpCase{"replay", {"--specs", "--target", "corpus/regressions", "--junit"}},
        HelpCase{"fuzz", {"--specs", "--target", "--time"}}),
    [](const auto& info) { return std::string(info.param.command); });

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

// Arguments that parse, reaching a subcommand that is not implemented yet (exit 2,
// with its own message), against arguments that are rejected while parsing.
struct ParseCase {
  std::vector<std::string> args;
  bool parses;
};

void PrintTo(const ParseCase& c, std::ostream* os) {
  *os << "conform";
  for (const std::string& a : c.args) *os << " " << a;
  *os << (c.parses ? " (parses)" : " (rejected)");
}

class OptionValues : public ::testing::TestWithParam<ParseCase> {};

TEST_P(OptionValues, AreCheckedWhileParsing) {
  Outcome r = run_cli(GetParam().args);
  EXPECT_EQ(r.code, kExitUsage);
  if (GetParam().parses) {
    EXPECT_EQ(r.err, "conform " + GetParam().args[0] + ": not implemented yet (see the open issues)\n");
  } else {
    EXPECT_THAT(r.err, StartsWith("conform: error: "));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cli, OptionValues,
    ::testing::Values(
        ParseCase{{"gen"}, true},
        ParseCase{{"gen", "--ops", "ecs.CreateInstance,dcs.CreateInstance", "--cases", "5",
                   "--seed", "18446744073709551615", "--coverage"}, true},
        ParseCase{{"gen", "--cases", "0"}, false},
        ParseCase{{"gen", "--seed", "-1"}, false},
        ParseCase{{"predict", "cases.jsonl", "--fixtures", "f.json"}, true},
        ParseCase{{"predict", "a.jsonl", "b.jsonl"}, false},
        ParseCase{{"emulate", "--port", "0", "--fault", "a", "--fault", "b"}, true},
        ParseCase{{"emulate", "--list-faults"}, true},
        ParseCase{{"emulate", "--port", "65536"}, false},
        ParseCase{{"emulate", "--port", "http"}, false},
        ParseCase{{"run", "--target", "http://127.0.0.1:8080", "--rate", "20/s", "--shard", "0/4",
                   "--timeout", "5000", "--jobs", "4", "--junit", "out/junit.xml"}, true},
        ParseCase{{"run", "--rate", "2.5"}, true},
        ParseCase{{"run", "--target", "http://x", "--targets", "targets.json"}, false},
        ParseCase{{"run", "--shard", "4/4"}, false},
        ParseCase{{"run", "--shard", "1/0"}, false},
        ParseCase{{"run", "--shard", "-1/4"}, false},
        ParseCase{{"run", "--shard", "2"}, false},
        ParseCase{{"run", "--rate", "0"}, false},
        ParseCase{{"run", "--timeout", "soon"}, false},
        ParseCase{{"replay", "corpus/regressions", "--target", "http://x", "--junit", "j.xml"}, true},
        ParseCase{{"replay", "a", "b"}, false},
        ParseCase{{"fuzz", "--time", "60"}, true},
        ParseCase{{"fuzz", "--time", "0"}, false}));

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
  EXPECT_THAT(r.err, HasSubstr(changed.filename().string()));
  EXPECT_THAT(r.err, HasSubstr("conform import --docs"));
}

TEST(CliImport, CheckAgainstAnEmptyFolderExitsOne) {
  ScratchDir out;
  Outcome r = run_cli({"import", "--check", "--docs", kDocs, "--out", out.path().string()});
  EXPECT_EQ(r.code, kExitFindings) << r.err;
  EXPECT_TRUE(files_under(out.path()).empty()) << "--check must write nothing";
}

}  // namespace
}  // namespace conform::cli
