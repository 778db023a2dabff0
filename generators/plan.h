// What `conform gen` (and a run) generates for one operation: `cases` scenarios
// that go round every (rule, side) target in spec order, so that 2 x rules cases
// cover every rule on both sides; stateful rules get sequences, references to
// created resources get them too. Deterministic per seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/case.h"
#include "generators/draft.h"

namespace conform::gen {

struct Target {
  const spec::Rule* rule = nullptr;
  Side side = Side::valid;
  bool sequence = false;  // via generators/sequences.h
};

// Every target of an operation, in the order generation visits them.
std::vector<Target> targets(const Env& env, const std::vector<spec::Spec>& all);

// One operation's generation: its targets worked out once. Holds references to
// the Env and the specs, which must outlive it.
class Plan {
 public:
  Plan(const Env& env, const std::vector<spec::Spec>& all);
  // Case i (a one-step or a stateful scenario); ids "<op>#<i>".
  Scenario case_at(std::size_t i, std::uint64_t seed) const;

 private:
  const Env& env_;
  const std::vector<spec::Spec>& all_;
  std::vector<Target> targets_;
};

// Case i of an operation: Plan(env, all).case_at(i, seed).
Scenario generate_one(const Env& env, const std::vector<spec::Spec>& all, std::size_t i, std::uint64_t seed);
std::vector<Scenario> generate_op(const Env& env, const std::vector<spec::Spec>& all, int cases, std::uint64_t seed);

// The region valid cases use: the fixtures' region for the op's service.
std::string default_region(const spec::Spec& s, const Fixtures& f);

inline constexpr std::uint64_t kDefaultSeed = 20261202;
inline constexpr int kDefaultCases = 500;

}  // namespace conform::gen
