// The oracle: what a request must get back, read from the spec (and
// docs/decisions.md) alone. It reads the case's wire form the way a service
// would and never looks at the generator's label (Case::target), so a case
// written by hand or mutated by a fuzzer gets the same quality of answer.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/case.h"
#include "core/fixtures.h"
#include "spec/model.h"

namespace conform::oracle {

struct Expectation {
  int status = 0;
  std::vector<std::string> codes;  // acceptable codes; empty: only the status is predicted
  spec::Confidence confidence = spec::Confidence::unknown;
  std::string rule;      // the rule that answers; empty for a success
  std::string citation;  // "apidocs/x.md:123: quote", or the decisions.md section
  std::string op;        // the operation the request reached (Action may redirect it)
  std::string error;     // non-empty when no prediction is possible (unknown op)
  // Other rules the request breaks, in the same phase group as `rule`, whose answer
  // differs: which one a service checks first is not documented, so their codes
  // are in `codes` too (or, with another status, confidence is at most inferred).
  std::vector<std::string> also;

  bool success() const { return error.empty() && rule.empty(); }
};

struct CompiledSpecs;  // internal: specs with their rules resolved and regexes built

// What exists: the fixtures plus what earlier steps of a stateful case created or
// recorded. Copying a Model is cheap (the compiled specs are shared).
class Model {
 public:
  Model(std::vector<spec::Spec> specs, Fixtures fixtures);

  const spec::Spec* find_spec(std::string_view op) const;
  const std::vector<spec::Spec>& specs() const;
  const Fixtures& fixtures() const { return fixtures_; }
  // Back to the fixtures alone.
  void reset();

  // State, read by the oracle and written by step().
  struct Created {
    std::string service, region, type, id;
  };
  struct TokenRecord {
    std::string op, signature;
    Expectation answer;
  };
  std::vector<Created> created;
  std::map<std::string, TokenRecord> tokens;                 // "<op>\n<token>" -> first answer
  std::map<std::string, std::set<std::string>> unique_keys;  // rule id -> keys taken
  std::map<std::string, long long> creates;                  // op -> successful creates
  int steps = 0;                                             // steps run (for ${N.Field} ids)

  std::shared_ptr<const CompiledSpecs> compiled;

 private:
  Fixtures fixtures_;
};

// The prediction for one request on the model's current state. Total: any Case
// gets an answer (or an Expectation with `error` set), nothing throws.
Expectation predict(const Case& c, const Model& model);
// predict() and then what the request does to the state when it succeeds
// (created resources, idempotency records, uniqueness keys, quota counts).
Expectation step(const Case& c, Model& model);
// What the request alone says (phases 1-4 of docs/decisions.md section 1): its
// answer when its wire form or a broken rule of those phases decides it, which no
// model state changes; else, `clean`, those phases pass and only the state ones
// are left. Reads no state step() writes (only the specs and the fixtures), so it
// may run on other threads while step() advances the model. Neither for an
// unknown op, or when the oracle failed (step() then says so).
struct Settled {
  std::optional<Expectation> answer;
  bool clean = false;
};
Settled settle(const Case& c, const Model& model);
// predict() and step() for a request settle() found clean: they skip phases 1-4.
Expectation predict_clean(const Case& c, const Model& model);
Expectation step_clean(const Case& c, Model& model);
// step() when predict() on the same model state (no step() since) already
// answered `predicted`: the same answer and the same state change. Only a
// success changes more than the step count, so only a success is predicted again.
Expectation step_after(const Case& c, Model& model, Expectation predicted, bool clean = false);

// {"status", "codes", "confidence", "rule", "citation", "op"} (+ "also", "error").
void to_json(nlohmann::json& j, const Expectation& e);

}  // namespace conform::oracle
