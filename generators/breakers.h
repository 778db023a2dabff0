// Internal to the generators (violate.cc): candidate values that break one rule of
// a value, before the caller keeps those that break it alone (find_fit).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "generators/values.h"

namespace conform::gen {

// Values of other JSON types, or text that is not the parameter's type.
std::vector<nlohmann::json> type_breakers(const spec::Param& p, bool text);
// The near misses of rule `r` given the slot's constraints `c` (min - 1 and max + 1
// in the rule's unit, wrong case and trailing space, a bad character at each
// position, format and pattern near-misses, ...); some draw from `rng`.
std::vector<nlohmann::json> value_breakers(const Env& env, const spec::Rule& r, const Constraints& c, Rng& rng);

}  // namespace conform::gen
