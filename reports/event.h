// The run as a stream of events (schemathesis-style): the engine emits them, the
// report formats listen. A new format is a new Listener and touches no engine code.
// Everything here is plain data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spec/model.h"
#include "transport/http.h"

namespace conform::report {

// pass; fail (a conformance failure); warning (a mismatch on an inferred or
// unknown expectation, a failure under --strict); error (the target misbehaved
// at the transport level). Ordered by severity for worst().
enum class Outcome { pass, warning, fail, error };
std::string_view to_string(Outcome o);
Outcome worst(Outcome a, Outcome b);

// What the oracle said the answer must be.
struct Prediction {
  int status = 0;
  std::vector<std::string> codes;  // empty: only the status is predicted
  spec::Confidence confidence = spec::Confidence::unknown;
  std::string rule;      // the rule that answers; empty for a success
  std::string citation;  // doc line or decisions.md section
  std::string error;     // non-empty when the oracle could not predict (unknown operation)
  // The operation the oracle says the request reaches: the case's own unless its
  // path names another (docs/decisions.md section 3, "Routing"); may be empty.
  std::string op = {};
};

// One check's verdict on one exchange. Expected and observed status and code are
// in every finding, whatever the check.
struct Finding {
  std::string check;  // "status", "code", "request_id", "response_fields", "body_format", "idempotent_replay", "transport"
  Outcome outcome = Outcome::pass;
  std::string message;  // "expected 400 MissingParameter, got 200"
  int expected_status = 0;
  std::vector<std::string> expected_codes;
  int observed_status = 0;  // 0: no response (transport error)
  std::string observed_code;
  bool baselined = false;  // a known deviation (--baseline): reported, does not fail the gate
};

// Requests not sent to a real service for safety (issue 8), by target and reason.
struct HeldBack {
  std::string target;
  std::string reason;
  int count = 0;
};

struct RunStarted {
  std::string command;  // the conform command line that regenerates the run
  std::uint64_t seed = 0;
  std::vector<std::string> targets;  // names
  std::vector<std::string> ops;
  std::string started_at;  // ISO 8601 UTC
  // Said in every report: --insecure (no certificate verification), ...
  std::vector<std::string> warnings;
  std::vector<HeldBack> held_back;
  std::vector<std::string> notes;  // "staging: 12 cases sent as dry runs (DryRun=true)"
};

// One request sent and judged.
struct ExchangeDone {
  std::string target;  // target name ("emulator", or the targets file's name)
  std::string origin;  // "http://127.0.0.1:8080"
  std::string case_id;
  std::string op;
  std::string rule;  // what the case exercises: its target rule, else the predicted rule, else "success"
  std::string side;  // "valid" or "violating"
  transport::HttpRequest request;
  std::optional<transport::HttpResponse> response;
  std::optional<transport::TransportError> error;
  double elapsed_ms = 0;
  Prediction expected;
  std::string observed_code;
  std::string request_id;
  std::vector<Finding> findings;  // every check that applied, passes included
  Outcome outcome = Outcome::pass;  // the worst finding that is not baselined
  std::string case_json;   // the case as sent, one JSON line (for --save-failures)
  std::string reproduce;   // `conform ...` command that regenerates this case
  std::string curl;        // filled by the dispatcher, from the redacted request
  std::string shrunk;      // how the request was shrunk from the generated one; empty: not shrunk
  // The JSON values the engine already holds for the request body (the case's
  // body it was written from) and the response body (the reply read as JSON),
  // so that the redactor need not parse the texts again. Each, when set, is what
  // parsing its body text gives; null: the redactor parses. In no report.
  std::shared_ptr<const nlohmann::json> request_json;
  std::shared_ptr<const nlohmann::json> response_json;
};

struct RunFinished {
  int exchanges = 0;
  int pass = 0, fail = 0, warning = 0, error = 0, baselined = 0;
  double elapsed_s = 0;
  int exit_code = 0;
  std::string stop_reason;  // why the run stopped early, or why its target counts as unreachable
  std::string target;       // whose run this is (one run_finished per target)
  // Throttling answers (HTTP 429, Throttling*, ...) retried with backoff, and the
  // exchanges still throttled when the retries ran out (warnings, not failures).
  int throttled = 0;
  int throttled_unjudged = 0;
  // The stop left work undone that the run was asked to do (a signal, a dead
  // target), rather than a planned end such as `conform fuzz --time`.
  bool incomplete = false;
};

class Listener {
 public:
  virtual ~Listener() = default;
  virtual void run_started(const RunStarted&) {}
  virtual void exchange_done(const ExchangeDone&) {}
  // Once per finding that is not a pass, after exchange_done of its exchange.
  virtual void finding(const ExchangeDone&, const Finding&) {}
  // After a batch of exchanges was handed over (each one, without the
  // dispatcher's worker): a listener that writes as the run goes makes what it
  // wrote so far reach its file here, not once per exchange.
  virtual void delivered() {}
  virtual void run_finished(const RunFinished&) {}
  // Writes whatever the listener keeps (files); an error names the file.
  virtual bool flush(std::string* error) {
    (void)error;
    return true;
  }
};

}  // namespace conform::report
