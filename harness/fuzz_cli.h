// `conform fuzz` once its options are parsed (harness/cli_run.cc): load specs,
// make the realistic requests to mutate, start the embedded emulator when no
// target is given, fuzz, write the reports, and answer the exit code.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace conform::cli {

struct FuzzOptions {
  std::string specs = "specs";
  std::string target;  // empty: the embedded emulator
  std::vector<std::string> ops;
  std::string fixtures;
  int seconds = 0;      // --time: 0, no time bound (the count bounds the run)
  int cases = 2000;     // mutated requests at most
  std::uint64_t seed = 20261202;
  int jobs = 4;
  int timeout_ms = 10000;
  std::string junit;
  std::string html;
  std::string log;
  std::string save_failures;
  std::vector<std::string> faults;  // embedded emulator only
};

int fuzz_command(const FuzzOptions& o, std::ostream& out, std::ostream& err);

}  // namespace conform::cli
