// A Case: one HTTP request in its wire form, with what a person or an earlier run
// expects of it (DESIGN.md, "Case format"). It crosses files (JSONL corpora) and
// the wire (the runner sends it), so it has to_json/from_json in its namespace;
// only nlohmann's json_fwd is included here.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"

namespace conform {

// Ordered name/value pairs: on a query string or form body, duplicates and order
// matter (the first occurrence counts, docs/decisions.md section 2).
using Pairs = std::vector<std::pair<std::string, std::string>>;

// Which side of which rule a generated case exercises. Informational: the oracle
// never reads it.
enum class Side { valid, violating };

struct TargetRule {
  std::string rule;  // a rule id of the op's spec, or a dialect pseudo-rule
  Side side = Side::valid;
};

struct CaseExpect {
  int status = 0;
  std::vector<std::string> codes;  // "code" (one) or "codes" (several) in JSON
};

struct Case {
  std::string id;
  std::string op;  // "ecs.CreateInstance"
  std::string method = "GET";
  std::string path = "/";
  Pairs query;    // decoded names and values
  Pairs headers;
  // The JSON body (null pointer: no body). Immutable and shared, so copying a case
  // stays cheap and the header needs no full nlohmann.
  std::shared_ptr<const nlohmann::json> body;
  std::optional<std::string> raw_body;  // sent verbatim instead of body
  std::optional<CaseExpect> expect;
  std::optional<TargetRule> target;

  // The first value of `name` on the query, or nullptr.
  const std::string* query_value(std::string_view name) const;
  void set_body(nlohmann::json j);
};

// One line of a case file: a single case, or a stateful case (`steps`), run in
// order on one model state. A single case is a Scenario with one step.
struct Scenario {
  std::string id;
  std::vector<Case> steps;
  bool stateful = false;
};

void to_json(nlohmann::json& j, const Case& c);
void to_json(nlohmann::json& j, const Scenario& s);
// Errors name `where` (e.g. "cases.jsonl:3") and the field.
Result<Case> case_from_json(const nlohmann::json& j, const std::string& where);
Result<Scenario> scenario_from_json(const nlohmann::json& j, const std::string& where);
// The same, taking the bodies out of `j` instead of copying them.
Result<Scenario> scenario_from_json(nlohmann::json&& j, const std::string& where);

// One line of a case file (JSON text); an error names `where` (e.g. "cases.jsonl:3").
Result<Scenario> scenario_from_text(std::string_view line, const std::string& where);

// One compact JSON line, no trailing newline.
std::string to_json_line(const Scenario& s);

// Reads JSONL: one entry per non-blank line, in order. A line that is not a case
// becomes an error naming "<name>:<line>" and the rest go on.
struct CaseLine {
  int line = 0;
  Result<Scenario> scenario;
};
std::vector<CaseLine> read_cases(std::istream& in, const std::string& name);

std::string_view to_string(Side s);

}  // namespace conform
