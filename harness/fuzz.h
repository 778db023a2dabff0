// `conform fuzz`: the black-box robustness engine (DESIGN.md "Fuzzing"). Mutated
// requests go to the target --jobs at a time; each answer must hold the
// properties every service owes any request, however broken: no 5xx, no dropped
// connection, an answer within the timeout, and, for a 4xx, a well-formed error
// body in the operation's dialect (an error code, and a request id where the
// dialect promises one; the HTTP layer's 411, 413, 414 and 431 too). No
// oracle: a mutated request may as well succeed.
// Failures are shrunk (parameters dropped while the same property still fails)
// and reported through the same listeners as `conform run`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/case.h"
#include "reports/listeners.h"
#include "spec/model.h"
#include "transport/url.h"

namespace conform::fuzz {

struct FuzzConfig {
  std::string target_name = "emulator";
  transport::Endpoint endpoint;
  int jobs = 4;
  int timeout_ms = 10000;
  std::uint64_t max_response_bytes = 8ull << 20;
  int max_transport_errors = 20;
  std::uint64_t seed = 0;
  int cases = 2000;   // mutated requests at most
  double seconds = 0; // and for this long at most (0: no time bound)
  bool shrink = true;
};

struct FuzzInput {
  const std::vector<spec::Spec>* specs = nullptr;
  std::vector<Case> bases;  // realistic requests to mutate (common parameters filled)
  // The conform command that regenerates mutated request i (for the reports).
  std::function<std::string(std::size_t)> reproduce;
  // Each reported failure (shrunk), once per distinct failure: --save-failures.
  std::function<void(const report::ExchangeDone&)> on_failure;
};

struct FuzzOutcome {
  report::RunFinished summary;
  bool unreachable = false;
  int distinct = 0;  // distinct failures (op, property, status)
};

// The properties, as findings, of one answered or failed exchange (pure).
// `foreign_method`: the request's method is none the operation uses (the
// `method` mutation), which a server may answer 501 (RFC 9110 section 15.6.2).
std::vector<report::Finding> check_answer(const std::string& dialect, const std::string& method,
                                          const transport::Exchange& x, bool foreign_method = false);

Result<FuzzOutcome> fuzz(FuzzInput input, const FuzzConfig& config, report::Listeners& listeners);

}  // namespace conform::fuzz
