// `conform gen` and `conform predict`: cases out, and predictions for cases in.
// Both only parse their options for now; the generators and oracles come later.
#include <cstdint>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/cli_commands.h"

namespace conform::cli {
namespace {

struct GenOptions {
  std::string specs = kDefaultSpecsDir;
  std::vector<std::string> ops;
  int cases = 0;  // 0: the generators' default
  std::uint64_t seed = 0;
  bool coverage = false;
};

struct PredictOptions {
  std::string specs = kDefaultSpecsDir;
  std::string fixtures;  // empty: the project's default fixtures
  std::string input = "-";
};

void add_gen(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<GenOptions>();
  CLI::App* cmd = root.add_subcommand(
      "gen", "Generate cases (valid, boundary, single-rule violations) as JSONL on stdout; "
             "sends nothing. [not implemented yet]");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--ops", options->ops, "Only these operation ids (e.g. ecs.CreateInstance)")
      ->type_name("ID,...")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--cases", options->cases, "Cases per operation")->type_name("N")->check(CLI::PositiveNumber);
  cmd->add_option("--seed", options->seed, "Seed of the generators")
      ->type_name("S")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--coverage", options->coverage, "Report which rules the cases cover");
  commands.push_back({cmd, options, [](Io& io) { return not_implemented(io, "gen"); }});
}

void add_predict(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<PredictOptions>();
  CLI::App* cmd = root.add_subcommand(
      "predict", "Read cases (JSONL) and write, for each, the predicted status, codes, "
                 "confidence and rule (JSONL). [not implemented yet]");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--fixtures", options->fixtures, "Resources that exist (default: the project's set)")
      ->type_name("FILE");
  cmd->add_option("input", options->input, "Case file, or - for stdin")
      ->type_name("FILE|-")
      ->capture_default_str();
  commands.push_back({cmd, options, [](Io& io) { return not_implemented(io, "predict"); }});
}

}  // namespace

void add_case_commands(CLI::App& root, Commands& commands) {
  add_gen(root, commands);
  add_predict(root, commands);
}

}  // namespace conform::cli
