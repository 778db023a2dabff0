// Internal to the runner: what happens to a case between the scenario and the
// wire, and to an exchange between the wire and the listeners.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/case.h"
#include "reports/event.h"
#include "spec/model.h"

namespace conform::runner {

// Rewrites "${i.Field}" to "${map[i].Field}" (scenario step -> model step) in
// query values and JSON body strings.
Case renumber_placeholders(const Case& c, const std::vector<int>& global_of_local);
// Replaces "${g.Field}" with the string value of Field in the body answered to
// model step g; an unknown one stays as it is (the target will say it is unknown).
Case fill_placeholders(const Case& c, const std::map<int, std::shared_ptr<const nlohmann::json>>& bodies);

// The value of the op's idempotency token in the case ("" when it has none), and
// the case's parameters without it (what a replay must repeat exactly).
std::string idempotency_token(const spec::Spec& spec, const Case& c);
std::string signature(const Case& c);

// The case with one parameter less: each query pair but the dialect's common
// ones (Action, Version, Format), each top-level member of a JSON body.
struct Removal {
  Case smaller;
  std::string what;  // the parameter's name
};
std::vector<Removal> removals(const Case& c);

// A greedy one-removal shrink (`conform run` and `conform fuzz`): drops
// parameters one at a time (removals()) while `still_fails` says the smaller case
// fails the same way; each kept removal restarts the scan; at most max_attempts
// calls of still_fails.
struct Shrunk {
  Case smallest;
  std::vector<std::string> removed;  // in the order they were dropped
  int attempts = 0;
};
Shrunk shrink_by_removal(const Case& c, int max_attempts, const std::function<bool(const Case&)>& still_fails);
// "shrunk by removing A, B (7 tries)", for ExchangeDone::shrunk.
std::string shrunk_note(const Shrunk& s);
// Counts one exchange's outcome in a run's summary.
void tally(report::RunFinished& s, report::Outcome o);

// What the case exercises: its generator label, else the predicted rule, else success.
void label(report::ExchangeDone& e, const Case& c, const report::Prediction& p);

}  // namespace conform::runner
