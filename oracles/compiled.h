// Internal to oracles/: each spec's rules resolved once (where each rule's
// parameters live on the wire, its phase in the precedence of docs/decisions.md
// section 1, its regexes), so that predict() does no parsing of the spec.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "spec/model.h"

namespace conform::oracle {

// Where a rule's parameter lives: a top-level parameter (maybe an indexed family
// member such as DataDisk.N.Size), then member segments into its JSON value
// ("{key}" for every entry of a map).
struct PathRef {
  std::string text;                  // as written in the rule
  const spec::Param* top = nullptr;  // nullptr: names no parameter of the spec
  const spec::Param* leaf = nullptr; // the parameter the path ends at (type, default)
  bool indexed = false;              // top is "Prefix.N[.Suffix]"
  bool family = false;               // the path is the family itself ("DataDisk.N")
  std::string prefix;                // "DataDisk." (indexed)
  std::string suffix;                // ".Size" (indexed; empty for a family)
  std::vector<std::string> members;  // segments below top
  // spec::path_hash of top->name, set by resolve_path: a flat name's lookup in a
  // request does not hash it again (View::first).
  std::optional<std::size_t> top_hash;
  // decisions.md section 2: a Json parameter carries a list (of strings) when the
  // spec has an `items` rule on it (or it has an item_type), for top and leaf.
  bool top_list = false, leaf_list = false;
};

struct CompiledRule {
  const spec::Rule* rule = nullptr;
  int phase = 0;  // 2 missing, 3 malformed, 4 conflicts, 5 state
  int rank = 0;   // order within the phase (kind order where decisions.md gives one)
  std::vector<PathRef> params;
  PathRef when;  // when.param (empty text when the rule has no condition)
  PathRef unless;  // when.unless (empty text when none)
  std::string when_type;  // resource type of when.param, for when.attr and at_least_ref
  std::vector<std::string> param_types;  // resource type each param references (or "")
  std::unique_ptr<RE2> re;                   // charset, first_char, pattern
  std::vector<std::unique_ptr<RE2>> classes; // char_classes
  bool regex_ok = true;                      // false: a pattern RE2 refuses (rule is skipped)
  // Each check of the rule walks the instances of params[0]: a request that does
  // not send its top-level parameter cannot violate it (View::absent skips it).
  bool gated = false;
  std::string citation;  // cite(rule->source, spec->doc), made once: every failing prediction carries it
};

// Where a request carries a top-level parameter, as View reads it: a wire name
// (query, form, header), the path, or a member of the JSON body.
enum class ParamWhere : std::uint8_t { wire, path, body };

// The spec's top-level parameters as a request names them, for a View's
// presence bits: non-indexed names in an open-addressing table (at most half
// full), indexed families by prefix.
struct ParamNames {
  struct Slot {
    std::uint32_t pos = 0;   // position in spec.params + 1; 0: empty
    std::uint32_t hash = 0;  // spec::path_hash of the name, low 32 bits (a miss compares no string)
    ParamWhere where = ParamWhere::wire;
  };
  std::vector<Slot> slots;
  struct Member {
    std::string suffix;  // ".Size"; "" for "Prefix.N" itself
    std::uint32_t pos;
  };
  struct Family {
    std::string prefix;  // "DataDisk."
    std::vector<Member> members;
  };
  std::vector<Family> families;  // match_family (request.h) reads a wire name against one
  // Some flat wire name also reads as a family member ("Tag.1.Key" beside
  // "Tag.N.Key"): a name found in the table is matched to the families as well.
  bool flat_in_family = false;
};

struct CompiledSpec {
  const spec::Spec* spec = nullptr;
  std::vector<CompiledRule> rules;  // in precedence order
  // Parallel to rules: the position in spec.params of a gated rule's top-level
  // parameter (View::absent_at), -1 for a rule that is never skipped. Read for
  // every rule of every request, so packed apart from the rules.
  std::vector<std::int32_t> gates;
  std::size_t state_begin = 0;  // rules before it are phases 2-4, from it phase 5
  // The same gates as bit masks over `rules` (rule_words words of 64 each):
  // `ungated` holds the rules never skipped, param_rules[p * rule_words ...]
  // those gated on spec.params[p]; a request's rules to check are ungated and
  // the rows of the parameters it sends (the bits set, in order).
  std::size_t rule_words = 0;
  std::vector<std::uint64_t> ungated;
  std::vector<std::uint64_t> param_rules;
  std::int32_t token_rule = -1;  // position of the first idempotency rule with a parameter
  std::vector<std::string> prefixes;  // indexed family prefixes ("DataDisk.") for the signature
  std::string creates_type;   // resource type the op creates ("DeploymentSet"), if any
  std::string creates_field;  // response field carrying its id ("DeploymentSetId")
  const spec::Param* dry_run = nullptr;  // ECS DryRun
  ParamNames names;
};

struct CompiledSpecs {
  std::vector<spec::Spec> specs;
  std::vector<CompiledSpec> compiled;  // parallel to specs
};

std::shared_ptr<CompiledSpecs> compile(std::vector<spec::Spec> specs);
PathRef resolve_path(const spec::Spec& spec, const std::string& path);
// "file:line: quote" of a rule or parameter (`doc` when the source names no file).
std::string cite(const spec::Source& s, const std::string& doc);
// The resource type a reference rule gives `param` ("ImageId" -> "Image"), or "".
std::string reference_type(const spec::Spec& spec, const std::string& param);

}  // namespace conform::oracle
