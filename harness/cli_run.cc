// `conform run`, `replay` and `fuzz`: the commands that send requests to a target.
// Option parsing here; what they do is harness/runner_cli.cc and harness/fuzz_cli.cc.
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/cli_checks.h"
#include "harness/cli_commands.h"
#include "harness/fuzz_cli.h"
#include "harness/runner_cli.h"

namespace conform::cli {
namespace {

constexpr std::uint64_t kMaxInt = std::numeric_limits<int>::max();
constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::uint64_t>::max();

// "K/N": shard K (0-based) of N.
std::string check_shard(const std::string& value) {
  std::size_t slash = value.find('/');
  std::uint64_t k = 0;
  std::uint64_t n = 0;
  if (slash == std::string::npos || !parse_count(value.substr(0, slash), k) ||
      !parse_count(value.substr(slash + 1), n) || k >= n || n > kMaxShards) {
    return "expected K/N with 0 <= K < N <= " + std::to_string(kMaxShards) + ", e.g. 0/4, got '" +
           value.substr(0, 60) + "'";
  }
  return "";
}

// The synopsis writes the rate as R/s; accept "20" and "20/s" alike.
std::string strip_per_second(std::string value) {
  if (value.size() > 2 && value.compare(value.size() - 2, 2, "/s") == 0) value.resize(value.size() - 2);
  return value;
}

// --rate: a finite rate from one request in 1,000 s to a million per second (NaN
// and 1e-300 passed a PositiveNumber check and then sent with no limit at all).
std::string check_rate(const std::string& value) {
  double v = 0;
  try {
    std::size_t used = 0;
    v = std::stod(value, &used);
    if (used != value.size()) return "expected a number of requests per second, got '" + value + "'";
  } catch (const std::exception&) {
    return "expected a number of requests per second, got '" + value + "'";
  }
  if (!(v >= 0.001 && v <= 1e6)) return "expected a rate from 0.001 to 1000000 requests per second, got '" + value + "'";
  return "";
}

void add_target_options(CLI::App& cmd, std::string& specs, std::string& target) {
  cmd.add_option("--specs", specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd.add_option("--target", target, "Base URL of the service (default: the embedded emulator "
                                     "on a loopback port)")
      ->type_name("URL");
}

void add_run(CLI::App& root, Commands& commands) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = root.add_subcommand(
      "run", "Generate cases, predict their answers, send them to the target and diff.");
  add_target_options(*cmd, o->specs, o->target);
  CLI::Option* target = cmd->get_option("--target");
  cmd->add_option("--targets", o->targets, "Targets file: several targets, each its own testsuite")
      ->type_name("FILE")
      ->excludes(target);
  cmd->add_option("--ops", o->ops, "Only these operation ids (narrows a target's ops)")
      ->type_name("ID,...")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--fixtures", o->fixtures, "Resources that exist on the target")->type_name("FILE");
  cmd->add_option("--cases", o->cases, "Cases per operation")
      ->type_name("N")
      ->check(whole_number(1, kMaxInt, "cases"));
  cmd->add_option("--seed", o->seed, "Seed of the generators")
      ->type_name("S")
      ->check(whole_number(0, kMaxSeed, "seed"));
  cmd->add_option("--jobs", o->jobs, "Exchanges in flight")
      ->type_name("N")
      ->check(whole_number(1, kMaxJobs, "exchanges in flight"));
  cmd->add_option("--rate", o->rate, "Requests per second at most")
      ->type_name("R/s")
      ->transform(strip_per_second)
      ->check(check_rate);
  cmd->add_option("--timeout", o->timeout_ms, "Deadline of one whole exchange, in milliseconds")
      ->type_name("MS")
      ->check(whole_number(1, kMaxTimeoutMs, "milliseconds"));
  cmd->add_option("--shard", o->shard, "Run only shard K (0-based) of N")
      ->type_name("K/N")
      ->check(check_shard);
  cmd->add_option("--baseline", o->baseline, "Known deviations, not counted as failures")->type_name("FILE");
  cmd->add_option("--write-baseline", o->write_baseline, "Record this run's deviations as a baseline")
      ->type_name("FILE");
  cmd->add_option("--fault", o->faults, "Embedded emulator only: switch on a known bug (self-test)")
      ->type_name("NAME");
  cmd->add_option("--junit", o->junit, "Write a JUnit XML report")->type_name("FILE");
  cmd->add_option("--html", o->html, "Write an HTML report")->type_name("FILE");
  cmd->add_option("--log", o->log, "Write every exchange as NDJSON")->type_name("FILE.ndjson");
  cmd->add_option("--save-failures", o->save_failures, "Save shrunk failing cases to this folder")
      ->type_name("DIR");
  cmd->add_option("--max-response-bytes", o->max_response_bytes,
                  "A larger response is cut off and is an error finding")
      ->type_name("BYTES")
      ->check(whole_number(1, kMaxResponseBytes, "bytes"))
      ->capture_default_str();
  cmd->add_option("--max-transport-errors", o->max_transport_errors,
                  "Stop after this many consecutive transport errors (exit 3)")
      ->type_name("N")
      ->check(whole_number(1, kMaxInt, "errors"))
      ->capture_default_str();
  cmd->add_flag("--strict", o->strict, "A mismatch on an inferred expectation fails, not warns");
  cmd->add_flag("--allow-create", o->allow_create,
                "Against a non-loopback target, also send requests predicted to succeed");
  cmd->add_flag("--insecure", o->insecure,
                "Do not verify TLS certificates and host names (every report says so)");
  commands.push_back({cmd, o, [o](Io& io) { return run_command(*o, io.out, io.err); }});
}

void add_replay(CLI::App& root, Commands& commands) {
  auto o = std::make_shared<RunOptions>();
  o->corpus = "corpus/regressions";
  CLI::App* cmd = root.add_subcommand("replay", "Send the saved cases of a regression corpus again and diff.");
  add_target_options(*cmd, o->specs, o->target);
  cmd->add_option("corpus", o->corpus, "Folder of saved cases")->type_name("DIR")->capture_default_str();
  cmd->add_option("--fixtures", o->fixtures, "Resources that exist on the target")->type_name("FILE");
  cmd->add_option("--junit", o->junit, "Write a JUnit XML report")->type_name("FILE");
  cmd->add_option("--html", o->html, "Write an HTML report")->type_name("FILE");
  cmd->add_option("--log", o->log, "Write every exchange as NDJSON")->type_name("FILE.ndjson");
  cmd->add_option("--timeout", o->timeout_ms, "Deadline of one whole exchange, in milliseconds")
      ->type_name("MS")
      ->check(whole_number(1, kMaxTimeoutMs, "milliseconds"));
  cmd->add_option("--fault", o->faults, "Embedded emulator only: switch on a known bug (self-test)")
      ->type_name("NAME");
  cmd->add_flag("--strict", o->strict, "A mismatch on an inferred expectation fails, not warns");
  cmd->add_flag("--insecure", o->insecure,
                "Do not verify TLS certificates and host names (every report says so)");
  commands.push_back({cmd, o, [o](Io& io) { return replay_command(*o, io.out, io.err); }});
}

void add_fuzz(CLI::App& root, Commands& commands) {
  auto o = std::make_shared<FuzzOptions>();
  o->specs = kDefaultSpecsDir;
  CLI::App* cmd = root.add_subcommand(
      "fuzz", "Black-box robustness fuzzing: mutated requests must get no 5xx, no dropped "
              "connection, a timely answer and a well-formed error body.");
  add_target_options(*cmd, o->specs, o->target);
  cmd->add_option("--ops", o->ops, "Only these operation ids")->type_name("ID,...")->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--fixtures", o->fixtures, "Resources that exist on the target")->type_name("FILE");
  cmd->add_option("--time", o->seconds, "Stop after this many seconds (the count bounds the run too)")
      ->type_name("S")
      ->check(whole_number(1, kMaxTimeoutMs / 1000, "seconds"));
  cmd->add_option("--cases", o->cases, "Mutated requests at most")
      ->type_name("N")
      ->check(whole_number(1, kMaxInt, "cases"))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the mutations (the same seed sends the same requests)")
      ->type_name("S")
      ->check(whole_number(0, kMaxSeed, "seed"))
      ->capture_default_str();
  cmd->add_option("--jobs", o->jobs, "Exchanges in flight")
      ->type_name("N")
      ->check(whole_number(1, kMaxJobs, "exchanges in flight"))
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout_ms, "Deadline of one whole exchange, in milliseconds")
      ->type_name("MS")
      ->check(whole_number(1, kMaxTimeoutMs, "milliseconds"))
      ->capture_default_str();
  cmd->add_option("--junit", o->junit, "Write a JUnit XML report")->type_name("FILE");
  cmd->add_option("--html", o->html, "Write an HTML report")->type_name("FILE");
  cmd->add_option("--log", o->log, "Write every exchange as NDJSON")->type_name("FILE.ndjson");
  cmd->add_option("--save-failures", o->save_failures,
                  "Save each distinct failure, shrunk, to this folder (e.g. corpus/regressions)")
      ->type_name("DIR");
  cmd->add_option("--fault", o->faults, "Embedded emulator only: switch on a known bug (self-test)")
      ->type_name("NAME");
  commands.push_back({cmd, o, [o](Io& io) { return fuzz_command(*o, io.out, io.err); }});
}

}  // namespace

void add_run_commands(CLI::App& root, Commands& commands) {
  add_run(root, commands);
  add_replay(root, commands);
  add_fuzz(root, commands);
}

}  // namespace conform::cli
