// Internal to the runner: which requests must reach the target in the order the
// oracle's model saw them, and which may be in flight together.
//
// A request is tagged with the pieces of state it reads or changes, as keys: its
// idempotency token ("token:<op>:<name=value>"), and, for an operation whose
// answers depend on how many resources exist or which ones (a quota or a
// uniqueness rule), "state:<op>" when it is predicted to succeed or to fail on
// one of those rules. Requests predicted to fail validation read no state and
// carry no key. Two requests that share a key are never in flight together, and
// go out in scenario order (unless both only read it); requests with no key in
// common go --jobs at a time. A uniqueness rule's key names the resource
// (StackGroupName=...), so creations in different stack groups run together.
// A stateful sequence holds the keys of all its steps (every step's op state and
// token) from its first step to its last, and runs its steps one after another.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "reports/event.h"
#include "spec/model.h"

namespace conform::runner {

using StateKeys = std::vector<std::string>;

// A key that starts with kShared is held shared (the request only reads that
// state: a refusal on a full quota or an existing resource); many shared holders
// may be in flight together, never beside an exclusive one (a creation).
inline constexpr const char* kShared = "?";
inline bool is_shared_key(std::string_view k) { return !k.empty() && k[0] == kShared[0]; }
// The key without its kShared mark: the piece of state it names.
inline std::string_view key_name(std::string_view k) { return is_shared_key(k) ? k.substr(1) : k; }

// The keys of one request about to be sent, given what the model predicts for it.
StateKeys request_keys(const spec::Spec& spec, const Case& c, const report::Prediction& p);

// The keys of a whole sequence, before any step is sent (so without predictions):
// every step's token, and "state:<op>" for every step's op that has state rules.
// `spec_of` answers the spec of an op id, or null for an unknown op.
template <class SpecOf>
StateKeys sequence_keys(const Scenario& s, SpecOf spec_of);

// Keys held by the requests and sequences in flight.
class KeyTable {
 public:
  bool free(const StateKeys& keys) const;
  void take(const StateKeys& keys);
  void release(const StateKeys& keys);

 private:
  struct Count {
    int shared = 0;
    int exclusive = 0;
  };
  std::map<std::string, Count, std::less<>> held_;
};

// Whether a request's keys forbid it to overtake the waiting requests whose keys
// are `b` (a shared key of the same name on both is no conflict).
bool conflicts(const StateKeys& a, const std::vector<const std::string*>& b);

// Whether `spec` has a rule whose answer depends on other requests' successes
// (quota, unique).
bool has_shared_state(const spec::Spec& spec);
// The token key of a case ("" when it carries no idempotency token).
std::string token_key(const spec::Spec& spec, const Case& c);

// One step's keys when its prediction is not known yet: all exclusive.
StateKeys step_keys(const spec::Spec& spec, const Case& c);

template <class SpecOf>
StateKeys sequence_keys(const Scenario& s, SpecOf spec_of) {
  StateKeys keys;
  for (const Case& step : s.steps) {
    const spec::Spec* spec = spec_of(step.op);
    if (!spec) continue;
    for (std::string& k : step_keys(*spec, step)) keys.push_back(std::move(k));
  }
  return keys;
}

}  // namespace conform::runner
