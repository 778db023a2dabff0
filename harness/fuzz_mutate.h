// `conform fuzz`: the mutations. A mutation takes a realistic request (a
// generated case, common parameters filled) and breaks it the way hostile or
// careless clients do: values at and past every limit, type confusion, percent-
// and double-encoding, unicode, duplicate and unknown parameters, huge values and
// many parameters, indexed parameters past their bounds, broken bodies. Deterministic: the same case and seed give the
// same mutation on every platform (std::mt19937_64 is fully specified; no
// std::*_distribution, whose output the standard leaves to the library).
#pragma once

#include <cstdint>
#include <string>

#include "core/case.h"

namespace conform::fuzz {

struct Mutation {
  Case mutated;
  // "limit", "type", "encoding", "unicode", "duplicate", "unknown", "huge", "many", "body", "method", "index"
  std::string kind;
  std::string detail;  // what was done, for a person: "RegionId = 2147483648"
};

// One to three mutations of `base`, chosen by `seed`.
Mutation mutate(const Case& base, std::uint64_t seed);

}  // namespace conform::fuzz
