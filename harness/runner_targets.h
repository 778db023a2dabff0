// The targets of a run (issue 8): one per entry of a targets file, or the single
// --target / embedded emulator. Each has its own operations, fixtures, client
// settings, signer and safety rule; `conform run` runs them one after the other
// into the same reports, each target its own JUnit testsuites.
#pragma once

#include <string>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "core/fixtures.h"
#include "harness/runner.h"
#include "harness/runner_cli.h"
#include "reports/event.h"
#include "spec/model.h"

namespace conform::cli {

struct TargetSession {
  std::string name;
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  RunConfig config;
  bool allow_create = false;
  std::vector<std::string> secrets;  // credential values: redacted wherever they appear
};

// Reads the targets file named by o.targets: each target's operations (its globs,
// narrowed by --ops; a target left with none is skipped), fixtures, settings,
// and credentials from the environment variables it names. Every error (a bad
// file, a missing variable, a dialect the operations do not speak) comes before
// any request is sent.
Result<std::vector<TargetSession>> open_targets(const RunOptions& o, const std::vector<spec::Spec>& all_specs);

// The safety rule (harness/safety.h) for one target: nothing changes against
// loopback or when creation is allowed; otherwise successes become dry runs or
// are held back, and `started` says so.
std::vector<Scenario> guard(const TargetSession& t, std::vector<Scenario> scenarios, report::RunStarted& started);
// Whether guard() leaves every scenario as it is (loopback, or creation allowed).
bool unguarded(const TargetSession& t);

// What every report says when a target's certificates are not checked.
std::string insecure_warning(const std::string& target);

}  // namespace conform::cli
