// Internal: one operation's spec, prepared once for fast checking: every rule's
// parameters resolved to PathRefs, its regexes compiled, its phase known, its error
// message chosen; and what a success creates and answers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "core/error.h"
#include "emulator/params.h"
#include "spec/model.h"

namespace conform::emulator {

// docs/decisions.md §1, with the kinds each phase lists taken as sub-phases in order.
enum class Phase {
  missing,        // required, required_if
  missing_pairs,  // pair, requires
  type,
  value,     // every single-parameter value rule
  conflict,  // exclusive, forbidden_with
  state,     // reference ... quota (idempotency is handled before them)
  none,
};

struct RuleModel {
  const spec::Rule* rule = nullptr;
  Phase phase = Phase::none;
  int state_order = 0;  // reference 0, ref_attr 1, at_least_ref 2, ref_match 3, unique 4, quota 5
  std::vector<PathRef> params;
  std::optional<PathRef> when;
  std::optional<PathRef> unless;  // when.unless
  std::unique_ptr<RE2> re;                    // charset, first_char, pattern
  std::vector<std::unique_ptr<RE2>> classes;  // char_classes
  std::string message;                        // the error row's message, or a generic one
};

struct OpModel {
  const spec::Spec* spec = nullptr;
  std::vector<RuleModel> rules;
  const RuleModel* idempotency = nullptr;
  std::map<std::string, std::string> ref_types;  // param path -> resource type (reference rules)
  std::map<std::string, bool> json_lists;        // Json params that carry a list
  std::optional<PathRef> dry_run;                // the DryRun parameter, when the op has one
  std::optional<PathRef> region;                 // RegionId, when the op has one
  std::string created_type;                      // "DeploymentSet" for CreateDeploymentSet
  std::map<std::string, std::string> examples;   // response field -> the doc's example value
  std::string host_id;                           // "ecs.aliyuncs.com"
};

Result<std::unique_ptr<OpModel>> build_op_model(const spec::Spec& spec);

}  // namespace conform::emulator
