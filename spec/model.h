// The Spec: one operation's parameters, rules and error table, as derived from its
// doc (plus an optional hand-curated overlay). Every later stage reads this model:
// generators, oracle and emulator. The JSON form lives in model_json.cc; headers
// stay free of nlohmann so that everything including this stays cheap to build.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conform::spec {

// How sure a rule's prediction is (DESIGN.md, "Spec"):
//  documented: a doc sentence and its error table pin the status and the code;
//  inferred:   a naming convention or a generic error gives the code;
//  unknown:    the doc gives no way to predict the code (status may still be known);
//  ambiguous:  the doc reads two ways on whether the request is refused at all
//              (it contradicts itself, or a row's message and meaning disagree):
//              the prediction is one reading, and any mismatch, an acceptance
//              included, is a warning (docs/decisions.md, "Verdicts").
enum class Confidence { documented, inferred, unknown, ambiguous };

enum class ParamType { String, Integer, Long, Float, Double, Boolean, Json, Array, Object };

// Where the value travels on the wire.
enum class Location { query, path, body, header };

// Where a rule, parameter or error row came from.
struct Source {
  std::string file;   // doc path ("apidocs/...") or overlay path
  int line = 0;       // 1-based line in file; 0 when not known
  std::string quote;  // the doc sentence it was read from (empty for overlay rules)
  bool overlay = false;
};

// A condition on another parameter: `param` equals one of `equals`, or
// (`equals` empty) `param` is present. With `attr`, the condition is on that
// attribute of the resource `param` names (ImageId's "os" is "windows").
// `unless`: the condition does not hold where that parameter is present (at the
// same index): "When DataDisk.N.SnapshotId is specified, the value of
// DataDisk.N.Size is ignored" (value rules only, no `attr`; spec-format.md).
struct Condition {
  std::string param;
  std::vector<std::string> equals;
  std::string attr;
  std::string unless;
};

struct Param {
  std::string name;       // wire name: "DataDisk.N.Size", "capacity"; nested members use their own name
  Location in = Location::query;
  ParamType type = ParamType::String;
  std::optional<ParamType> item_type;  // Array / indexed element type where known
  bool required = false;
  std::optional<std::string> example;
  std::optional<std::string> default_value;
  std::string description;             // plain text, lines joined by '\n'
  bool secret = false;                 // redacted in every output (Password, password)
  bool deprecated = false;             // "will be removed in the future", "has been discarded"
  std::vector<Param> members;          // Object / Array-of-object members
  // "The parameter is valid only when InstanceChargeType is set to PrePaid": the
  // condition under which the doc says the parameter is in force (`param`, `equals`
  // and `unless`: "if you specify DedicatedHostId, the values of SpotStrategy and
  // SpotPriceLimit will be ignored"). The generators send a violation of the parameter's rules with it
  // holding, where every reading of the doc refuses the value; the oracle and the
  // emulator do not read it (spec-format.md, decisions.md section 4).
  std::optional<Condition> valid_when;
  Source source;
};

// Rule kinds. Single-parameter constraints first, then cross-parameter, then state.
enum class RuleKind {
  required,         // params[0] must be present
  type,             // params[0] must parse as its declared type
  length,           // min/max length of params[0], in `unit`
  range,            // min/max numeric value of params[0]
  enumeration,      // params[0] in `values` (case-sensitive unless case_insensitive)
  charset,          // every character of params[0] is in `charset` (class spec, see below)
  first_char,       // first character of params[0] in `charset`
  forbidden_prefix, // params[0] must not start with any of `values`
  forbidden_suffix, // params[0] must not end with any of `values`
  forbidden_substring,  // params[0] must not contain any of `values`
  char_classes,     // params[0] draws on at least `min` of the classes in `values` (each a charset)
  pattern,          // params[0] matches `pattern` (RE2 syntax, full match)
  format,           // params[0] has format `format` ("cidr", "ipv4", "base64", "json", "HH:mm:ss", ...)
  index_max,        // indexed parameter params[0] ("DataDisk.N") has N in [min, max]
  items,            // element count of params[0] (Array/Json list, Object size) in [min, max]
  requires_param,   // if params[0] is present, params[1..] must be present
  pair,             // params are all present or all absent
  exclusive,        // at most one of params may be present
  required_if,      // params[0] required when `when` holds
  range_if,         // params[0] numeric range [min, max] when `when` holds
  enum_if,          // params[0] in `values` when `when` holds
  forbidden_with,   // params[0] must be absent when `when` holds (or when params[1] is present)
  idempotency,      // params[0] is an idempotency token: same params -> same result, else conflict
  unique,           // resource identified by params must not already exist
  reference,        // params[0] names a resource of type `resource` that must exist
  ref_attr,         // attribute `attr` of the resource params[0] names is in `values` / [min, max]
  at_least_ref,     // params[0] >= attribute `attr` of the resource that when.param names
  ref_match,        // the resources params[0] and params[1] name agree on `attr` (same VPC; an IP inside a CIDR)
  quota,            // number of resources is limited by quota `quota`
  sum,              // the values of indexed params[0] at the indices where `when` holds add up to at most max
};

