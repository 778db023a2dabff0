// Internal: which rule a request breaks first, phase by phase (docs/decisions.md §1).
// The phases before `state` read only the request (and, for conditions on a
// resource attribute, the state); `state` reads the state.
#pragma once

#include <optional>
#include <string>

#include "emulator/faults.h"
#include "emulator/op_model.h"
#include "emulator/params.h"
#include "emulator/state.h"

namespace conform::emulator {

struct EvalContext {
  const OpModel& op;
  const Params& params;
  const EmulatorState& state;
  const FaultSet& faults;
  std::string region;  // RegionId of the request, when the op has one
};

struct Violation {
  const RuleModel* rule = nullptr;
  Binding binding;
  std::string wire_name;  // the parameter as sent ("DataDisk.3.Size")
};

// The first violated rule of `phase`, in the phase's order.
std::optional<Violation> first_violation(const EvalContext& ctx, Phase phase);

// The resource a parameter's value names (through the op's reference rule on it).
const Resource* referenced(const EvalContext& ctx, const std::string& param_path, const Value& v);

// The unique keys (one per combination of list elements) a request claims for `rule`.
std::vector<std::string> unique_keys(const EvalContext& ctx, const RuleModel& rule);

}  // namespace conform::emulator
