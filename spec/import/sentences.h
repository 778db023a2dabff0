// Sentence patterns: one doc sentence about a parameter -> rules. Shared by the
// parameter descriptions, the prose sections and the error messages.
#pragma once

#include <string>
#include <vector>

#include "spec/import/analyze.h"
#include "spec/import/charsets.h"

namespace conform::import {

// Collects rules into a spec, giving each a unique id, and keeps the sentence log.
class RuleSink {
 public:
  RuleSink(spec::Spec& spec, std::vector<SentenceRecord>& log) : spec_(spec), log_(log) {}
  // Adds the rule (id "<params[0]>.<kind>", suffixed ".2", ".3" when taken) and returns its id.
  // A rule identical to an existing one (same kind, params, bounds, values) is not added
  // twice; the existing id is returned.
  std::string add(spec::Rule rule);
  spec::Spec& spec() { return spec_; }
  std::vector<SentenceRecord>& log() { return log_; }
  const std::string& file() const { return spec_.doc; }

 private:
  spec::Spec& spec_;
  std::vector<SentenceRecord>& log_;
};

// Where a sentence is read: the parameter it is about and its family.
struct SentenceScope {
  std::string param;        // dotted path of the parameter ("" when unknown)
  spec::ParamType type = spec::ParamType::String;
  std::optional<spec::Condition> when;  // "For Windows:" and the like
  std::string attr;  // "key": the sentence is about the keys of a map, not its values
};

// Splits a line into sentences ("It must be 2 to 128 characters in length. It
// must start with a letter." -> two), not breaking "e.g.", "2.0" or "http://".
std::vector<std::string> split_sentences(const std::string& line);

// True when a sentence states something checkable (must, cannot, valid values,
// range, characters, ...): such sentences appear in the import report.
bool constraint_bearing(const std::string& sentence);

// Reads one sentence; adds rules to the sink and fills rec.rules / rec.outcome.
void read_sentence(RuleSink& sink, const SentenceScope& scope, const std::string& sentence,
                   int line, SentenceRecord& rec);

// Makes a rule with the doc source filled in.
spec::Rule make_rule(spec::RuleKind kind, std::vector<std::string> params, const std::string& file,
                     int line, const std::string& quote);

}  // namespace conform::import
