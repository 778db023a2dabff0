// What a run sends: generated scenarios per operation (`conform run`) or the
// saved cases of a corpus (`conform replay`), and the deterministic shard split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "core/fixtures.h"
#include "spec/model.h"

namespace conform::plan {

// Specs whose op id matches one of the globs (fnmatch: "ecs.*"); all when none.
// A glob that matches nothing is an error (a typo must not pass a gate silently).
Result<std::vector<spec::Spec>> select_ops(std::vector<spec::Spec> specs, const std::vector<std::string>& globs);

// `cases` scenarios per operation (0: enough for both sides of every rule), seeded by (seed, op, index) so that a case
// does not change when other operations are added: rules in spec order, the
// valid side then the violating side of each, then rich valid cases.
std::vector<Scenario> generate(const std::vector<spec::Spec>& specs, const Fixtures& fixtures, int cases,
                               std::uint64_t seed);

// The dialect's own answers, which no spec rule names: Format=XML, a form POST,
// an unknown Action (aliyun-rpc); a malformed and a non-object JSON body.
std::vector<Scenario> extra_scenarios(const std::vector<spec::Spec>& specs, const Fixtures& fixtures,
                                      std::uint64_t seed);

// Scenario i belongs to shard i mod n: N machines with the same seed run
// exactly the cases one machine would, each once.
std::vector<Scenario> shard(std::vector<Scenario> all, int k, int n);

// Every case file (*.jsonl, *.json) under dir, in path order; a line that is not
// a case is an error naming file:line.
Result<std::vector<Scenario>> read_corpus(const std::string& dir);

// Writes the case as one JSONL file under dir (dir/<op>/<rule>-<hash>.jsonl);
// returns the path.
Result<std::string> save_case(const std::string& dir, const std::string& op, const std::string& rule,
                              const std::string& case_json);

}  // namespace conform::plan
