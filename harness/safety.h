// Safety with real services (issue 8, DESIGN.md "Command line"): against a
// target that is not loopback, a request predicted to succeed would create or
// change a real resource. It is sent as a dry run when the operation has one (ECS
// DryRun=true, documented answer 400 DryRunOperation), and otherwise held back
// unless the target allows creation (allow_create, --allow-create).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/case.h"
#include "reports/event.h"
#include "spec/model.h"

namespace conform::safety {

struct Result {
  std::vector<Scenario> send;
  int dry_runs = 0;                  // cases turned into dry runs
  std::map<std::string, int> held;   // reason -> scenarios held back
};

// `predict` is the oracle's pure prediction on a fresh model (the case already has
// the dialect's common parameters). A scenario of several steps is held back
// whole when any step is predicted to succeed: its later steps need what the
// earlier ones create.
Result filter(std::vector<Scenario> scenarios, const std::vector<spec::Spec>& specs,
              const std::function<report::Prediction(const Case&)>& predict);

}  // namespace conform::safety
