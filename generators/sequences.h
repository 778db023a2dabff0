// Stateful sequences: several requests on one state, for the rules one request
// cannot break alone (DESIGN.md, "Case format": {id, steps}). An idempotency token
// reused with the same and with other parameters, a duplicate creation where the
// doc forbids one, a reference to a resource an earlier step created (named
// "${<step>.<response field>}", which the runner fills in from that step's answer)
// and to one no step created, a quota filled to its limit and one past it.
// The judged step carries the target; earlier steps are set-up.
#pragma once

#include <optional>
#include <vector>

#include "core/case.h"
#include "generators/draft.h"
#include "generators/rng.h"

namespace conform::gen {

// `all` are every operation's specs (a reference may need another op to create
// its resource); nullopt when the rule has no sequence or the fixtures lack
// what it needs. Side::valid: the sequence ends in a success the rule allows.
std::optional<Scenario> sequence(const Env& env, const std::vector<spec::Spec>& all, Rng& rng, const spec::Rule& rule,
                                 Side side);

// A "${N.Field}" reference to what step N's answer carries.
std::string step_ref(std::size_t step, const std::string& field);

}  // namespace conform::gen
