#include "harness/runner_targets.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "emulator/fixtures.h"
#include "harness/runner_plan.h"
#include "harness/safety.h"
#include "harness/targets.h"
#include "oracles/predict.h"
#include "transport/dialect.h"
#include "transport/signing.h"

namespace conform::cli {
namespace {

// The target's region: resources of other regions are not the target's.
Fixtures in_region(Fixtures f, const std::string& region) {
  if (region.empty()) return f;
  std::erase_if(f.resources, [&](const Resource& r) { return !r.region.empty() && r.region != region; });
  return f;
}

double combined_rate(double a, double b) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return std::min(a, b);
}

// The one dialect and API version a target's operations share ("" when they differ).
Result<std::string> target_dialect(const targets::Target& t, const std::vector<spec::Spec>& specs) {
  std::set<std::string> dialects;
  for (const spec::Spec& s : specs) {
    if (!t.dialect.empty() && s.dialect != t.dialect) {
      return fail(t.where + "/dialect", "target \"" + t.name + "\" speaks " + t.dialect + " but operation " + s.op +
                                            " is " + s.dialect + "; narrow its \"ops\"");
    }
    dialects.insert(s.dialect);
  }
  if (!t.dialect.empty()) return t.dialect;
  if (dialects.size() > 1 && t.credentials) {
    return fail(t.where + "/ops", "target \"" + t.name + "\" mixes dialects; one target signs in one dialect: "
                                  "set \"dialect\" and narrow \"ops\"");
  }
  return dialects.empty() ? std::string() : *dialects.begin();
}

std::string shared_version(const std::vector<spec::Spec>& specs) {
  std::set<std::string> versions;
  for (const spec::Spec& s : specs) versions.insert(s.version);
  return versions.size() == 1 ? *versions.begin() : "";
}

Result<TargetSession> open_target(const RunOptions& o, const targets::Target& t, const std::vector<spec::Spec>& all,
                                  bool* skipped) {
  TargetSession ts;
  ts.name = t.name;
  auto mine = plan::select_ops(all, t.ops);
  if (!mine) return fail(t.where + "/ops", mine.error().message());
  std::vector<spec::Spec> specs = std::move(*mine);
  if (!o.ops.empty()) {
    auto narrowed = plan::select_ops(specs, o.ops);
    if (!narrowed) {
      *skipped = true;
      return ts;
    }
    specs = std::move(*narrowed);
  }
  CONFORM_TRY(dialect, target_dialect(t, specs));
  const std::string& fixtures_path = t.fixtures.empty() ? o.fixtures : t.fixtures;
  CONFORM_TRY(fixtures, fixtures_path.empty()
                            ? parse_fixtures(emulator::default_fixtures_text(), "default fixtures")
                            : load_fixtures(fixtures_path));
  ts.fixtures = in_region(std::move(fixtures), t.region);
  RunConfig& c = ts.config;
  c.target_name = t.name;
  c.endpoint = t.endpoint;
  c.jobs = o.jobs > 0 ? o.jobs : kDefaultJobs;
  c.rate = combined_rate(o.rate, t.rate);
  c.timeout_ms = t.timeout_ms > 0 ? t.timeout_ms : o.timeout_ms > 0 ? o.timeout_ms : kDefaultTimeoutMs;
  c.max_response_bytes = o.max_response_bytes;
  c.max_transport_errors = o.max_transport_errors;
  c.strict = o.strict;
  c.ca_file = t.ca_file;
  c.insecure = o.insecure;
  if (t.credentials) {
    CONFORM_TRY(creds, targets::read_credentials(t, [](const char* name) { return std::getenv(name); }));
    CONFORM_TRY(d, transport::parse_dialect(dialect));
    auto signer = transport::make_signer(d, creds, t.endpoint, shared_version(specs));
    if (!signer) return fail(t.where + "/credentials", "target \"" + t.name + "\": " + signer.error().message());
    c.prepare = std::move(*signer);
    ts.secrets = targets::secret_values(creds);
  }
  ts.specs = std::move(specs);
  ts.allow_create = t.allow_create || o.allow_create;
  return ts;
}

}  // namespace

Result<std::vector<TargetSession>> open_targets(const RunOptions& o, const std::vector<spec::Spec>& all_specs) {
  CONFORM_TRY(list, targets::load_targets(o.targets));
  std::vector<TargetSession> out;
  for (const targets::Target& t : list) {
    bool skipped = false;
    CONFORM_TRY(ts, open_target(o, t, all_specs, &skipped));
    if (!skipped) out.push_back(std::move(ts));
  }
  if (out.empty()) return fail("--ops", "no target of " + o.targets + " has an operation that --ops names");
  return out;
}

bool unguarded(const TargetSession& t) { return t.config.endpoint.loopback() || t.allow_create; }

std::vector<Scenario> guard(const TargetSession& t, std::vector<Scenario> scenarios, report::RunStarted& started) {
  if (unguarded(t)) return scenarios;
  oracle::Model model(t.specs, t.fixtures);  // fresh: predictions only, never stepped
  auto predict = [&model](const Case& c) {
    oracle::Expectation e = oracle::predict(c, model);
    return report::Prediction{e.status, e.codes, e.confidence, e.rule, e.citation, e.error, e.op};
  };
  safety::Result r = safety::filter(std::move(scenarios), t.specs, predict);
  for (const auto& [reason, count] : r.held) started.held_back.push_back({t.name, reason, count});
  if (r.dry_runs > 0) {
    started.notes.push_back(t.name + ": " + std::to_string(r.dry_runs) +
                            " cases predicted to succeed were sent as dry runs (DryRun=true, expected "
                            "DryRunOperation), because the target is not loopback and does not allow creation");
  }
  return std::move(r.send);
}

std::string insecure_warning(const std::string& target) {
  return "--insecure: the TLS certificate and host name of target \"" + target +
         "\" are NOT verified; anyone on the path could read the credentials' signatures and answer instead";
}

}  // namespace conform::cli
