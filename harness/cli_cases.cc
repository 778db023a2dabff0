// `conform gen` and `conform predict`: cases out, and predictions for cases in.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "generators/cases.h"
#include "generators/plan.h"
#include "harness/cli_checks.h"
#include "harness/cli_commands.h"
#include "oracles/predict.h"
#include "spec/loader.h"

namespace conform::cli {
namespace {

using nlohmann::json;

struct GenOptions {
  std::string specs = kDefaultSpecsDir;
  std::string fixtures;  // empty: the project's default fixtures
  std::vector<std::string> ops;
  int cases = 0;  // 0: the generators' default
  std::uint64_t seed = gen::kDefaultSeed;
  bool coverage = false;
};

struct PredictOptions {
  std::string specs = kDefaultSpecsDir;
  std::string fixtures;  // empty: the project's default fixtures
  std::string input = "-";
};

// The project's default set sits beside the specs folder (fixtures/default.json).
Result<Fixtures> fixtures_for(const std::string& specs, const std::string& given) {
  if (!given.empty()) return load_fixtures(given);
  std::filesystem::path beside = std::filesystem::path(specs).parent_path() / "fixtures" / "default.json";
  if (std::filesystem::path(specs).parent_path().empty()) beside = "fixtures/default.json";
  if (!std::filesystem::exists(beside)) {
    return fail(beside.string(), "no default fixtures here; pass --fixtures FILE");
  }
  return load_fixtures(beside.string());
}

Result<std::vector<spec::Spec>> selected(const std::vector<spec::Spec>& all, const std::vector<std::string>& ops) {
  if (ops.empty()) return all;
  std::vector<spec::Spec> out;
  for (const std::string& op : ops) {
    auto it = std::find_if(all.begin(), all.end(), [&](const spec::Spec& s) { return s.op == op; });
    if (it == all.end()) return fail("--ops", "no spec for operation \"" + op + "\"");
    out.push_back(*it);
  }
  return out;
}

struct Tally {
  int valid = 0, violating = 0, disagreed = 0;
};

// Runs the oracle over a scenario and counts each target the oracle confirms.
void tally(const Scenario& s, oracle::Model& model, std::map<std::string, Tally>& rows, int& disagreements) {
  model.reset();
  for (const Case& c : s.steps) {
    oracle::Expectation e = s.stateful ? oracle::step(c, model) : oracle::predict(c, model);
    if (!c.target) continue;
    bool ok = c.target->side == Side::valid ? e.success() : e.rule == c.target->rule;
    Tally& t = rows[c.target->rule];
    if (!ok) {
      ++t.disagreed, ++disagreements;
    } else if (c.target->side == Side::valid) {
      ++t.valid;
    } else {
      ++t.violating;
    }
  }
}

int print_coverage(Io& io, const std::vector<spec::Spec>& specs, const std::vector<spec::Spec>& all,
                   const Fixtures& fixtures, const GenOptions& o, int cases) {
  oracle::Model model(all, fixtures);
  bool complete = true;
  int disagreements = 0;
  for (const spec::Spec& s : specs) {
    gen::Env env{s, fixtures, gen::default_region(s, fixtures)};
    std::map<std::string, Tally> rows;
    for (const Scenario& sc : gen::generate_op(env, all, cases, o.seed)) tally(sc, model, rows, disagreements);
    int both = 0;
    std::string lines;
    for (const spec::Rule& r : s.rules) {
      const Tally& t = rows[r.id];
      // A rule every violation of which an earlier rule answers cannot be the
      // answer to any request: reported, and not held against the run.
      std::optional<std::string> shadow = t.violating ? std::nullopt : gen::shadowed_by(env, r);
      bool covered = t.valid > 0 && (t.violating > 0 || shadow);
      both += covered;
      lines += "  " + r.id + "  valid " + std::to_string(t.valid) + "  violating " +
               (shadow ? "unreachable (every violation is answered by " + *shadow + " first)" : std::to_string(t.violating)) +
               (t.disagreed ? "  oracle-disagrees " + std::to_string(t.disagreed) : "") + (covered ? "" : "  MISSING") + "\n";
    }
    complete = complete && both == static_cast<int>(s.rules.size());
    io.out << s.op << ": " << both << "/" << s.rules.size() << " rules covered on both sides ("
           << (s.rules.empty() ? 100.0 : 100.0 * both / static_cast<double>(s.rules.size())) << "%), " << cases
           << " cases, seed " << o.seed << "\n"
           << lines;
  }
  io.out << "oracle disagreements with the generators' labels: " << disagreements << "\n";
  return complete && disagreements == 0 ? kExitOk : kExitFindings;
}

int run_gen(Io& io, const GenOptions& o) {
  auto all = spec::load_specs(o.specs);
  if (!all) return report_error(io, all.error());
  auto specs = selected(*all, o.ops);
  if (!specs) return report_error(io, specs.error());
  auto fixtures = fixtures_for(o.specs, o.fixtures);
  if (!fixtures) return report_error(io, fixtures.error());
  int cases = o.cases > 0 ? o.cases : gen::kDefaultCases;
  if (o.coverage) return print_coverage(io, *specs, *all, *fixtures, o, cases);
  for (const spec::Spec& s : *specs) {
    gen::Env env{s, *fixtures, gen::default_region(s, *fixtures)};
    gen::Plan plan(env, *all);
    for (int i = 0; i < cases; ++i) {
      io.out << to_json_line(plan.case_at(static_cast<std::size_t>(i), o.seed)) << "\n";
    }
  }
  return kExitOk;
}

void print_prediction(Io& io, const std::string& id, const oracle::Expectation& e) {
  json j;
  oracle::to_json(j, e);
  j["id"] = id;
  io.out << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
}

int run_predict(Io& io, const PredictOptions& o) {
  auto specs = spec::load_specs(o.specs);
  if (!specs) return report_error(io, specs.error());
  auto fixtures = fixtures_for(o.specs, o.fixtures);
  if (!fixtures) return report_error(io, fixtures.error());
  std::ifstream file;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) return report_error(io, Error{o.input, "cannot read the case file"});
  }
  std::istream& in = o.input == "-" ? std::cin : file;
  oracle::Model model(std::move(*specs), std::move(*fixtures));
  for (const CaseLine& line : read_cases(in, o.input == "-" ? "stdin" : o.input)) {
    if (!line.scenario) {  // named, and the rest go on
      io.out << json{{"line", line.line}, {"error", line.scenario.error().message()}}.dump() << "\n";
      continue;
    }
    model.reset();
    for (const Case& c : line.scenario->steps) {
      oracle::Expectation e = line.scenario->stateful ? oracle::step(c, model) : oracle::predict(c, model);
      print_prediction(io, c.id, e);
    }
  }
  return kExitOk;
}