// The error a rule's violation gets, with the confidence of that prediction.
struct Expectation {
  int status = 400;
  std::vector<std::string> codes;  // acceptable codes; empty when unknown
  Confidence confidence = Confidence::unknown;
};

enum class LengthUnit { chars, bytes };

struct Rule {
  std::string id;  // stable: "<Param>.<kind>[.<n>]" or an overlay name
  RuleKind kind = RuleKind::required;
  std::vector<std::string> params;
  std::optional<double> min;
  std::optional<double> max;
  LengthUnit unit = LengthUnit::chars;
  std::vector<std::string> values;  // enum values, forbidden prefixes
  bool case_insensitive = false;
  // Character classes: a string of ranges and literals in the RE2 bracket syntax
  // without the brackets, e.g. "A-Za-z0-9:_-" (a trailing '-' is literal).
  std::string charset;
  std::string pattern;  // RE2, full match
  std::string format;
  std::string resource;  // reference: resource type of the fixtures ("Image", "VSwitch")
  std::string quota;     // quota name ("MaxClusterCount")
  std::string attr;      // ref_attr / at_least_ref: resource attribute ("size_gib", "status")
  std::optional<Condition> when;
  Expectation expect;
  Source source;
  std::string note;  // why the confidence is what it is, when not documented
};

// One row of the doc's error table, linked to the rules that produce it.
struct ErrorRow {
  int status = 0;
  std::string code;
  std::string message;
  std::string description;
  std::vector<std::string> rules;  // ids of the rules that report this row
  std::string unlinked_reason;     // non-empty when rules is empty: why no rule produces it
  Source source;
};

struct ResponseField {
  std::string name;
  ParamType type = ParamType::String;
  std::vector<ResponseField> members;
};

struct Example {
  std::string kind;  // "request" or "response"
  std::string text;
  Source source;
};

struct Spec {
  std::string op;       // "ecs.CreateInstance"
  std::string service;  // "ecs"
  std::string name;     // "CreateInstance"
  std::string title;
  std::string doc;      // "apidocs/aliyun-ecs-CreateInstance.md"
  std::string dialect;  // "aliyun-rpc", "aliyun-roa", "huawei-rest"
  std::string version;  // API version for aliyun-rpc ("2014-05-26")
  std::string method;   // "GET"/"POST" (aliyun-rpc accepts both)
  std::string path;     // "/", "/clusters", "/v1.0/{project_id}/instances"
  int success_status = 200;
  std::vector<Param> params;
  std::vector<Rule> rules;
  std::vector<ErrorRow> errors;
  std::vector<ResponseField> response;
  std::vector<Example> examples;
  // A doc sentence and what became of it outside the rules: a constraint-bearing
  // sentence that became no rule (unparsed), or one where the doc is ambiguous or
  // contradicts itself (ambiguous); the reason says which reading the spec takes.
  struct Remark {
    Source source;
    std::string reason;
  };
  std::vector<Remark> unparsed;
  std::vector<Remark> ambiguous;

  const Param* find_param(std::string_view name) const;
  const Rule* find_rule(std::string_view id) const;
};

// decisions.md section 2: a Json parameter carries a list (of strings) when it
// has an item_type or the spec has an `items` rule on it (AccountIds, RegionIds).
bool carries_list(const Spec& spec, const Param* p);

std::string_view to_string(Confidence c);
std::string_view to_string(ParamType t);
std::string_view to_string(Location l);
std::string_view to_string(RuleKind k);
std::string_view to_string(LengthUnit u);
std::optional<Confidence> parse_confidence(std::string_view s);
// Accepts the doc spellings too: "string", "integer", "JSON", "object", "list".
std::optional<ParamType> parse_param_type(std::string_view s);
std::optional<Location> parse_location(std::string_view s);
std::optional<RuleKind> parse_rule_kind(std::string_view s);
std::optional<LengthUnit> parse_length_unit(std::string_view s);

}  // namespace conform::spec
