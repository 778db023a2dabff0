#include "harness/safety.h"

#include "transport/dialect.h"

namespace conform::safety {
namespace {

bool succeeds(const report::Prediction& p) { return p.error.empty() && p.status >= 200 && p.status < 300; }

const spec::Param* dry_run_param(const spec::Spec& s) {
  const spec::Param* p = s.find_param("DryRun");
  return p && p->type == spec::ParamType::Boolean ? p : nullptr;
}

void set_dry_run(Case& c) {
  for (auto& [k, v] : c.query) {
    if (k == "DryRun") {
      v = "true";
      return;
    }
  }
  c.query.emplace_back("DryRun", "true");
}

}  // namespace

Result filter(std::vector<Scenario> scenarios, const std::vector<spec::Spec>& specs,
              const std::function<report::Prediction(const Case&)>& predict) {
  std::map<std::string, const spec::Spec*> by_op;
  for (const spec::Spec& s : specs) by_op[s.op] = &s;
  Result out;
  for (Scenario& sc : scenarios) {
    std::vector<std::size_t> creating;
    for (std::size_t i = 0; i < sc.steps.size(); ++i) {
      auto it = by_op.find(sc.steps[i].op);
      if (it == by_op.end()) continue;  // the runner reports an unknown operation itself
      auto d = transport::parse_dialect(it->second->dialect);
      Case c = d ? transport::with_common_params(sc.steps[i], *it->second, *d) : sc.steps[i];
      if (succeeds(predict(c))) creating.push_back(i);
    }
    if (creating.empty()) {
      out.send.push_back(std::move(sc));
      continue;
    }
    if (sc.steps.size() > 1) {
      ++out.held["a stateful sequence whose steps would create resources"];
      continue;
    }
    const spec::Spec* s = by_op[sc.steps[0].op];
    if (dry_run_param(*s) && s->dialect == "aliyun-rpc") {
      set_dry_run(sc.steps[0]);
      ++out.dry_runs;
      out.send.push_back(std::move(sc));
      continue;
    }
    ++out.held[s->op + ": predicted to succeed, so it would create a resource, and the operation has no dry run"];
  }
  return out;
}

}  // namespace conform::safety