void add_gen(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<GenOptions>();
  CLI::App* cmd = root.add_subcommand(
      "gen", "Generate cases (valid, boundary, single-rule violations, stateful sequences) as JSONL on "
             "stdout; sends nothing.");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--ops", options->ops, "Only these operation ids (e.g. ecs.CreateInstance)")
      ->type_name("ID,...")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--fixtures", options->fixtures,
                  "Resources that exist, whose ids the valid cases use (default: the project's set)")
      ->type_name("FILE");
  cmd->add_option("--cases", options->cases, "Cases per operation (default 500)")
      ->type_name("N")
      ->check(whole_number(1, std::numeric_limits<int>::max(), "cases"));
  cmd->add_option("--seed", options->seed, "Seed of the generators")
      ->type_name("S")
      ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max(), "seed"))
      ->capture_default_str();
  cmd->add_flag("--coverage", options->coverage,
                "Instead of the cases, print per operation each rule's valid and violating cases "
                "(as the oracle confirms them); exit 1 unless every rule has both");
  commands.push_back({cmd, options, [options](Io& io) { return run_gen(io, *options); }});
}

void add_predict(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<PredictOptions>();
  CLI::App* cmd = root.add_subcommand(
      "predict", "Read cases (JSONL) and write, for each (each step of a stateful one), the predicted "
                 "status, codes, confidence and rule (JSONL).");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--fixtures", options->fixtures, "Resources that exist (default: the project's set)")
      ->type_name("FILE");
  cmd->add_option("input", options->input, "Case file, or - for stdin")
      ->type_name("FILE|-")
      ->capture_default_str();
  commands.push_back({cmd, options, [options](Io& io) { return run_predict(io, *options); }});
}

}  // namespace

void add_case_commands(CLI::App& root, Commands& commands) {
  add_gen(root, commands);
  add_predict(root, commands);
}

}  // namespace conform::cli
