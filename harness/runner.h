// The run loop: scenarios in, exchanges judged and reported out. It knows no
// particular spec, oracle or report format: the oracle comes in as two
// functions, the reports as Listeners.
//
// Order and state: the oracle keeps one model for the whole run, and the target
// one state. Each request carries the state it reads or changes as keys (its
// idempotency token; its op's quota and uniqueness state when it is predicted to
// succeed or to fail on them; harness/runner_order.h): requests that share a key
// are never in flight together and go out in scenario order, so the target sees
// them in the order the model predicted; all others go out --jobs at a time. A
// stateful scenario (steps) runs step by step, each step after the previous
// one's answer, holding the keys of all its steps; other scenarios run meanwhile.
// A step may name what an earlier step of its scenario got as "${<step>.<Field>}"
// (0-based within the scenario); the oracle sees the placeholder, the wire the value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "harness/baseline.h"
#include "reports/listeners.h"
#include "spec/model.h"
#include "transport/http.h"
#include "transport/url.h"

namespace conform {

struct RunConfig {
  std::string target_name = "emulator";
  transport::Endpoint endpoint;
  int jobs = 4;
  double rate = 0;
  int timeout_ms = 10000;
  std::uint64_t max_response_bytes = 8ull << 20;
  int max_transport_errors = 20;
  bool strict = false;
  // Shrink failing single requests (the first 30) to the fewest parameters that
  // still fail the same way, before they are reported or saved.
  bool shrink = true;
  // Real services (issue 8): transport::ClientOptions has the details.
  std::string ca_file;     // https: trust only these PEM certificates; "": the system store
  bool insecure = false;   // --insecure: no certificate or host name verification
  bool proxy_from_env = true;  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY
  std::function<void(transport::HttpRequest&)> prepare;  // signs every attempt; may be empty
  int throttle_retries = 4;     // throttling answers retried per request
  int throttle_backoff_ms = 500;  // the first wait; doubled per retry, Retry-After honoured
};

// What the request alone says (oracle::settle): its prediction, which no model
// step changes, or `clean`, the rules of the request alone pass and only the
// state is left to ask (RunOracle's *_clean functions).
struct Settled {
  std::optional<report::Prediction> prediction;
  bool clean = false;
  // The request as it goes out (transport::build_request to the run's endpoint),
  // when the source built it.
  std::optional<transport::HttpRequest> request;
};

// What a ScenarioSource runs on each single request as it is made, on its own
// threads: the request's finishing touches (the dialect's common parameters),
// what the request alone says, and its wire form. Must be safe beside
// RunOracle::step.
using Settle = std::function<Settled(Case&)>;

struct RunOracle {
  // The prediction on the model as it is (pure).
  std::function<report::Prediction(const Case&)> peek;
  // The same, and the model advances past this request (it is being sent).
  std::function<report::Prediction(const Case&)> step;
  // How many steps the model has taken: the index the next step() gets.
  std::function<int()> steps;
  // step() when peek() on the same model state (steps() unchanged) answered
  // `peeked`: the same answer and state change, for less work. May be empty.
  // `clean`: as for step_clean.
  std::function<report::Prediction(const Case&, report::Prediction peeked, bool clean)> step_after;
  // peek() and step() for a request its source found clean (Settled::clean):
  // they skip the rules the source checked. May be empty (then peek, step).
  std::function<report::Prediction(const Case&)> peek_clean;
  std::function<report::Prediction(const Case&)> step_clean;
};

// Scenarios still being made while the run sends the first ones
// (harness/runner_stream.h).
class ScenarioSource {
 public:
  virtual ~ScenarioSource() = default;
  virtual std::size_t size() const = 0;
  // Scenario i, once it is made (waits for it until then); the run may move from it.
  virtual Scenario& at(std::size_t i) = 0;
  // After at(i): what the source found out about a single request as it made it
  // (Settled); null when nothing. The run may move from it.
  virtual Settled* settled(std::size_t) { return nullptr; }
};

struct RunInput {
  const std::vector<spec::Spec>* specs = nullptr;
  std::vector<Scenario> scenarios;
  // When set, the scenarios come from here instead (it outlives the run).
  ScenarioSource* source = nullptr;
  RunOracle oracle;
  // The conform command that regenerates a scenario (for the reports).
  std::function<std::string(const Scenario&)> reproduce;
  const Baseline* baseline = nullptr;   // known deviations; may be null
  Baseline* record_baseline = nullptr;  // --write-baseline; may be null
  // Called for each exchange that fails or errs (not baselined), with the case as
  // sent: --save-failures.
  std::function<void(const report::ExchangeDone&)> on_failure;
};

struct RunOutcome {
  report::RunFinished summary;
  bool unreachable = false;  // refused the first connection, or too many transport errors in a row
  int interrupted = 0;        // the signal that stopped the run (harness/interrupt.h), 0 for none
};

// Runs every scenario against config.endpoint (its listeners get run_started
// from the caller, exchange_done here, run_finished here). An error is a setup
// problem (an unknown operation's dialect, https before issue 8), before any send.
Result<RunOutcome> run_scenarios(RunInput input, const RunConfig& config, report::Listeners& listeners);

// The exit code of a finished run (DESIGN.md "Command line"); 128 + the signal
// for a run a signal stopped.
int exit_code(const RunOutcome& o);

}  // namespace conform
