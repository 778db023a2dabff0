// `conform run` and `conform replay` once their options are parsed: load specs
// and fixtures, make or read the cases, start the embedded emulator when no
// target is given, run, write the reports, and answer the exit code.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace conform::cli {

// The documented defaults (DESIGN.md, "Command line").
inline constexpr std::uint64_t kDefaultMaxResponseBytes = 8 * 1024 * 1024;
inline constexpr int kDefaultMaxTransportErrors = 20;
inline constexpr int kDefaultJobs = 4;
inline constexpr int kDefaultTimeoutMs = 10000;
inline constexpr std::uint64_t kDefaultSeed = 20261202;  // the same as `conform gen`
// The largest values taken (command line and targets file alike).
inline constexpr std::uint64_t kMaxJobs = 1000;                 // sockets in flight
inline constexpr std::uint64_t kMaxTimeoutMs = 86400000;        // a day
inline constexpr std::uint64_t kMaxResponseBytes = 1ull << 30;  // held in memory
inline constexpr std::uint64_t kMaxShards = 100000;

struct RunOptions {
  std::string specs = "specs";
  std::string target;   // empty (and no targets file): the embedded emulator
  std::string targets;  // targets file (issue 8)
  std::vector<std::string> ops;
  std::string fixtures;
  int cases = 0;  // 0: enough for both sides of every rule (2 per rule + 20)
  std::uint64_t seed = kDefaultSeed;
  int jobs = 0;
  double rate = 0;  // requests per second; 0: unlimited
  int timeout_ms = 0;
  std::string shard;
  std::string baseline;
  std::string write_baseline;
  std::string junit;
  std::string html;
  std::string log;
  std::string save_failures;
  std::uint64_t max_response_bytes = kDefaultMaxResponseBytes;
  int max_transport_errors = kDefaultMaxTransportErrors;
  bool strict = false;
  bool allow_create = false;
  bool insecure = false;  // https: no certificate or host name verification (warned in every report)
  std::vector<std::string> faults;  // embedded emulator only: the self-test
  std::string corpus;               // replay: the folder of saved cases
};

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err);
int replay_command(const RunOptions& o, std::ostream& out, std::ostream& err);

}  // namespace conform::cli
